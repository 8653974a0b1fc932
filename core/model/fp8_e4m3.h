#pragma once
// float8 E4M3 ("e4m3fn" of the OCP FP8 spec, what H100/RTX 4090 tensor cores read): 1 sign, 4 exponent
// (bias 7), 3 mantissa bits; no infinities, 0x7F/0xFF are NaN, largest finite ±448, smallest subnormal 2⁻⁹.
// A host codec (torch-free) so the CPU reference and the tests need no float8 dtype (libtorch 1.x has none).
#include <cstdint>

namespace hs::model {

constexpr float kFp8E4M3Max = 448.0f;

float fp8e4m3ToFloat(std::uint8_t bits);
// Round to nearest, ties to even; |x| > 448 saturates to ±448 (the GEMM's inputs are pre-scaled, so
// saturation only absorbs rounding at the top); NaN → 0x7F.
std::uint8_t floatToFp8e4m3(float x);

} // namespace hs::model
