#pragma once
// Owns the worker QThread that runs detection, and the Run / Pause / Resume / Stop state machine.
// The GUI thread only ever calls cancel() on the runner (an atomic flag), never into the model.
// Pause is a cancel whose session is kept: resuming re-runs the same settings, and the Detector
// skips the samples already saved in the session file.
#include "ui/run/detection_runner.h"
#include "ui/run/detection_types.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <memory>

class QThread;

namespace hs::ui {

class DetectionWorker;

class DetectionController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Pausing, Paused, Stopping };
    Q_ENUM(State)

    explicit DetectionController(QObject* parent = nullptr,
                                 DetectionRunnerFactory factory = &makeDetectorRunner);
    ~DetectionController() override; // cancels a run in flight, then quit() + wait()

    // Replaces what runs on the worker (tests use a scripted runner); takes effect at the next start.
    void setRunnerFactory(DetectionRunnerFactory factory) { factory_ = std::move(factory); }
    State state() const { return state_; }
    bool isBusy() const { return state_ == State::Running || state_ == State::Pausing || state_ == State::Stopping; }
    const detect::RunSettings& settings() const { return settings_; }
    const detect::Progress& lastProgress() const { return lastProgress_; }
    // Why the last run failed (it threw: a bad model file, out of memory); empty when it did not.
    // A failed run ends Idle, so Run can start it afresh.
    const QString& failure() const { return failure_; }

public Q_SLOTS:
    void start(const hs::detect::RunSettings& settings); // ignored while busy
    void pause();
    void resume();
    void stop();

Q_SIGNALS:
    void stateChanged(hs::ui::DetectionController::State state);
    void planned(const QString& profile, const QString& plan);  // before the model loads
    void runStarted(int total, int alreadyDone);
    // Results arrive in batches (at most one per ~40 ms); sampleDone follows for each of them.
    // Panels should listen to samplesDone and update once per batch.
    void samplesDone(const std::vector<hs::results::SampleResult>& results);
    void sampleDone(const hs::results::SampleResult& result);
    void progress(const hs::detect::Progress& progress);
    void warning(const QString& message);
    void error(const QString& message);
    void runFailed(const QString& message); // before finished(), when the run threw
    void finished(const hs::detect::RunSummary& summary);

private:
    void launch();
    void onWorkerFinished(const detect::RunSummary& summary);
    void setState(State s);

    DetectionRunnerFactory factory_;
    QThread* thread_ = nullptr;
    DetectionWorker* worker_ = nullptr;
    std::shared_ptr<DetectionRunner> runner_;
    detect::RunSettings settings_;
    detect::Progress lastProgress_;
    State state_ = State::Idle;
    QString failure_;
};

} // namespace hs::ui
