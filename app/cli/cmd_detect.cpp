// halluscope-cli detect: run ReDeEP feature extraction over a dataset into a session file.
#include "app/cli/command.h"
#include "app/cli/hardware_options.h"
#include "core/detect/detector.h"
#include "core/model/model_config.h"
#include "core/model/torch_trace.h"
#include "core/util/error.h"
#include "core/util/int_list.h"

#include <cstdio>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace hs::cli {
namespace {

// Progress on stderr: one line, rewritten in place on a terminal.
class CliObserver : public detect::Observer {
public:
    explicit CliObserver(bool quiet) : quiet_(quiet), tty_(::isatty(2)) {}
    void onPlanned(const hw::Profile& profile, const hw::RunPlan& p) override
    {
        plan = p;
        if (!quiet_) std::cerr << "profile " << profile.name << " (" << profile.label << "): " << hw::planSummary(p) << "\n";
    }
    void onWarning(const std::string& m) override { ++warnings; if (!quiet_) std::cerr << "warning: " << m << "\n"; }
    void onError(const std::string& m) override { error = m; }
    void onProgress(const detect::Progress& p) override
    {
        last = p;
        if (quiet_) return;
        char buf[200];
        std::snprintf(buf, sizeof buf, "%d/%d samples  %.1f samples/min  ETA %.0f s  mem %.0f MB",
                      p.done, p.total, p.samplesPerMinute, p.etaSeconds, p.deviceMemoryMB);
        std::cerr << (tty_ ? "\r" : "") << buf << (tty_ ? "" : "\n") << std::flush;
    }
    void onFinished(const detect::RunSummary&) override { if (!quiet_ && tty_) std::cerr << "\n"; }
    int warnings = 0;
    std::string error;
    detect::Progress last;
    hw::RunPlan plan;

private:
    bool quiet_, tty_;
};

int runDetect(const Args& a)
{
    detect::RunSettings s;
    s.modelDir = a.require("model");
    s.datasetPath = a.require("dataset");
    s.sessionPath = a.require("session");
    s.level = results::parseLevel(a.get("level", "token"));
    s.mode = results::parseMode(a.get("mode", "reference"));
    s.promptCharLimit = a.getInt("prompt-char-limit", -1);
    detect::promptCharLimitFor(s); // refuses a negative limit before anything loads
    s.copyHeadsFile = a.get("copy-heads");
    s.embedderDir = a.get("embedder");
    readHardwareOptions(a, s);
    s.limit = a.getInt("limit", -1);
    if (a.has("shard")) s.shard = detect::parseShard(a.get("shard"));
    s.timeBreakdown = a.flag("timing");
    s.sharePrompts = !a.flag("no-prompt-sharing");
    if (a.has("layers")) s.layers = parseIntList(a.get("layers"), "--layers", model::kMaxLayers - 1);

    CliObserver obs(a.flag("quiet"));
    detect::Detector det(s);
    std::optional<model::TorchTrace> trace;
    if (a.has("trace")) trace.emplace(a.get("trace"));
    detect::RunSummary sum = det.run(obs);
    trace.reset();  // written before the summary is printed
    if (a.flag("json")) {
        nlohmann::json j;
        j["session"] = s.sessionPath;
        j["shard"] = s.shard.text();
        j["total"] = sum.total;
        j["processed"] = sum.processed;
        j["resumed_skipped"] = sum.resumedSkipped;
        j["invalid_skipped"] = sum.invalidSkipped;
        j["out_of_memory_skipped"] = sum.outOfMemorySkipped;
        j["out_of_memory_retries"] = sum.outOfMemoryRetries;
        j["shared_prompt_batches"] = sum.sharedPromptBatches;
        j["plan"] = nlohmann::json::parse(hw::planJson(obs.plan));
        j["warnings"] = obs.warnings;
        j["cancelled"] = sum.cancelled;
        j["seconds"] = sum.seconds;
        j["samples_per_minute"] = sum.seconds > 0 ? 60.0 * sum.processed / sum.seconds : 0.0;
        j["peak_memory_mb"] = obs.last.deviceMemoryMB;
        j["peak_allocated_mb"] = obs.last.deviceAllocatedMB;
        j["predicted_peak_mb"] = static_cast<double>(sum.predictedPeakBytes) / (1024.0 * 1024.0);
        j["time_breakdown_s"] = {{"load", sum.loadSeconds}, {"forward", sum.forwardSeconds},
                                 {"extract", sum.extractSeconds}, {"save", sum.saveSeconds}};
        std::cout << j.dump() << std::endl;
    } else {
        std::cout << "detect: " << sum.processed << " samples scored, " << sum.resumedSkipped
                  << " already in the session, " << sum.invalidSkipped << " skipped, "
                  << sum.seconds << " s -> " << s.sessionPath << "\n";
        if (sum.outOfMemorySkipped > 0 || sum.outOfMemoryRetries > 0)
            std::cout << "detect: out of memory: " << sum.outOfMemoryRetries << " batch(es) halved, "
                      << sum.outOfMemorySkipped << " sample(s) skipped (see the warnings)\n";
    }
    return 0;
}

const CommandRegistrar reg({
    "detect",
    "score a dataset with ReDeEP features into a session (resumable)",
    "Usage: halluscope-cli detect --model DIR --dataset PATH --session FILE [options]\n"
    "  --level token|chunk        token-level or chunk-level features (docs/detect.md) [token]\n"
    "  --mode reference|clean     published formulas with their quirks, or the corrected ones [reference]\n"
    "  --prompt-char-limit N      keep the first N characters of the user message; 0: all [reference: 12000,\n"
    "                             the published cut; clean: all]. Samples longer than the model's context\n"
    "                             (max_position_embeddings) are skipped with a warning naming their length\n"
    "  --copy-heads FILE          JSON [[layer, head], ...]; default: all heads\n"
    "  --layers LIST              knowledge layers, e.g. 0-31 or 16,18,20; default: all\n"
    "  --embedder DIR             BGE-style encoder for chunk-level ECS; default: the LLM's mean-pooled states\n"
    + std::string(kHardwareOptionsHelp) +
    "  --limit N                  first N samples only\n"
    "  --shard I/N                score only shard I of N (whole batches chosen by a hash of their first\n"
    "                             sample id); join the N sessions with `halluscope-cli merge`\n"
    "  --no-prompt-sharing        run every sample whole (by default samples with the same prompt run it once:\n"
    "                             its keys and values are kept and each answer runs against them)\n"
    "  --quiet                    no progress line\n"
    "  --timing                   synchronise after each forward so time_breakdown_s separates forward\n"
    "                             from extraction (otherwise one host synchronisation per batch)\n"
    "  --trace FILE               write a Chrome trace of the run (libtorch's profiler: operators, GPU kernels,\n"
    "                             the forward/extract spans); bench/summarise_trace.py sums it by kernel\n"
    "  --json                     print a JSON summary on stdout\n"
    "Re-running the same command resumes: finished samples are skipped. The progress header names the profile\n"
    "and the plan (placement, dtype, weight format, batch budget, predicted peak memory). On CUDA the caching\n"
    "allocator is held to the profile's cap; a batch that runs out of memory is halved and retried, and a sample\n"
    "that does not fit alone is skipped with a warning (counted in the summary).\n"
    "Exit codes: 0 ok; 2 bad input (unknown profile or device, too few GPUs, weights larger than the cap).",
    [] {
        std::vector<std::string> f = {"quiet", "timing", "no-prompt-sharing"};
        f.insert(f.end(), hardwareFlagNames().begin(), hardwareFlagNames().end());
        return f;
    }(),
    &runDetect,
});

} // namespace
} // namespace hs::cli
