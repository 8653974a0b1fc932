#include "core/model/layer_split.h"

namespace hs::model {

std::vector<std::size_t> layerSlots(std::int64_t numLayers, std::size_t numDevices)
{
    std::vector<std::size_t> slots;
    for (std::int64_t l = 0; l < numLayers; ++l)
        slots.push_back(static_cast<std::size_t>(l) * numDevices / static_cast<std::size_t>(numLayers));
    return slots;
}

} // namespace hs::model
