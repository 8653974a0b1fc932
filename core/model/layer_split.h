#pragma once
// Which device slot holds each decoder layer when layers are split across devices (torch-free), so the
// planner (core/hw) predicts exactly the placement the loader builds: contiguous, equal runs.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hs::model {

// Slot (0..numDevices-1) of every layer: layer l goes to l * numDevices / numLayers.
std::vector<std::size_t> layerSlots(std::int64_t numLayers, std::size_t numDevices);

} // namespace hs::model
