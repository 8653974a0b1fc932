#include "core/model/weight_format.h"

#include "core/util/error.h"

namespace hs::model {

WeightFormat parseWeightFormat(const std::string& name)
{
    if (name == "none" || name.empty()) return WeightFormat::Dense;
    if (name == "int8") return WeightFormat::Int8;
    if (name == "nf4") return WeightFormat::NF4;
    if (name == "fp8") return WeightFormat::FP8;
    throw InputError("unknown weight format '" + name + "' (expected none, int8, nf4 or fp8)");
}

const char* weightFormatName(WeightFormat f)
{
    switch (f) {
    case WeightFormat::Dense: return "none";
    case WeightFormat::Int8: return "int8";
    case WeightFormat::NF4: return "nf4";
    case WeightFormat::FP8: return "fp8";
    }
    return "none";
}

const std::vector<std::string>& weightFormatNames()
{
    static const std::vector<std::string> n = {"none", "int8", "nf4", "fp8"};
    return n;
}

bool formatFits(WeightFormat f, const LinearShape& s)
{
    switch (f) {
    case WeightFormat::Dense:
    case WeightFormat::Int8: return true;
    // Blocks run over the flattened weight, as in bitsandbytes, so only the element count matters.
    case WeightFormat::NF4: return (s.rows * s.cols) % kNf4BlockSize == 0;
    case WeightFormat::FP8: return s.rows % kFp8Alignment == 0 && s.cols % kFp8Alignment == 0;
    }
    return false;
}

std::uint64_t linearBytes(WeightFormat f, const LinearShape& s, bool doubleQuant, std::uint64_t denseElementBytes)
{
    const std::uint64_t n = static_cast<std::uint64_t>(s.rows) * static_cast<std::uint64_t>(s.cols);
    const std::uint64_t rows = static_cast<std::uint64_t>(s.rows);
    if (!formatFits(f, s)) f = WeightFormat::Dense;
    switch (f) {
    case WeightFormat::Dense: return n * denseElementBytes;
    case WeightFormat::Int8:
    case WeightFormat::FP8: return n + 4 * rows;  // one byte a weight, a float32 scale a row
    case WeightFormat::NF4: {
        const std::uint64_t blocks = n / kNf4BlockSize;
        if (!doubleQuant) return n / 2 + 4 * blocks;
        const std::uint64_t groups = (blocks + kNf4ScaleGroupSize - 1) / kNf4ScaleGroupSize;
        return n / 2 + blocks + 4 * groups + 4;  // int8 codes, a float32 scale per group, one float32 offset
    }
    }
    return 0;
}

std::vector<LinearShape> decoderLinearShapes(const ModelConfig& c)
{
    const std::int64_t D = c.hiddenSize, I = c.intermediateSize;
    const std::int64_t q = c.numHeads * c.headDim, kv = c.numKvHeads * c.headDim;
    std::vector<LinearShape> out;
    for (std::int64_t l = 0; l < c.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        out.push_back({p + "self_attn.qkv_proj", q + 2 * kv, D});
        out.push_back({p + "self_attn.o_proj", D, q});
        out.push_back({p + "mlp.gate_up_proj", 2 * I, D});
        out.push_back({p + "mlp.down_proj", D, I});
    }
    return out;
}

std::uint64_t storedWeightBytes(const ModelConfig& c, const std::string& computeDtype, const QuantOptions& q)
{
    std::uint64_t e = 0;
    if (computeDtype == "f32") e = 4;
    else if (computeDtype == "bf16" || computeDtype == "f16") e = 2;
    else throw InputError("unknown compute dtype '" + computeDtype + "' (expected f32, bf16 or f16)");
    std::uint64_t total = 0;
    for (const LinearShape& s : decoderLinearShapes(c)) total += linearBytes(q.format, s, q.doubleQuant, e);
    const std::uint64_t D = static_cast<std::uint64_t>(c.hiddenSize), V = static_cast<std::uint64_t>(c.vocabSize);
    total += e * (V * D + static_cast<std::uint64_t>(2 * c.numLayers + 1) * D);  // embedding, norms
    const LinearShape head{"lm_head", c.vocabSize, c.hiddenSize};
    if (q.quantiseLmHead && q.format != WeightFormat::Dense) total += linearBytes(q.format, head, q.doubleQuant, e);
    else if (!c.tieWordEmbeddings) total += e * V * D;
    return total;
}

} // namespace hs::model
