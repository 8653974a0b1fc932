#pragma once
// LlamaModel: a Llama-family decoder (Llama-2/3/3.1, Mistral) loaded from a Hugging Face folder, run
// teacher-forced (no KV cache, no autograd) with named captures chosen by a Probe.
//
// This header includes no torch header; at::Tensor is only forward-declared. Callers of forward(),
// applyFinalNorm() or lmHeadSlice() include core/model/captures.h (which brings ATen's Tensor).
#include "core/model/model_config.h"
#include "core/model/probe.h"
#include "core/model/weight_format.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace at {
class Tensor;
}

namespace hs::model {

class Captures;

struct LoadOptions {
    // "cpu", "cuda" or "cuda:N"; or a comma list ("cuda:0,cuda:1") to split the layers in contiguous
    // runs across GPUs (embedding on the first, final norm and lm_head on the last)
    std::string device = "cpu";
    std::string dtype = "f32";   // compute/weight dtype: "f32", "bf16" or "f16" (f16 needs CUDA or libtorch >= 2)
    int cpuThreads = -1;         // > 0: at::set_num_threads; -1: $HS_CPU_THREADS, else 2; 0: leave torch's default
    QuantOptions quant;          // linear weights quantised on load (core/model/weight_format.h)
    // Called once per linear layer that stays dense because its shape does not fit the format.
    std::function<void(const std::string& warning)> onWarning;
};

class LlamaModel {
public:
    // Reads config.json and the safetensors weights, checks every required tensor's presence and shape
    // (all problems listed in one InputError), converts to opts.dtype on opts.device.
    static std::unique_ptr<LlamaModel> load(const std::string& dir, const LoadOptions& opts = {});
    static std::unique_ptr<LlamaModel> load(const std::string& dir, const std::string& device, const std::string& dtype);
    ~LlamaModel();

    const ModelConfig& config() const;
    std::int64_t vocabSize() const;
    std::int64_t numLayers() const;
    const std::string& device() const;  // as given, e.g. "cuda:0"
    const std::string& dtype() const;   // "f32", "bf16" or "f16"
    const QuantOptions& quantisation() const;  // how the projections are stored
    std::uint64_t weightBytes() const;         // bytes of every weight held (all devices)

    // One channel for everything a tool reads from inside the model: the Probe says what to keep (named as in
    // probe.h, optionally reduced as it is made), the Captures returned hold it. Nothing else reaches in.
    // One teacher-forced pass over a batch of right-padded sequences.
    // inputIds: [B, T] integer token ids (any device); lengths[b] in [1, T] is sequence b's real length.
    // Padded positions never influence real ones. Throws hs::InputError on ids outside the vocabulary.
    // Captures live on the device of the layer that made them (final_norm / logits: the last device).
    Captures forward(const at::Tensor& inputIds, const std::vector<std::int64_t>& lengths, const Probe& probe) const;
    // Convenience: pads the sequences itself.
    Captures forward(const std::vector<std::vector<std::int64_t>>& sequences, const Probe& probe) const;

    // A prefix shared by several sequences (one prompt, several answers), run once: every layer's keys and
    // values after rotary, and the final normed states of its positions. Held on the layers' devices.
    class PrefixState;
    std::shared_ptr<const PrefixState> encodePrefix(const std::vector<std::int64_t>& ids) const;
    static std::int64_t prefixLength(const PrefixState& p);

    // Continuations of a prefix: sequence b is prefix ++ inputIds[b][0, lengths[b]). The probe's ranges and
    // the captures' ranges are positions of that whole sequence, so every capture equals what forward()
    // gives for the whole sequence; attention rows and residuals must lie after the prefix (final_norm and
    // logits may reach into it: those come from the prefix's states).
    Captures forwardAfter(const PrefixState& prefix, const at::Tensor& inputIds, const std::vector<std::int64_t>& lengths,
                          const Probe& probe) const;

    // Logit lens helpers. applyFinalNorm: [..., D] → final RMSNorm in the model dtype on the model device.
    // lmHeadSlice: normed [..., D] → float32 logits of vocabulary ids [vBegin, vEnd), so a caller can
    // stream over the vocabulary without a [T, V] tensor.
    at::Tensor applyFinalNorm(const at::Tensor& hidden) const;
    at::Tensor lmHeadSlice(const at::Tensor& normed, std::int64_t vBegin, std::int64_t vEnd) const;

    struct Impl;

private:
    explicit LlamaModel(std::unique_ptr<Impl> impl);
    Captures run(const at::Tensor& inputIds, const std::vector<std::int64_t>& lengths, const Probe& probe,
                 const PrefixState* prefix, PrefixState* record) const;
    std::unique_ptr<Impl> impl_;
};

} // namespace hs::model
