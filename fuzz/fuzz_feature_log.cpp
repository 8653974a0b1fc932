// libFuzzer target: the ReDeEP feature-log importer must give a consistent FeatureTable of finite values or
// an hs::InputError.
#include "core/analysis/redeep_log.h"
#include "core/util/error.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const auto t = hs::analysis::parseRedeepLog(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
        if (t.ecs.size() != t.rows() * t.numEcs() || t.pks.size() != t.rows() * t.numPks()) __builtin_trap();
        if (t.rowResponse.size() != t.rows() || t.responseLabels.size() != t.responseIds.size()) __builtin_trap();
        for (double v : t.ecs) if (!std::isfinite(v)) __builtin_trap();
        for (double v : t.pks) if (!std::isfinite(v)) __builtin_trap();
        for (int r : t.rowResponse) if (r < 0 || r >= static_cast<int>(t.responseIds.size())) __builtin_trap();
    } catch (const hs::InputError&) {
    }
    return 0;
}
