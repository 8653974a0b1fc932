#include "core/detect/run_identity.h"

#include "core/hw/profile.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "core/util/json_util.h"

#include <dirent.h>
#include <algorithm>
#include <nlohmann/json.hpp>

namespace hs::detect {

std::string ExecutionPlan::deviceKind() const
{
    return hw.devices.empty() || hw.devices.front().device == "cpu" ? "cpu" : "cuda";
}

ExecutionPlan planExecution(const RunSettings& s, const model::ModelConfig& config,
                            const std::vector<hw::GpuInfo>& gpus, const std::vector<hw::SequenceShape>& sequences,
                            int capturedHeads, int knowledgeLayers)
{
    ExecutionPlan plan;
    plan.profile = hw::resolveProfile({s.profile, s.gpus, s.gpuMemoryGB}, gpus);
    plan.quant.format = model::parseWeightFormat(s.quant.empty() ? plan.profile.quantisation : s.quant);
    plan.quant.quantiseLmHead = s.quantLmHead;
    plan.quant.doubleQuant = s.doubleQuant;
    if (s.doubleQuant && plan.quant.format != model::WeightFormat::NF4)
        throw InputError("--double-quant applies to nf4 weights only");
    hw::PlanRequest& r = plan.request;
    r.config = config;
    r.profile = plan.profile;
    r.dtype = s.dtype;
    r.quant = plan.quant;
    if (!s.device.empty()) r.devices = hw::parseDeviceList(s.device, static_cast<int>(gpus.size()));
    r.placement = s.placement;
    r.sequences = sequences;
    r.capturedHeads = capturedHeads;
    r.knowledgeLayers = knowledgeLayers;
    r.gpusPresent = static_cast<int>(gpus.size());
    r.tokenBudget = s.tokenBudget;
    plan.hw = hw::planRun(r);
    return plan;
}

ExecutionPlan planForProfile(const RunSettings& s, const model::ModelConfig& config,
                             const std::vector<hw::GpuInfo>& detected, int capturedHeads)
{
    std::vector<hw::GpuInfo> gpus = detected;
    const hw::Profile profile = hw::resolveProfile({s.profile, s.gpus, s.gpuMemoryGB}, gpus);
    while (static_cast<int>(gpus.size()) < profile.gpuCount)
        gpus.push_back({static_cast<int>(gpus.size()), profile.label, profile.gpuMemoryCapBytes, 0});
    return planExecution(s, config, gpus, {}, capturedHeads, -1);
}

std::string runSettingsJson(const RunSettings& s, const std::vector<std::pair<int, int>>& heads,
                            const std::vector<int>& layers, const ExecutionPlan& plan)
{
    nlohmann::json j;
    j["model"] = s.modelDir;
    j["dataset"] = s.datasetPath;
    j["level"] = results::levelName(s.level);
    j["mode"] = results::modeName(s.mode);
    const std::size_t cut = promptCharLimitFor(s);
    j["prompt_char_limit"] = cut == SIZE_MAX ? nlohmann::json(nullptr) : nlohmann::json(cut);  // null: no cut
    j["profile"] = plan.profile.name;
    j["profile_label"] = plan.profile.label;
    if (plan.profile.name == "custom") {
        j["gpus"] = s.gpus;
        j["gpu_memory_gb"] = s.gpuMemoryGB;
    }
    j["device"] = s.device;  // as asked ("" = the profile's); the plan says where it ran
    j["placement"] = plan.hw.placement;
    j["dtype"] = plan.hw.dtype;
    j["quant"] = plan.hw.format;
    j["quant_lm_head"] = plan.quant.quantiseLmHead;
    j["double_quant"] = plan.quant.doubleQuant;
    j["plan"] = nlohmann::json::parse(hw::planJson(plan.hw));
    j["embedder"] = s.embedderDir.empty() ? "llm-meanpool" : s.embedderDir;
    j["share_prompts"] = s.sharePrompts;
    j["limit"] = s.limit;
    nlohmann::json h = nlohmann::json::array();
    for (auto [l, hd] : heads) h.push_back({l, hd});
    j["copy_heads"] = h;
    j["layers"] = layers;
    if (!s.shard.whole()) j["shard"] = s.shard.text(); // not in runHash: the shards of a run share it
    return j.dump();
}

RunSettings runSettingsFromJson(const std::string& text)
{
    const nlohmann::json j = parseJson(text, "run settings");
    if (!j.is_object()) throw InputError("run settings: not a JSON object");
    auto str = [&j](const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string(); };
    RunSettings s;
    s.modelDir = str("model");
    s.datasetPath = str("dataset");
    if (j.contains("level")) s.level = results::parseLevel(str("level"), "run settings: level");
    if (j.contains("mode")) s.mode = results::parseMode(str("mode"), "run settings: mode");
    if (j.contains("prompt_char_limit"))  // null: no cut (0); absent (older sessions): by mode (-1)
        s.promptCharLimit = j["prompt_char_limit"].is_null() ? 0 : jsonInt<int>(j["prompt_char_limit"], "run settings: prompt_char_limit");
    s.profile = str("profile");
    if (s.profile == "custom") {
        if (j.contains("gpus")) s.gpus = jsonInt<int>(j["gpus"], "run settings: gpus");
        if (j.contains("gpu_memory_gb") && j["gpu_memory_gb"].is_number()) s.gpuMemoryGB = j["gpu_memory_gb"].get<double>();
    }
    s.device = str("device");
    s.dtype = str("dtype");
    s.quant = str("quant");
    if (j.contains("quant_lm_head") && j["quant_lm_head"].is_boolean()) s.quantLmHead = j["quant_lm_head"].get<bool>();
    if (j.contains("double_quant") && j["double_quant"].is_boolean()) s.doubleQuant = j["double_quant"].get<bool>();
    const std::string embedder = str("embedder");
    s.embedderDir = embedder == "llm-meanpool" ? "" : embedder;
    if (j.contains("share_prompts") && j["share_prompts"].is_boolean()) s.sharePrompts = j["share_prompts"].get<bool>();
    if (j.contains("limit")) s.limit = jsonInt<int>(j["limit"], "run settings: limit");
    if (j.contains("copy_heads")) {
        if (!j["copy_heads"].is_array()) throw InputError("run settings: copy_heads is not a list");
        for (const auto& h : j["copy_heads"]) {
            if (!h.is_array() || h.size() != 2) throw InputError("run settings: a copy head is not [layer, head]");
            s.copyHeads.push_back({jsonInt<int>(h[0], "run settings: copy head"), jsonInt<int>(h[1], "run settings: copy head")});
        }
    }
    if (j.contains("layers")) {
        if (!j["layers"].is_array()) throw InputError("run settings: layers is not a list");
        for (const auto& l : j["layers"]) s.layers.push_back(jsonInt<int>(l, "run settings: layer"));
    }
    return s;
}

std::string runHash(const RunSettings& s, const std::vector<std::pair<int, int>>& heads,
                    const std::vector<int>& layers, const std::vector<data::Sample>& samples,
                    const ExecutionPlan& plan)
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
    // v2: clean token PKS = emitted-token lift, clean token ECS = grounding attention
    // v3: lens divergences without the m·log m − m·log p cancellation
    mix("features-v3");
    mix(results::levelName(s.level)); mix(results::modeName(s.mode)); mix(plan.profile.name); mix(s.embedderDir);
    const std::size_t cut = promptCharLimitFor(s);
    mix("prompt-chars:" + (cut == SIZE_MAX ? std::string("all") : std::to_string(cut)));
    if (plan.profile.name == "custom") mix(plan.profile.label);  // its memory sets the batch budget
    // How the numbers are computed: a resumed run must not mix weight formats, dtypes or CPU and GPU.
    mix(plan.hw.dtype); mix(plan.hw.format); mix(plan.deviceKind());
    mix(plan.quant.quantiseLmHead ? "lm_head-quantised" : "lm_head-dense"); mix(plan.quant.doubleQuant ? "dq" : "");
    // Shared prompts change the batches (equal features to rounding, not bit for bit): never mixed on resume.
    mix(s.sharePrompts ? "prompts-shared" : "prompts-whole");
    for (auto [l, hd] : heads) mix(std::to_string(l) + "," + std::to_string(hd));
    for (int l : layers) mix(std::to_string(l));
    return hex64(h);
}

} // namespace hs::detect
