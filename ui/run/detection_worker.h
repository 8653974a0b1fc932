#pragma once
// Lives on the controller's worker thread. Runs one DetectionRunner at a time and turns the
// engine's Observer callbacks into signals; since this object lives on the worker thread and the
// controller on the GUI thread, Qt delivers those signals queued, as copies of value types.
#include "ui/run/detection_runner.h"
#include "ui/run/detection_types.h"

#include <QObject>
#include <QString>

namespace hs::ui {

class DetectionWorker : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // Blocks the worker thread until the run ends. `runner` is shared with the controller, which
    // may call cancel() on it from the GUI thread.
    void run(std::shared_ptr<DetectionRunner> runner);

Q_SIGNALS:
    void planned(const QString& profile, const QString& plan);  // resolved profile, planner's one-line plan
    void runStarted(int total, int alreadyDone);
    void samplesDone(const std::vector<hs::results::SampleResult>& results); // in order, batched
    void progress(const hs::detect::Progress& progress);
    void warning(const QString& message);
    void error(const QString& message);
    void failed(const QString& message); // the run itself threw: it ended without its results
    void finished(const hs::detect::RunSummary& summary);
};

} // namespace hs::ui
