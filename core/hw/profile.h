#pragma once
// Hardware profiles: how HalluScope runs on a given machine (torch-free).
#include "core/hw/gpu.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hs::hw {

struct Profile {
    std::string name;              // "cpu", "t4", "2xt4", "rtx4090", "a100-40", "a100-80", "h100", "h200", "custom"
    std::string label;             // for people, e.g. "NVIDIA A100 80 GB"
    std::string device = "cpu";    // "cpu" or "cuda"
    int gpuCount = 0;
    std::string dtype = "f32";     // compute dtype: "f32", "bf16" or "f16" (Turing GPUs lack fast bf16)
    std::string quantisation = "none";      // default weight format (core/model/weight_format.h names)
    std::uint64_t gpuMemoryCapBytes = 0;    // usable memory per GPU (0 on the CPU: host memory)
    std::int64_t maxTokens = 4096;          // longest sequence accepted
    std::int64_t tokenBudget = 4096;        // padded tokens per batch (batches are cut by length)
    std::string placement = "single";       // "single", "replica" (one model per GPU) or "split" (layers across GPUs)
};

const std::vector<Profile>& builtinProfiles();

// A built-in profile by name; throws InputError listing the names otherwise.
Profile profileByName(const std::string& name);

// The best built-in profile for these GPUs (by name and memory); a "custom" profile sized from the
// first GPU when none matches; "cpu" when there is none. Several identical GPUs → one replica each.
Profile suggestProfile(const std::vector<GpuInfo>& gpus);
inline Profile suggestProfile() { return suggestProfile(detectGpus()); }

// A profile for any GPU: usable memory = 90 % of perGpuBytes, batch budget scaled by memory.
Profile customProfile(int gpuCount, std::uint64_t perGpuBytes, const std::string& dtype = "bf16");

// What the user asked for, turned into one profile: `name` empty = the suggestion for `gpus` (the
// detected ones); "custom" needs gpuCount >= 1 and gpuMemoryGB > 0 (`--gpus N --gpu-memory GB`);
// a built-in name takes neither. InputError on any mismatch, naming what is wrong.
struct ProfileRequest {
    std::string name;           // "" = auto
    int gpuCount = -1;          // custom only; -1 = not given
    double gpuMemoryGB = 0;     // custom only; 0 = not given (GB = 10^9 bytes, as GPU vendors count)
};
Profile resolveProfile(const ProfileRequest& r, const std::vector<GpuInfo>& gpus);

// InputError when the profile needs more CUDA GPUs than `gpus` holds.
void requireGpus(const Profile& p, const std::vector<GpuInfo>& gpus);

} // namespace hs::hw
