#pragma once
// The hardware options `detect` and `info` share: profile (auto, custom, by name), devices, placement,
// dtype and weight format, read into RunSettings so both commands plan the run the same way.
#include "app/cli/command.h"
#include "core/detect/detector.h"

namespace hs::cli {

inline constexpr const char kHardwareOptionsHelp[] =
    "  --profile NAME             hardware profile: cpu, t4, 2xt4, rtx4090, a100-40, a100-80, h100, h200, or custom;\n"
    "                             default: the one suggested for the detected GPUs (cpu when there are none)\n"
    "  --gpus N --gpu-memory GB   the custom profile: N GPUs with GB (10^9 bytes) each, 90 % of it usable\n"
    "  --device LIST              override the profile's devices: cpu, cuda, cuda:N, or a comma list (--devices\n"
    "                             is the same option); several devices run one replica each unless --placement split\n"
    "  --placement replica|split  with several devices: a model per device, or the layers split across them\n"
    "  --dtype f32|bf16|f16       compute dtype [the profile's]\n"
    "  --token-budget N           padded tokens per batch, not lowered to fit the cap [planned under the cap]\n"
    "  --quant none|int8|nf4|fp8  weight format [the profile's: nf4 on t4 and 2xt4, none elsewhere]\n"
    "  --quant-lm-head            quantise lm_head too (PKS reads it: off by default)\n"
    "  --double-quant             nf4: quantise the block scales again (QLoRA's double quantisation)\n";

// The flags among the options above (they take no value).
inline const std::vector<std::string>& hardwareFlagNames()
{
    static const std::vector<std::string> f = {"quant-lm-head", "double-quant"};
    return f;
}

// Reads the options above into s; InputError on a malformed value (--gpus 0.5, --device and --devices both).
void readHardwareOptions(const Args& a, detect::RunSettings& s);

} // namespace hs::cli
