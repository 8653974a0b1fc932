// QuantLinear: quantisation on load and the CPU reference of every format (ATen operations, valid on any
// device); the CUDA kernels take over in dequantise() / apply() when the layer lives on a GPU.
#include "core/model/quant_linear.h"

#include "core/model/fp8_e4m3.h"
#include "core/model/nf4_codebook.h"
#include "core/model/quant_cuda.h"
#include "core/util/error.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

namespace hs::model::detail {

namespace {

constexpr float kTiny = 1e-12f;  // scale floor: an all-zero row or block still divides safely
std::atomic<bool> gFp8CpuEmulation{false};

at::Tensor floatTable(const float* v, std::size_t n, at::Device device)
{
    return at::from_blob(const_cast<float*>(v), {static_cast<std::int64_t>(n)}, at::kFloat).clone().to(device);
}

at::Tensor nf4Values(at::Device d) { return floatTable(nf4Codebook().data(), 16, d); }

// Symmetric per-row scale: max|row| / qmax (float32 [rows]). Divided by a tensor, not a scalar: CUDA turns
// a scalar divisor into a multiplication by its float reciprocal, one ulp away from the CPU's quotient.
at::Tensor rowScale(const at::Tensor& f, float qmax)
{
    at::Tensor amax = f.abs().amax(1).clamp_min(kTiny);
    return amax / at::full_like(amax, qmax);
}

// E4M3 bits of every element on the CPU, through the host codec.
at::Tensor floatToFp8BitsCpu(const at::Tensor& scaled)
{
    at::Tensor f = scaled.to(at::kFloat).contiguous();
    at::Tensor out = at::empty(f.sizes(), at::TensorOptions().dtype(at::kByte));
    const float* src = f.data_ptr<float>();
    std::uint8_t* dst = out.data_ptr<std::uint8_t>();
    for (std::int64_t i = 0, n = f.numel(); i < n; ++i) dst[i] = floatToFp8e4m3(src[i]);
    return out;
}

at::Tensor fp8Bits(const at::Tensor& x, const at::Tensor& scale)
{
    if (x.is_cuda()) return cuda::floatToFp8Bits(x.to(at::kFloat).contiguous(), scale.contiguous());
    return floatToFp8BitsCpu(x.to(at::kFloat) / scale.unsqueeze(1));
}

} // namespace

void QuantLinear::setFp8CpuEmulation(bool on) { gFp8CpuEmulation = on; }

at::Tensor fp8BitsToFloat(const at::Tensor& bits)
{
    static const std::vector<float> table = [] {
        std::vector<float> t(256);
        for (int i = 0; i < 256; ++i) t[i] = fp8e4m3ToFloat(static_cast<std::uint8_t>(i));
        return t;
    }();
    at::Tensor lut = floatTable(table.data(), table.size(), bits.device());
    return lut.index_select(0, bits.reshape({-1}).to(at::kLong)).view(bits.sizes());
}

std::pair<at::Tensor, at::Tensor> quantiseRowsFp8Reference(const at::Tensor& x)
{
    at::Tensor f = x.to(at::kFloat);
    at::Tensor scale = rowScale(f, kFp8E4M3Max);
    return {floatToFp8BitsCpu((f / scale.unsqueeze(1)).cpu()).to(x.device()), scale};
}

bool fp8Supported(const at::Device& device, std::string* why)
{
    auto fail = [&](const std::string& m) {
        if (why) *why = m;
        return false;
    };
    if (device.is_cpu())
        return fail("fp8 needs a CUDA GPU of compute capability 8.9 or newer (RTX 4090, L4, H100, H200); device cpu has "
                    "no FP8 tensor cores");
    if (!cuda::available() || !cuda::fp8GemmAvailable())
        return fail("fp8 needs a CUDA build of HalluScope against libtorch >= 2.5 (row-wise scaled FP8 GEMM)");
    std::string name;
    const auto [major, minor] = cuda::computeCapability(device, &name);
    if (major * 10 + minor < 89)
        return fail("fp8 needs compute capability 8.9 or newer; device " + device.str() + " (" + name +
                    ") has compute capability " + std::to_string(major) + "." + std::to_string(minor));
    return true;
}

QuantLinear QuantLinear::dense(const at::Tensor& weight, at::ScalarType compute)
{
    QuantLinear l;
    l.format_ = WeightFormat::Dense;
    l.compute_ = compute;
    l.rows_ = weight.size(0);
    l.cols_ = weight.size(1);
    l.data_ = weight.to(compute).contiguous();
    return l;
}

QuantLinear QuantLinear::make(const std::string& name, const at::Tensor& weight, WeightFormat format, bool doubleQuant,
                              at::ScalarType compute, const std::function<void(const std::string&)>& warn)
{
    if (weight.dim() != 2) throw Error("QuantLinear: " + name + " is not a matrix");
    const LinearShape shape{name, weight.size(0), weight.size(1)};
    if (format == WeightFormat::Dense) return dense(weight, compute);
    if (!formatFits(format, shape)) {
        if (warn)
            warn(name + " [" + std::to_string(shape.rows) + ", " + std::to_string(shape.cols) + "] does not fit " +
                 weightFormatName(format) +
                 (format == WeightFormat::NF4 ? " blocks of 64" : " (both dimensions must be multiples of 16)") +
                 "; it stays " + (compute == at::kFloat ? "f32" : compute == at::kBFloat16 ? "bf16" : "f16"));
        return dense(weight, compute);
    }
    QuantLinear l;
    l.format_ = format;
    l.compute_ = compute;
    l.rows_ = shape.rows;
    l.cols_ = shape.cols;
    // Row chunks of about 16 M weights (a multiple of 64 rows, so NF4 blocks never straddle two chunks):
    // the float32 copy and the codes of one chunk are the only temporaries, not of the whole matrix.
    const std::int64_t chunkRows = std::max<std::int64_t>(64, (std::int64_t(16) << 20) / shape.cols / 64 * 64);
    std::vector<at::Tensor> data, scale;
    for (std::int64_t r = 0; r < shape.rows; r += chunkRows) {
        at::Tensor f = weight.narrow(0, r, std::min(chunkRows, shape.rows - r)).to(at::kFloat);
        switch (format) {
        case WeightFormat::Int8: {
            at::Tensor s = rowScale(f, 127.0f);
            data.push_back(at::round(f / s.unsqueeze(1)).clamp(-127, 127).to(at::kChar));
            scale.push_back(s);
            break;
        }
        case WeightFormat::FP8: {
            at::Tensor s = rowScale(f, kFp8E4M3Max);
            data.push_back(fp8Bits(f, s));
            scale.push_back(s);
            break;
        }
        case WeightFormat::NF4: {
            at::Tensor blocks = f.reshape({-1, kNf4BlockSize});
            at::Tensor absmax = blocks.abs().amax(1);  // [blocks]
            at::Tensor normed = blocks / absmax.clamp_min(kTiny).unsqueeze(1);
            const auto& mids = nf4Midpoints();
            at::Tensor codes = at::bucketize(normed, floatTable(mids.data(), mids.size(), f.device()),
                                             /*out_int32=*/true).reshape({-1, 2});  // 0..15, nearest value
            data.push_back((codes.select(1, 0) * 16 + codes.select(1, 1)).to(at::kByte));
            scale.push_back(absmax);
            break;
        }
        case WeightFormat::Dense: break;
        }
    }
    l.data_ = at::cat(data, 0).contiguous();
    l.scale_ = at::cat(scale, 0).contiguous();
    if (format == WeightFormat::NF4 && doubleQuant) {
        // Second level: absmax − mean in groups of 256, symmetric 8-bit per group.
        at::Tensor absmax = l.scale_;
        const std::int64_t nb = absmax.numel();
        const std::int64_t groups = (nb + kNf4ScaleGroupSize - 1) / kNf4ScaleGroupSize;
        l.offset_ = absmax.mean().item<float>();
        at::Tensor centred = at::zeros({groups * kNf4ScaleGroupSize}, absmax.options());
        centred.narrow(0, 0, nb).copy_(absmax - l.offset_);
        at::Tensor g = centred.view({groups, kNf4ScaleGroupSize});
        l.groupScale_ = g.abs().amax(1).clamp_min(kTiny).contiguous();
        at::Tensor code = at::round(g / l.groupScale_.unsqueeze(1) * 127.0f).clamp(-127, 127).to(at::kChar);
        l.absmaxCode_ = code.reshape({-1}).narrow(0, 0, nb).contiguous();
        l.scale_ = at::Tensor();
    }
    return l;
}

at::Tensor QuantLinear::dequantise(at::ScalarType dtype, std::int64_t r0, std::int64_t r1) const
{
    if (r0 < 0 || r1 > rows_ || r0 >= r1) throw Error("QuantLinear: rows [" + std::to_string(r0) + ", " + std::to_string(r1) + ") outside the layer");
    const std::int64_t n = r1 - r0;
    switch (format_) {
    case WeightFormat::Dense: return data_.narrow(0, r0, n).to(dtype);
    case WeightFormat::Int8:
        if (data_.is_cuda()) return cuda::dequantiseInt8(*this, dtype, r0, r1);
        return (data_.narrow(0, r0, n).to(at::kFloat) * scale_.narrow(0, r0, n).unsqueeze(1)).to(dtype);
    case WeightFormat::FP8:
        return (fp8BitsToFloat(data_.narrow(0, r0, n)) * scale_.narrow(0, r0, n).unsqueeze(1)).to(dtype);
    case WeightFormat::NF4: {
        const std::int64_t e0 = r0 * cols_, e1 = r1 * cols_;
        if (data_.is_cuda()) return cuda::dequantiseNf4(*this, dtype, e0, e1 - e0).view({n, cols_});
        const std::int64_t b0 = e0 / kNf4BlockSize, b1 = (e1 + kNf4BlockSize - 1) / kNf4BlockSize;
        at::Tensor bytes = data_.narrow(0, b0 * kNf4BlockSize / 2, (b1 - b0) * kNf4BlockSize / 2).to(at::kLong);
        at::Tensor codes = at::stack({at::div(bytes, 16, "floor"), at::remainder(bytes, 16)}, 1).reshape({-1});
        at::Tensor values = nf4Values(data_.device()).index_select(0, codes).view({b1 - b0, kNf4BlockSize});
        at::Tensor absmax;
        if (absmaxCode_.defined()) {
            at::Tensor code = absmaxCode_.narrow(0, b0, b1 - b0).to(at::kFloat);
            at::Tensor group = at::arange(b0, b1, at::TensorOptions().dtype(at::kLong).device(data_.device()))
                                   .div(kNf4ScaleGroupSize, "floor");
            absmax = code * groupScale_.index_select(0, group) / 127.0f + offset_;
        } else {
            absmax = scale_.narrow(0, b0, b1 - b0);
        }
        at::Tensor w = (values * absmax.unsqueeze(1)).reshape({-1}).narrow(0, e0 - b0 * kNf4BlockSize, e1 - e0);
        return w.view({n, cols_}).to(dtype);
    }
    }
    return {};
}

at::Tensor QuantLinear::apply(const at::Tensor& x) const { return applyRows(x, 0, rows_); }

at::Tensor QuantLinear::applyRows(const at::Tensor& x, std::int64_t r0, std::int64_t r1) const
{
    if (x.size(-1) != cols_) throw Error("QuantLinear: input has " + std::to_string(x.size(-1)) + " features, the layer " + std::to_string(cols_));
    const bool whole = r0 == 0 && r1 == rows_;
    if (format_ == WeightFormat::Dense) return at::linear(x, whole ? data_ : data_.narrow(0, r0, r1 - r0));
    if (format_ != WeightFormat::FP8) return at::linear(x, dequantise(x.scalar_type(), r0, r1));

    // FP8: both operands in E4M3 with float32 scales (per token for x, per channel for W).
    std::vector<std::int64_t> outShape(x.sizes().begin(), x.sizes().end());
    outShape.back() = r1 - r0;
    at::Tensor x2 = x.reshape({-1, cols_}).contiguous();
    at::Tensor wBits = data_.narrow(0, r0, r1 - r0), wScale = scale_.narrow(0, r0, r1 - r0);
    if (x.is_cuda()) {
        if ((r1 - r0) % kFp8Alignment == 0) {
            auto [xBits, xScale] = cuda::quantiseRowsFp8(x2);
            return cuda::fp8Gemm(xBits, xScale, wBits, wScale, x.scalar_type()).view(outShape);
        }
        return at::linear(x, dequantise(x.scalar_type(), r0, r1));  // a vocabulary slice off the 16 grid
    }
    if (!gFp8CpuEmulation) throw InputError("fp8 weights cannot run on the CPU (no FP8 tensor cores)");
    auto [xBits, xScale] = quantiseRowsFp8Reference(x2);
    at::Tensor xf = fp8BitsToFloat(xBits) * xScale.unsqueeze(1);
    at::Tensor y = at::linear(xf, dequantise(at::kFloat, r0, r1));
    return y.to(x.scalar_type()).view(outShape);
}

QuantLinear QuantLinear::to(at::Device device, bool nonBlocking) const
{
    QuantLinear l = *this;
    auto move = [&](at::Tensor& t) {
        if (t.defined()) t = t.to(device, /*non_blocking=*/nonBlocking);
    };
    move(l.data_);
    move(l.scale_);
    move(l.absmaxCode_);
    move(l.groupScale_);
    return l;
}

std::uint64_t QuantLinear::bytes() const
{
    std::uint64_t b = 0;
    for (const at::Tensor* t : {&data_, &scale_, &absmaxCode_, &groupScale_})
        if (t->defined()) b += static_cast<std::uint64_t>(t->numel()) * t->element_size();
    if (absmaxCode_.defined()) b += sizeof(float);  // the offset
    return b;
}

} // namespace hs::model::detail
