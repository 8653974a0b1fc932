#include "ui/run/detection_runner.h"

namespace hs::ui {

#ifdef HS_UI_HAVE_DETECTOR
namespace {
class DetectorRunner : public DetectionRunner {
public:
    explicit DetectorRunner(const detect::RunSettings& s) : detector_(s) {}
    detect::RunSummary run(detect::Observer& observer) override { return detector_.run(observer); }
    void cancel() override { detector_.cancel(); }

private:
    detect::Detector detector_;
};
} // namespace

std::unique_ptr<DetectionRunner> makeDetectorRunner(const detect::RunSettings& settings)
{
    return std::make_unique<DetectorRunner>(settings);
}
#else
namespace {
// Built before core/detect had an implementation: report it instead of failing to link.
class MissingDetectorRunner : public DetectionRunner {
public:
    detect::RunSummary run(detect::Observer& observer) override
    {
        observer.onError("This build has no detection engine (core/detect was not compiled in).");
        return {};
    }
    void cancel() override {}
};
} // namespace

std::unique_ptr<DetectionRunner> makeDetectorRunner(const detect::RunSettings&)
{
    return std::make_unique<MissingDetectorRunner>();
}
#endif

} // namespace hs::ui
