// libFuzzer target: config.json parsing must turn any text into a ModelConfig inside its documented bounds or
// an hs::InputError; never a crash, a hang or an allocation driven by the input.
#include "core/model/model_config.h"
#include "core/util/error.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const auto c = hs::model::ModelConfig::fromJsonText(std::string(reinterpret_cast<const char*>(data), size),
                                                           "fuzz/config.json");
        if (c.numLayers <= 0 || c.numLayers > hs::model::kMaxLayers || c.headDim <= 0 || c.numHeads % c.numKvHeads)
            __builtin_trap();
        c.ropeInvFreq();
    } catch (const hs::InputError&) {
    }
    return 0;
}
