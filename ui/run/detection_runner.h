#pragma once
// What the DetectionController runs on its worker thread: the real Detector in the application,
// a scripted fake in tests. run() blocks; cancel() is called from the GUI thread and must be
// thread-safe (the Detector polls an atomic flag between batches).
#include "core/detect/detector.h"

#include <functional>
#include <memory>

namespace hs::ui {

class DetectionRunner {
public:
    virtual ~DetectionRunner() = default;
    virtual detect::RunSummary run(detect::Observer& observer) = 0;
    virtual void cancel() = 0;
};

using DetectionRunnerFactory = std::function<std::unique_ptr<DetectionRunner>(const detect::RunSettings&)>;

// Runs hs::detect::Detector. Constructing it is cheap (it only stores the settings); the model
// is loaded inside run(), on the worker thread.
std::unique_ptr<DetectionRunner> makeDetectorRunner(const detect::RunSettings& settings);

} // namespace hs::ui
