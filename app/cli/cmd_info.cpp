// `halluscope-cli info MODEL_DIR [--json]`: what a model folder holds, without loading any weights:
// architecture and sizes from config.json, every safetensors header validated, the required tensors
// checked, dtypes and files listed, memory estimated per weight dtype. Corrupt files → exit code 2.
#include "app/cli/command.h"
#include "app/cli/hardware_options.h"
#include "core/detect/run_identity.h"
#include "core/hw/planner.h"
#include "core/hw/profile.h"
#include "core/model/model_config.h"
#include "core/model/safetensors.h"
#include "core/model/weight_spec.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <map>

namespace {

using hs::model::ModelConfig;
using hs::model::WeightFiles;

std::string human(std::uint64_t bytes)
{
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 4) v /= 1024.0, ++u;
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.2f %s", v, units[u]);
    return buf;
}

std::string count(std::uint64_t n)
{
    char buf[32];
    if (n >= 1000000000ull) std::snprintf(buf, sizeof buf, "%.2f B", n / 1e9);
    else if (n >= 1000000ull) std::snprintf(buf, sizeof buf, "%.2f M", n / 1e6);
    else if (n >= 1000ull) std::snprintf(buf, sizeof buf, "%.1f K", n / 1e3);
    else std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
    return buf;
}

// The plan for the asked (or detected) profile, as if its GPUs were present: info answers "what would
// this model need there", not only "here".
struct PlanOutcome {
    hs::detect::ExecutionPlan plan;
    std::string error;       // why the model cannot run so (the plan is empty then)
    std::string bestFormat;  // the least lossy weight format that fits this profile
};

PlanOutcome planFor(const hs::cli::Args& args, const ModelConfig& c)
{
    hs::detect::RunSettings s;
    hs::cli::readHardwareOptions(args, s);
    const int heads = args.getInt("captured-heads", 32);
    if (heads < 1) throw hs::InputError("--captured-heads expects at least 1");
    PlanOutcome out;
    const std::vector<hs::hw::GpuInfo> detected = hs::hw::detectGpus();
    out.plan.profile = hs::hw::resolveProfile({s.profile, s.gpus, s.gpuMemoryGB}, detected);
    try {
        out.plan = hs::detect::planForProfile(s, c, detected, heads);
        out.bestFormat = hs::hw::chooseFormat(out.plan.request);
    } catch (const hs::hw::DoesNotFit& e) {
        out.error = e.what();
    }
    return out;
}

std::string fileName(const std::string& path)
{
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

int runInfo(const hs::cli::Args& args)
{
    if (args.positional.size() != 1) throw hs::InputError("expected one MODEL_DIR (see info --help)");
    const std::string dir = args.positional[0];
    hs::model::refusePickleCheckpoint(dir);
    // Weights first: a folder of pickles gets the conversion message even without a usable config.
    WeightFiles files(dir);
    const ModelConfig c = ModelConfig::load(dir);
    const std::vector<std::string> problems = hs::model::checkWeights(c, files);

    std::uint64_t fileParams = 0;
    std::map<std::string, std::uint64_t> dtypes;  // safetensors dtype → tensor count
    for (const auto& [name, e] : files.entries()) {
        fileParams += e.info->numel();
        ++dtypes[hs::model::dtypeName(e.info->dtype)];
    }
    const PlanOutcome planned = planFor(args, c);
    const hs::hw::Profile& profile = planned.plan.profile;

    if (args.flag("json")) {
        nlohmann::json j;
        j["model_dir"] = dir;
        j["architecture"] = c.architecture;
        j["model_type"] = c.modelType;
        j["layers"] = c.numLayers;
        j["heads"] = c.numHeads;
        j["kv_heads"] = c.numKvHeads;
        j["head_dim"] = c.headDim;
        j["hidden_size"] = c.hiddenSize;
        j["intermediate_size"] = c.intermediateSize;
        j["vocab_size"] = c.vocabSize;
        j["max_position_embeddings"] = c.maxPositionEmbeddings;
        j["sliding_window"] = c.slidingWindow;
        j["rms_norm_eps"] = c.rmsNormEps;
        j["tie_word_embeddings"] = c.tieWordEmbeddings;
        j["config_dtype"] = c.torchDtype;
        j["rope"] = {{"theta", c.ropeTheta}, {"scaling", c.ropeScaling.type}, {"factor", c.ropeScaling.factor},
                     {"low_freq_factor", c.ropeScaling.lowFreqFactor},
                     {"high_freq_factor", c.ropeScaling.highFreqFactor},
                     {"original_max_position_embeddings", c.ropeScaling.originalMaxPositionEmbeddings}};
        j["parameters"] = c.parameterCount();
        j["parameters_in_files"] = fileParams;
        j["tensors"] = files.entries().size();
        j["dtypes"] = dtypes;
        j["sharded"] = files.sharded();
        nlohmann::json fl = nlohmann::json::array();
        std::uint64_t total = 0;
        for (const auto& f : files.files()) {
            fl.push_back({{"name", fileName(f->path())}, {"bytes", f->fileSize()}, {"tensors", f->header().tensors.size()}});
            total += f->fileSize();
        }
        j["files"] = fl;
        j["total_bytes"] = total;
        for (const auto& d : hs::model::weightDtypes()) j["weight_memory_bytes"][d] = hs::model::estimateWeightBytes(c, d);
        if (planned.error.empty()) {
            j["profile"] = {{"name", profile.name}, {"label", profile.label}, {"least_lossy_format_that_fits", planned.bestFormat}};
            j["plan"] = nlohmann::json::parse(hs::hw::planJson(planned.plan.hw));
        } else {
            j["plan_error"] = planned.error;
        }
        j["ok"] = problems.empty();
        j["problems"] = problems;
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << "Model folder    " << dir << "\n"
                  << "Architecture    " << c.architecture << " (" << c.modelType << ")\n"
                  << "Layers          " << c.numLayers << "\n"
                  << "Heads           " << c.numHeads << " query, " << c.numKvHeads << " key/value"
                  << (c.numKvHeads < c.numHeads ? " (grouped-query, " + std::to_string(c.groupSize()) + " per kv head)" : "")
                  << ", head dim " << c.headDim << "\n"
                  << "Hidden          " << c.hiddenSize << " (MLP " << c.intermediateSize << ")\n"
                  << "Vocabulary      " << c.vocabSize << (c.tieWordEmbeddings ? " (tied embeddings)" : "") << "\n"
                  << "Positions       " << c.maxPositionEmbeddings
                  << (c.slidingWindow > 0 ? ", sliding window " + std::to_string(c.slidingWindow) : "") << "\n"
                  << "RoPE            theta " << c.ropeTheta;
        if (c.ropeScaling.type == "llama3")
            std::cout << ", llama3 scaling (factor " << c.ropeScaling.factor << ", low " << c.ropeScaling.lowFreqFactor
                      << ", high " << c.ropeScaling.highFreqFactor << ", original context "
                      << c.ropeScaling.originalMaxPositionEmbeddings << ")";
        else if (c.ropeScaling.type == "linear")
            std::cout << ", linear scaling (factor " << c.ropeScaling.factor << ")";
        std::cout << "\nRMSNorm eps     " << c.rmsNormEps << "\n"
                  << "Parameters      " << count(c.parameterCount()) << " (config), " << count(fileParams) << " in "
                  << files.entries().size() << " tensors\n"
                  << "Dtypes          ";
        bool first = true;
        for (const auto& [d, n] : dtypes) std::cout << (first ? "" : ", ") << d << " x" << n, first = false;
        std::cout << (c.torchDtype.empty() ? "" : " (config says " + c.torchDtype + ")") << "\nFiles\n";
        std::uint64_t total = 0;
        for (const auto& f : files.files()) {
            std::cout << "  " << fileName(f->path()) << "  " << human(f->fileSize()) << "\n";
            total += f->fileSize();
        }
        std::cout << "  total  " << human(total) << "\nWeight memory  ";
        for (const auto& d : hs::model::weightDtypes())
            std::cout << " " << d << " " << human(hs::model::estimateWeightBytes(c, d)) << ";";
        if (planned.error.empty())
            std::cout << "\nProfile         " << profile.name << " (" << profile.label << ")\n"
                      << "Plan            " << hs::hw::planSummary(planned.plan.hw) << "\n"
                      << "Least lossy fit " << (planned.bestFormat.empty() ? "no weight format fits" : planned.bestFormat) << "\n";
        else
            std::cout << "\nPlan            " << planned.error << "\n";
        std::cout << "Weights check   " << (problems.empty() ? "ok" : "FAILED") << "\n";
    }
    if (!problems.empty()) {
        std::string msg = dir + ": " + std::to_string(problems.size()) + " problem(s) with the weights:";
        for (std::size_t i = 0; i < problems.size() && i < 40; ++i) msg += "\n  " + problems[i];
        if (problems.size() > 40) msg += "\n  ... and " + std::to_string(problems.size() - 40) + " more";
        std::cerr << "halluscope-cli info: error: " << msg << "\n";
        return 2;
    }
    return 0;
}

const hs::cli::CommandRegistrar registerInfo({
    "info",
    "describe a model folder: architecture, parameters, dtypes, files, memory",
    "Usage: halluscope-cli info MODEL_DIR [--profile NAME] [hardware options] [--captured-heads N] [--json]\n\n"
    "Reads MODEL_DIR/config.json and validates every safetensors header (model.safetensors or the shards of\n"
    "model.safetensors.index.json) without loading weights. Prints the architecture, layer/head/kv-head/hidden/\n"
    "vocabulary sizes, rope settings, parameter counts, dtypes present, file sizes and the estimated weight memory\n"
    "per dtype (f32, bf16, f16, int8, nf4, fp8), and the run plan for a hardware profile (default: the detected\n"
    "one; planned as if its GPUs were present): placement, layers and weight bytes per device, batch token budget,\n"
    "logit-lens group size and predicted peak memory per device, for N captured copy heads [32] and sequences of\n"
    "the profile's longest length. A profile that cannot hold the model prints why instead of a plan.\n"
    + std::string(hs::cli::kHardwareOptionsHelp) +
    "Exit codes: 0 ok; 2 corrupt or unsupported files (the message names the file and tensor), bad options.",
    hs::cli::hardwareFlagNames(),
    &runInfo,
    1, // MODEL_DIR
});

} // namespace
