#pragma once
// Whether the forward and the logit lens use our fused CUDA kernels (core/model/cuda/) on a GPU. On by
// default; HS_FUSED_KERNELS=0 runs the plain ATen expressions instead, so a benchmark can measure both
// paths in one job and compare their features (bench/gpu_bench.sh). The CPU always runs the ATen path.
#include <cstdlib>
#include <cstring>

namespace hs::model {

inline bool useFusedKernels()
{
    static const bool on = [] {
        const char* v = std::getenv("HS_FUSED_KERNELS");
        return !(v && std::strcmp(v, "0") == 0);
    }();
    return on;
}

} // namespace hs::model
