#include "core/hw/memory_plan.h"

#include "core/util/error.h"

namespace hs::hw {

MemoryEstimate estimateMemory(const model::ModelConfig& c, const Profile& p, const std::string& quantisation,
                              int capturedHeads)
{
    MemoryEstimate m;
    m.quantisation = quantisation.empty() ? p.quantisation : quantisation;
    if (m.quantisation != "none" && m.quantisation != "int8" && m.quantisation != "nf4")
        throw InputError("unknown quantisation '" + m.quantisation + "' (expected none, int8 or nf4)");
    m.weightBytes = model::estimateWeightBytes(c, m.quantisation == "none" ? p.dtype : m.quantisation);
    const std::uint64_t devices = p.placement == "split" && p.gpuCount > 1 ? static_cast<std::uint64_t>(p.gpuCount) : 1;
    m.weightBytesPerDevice = (m.weightBytes + devices - 1) / devices;

    const std::uint64_t e = p.dtype == "f32" ? 4 : 2;
    const std::uint64_t D = c.hiddenSize, I = c.intermediateSize, V = c.vocabSize, hd = c.headDim;
    const std::uint64_t H = c.numHeads, KV = c.numKvHeads, T = static_cast<std::uint64_t>(p.maxTokens);
    // live at the peak of a layer: residual, normed input, qkv, rotated q/k, repeated k/v, attention
    // output, gate/up and their product; plus float32 logits at every position (worst case)
    std::uint64_t perToken = (4 * D + 3 * (H + 2 * KV) * hd + 2 * H * hd + 3 * I) * e + 4 * V;
    // without a fused kernel (CPU / libtorch 1.x) each query row's scores over all keys are materialised
    if (p.device == "cpu") perToken += H * T * e;
    m.activationBytes = perToken * static_cast<std::uint64_t>(p.tokenBudget);
    m.captureBytes = static_cast<std::uint64_t>(capturedHeads) * T * T / 2 * 4;
    // resid_mid / resid_out of every knowledge layer at the response positions (model dtype); worst
    // case every position of the batch is a response position.
    m.captureBytes += 2 * static_cast<std::uint64_t>(c.numLayers) * static_cast<std::uint64_t>(p.tokenBudget) * D * e;
    m.overheadBytes = p.device == "cuda" ? 1024ull * 1024 * 1024 : 0;
    m.totalPerDevice = m.weightBytesPerDevice + m.activationBytes + m.captureBytes + m.overheadBytes;
    m.capPerDevice = p.gpuMemoryCapBytes;
    m.fits = m.capPerDevice == 0 || m.totalPerDevice <= m.capPerDevice;
    return m;
}

std::string chooseQuantisation(const model::ModelConfig& c, const Profile& p, int capturedHeads)
{
    for (const char* q : {"none", "int8", "nf4"})
        if (estimateMemory(c, p, q, capturedHeads).fits) return q;
    return "";
}

} // namespace hs::hw
