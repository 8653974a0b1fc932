// Hardware profiles, profile suggestion from detected GPUs, and the memory planner.
#include "core/hw/memory_plan.h"
#include "core/hw/profile.h"
#include "core/model/model_config.h"
#include "core/util/error.h"
#include "tests/test_support.h"

#include <ATen/Context.h>
#include <doctest/doctest.h>

using namespace hs::hw;

namespace {

constexpr std::uint64_t GiB = 1024ull * 1024 * 1024;

hs::model::ModelConfig llama2_7b()
{
    return hs::model::ModelConfig::fromJsonText(
        R"({"model_type":"llama","hidden_size":4096,"intermediate_size":11008,"num_attention_heads":32,
            "num_hidden_layers":32,"vocab_size":32000,"max_position_embeddings":4096})", "7b");
}

GpuInfo gpu(const std::string& name, std::uint64_t gib, int index = 0) { return {index, name, gib * GiB, 0}; }

} // namespace

TEST_CASE("built-in profiles exist and are looked up by name")
{
    for (const char* n : {"cpu", "t4", "2xt4", "rtx4090", "a100-40", "a100-80", "h100", "h200"})
        CHECK(profileByName(n).name == n);
    CHECK(profileByName("cpu").device == "cpu");
    CHECK(profileByName("t4").dtype == "f16");
    CHECK(profileByName("2xt4").gpuCount == 2);
    CHECK(profileByName("h200").gpuMemoryCapBytes > profileByName("h100").gpuMemoryCapBytes);
    CHECK_THROWS_WITH_AS(profileByName("tpu"), doctest::Contains("a100-80"), hs::InputError);
}

TEST_CASE("suggestProfile picks by GPU name, memory and count")
{
    CHECK(suggestProfile(std::vector<GpuInfo>{}).name == "cpu");
    CHECK(suggestProfile({gpu("NVIDIA H200", 141)}).name == "h200");
    CHECK(suggestProfile({gpu("NVIDIA H100 80GB HBM3", 80)}).name == "h100");
    CHECK(suggestProfile({gpu("NVIDIA A100-SXM4-40GB", 40)}).name == "a100-40");
    CHECK(suggestProfile({gpu("NVIDIA A100-SXM4-80GB", 80)}).name == "a100-80");
    CHECK(suggestProfile({gpu("NVIDIA GeForce RTX 4090", 24)}).name == "rtx4090");
    CHECK(suggestProfile({gpu("Tesla T4", 15)}).name == "t4");
    CHECK(suggestProfile({gpu("Tesla T4", 15), gpu("Tesla T4", 15, 1)}).name == "2xt4");
    Profile four = suggestProfile({gpu("NVIDIA H200", 141), gpu("NVIDIA H200", 141, 1), gpu("NVIDIA H200", 141, 2),
                                   gpu("NVIDIA H200", 141, 3)});
    CHECK(four.gpuCount == 4);
    CHECK(four.placement == "replica");
    Profile other = suggestProfile({gpu("NVIDIA L40S", 48)});
    CHECK(other.name == "custom");
    CHECK(other.gpuMemoryCapBytes < 48 * GiB);
    CHECK(other.gpuMemoryCapBytes > 40 * GiB);
}

TEST_CASE("detectGpus agrees with libtorch")
{
    auto gpus = detectGpus();
#ifdef HS_HAVE_CUDA
    CHECK(gpus.size() == (at::hasCUDA() ? at::getNumGPUs() : 0));
    for (const auto& g : gpus) {
        MESSAGE("GPU " << g.index << ": " << g.name << ", " << g.totalBytes / GiB << " GiB");
        CHECK(g.totalBytes > 0);
    }
#else
    CHECK(gpus.empty());
#endif
    MESSAGE("suggested profile here: " << suggestProfile().name);
}

TEST_CASE("memory planner: a 7B model fits an H200, a T4 only quantised")
{
    auto c = llama2_7b();
    MemoryEstimate h200 = estimateMemory(c, profileByName("h200"));
    CHECK(h200.fits);
    CHECK(h200.weightBytes == 2 * c.parameterCount());
    CHECK(chooseQuantisation(c, profileByName("h200")) == "none");

    Profile t4 = profileByName("t4");
    CHECK_FALSE(estimateMemory(c, t4, "none").fits);
    CHECK(chooseQuantisation(c, t4) != "none");
    CHECK(chooseQuantisation(c, t4) != "");

    Profile two = profileByName("2xt4");
    MemoryEstimate split = estimateMemory(c, two, "none");
    CHECK(split.weightBytesPerDevice * 2 >= split.weightBytes);
    CHECK(split.weightBytesPerDevice < split.weightBytes);

    MemoryEstimate cpu = estimateMemory(c, profileByName("cpu"));
    CHECK(cpu.fits);  // host memory is not checked
    CHECK(cpu.weightBytes == 4 * c.parameterCount());
    CHECK_THROWS_AS(estimateMemory(c, t4, "q2"), hs::InputError);
}
