// halluscope-cli detect: run ReDeEP feature extraction over a dataset into a session file.
#include "app/cli/command.h"
#include "core/detect/detector.h"
#include "core/model/model_config.h"
#include "core/util/error.h"
#include "core/util/int_list.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace hs::cli {
namespace {

// Progress on stderr: one line, rewritten in place on a terminal.
class CliObserver : public detect::Observer {
public:
    explicit CliObserver(bool quiet) : quiet_(quiet), tty_(::isatty(2)) {}
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

private:
    bool quiet_, tty_;
};

int runDetect(const Args& a)
{
    detect::RunSettings s;
    s.modelDir = a.require("model");
    s.datasetPath = a.require("dataset");
    s.sessionPath = a.require("session");
    s.level = a.get("level", "token");
    s.mode = a.get("mode", "reference");
    s.copyHeadsFile = a.get("copy-heads");
    s.embedderDir = a.get("embedder");
    s.profile = a.get("profile", "cpu");
    s.device = a.get("device");
    s.dtype = a.get("dtype");
    s.limit = a.getInt("limit", -1);
    s.timeBreakdown = a.flag("timing");
    if (a.has("layers")) s.layers = parseIntList(a.get("layers"), "--layers", model::kMaxLayers - 1);

    CliObserver obs(a.flag("quiet"));
    detect::Detector det(s);
    detect::RunSummary sum = det.run(obs);
    if (a.flag("json")) {
        nlohmann::json j;
        j["session"] = s.sessionPath;
        j["total"] = sum.total;
        j["processed"] = sum.processed;
        j["resumed_skipped"] = sum.resumedSkipped;
        j["invalid_skipped"] = sum.invalidSkipped;
        j["warnings"] = obs.warnings;
        j["cancelled"] = sum.cancelled;
        j["seconds"] = sum.seconds;
        j["samples_per_minute"] = sum.seconds > 0 ? 60.0 * sum.processed / sum.seconds : 0.0;
        j["peak_memory_mb"] = obs.last.deviceMemoryMB;
        j["peak_allocated_mb"] = obs.last.deviceAllocatedMB;
        j["time_breakdown_s"] = {{"load", sum.loadSeconds}, {"forward", sum.forwardSeconds},
                                 {"extract", sum.extractSeconds}, {"save", sum.saveSeconds}};
        std::cout << j.dump() << std::endl;
    } else {
        std::cout << "detect: " << sum.processed << " samples scored, " << sum.resumedSkipped
                  << " already in the session, " << sum.invalidSkipped << " skipped, "
                  << sum.seconds << " s -> " << s.sessionPath << "\n";
    }
    return 0;
}

const CommandRegistrar reg({
    "detect",
    "score a dataset with ReDeEP features into a session (resumable)",
    "Usage: halluscope-cli detect --model DIR --dataset PATH --session FILE [options]\n"
    "  --level token|chunk        token-level (SPEC 4) or chunk-level (SPEC 3) features [token]\n"
    "  --mode reference|clean     published formulas with their quirks, or the corrected ones [reference]\n"
    "  --copy-heads FILE          JSON [[layer, head], ...]; default: all heads\n"
    "  --layers LIST              knowledge layers, e.g. 0-31 or 16,18,20; default: all\n"
    "  --embedder DIR             BGE-style encoder for chunk-level ECS; default: the LLM's mean-pooled states\n"
    "  --profile NAME             hardware profile (cpu, t4, 2xt4, rtx4090, a100-40, a100-80, h100, h200) [cpu]\n"
    "  --device DEV --dtype T     override the profile (cpu|cuda|cuda:N; f32|bf16|f16)\n"
    "  --limit N                  first N samples only\n"
    "  --quiet                    no progress line\n"
    "  --timing                   synchronise after each forward so time_breakdown_s separates forward\n"
    "                             from extraction (otherwise one host synchronisation per batch)\n"
    "  --json                     print a JSON summary on stdout\n"
    "Re-running the same command resumes: finished samples are skipped.",
    {"quiet", "timing"},
    &runDetect,
});

} // namespace
} // namespace hs::cli
