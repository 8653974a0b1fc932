#include "core/model/nf4_codebook.h"

namespace hs::model {

const std::array<float, 16>& nf4Codebook()
{
    // The float32 values bitsandbytes uses (functional.py, `NF4` / `get_4bit_type("nf4")`), which are the
    // formula of the header evaluated in float64 and rounded to float32.
    static const std::array<float, 16> v = {
        -1.0f,
        -0.6961928009986877f,
        -0.5250730514526367f,
        -0.39491748809814453f,
        -0.28444138169288635f,
        -0.18477343022823334f,
        -0.09105003625154495f,
        0.0f,
        0.07958029955625534f,
        0.16093020141124725f,
        0.24611230194568634f,
        0.33791524171829224f,
        0.44070982933044434f,
        0.5626170039176941f,
        0.7229568362236023f,
        1.0f,
    };
    return v;
}

const std::array<float, 15>& nf4Midpoints()
{
    static const std::array<float, 15> m = [] {
        std::array<float, 15> out{};
        const auto& v = nf4Codebook();
        for (int i = 0; i < 15; ++i) out[i] = 0.5f * (v[i] + v[i + 1]);
        return out;
    }();
    return m;
}

} // namespace hs::model
