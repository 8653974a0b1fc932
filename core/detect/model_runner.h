#pragma once
// Glue between the engine (core/model) and the ReDeEP extractor: builds the Probe for a batch of
// prepared samples, runs one forward pass and slices the named captures per sequence.
// Internal to core/detect (ATen types in the interface).
#include "core/detect/prepared_sample.h"
#include "core/detect/redeep_extractor.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hs::model { class LlamaModel; }

namespace hs::detect {

class ModelRunner {
public:
    ModelRunner(const std::string& modelDir, const std::string& device, const std::string& dtype);
    ~ModelRunner();

    int numLayers() const;
    int numHeads() const;
    int64_t vocab() const;
    std::string deviceName() const;

    // One forward over `batch` (right-padded); captures the copy heads' attention rows from the
    // last prompt position on over the prompt keys, the residuals of `layers` at those rows and the
    // final normed states. The returned captures stay on the model's device.
    std::vector<SampleCaptures> run(const std::vector<const PreparedSample*>& batch,
                                    const std::vector<std::pair<int, int>>& heads,
                                    const std::vector<int>& layers);
    LensFn lens() const;
    double peakMemoryMB() const;
    // Peak bytes held by live tensors on the device (what torch.cuda.max_memory_allocated reports, so it
    // compares with Python pipelines); 0 on CPU.
    double peakAllocatedMB() const;
    void synchronize() const;   // waits for the device (timing)

private:
    std::unique_ptr<model::LlamaModel> model_;
};

} // namespace hs::detect
