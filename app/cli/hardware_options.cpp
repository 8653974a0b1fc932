#include "app/cli/hardware_options.h"

#include "core/util/error.h"

namespace hs::cli {

void readHardwareOptions(const Args& a, detect::RunSettings& s)
{
    s.profile = a.get("profile");
    s.gpus = a.getInt("gpus", -1);
    s.gpuMemoryGB = a.getDouble("gpu-memory", 0);
    if (a.has("gpus") && s.gpus < 1) throw InputError("--gpus expects at least 1, got '" + a.get("gpus") + "'");
    if (a.has("gpu-memory") && !(s.gpuMemoryGB > 0))
        throw InputError("--gpu-memory expects a size in GB above 0, got '" + a.get("gpu-memory") + "'");
    if (a.has("device") && a.has("devices")) throw InputError("give --device or --devices, not both");
    s.device = a.has("devices") ? a.get("devices") : a.get("device");
    if ((a.has("device") || a.has("devices")) && s.device.empty()) throw InputError("--device expects a device list");
    s.placement = a.get("placement");
    if (!s.placement.empty() && s.placement != "replica" && s.placement != "split" && s.placement != "single")
        throw InputError("--placement must be replica or split, not '" + s.placement + "'");
    s.tokenBudget = a.getInt("token-budget", 0);
    if (a.has("token-budget") && s.tokenBudget < 1) throw InputError("--token-budget expects a positive number of tokens");
    s.dtype = a.get("dtype");
    s.quant = a.get("quant");
    s.quantLmHead = a.flag("quant-lm-head");
    s.doubleQuant = a.flag("double-quant");
}

} // namespace hs::cli
