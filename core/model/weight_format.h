#pragma once
// How the decoder's linear weights are stored (torch-free): dense in the compute dtype, or quantised on
// load to int8, NF4 or FP8. The one place that knows each format's bytes, so the memory planner, `info`
// and the GUI count exactly what the loader keeps.
#include "core/model/model_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hs::model {

enum class WeightFormat {
    Dense,  // the compute dtype (f32 / bf16 / f16)
    Int8,   // symmetric int8, one float32 scale per output channel; dequantised to the compute dtype
    NF4,    // 4-bit NormalFloat (QLoRA) in blocks of 64 with an absmax scale per block
    FP8,    // float8 E4M3, one float32 scale per output channel; activations scaled per token (CUDA, cc >= 8.9)
};

// "none" | "int8" | "nf4" | "fp8"; InputError otherwise.
WeightFormat parseWeightFormat(const std::string& name);
const char* weightFormatName(WeightFormat f);  // "none", "int8", "nf4", "fp8"
const std::vector<std::string>& weightFormatNames();

struct QuantOptions {
    WeightFormat format = WeightFormat::Dense;
    // lm_head stays in the compute dtype by default: the logit lens (PKS) reads it, so quantising it
    // changes the very feature that is measured.
    bool quantiseLmHead = false;
    // NF4 only: the float32 absmax of every block quantised again to 8 bits in groups of 256 (QLoRA's
    // "double quantisation"): about 0.13 instead of 0.5 bits of scale per weight.
    bool doubleQuant = false;
};

constexpr std::int64_t kNf4BlockSize = 64;        // weights per absmax
constexpr std::int64_t kNf4ScaleGroupSize = 256;  // absmax values per second-level scale (double quant)
constexpr std::int64_t kFp8Alignment = 16;        // the tensor-core FP8 GEMM needs both dims % 16

// One linear layer of the decoder as the loader stores it: [rows, cols] = [out, in].
struct LinearShape {
    std::string name;  // e.g. "model.layers.3.mlp.down_proj" (or the fused "…self_attn.qkv_proj")
    std::int64_t rows = 0, cols = 0;
};

// Whether a format can store this shape; a shape that cannot stays dense (with one warning, by name).
bool formatFits(WeightFormat f, const LinearShape& s);

// Bytes the loader keeps for one linear layer in format f (dense when it does not fit).
std::uint64_t linearBytes(WeightFormat f, const LinearShape& s, bool doubleQuant, std::uint64_t denseElementBytes);

// The decoder's linear layers as the loader fuses them (qkv and gate/up concatenated), per layer.
std::vector<LinearShape> decoderLinearShapes(const ModelConfig& c);

// Bytes of every weight the model keeps: linear layers in the chosen format, embeddings and norms in the
// compute dtype, lm_head in the compute dtype unless quantised (a tied head then is a second, quantised copy).
// computeDtype: "f32", "bf16" or "f16".
std::uint64_t storedWeightBytes(const ModelConfig& c, const std::string& computeDtype, const QuantOptions& q);

} // namespace hs::model
