#include "core/detect/run_identity.h"

#include "core/hw/profile.h"
#include "core/util/file_util.h"

#include <dirent.h>
#include <algorithm>
#include <nlohmann/json.hpp>

namespace hs::detect {

ExecutionPlan planExecution(const RunSettings& s)
{
    ExecutionPlan plan;
    const hw::Profile prof = hw::profileByName(s.profile);
    plan.device = prof.device;
    plan.dtype = prof.dtype;
    plan.tokenBudget = static_cast<int>(prof.tokenBudget);
    plan.maxTokens = static_cast<int>(prof.maxTokens);
    // Captured attention grows with rows x prompt per copy head: keep CPU batches small.
    plan.maxBatch = prof.device == "cpu" ? 4 : 8;
    // The logit lens holds [rows, slice] logits per view: on a GPU the whole vocabulary fits, which
    // saves the second pass over lm_head that slicing needs.
    plan.vocabSlice = prof.device == "cpu" ? 8192 : (1L << 20);
    // Layers share one lens call up to this many rows x vocabulary (about a dozen float temporaries of
    // that size are alive at once): fewer, larger kernels. ~0.2 GB on a 16 GB card, ~3 GB on 80 GB+.
    const std::uint64_t cap = prof.gpuMemoryCapBytes;
    plan.lensElements = prof.device == "cpu" ? (8L << 20) : cap >= (60ULL << 30) ? (64L << 20) : cap >= (20ULL << 30) ? (8L << 20) : (4L << 20);
    if (!s.device.empty()) plan.device = s.device;
    if (!s.dtype.empty()) plan.dtype = s.dtype;
    return plan;
}

std::string runSettingsJson(const RunSettings& s, const std::vector<std::pair<int, int>>& heads,
                            const std::vector<int>& layers, const ExecutionPlan& plan)
{
    nlohmann::json j;
    j["model"] = s.modelDir;
    j["dataset"] = s.datasetPath;
    j["level"] = s.level;
    j["mode"] = s.mode;
    j["profile"] = s.profile;
    j["device"] = plan.device;
    j["dtype"] = plan.dtype;
    j["embedder"] = s.embedderDir.empty() ? "llm-meanpool" : s.embedderDir;
    j["limit"] = s.limit;
    nlohmann::json h = nlohmann::json::array();
    for (auto [l, hd] : heads) h.push_back({l, hd});
    j["copy_heads"] = h;
    j["layers"] = layers;
    if (!s.shard.whole()) j["shard"] = s.shard.text(); // not in runHash: the shards of a run share it
    return j.dump();
}

std::string runHash(const RunSettings& s, const std::vector<std::pair<int, int>>& heads,
                    const std::vector<int>& layers, const std::vector<data::Sample>& samples)
{
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](const std::string& v) { h = fnv1a64(v.data(), v.size(), h); h = fnv1a64("\x1f", 1, h); };
    // Model: config plus the names and sizes of its weight files (hashing gigabytes would be slow).
    const std::string cfg = joinPath(s.modelDir, "config.json");
    if (fileExists(cfg)) mix(readTextFile(cfg));
    if (DIR* d = ::opendir(s.modelDir.c_str())) {
        std::vector<std::string> names;
        while (dirent* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n.size() > 12 && n.substr(n.size() - 12) == ".safetensors") names.push_back(n);
        }
        ::closedir(d);
        std::sort(names.begin(), names.end());
        for (const auto& n : names) mix(n + ":" + std::to_string(fileSize(joinPath(s.modelDir, n))));
    }
    // Dataset content as loaded (ids, texts, labels, chunks).
    for (const auto& smp : samples) {
        mix(smp.id); mix(smp.prompt); mix(smp.response);
        for (const auto& c : smp.hallucinations) mix(std::to_string(c.start) + "-" + std::to_string(c.end));
        for (const auto& c : smp.responseChunks) mix(std::to_string(c.start) + "-" + std::to_string(c.end));
        for (const auto& c : smp.promptChunks) mix(std::to_string(c.start) + "-" + std::to_string(c.end));
    }
    // Bump when a feature's definition changes, so old sessions are not resumed with old numbers.
    mix("features-v2"); // v2: clean token PKS = emitted-token lift, clean token ECS = grounding attention
    mix(s.level); mix(s.mode); mix(s.profile); mix(s.embedderDir);
    for (auto [l, hd] : heads) mix(std::to_string(l) + "," + std::to_string(hd));
    for (int l : layers) mix(std::to_string(l));
    return hex64(h);
}

} // namespace hs::detect
