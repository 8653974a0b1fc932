#pragma once
// INTERNAL to core/model (torch types): the pieces of the Llama forward, one concern per .cpp file.
// Not part of the public API; include only from core/model/*.cpp.
#include "core/model/model_config.h"
#include "core/model/quant_linear.h"
#include "core/model/safetensors.h"
#include "core/model/weight_format.h"

#include <ATen/ATen.h>

#include <functional>
#include <string>
#include <vector>

namespace hs::model::detail {

// Checkpoint weights on the device: norms in the compute dtype, projections as QuantLinear (dense in the
// compute dtype or quantised on load). q/k/v and gate/up are concatenated so each block does one matmul
// instead of three (or two).
struct LayerWeights {
    at::Tensor inputNorm;  // [D]
    QuantLinear qkv;       // [(H + 2·KV)·hd, D]  rows: q heads, then k heads, then v heads
    QuantLinear o;         // [D, H·hd]
    at::Tensor postNorm;   // [D]
    QuantLinear gateUp;    // [2·I, D]  rows: gate, then up
    QuantLinear down;      // [D, I]
};

// A layer's weights on another device (CPU offload streams layers to the GPU ahead of use).
LayerWeights toDevice(const LayerWeights& w, at::Device device, bool nonBlocking);

struct LlamaWeights {
    at::Tensor embed;      // [V, D]
    QuantLinear lmHead;    // [V, D]; shares embed's storage when tied, dense and on one device
    at::Tensor finalNorm;  // [D]
    std::vector<LayerWeights> layers;
    std::uint64_t bytes() const;  // every weight held, on all devices
};

// Where each part of the model lives. One device for everything, or layers split in contiguous runs
// across several devices (embedding on the first, final norm and lm_head on the last).
struct Placement {
    std::vector<at::Device> devices;      // distinct devices, in order
    std::vector<std::size_t> layerSlot;   // index into devices, per layer
    at::Device first() const { return devices.front(); }
    at::Device last() const { return devices.back(); }
    at::Device layer(std::int64_t l) const { return devices[layerSlot[static_cast<std::size_t>(l)]]; }
};
Placement makePlacement(const std::vector<at::Device>& devices, std::int64_t numLayers);

// Reads every tensor (after requireWeights) from the mapped files onto its placed device: norms and
// embedding in `dtype`, projections quantised as `quant` says (`warn` hears of layers that stay dense).
LlamaWeights bindWeights(const ModelConfig& c, const WeightFiles& files, const Placement& placement,
                         at::ScalarType dtype, const QuantOptions& quant = {},
                         const std::function<void(const std::string&)>& warn = {});

// Parses "cpu" / "cuda" / "cuda:N", or a comma-separated list of them for a layer split, and
// "f32" / "bf16" / "f16"; InputError when unusable here.
std::vector<at::Device> parseDevices(const std::string& s);
at::Device parseDevice(const std::string& s);
at::ScalarType parseComputeDtype(const std::string& s, const at::Device& device);

// RMSNorm as Hugging Face computes it: normalise in float32, cast back, then scale by the weight. On a GPU one
// kernel of ours (cuda/layer_kernels.cu; the mean in double, so within a rounding of the ATen expression).
at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps);
at::Tensor rmsNormAten(const at::Tensor& x, const at::Tensor& weight, double eps);  // the ATen expression

// Rotary tables for positions 0..T-1: cos and sin [T, hd] in `dtype` (computed in float32 like HF).
struct RopeTables {
    at::Tensor cos, sin;
};
RopeTables ropeTables(const ModelConfig& c, std::int64_t T, at::Device device, at::ScalarType dtype);
// x: [B, heads, T, hd]. On a GPU one kernel of ours, rounding exactly as the ATen expression (applyRopeAten).
at::Tensor applyRope(const at::Tensor& x, const RopeTables& rope);
at::Tensor applyRopeAten(const at::Tensor& x, const RopeTables& rope);

// Which keys each query may see: [B, 1, T, T] bool (true = attend), causal, unpadded and inside the
// sliding window; undefined when plain causal attention over the whole batch is exact (no padding, no
// window in reach), so the fused kernel may take its causal fast path.
at::Tensor attentionMask(const std::vector<std::int64_t>& lengths, std::int64_t T, std::int64_t slidingWindow,
                         at::Device device);

// softmax(q·kᵀ/√hd + mask)·v for q [B, H, T, hd], k/v [B, KV, T, hd] → [B, H, T, hd].
// libtorch >= 2: at::scaled_dot_product_attention; 1.x: explicit matmul + float32 softmax.
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& mask);

// Probabilities of the chosen query heads of ONE sequence, recomputed in float32 for query rows
// [rows.begin, rows.end) and returned for key columns [colBegin, colEnd): [heads, rows, cols].
// Rows are normalised over all keys the query may see (causal + window), not just the kept columns.
// q: [H, Tq, hd] whose row i is position qStart + i; k: [KV, K, hd] from position 0 (after rotary).
// Positions (rows, columns) are absolute.
at::Tensor headProbabilities(const at::Tensor& q, const at::Tensor& k, const std::vector<std::int64_t>& heads,
                             std::int64_t groupSize, std::int64_t rowBegin, std::int64_t rowEnd,
                             std::int64_t colBegin, std::int64_t colEnd, std::int64_t slidingWindow,
                             std::int64_t qStart = 0);

// Mask for T query rows at positions [start, start + T) over keys [0, start + T): causal and inside the
// sliding window, [1, 1, T, start + T] bool (true = attend). For continuations of a cached prefix.
at::Tensor offsetCausalMask(std::int64_t start, std::int64_t T, std::int64_t slidingWindow, at::Device device);

} // namespace hs::model::detail
