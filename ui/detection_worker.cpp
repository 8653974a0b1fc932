#include "ui/detection_worker.h"

#include <exception>

namespace hs::ui {

namespace {
// The engine's Observer, forwarding to the worker's signals (called on the worker thread).
class SignalObserver : public detect::Observer {
public:
    explicit SignalObserver(DetectionWorker& w) : w_(w) {}
    void onRunStarted(int total, int alreadyDone) override { Q_EMIT w_.runStarted(total, alreadyDone); }
    void onSampleDone(const detect::SampleResult& r) override { Q_EMIT w_.sampleDone(r); }
    void onProgress(const detect::Progress& p) override { Q_EMIT w_.progress(p); }
    void onWarning(const std::string& m) override { Q_EMIT w_.warning(QString::fromStdString(m)); }
    void onError(const std::string& m) override
    {
        sawError = true;
        Q_EMIT w_.error(QString::fromStdString(m));
    }
    void onFinished(const detect::RunSummary&) override {} // run()'s return value is authoritative
    bool sawError = false;

private:
    DetectionWorker& w_;
};
} // namespace

void DetectionWorker::run(std::shared_ptr<DetectionRunner> runner)
{
    SignalObserver observer(*this);
    detect::RunSummary summary;
    try {
        summary = runner->run(observer);
    } catch (const std::exception& e) {
        // Errors become a message at the boundary, never an abort of the GUI.
        Q_EMIT error(QString::fromStdString(e.what()));
        Q_EMIT failed(QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT error(tr("Detection failed with an unknown error"));
        Q_EMIT failed(tr("Detection failed with an unknown error"));
    }
    Q_EMIT finished(summary);
}

} // namespace hs::ui
