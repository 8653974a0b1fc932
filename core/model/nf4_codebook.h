#pragma once
// The 16 values of 4-bit NormalFloat (NF4), the data type of QLoRA (Dettmers et al., 2023) as
// bitsandbytes ships it (torch-free).
//
// Derivation (QLoRA, appendix E; bitsandbytes `create_normal_map(offset=0.9677083, use_extra_value=True)`):
// the values are quantiles of the standard normal N(0, 1), chosen so that each of the 16 codes is equally
// likely for normally distributed weights, with an exact zero and asymmetric halves (8 positive, 7 negative):
//     positive  = Φ⁻¹( linspace(δ, 1/2, 9)[:-1] )      8 values, δ = 0.9677083 (= (1 - 1/(2·15) + 1 - 1/(2·16)) / 2)
//     negative  = −Φ⁻¹( linspace(δ, 1/2, 8)[:-1] )     7 values
//     v = sort(positive ∪ {0} ∪ negative) / max|v|     normalised into [-1, 1]
// tests/model/test_nf4.cpp recomputes them from this formula with its own Φ⁻¹.
#include <array>

namespace hs::model {

// Ascending; code i (0..15) stands for nf4Codebook()[i] · absmax of its block.
const std::array<float, 16>& nf4Codebook();

// Midpoints between neighbouring values (15, ascending): a normalised weight x gets the code of the first
// midpoint >= x (ties to the lower code), i.e. the nearest value.
const std::array<float, 15>& nf4Midpoints();

} // namespace hs::model
