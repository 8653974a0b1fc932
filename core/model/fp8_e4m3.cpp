#include "core/model/fp8_e4m3.h"

#include <cmath>

namespace hs::model {

float fp8e4m3ToFloat(std::uint8_t bits)
{
    const bool negative = bits & 0x80;
    const int exponent = (bits >> 3) & 0x0F;
    const int mantissa = bits & 0x07;
    float v;
    if (exponent == 0x0F && mantissa == 0x07) return std::nanf("");
    if (exponent == 0) v = std::ldexp(static_cast<float>(mantissa), -9);           // subnormal: m · 2⁻⁶ / 8
    else v = std::ldexp(1.0f + static_cast<float>(mantissa) / 8.0f, exponent - 7);
    return negative ? -v : v;
}

std::uint8_t floatToFp8e4m3(float x)
{
    if (std::isnan(x)) return 0x7F;
    const std::uint8_t sign = std::signbit(x) ? 0x80 : 0x00;
    float a = std::fabs(x);
    if (a >= kFp8E4M3Max) return sign | 0x7E;
    // The representable magnitudes are k · 2^(e-10) on each binade [2^(e-7), 2^(e-6)) (e >= 1), and
    // k · 2⁻⁹ below 2⁻⁶; scale so the step is 1, round half to even, and let the carry move binades.
    int e;
    std::frexp(a, &e);           // a = f · 2^e, f in [0.5, 1)
    int binade = e - 1;          // a in [2^binade, 2^(binade+1))
    if (binade < -6) binade = -6;  // subnormal range shares the step of the lowest normal binade
    const float step = std::ldexp(1.0f, binade - 3);
    float k = std::nearbyint(a / step);  // FE_TONEAREST: ties to even
    float q = k * step;
    if (q >= kFp8E4M3Max) return sign | 0x7E;
    if (q == 0.0f) return sign;
    // Encode q exactly.
    int qe;
    std::frexp(q, &qe);
    int exponentField = qe - 1 + 7;
    if (exponentField <= 0) {  // subnormal
        int m = static_cast<int>(std::ldexp(q, 9));
        return sign | static_cast<std::uint8_t>(m);
    }
    int m = static_cast<int>(std::ldexp(q, -(qe - 1)) * 8.0f) - 8;
    return sign | static_cast<std::uint8_t>((exponentField << 3) | m);
}

} // namespace hs::model
