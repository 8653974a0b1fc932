#include "ui/run/detection_runner.h"

namespace hs::ui {

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

} // namespace hs::ui
