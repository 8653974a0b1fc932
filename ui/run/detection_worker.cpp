#include "ui/run/detection_worker.h"

#include "ui/run/background_threads.h"

#include <QElapsedTimer>

#include <exception>
#include <utility>

namespace hs::ui {

namespace {
// Results arriving faster than this are sent to the GUI thread together: one queued event and
// one round of panel updates per batch instead of per sample.
constexpr qint64 kBatchMs = 40;

// The engine's Observer, forwarding to the worker's signals (called on the worker thread).
class SignalObserver : public detect::Observer {
public:
    explicit SignalObserver(DetectionWorker& w) : w_(w) { clock_.start(); }
    void onPlanned(const hw::Profile& profile, const hw::RunPlan& plan) override
    {
        flush();
        Q_EMIT w_.planned(QString::fromStdString(profile.name + " (" + profile.label + ")"),
                          QString::fromStdString(hw::planSummary(plan)));
    }
    void onRunStarted(int total, int alreadyDone) override { Q_EMIT w_.runStarted(total, alreadyDone); }
    // Results wait for the progress report that counts them (the Detector reports once per batch,
    // after its samples), so the table and the progress bar always agree on what is done.
    void onSampleDone(const results::SampleResult& r) override { batch_.push_back(r); }
    void onProgress(const detect::Progress& p) override
    {
        progress_ = p;
        hasProgress_ = true;
        maybeFlush();
    }
    // Sends what is pending (also before any other signal, so the order of events is kept).
    void flush()
    {
        if (!batch_.empty())
            Q_EMIT w_.samplesDone(std::exchange(batch_, {}));
        if (hasProgress_)
            Q_EMIT w_.progress(progress_);
        hasProgress_ = false;
        clock_.restart();
    }
    void onWarning(const std::string& m) override
    {
        flush();
        Q_EMIT w_.warning(QString::fromStdString(m));
    }
    void onError(const std::string& m) override
    {
        flush();
        sawError = true;
        Q_EMIT w_.error(QString::fromStdString(m));
    }
    void onFinished(const detect::RunSummary&) override {} // run()'s return value is authoritative
    bool sawError = false;

private:
    void maybeFlush()
    {
        if (clock_.elapsed() >= kBatchMs)
            flush();
    }
    DetectionWorker& w_;
    std::vector<results::SampleResult> batch_;
    detect::Progress progress_;
    bool hasProgress_ = false;
    QElapsedTimer clock_;
};
} // namespace

void DetectionWorker::run(std::shared_ptr<DetectionRunner> runner)
{
    lowerCurrentThreadPriority(); // the GUI thread comes first; torch's threads started from here inherit it
    SignalObserver observer(*this);
    detect::RunSummary summary;
    try {
        summary = runner->run(observer);
    } catch (const std::exception& e) {
        observer.flush();
        // Errors become a message at the boundary, never an abort of the GUI.
        Q_EMIT error(QString::fromStdString(e.what()));
        Q_EMIT failed(QString::fromStdString(e.what()));
    } catch (...) {
        observer.flush();
        Q_EMIT error(tr("Detection failed with an unknown error"));
        Q_EMIT failed(tr("Detection failed with an unknown error"));
    }
    observer.flush();
    Q_EMIT finished(summary);
}

} // namespace hs::ui
