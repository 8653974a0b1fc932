#include "core/hw/profile.h"

#include "core/util/error.h"

#include <algorithm>
#include <cctype>

namespace hs::hw {

namespace {

constexpr std::uint64_t GiB = 1024ull * 1024 * 1024;

Profile gpuProfile(const char* name, const char* label, int count, const char* dtype, const char* quant,
                   std::uint64_t capGiB, std::int64_t budget, const char* placement)
{
    Profile p;
    p.name = name;
    p.label = label;
    p.device = "cuda";
    p.gpuCount = count;
    p.dtype = dtype;
    p.quantisation = quant;
    p.gpuMemoryCapBytes = capGiB * GiB;
    p.maxTokens = 4096;
    p.tokenBudget = budget;
    p.placement = placement;
    return p;
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

} // namespace

const std::vector<Profile>& builtinProfiles()
{
    static const std::vector<Profile> profiles = [] {
        Profile cpu;
        cpu.name = "cpu";
        cpu.label = "CPU only";
        cpu.tokenBudget = 2048;
        // Caps leave room for the CUDA context and the allocator's fragmentation (~8-10 %).
        return std::vector<Profile>{
            cpu,
            // 2,048-token batches: a 7B model in f16 (12.6 GiB) leaves ~1.5 GiB for activations and captures.
            // Weights stay in f16: quantisation is not implemented, so no profile claims it.
            gpuProfile("t4", "NVIDIA T4 16 GB", 1, "f16", "none", 14, 2048, "single"),
            gpuProfile("2xt4", "2 x NVIDIA T4 16 GB", 2, "f16", "none", 14, 4096, "split"),
            gpuProfile("rtx4090", "NVIDIA RTX 4090 24 GB", 1, "bf16", "none", 22, 8192, "single"),
            gpuProfile("a100-40", "NVIDIA A100 40 GB", 1, "bf16", "none", 37, 16384, "single"),
            gpuProfile("a100-80", "NVIDIA A100 80 GB", 1, "bf16", "none", 74, 32768, "single"),
            gpuProfile("h100", "NVIDIA H100 80 GB", 1, "bf16", "none", 74, 32768, "single"),
            gpuProfile("h200", "NVIDIA H200 141 GB", 1, "bf16", "none", 130, 65536, "single"),
        };
    }();
    return profiles;
}

Profile profileByName(const std::string& name)
{
    std::string names;
    for (const auto& p : builtinProfiles()) {
        if (p.name == name) return p;
        names += (names.empty() ? "" : ", ") + p.name;
    }
    throw InputError("unknown hardware profile '" + name + "' (known: " + names + ")");
}

Profile customProfile(int gpuCount, std::uint64_t perGpuBytes, const std::string& dtype)
{
    Profile p;
    p.name = "custom";
    p.device = gpuCount > 0 ? "cuda" : "cpu";
    p.gpuCount = gpuCount;
    p.dtype = gpuCount > 0 ? dtype : "f32";
    p.gpuMemoryCapBytes = perGpuBytes / 10 * 9;
    // ~400 tokens of batch per GiB, as the built-in profiles (a 7B model's activations plus captures)
    p.tokenBudget = std::max<std::int64_t>(1024, static_cast<std::int64_t>(perGpuBytes / GiB) * 400);
    p.placement = gpuCount > 1 ? "replica" : "single";
    p.label = std::to_string(gpuCount) + " GPU(s) with " + std::to_string(perGpuBytes / GiB) + " GiB";
    return p;
}

Profile suggestProfile(const std::vector<GpuInfo>& gpus)
{
    if (gpus.empty()) return profileByName("cpu");
    const std::string n = lower(gpus[0].name);
    const std::uint64_t mem = gpus[0].totalBytes;
    const int count = static_cast<int>(gpus.size());
    std::string pick;
    if (n.find("h200") != std::string::npos) pick = "h200";
    else if (n.find("h100") != std::string::npos) pick = "h100";
    else if (n.find("a100") != std::string::npos) pick = mem >= 60 * GiB ? "a100-80" : "a100-40";
    else if (n.find("4090") != std::string::npos) pick = "rtx4090";
    else if (n.find("t4") != std::string::npos && n.find("rtx") == std::string::npos) pick = count >= 2 ? "2xt4" : "t4";
    if (pick.empty()) return customProfile(count, mem);
    Profile p = profileByName(pick);
    if (count > p.gpuCount && pick != "2xt4") {
        p.gpuCount = count;
        p.placement = "replica";
        p.label = std::to_string(count) + " x " + p.label;
    }
    return p;
}

} // namespace hs::hw
