#include "core/hw/profile.h"

#include "core/util/error.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

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
            // T4s: f16 compute (Turing lacks fast bf16) over NF4 weights, so a 7B model (3.6 GiB in nf4)
            // leaves room for batches; 2xt4 splits the layers so each card holds half of them.
            gpuProfile("t4", "NVIDIA T4 16 GB", 1, "f16", "nf4", 14, 2048, "single"),
            gpuProfile("2xt4", "2 x NVIDIA T4 16 GB", 2, "f16", "nf4", 14, 4096, "split"),
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
    char memory[32];
    std::snprintf(memory, sizeof memory, "%g GB", static_cast<double>(perGpuBytes) / 1e9);
    p.label = std::to_string(gpuCount) + " GPU(s) with " + memory;
    return p;
}

Profile resolveProfile(const ProfileRequest& r, const std::vector<GpuInfo>& gpus)
{
    const bool customGiven = r.gpuCount >= 0 || r.gpuMemoryGB > 0;
    if (r.name == "custom") {
        if (r.gpuCount < 1 || r.gpuMemoryGB <= 0)
            throw InputError("profile custom needs --gpus N (at least 1) and --gpu-memory GB (more than 0)");
        if (r.gpuMemoryGB > 4096) throw InputError("--gpu-memory " + std::to_string(r.gpuMemoryGB) + " GB is not a GPU's memory");
        return customProfile(r.gpuCount, static_cast<std::uint64_t>(r.gpuMemoryGB * 1e9));
    }
    if (customGiven) throw InputError("--gpus and --gpu-memory describe a custom profile; use --profile custom with them");
    if (r.name.empty()) {
        Profile p = suggestProfile(gpus);
        p.label += " (detected)";
        return p;
    }
    return profileByName(r.name);
}

void requireGpus(const Profile& p, const std::vector<GpuInfo>& gpus)
{
    if (p.device != "cuda") return;
    const int have = static_cast<int>(gpus.size());
    if (have < p.gpuCount)
        throw InputError("profile " + p.name + " needs " + std::to_string(p.gpuCount) + " CUDA GPU(s) but this " +
                         (have == 0 ? std::string("machine or build has none") : "machine has " + std::to_string(have)) +
                         "; choose a profile for this hardware (no --profile picks one) or name the devices with --device");
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
