// Hardware profiles, profile suggestion from detected GPUs, and the memory planner.
#include "core/hw/profile.h"
#include "core/model/model_config.h"
#include "core/util/error.h"
#include "tests/hw/hw_test_util.h"
#include "tests/test_support.h"

#include <ATen/Context.h>
#include <doctest/doctest.h>

using namespace hs::hw;

namespace {

using hs::hwtest::GiB;

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

TEST_CASE("resolveProfile: auto, custom and by name; mistakes are input errors")
{
    CHECK(resolveProfile({}, {}).name == "cpu");
    CHECK(resolveProfile({}, {}).label.find("detected") != std::string::npos);
    CHECK(resolveProfile({}, {gpu("NVIDIA H200", 141)}).name == "h200");
    CHECK(resolveProfile({"t4"}, {}).name == "t4");  // by name: the planner checks the GPUs exist
    Profile c = resolveProfile({"custom", 2, 24}, {});
    CHECK(c.name == "custom");
    CHECK(c.device == "cuda");
    CHECK(c.gpuCount == 2);
    CHECK(c.gpuMemoryCapBytes == 24000000000ull / 10 * 9);
    CHECK(c.placement == "replica");
    CHECK_THROWS_WITH_AS(resolveProfile({"custom"}, {}), doctest::Contains("--gpus"), hs::InputError);
    CHECK_THROWS_WITH_AS(resolveProfile({"custom", 0, 16}, {}), doctest::Contains("--gpus"), hs::InputError);
    CHECK_THROWS_WITH_AS(resolveProfile({"custom", 1, -3}, {}), doctest::Contains("--gpu-memory"), hs::InputError);
    CHECK_THROWS_WITH_AS(resolveProfile({"h200", 1, 0}, {}), doctest::Contains("--profile custom"), hs::InputError);
    CHECK_THROWS_WITH_AS(requireGpus(profileByName("2xt4"), {gpu("Tesla T4", 15)}),
                         doctest::Contains("needs 2 CUDA GPU(s)"), hs::InputError);
    CHECK_NOTHROW(requireGpus(profileByName("cpu"), {}));
}

TEST_CASE("profiles' default weight formats: T4s quantise to nf4 with f16 compute, the rest stay dense")
{
    for (const Profile& p : builtinProfiles()) {
        const bool t4 = p.name == "t4" || p.name == "2xt4";
        CHECK_MESSAGE(p.quantisation == (t4 ? "nf4" : "none"), p.name);
        if (t4) CHECK(p.dtype == "f16");
    }
}
