// halluscope-cli merge: join the sessions that `detect --shard i/N` wrote into one session, equal to
// a single-process run (core/session/session_merge.h).
#include "app/cli/command.h"
#include "core/session/session_merge.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace hs::cli {
namespace {

int runMerge(const Args& a)
{
    if (a.positional.size() < 2) throw InputError("merge needs OUT and at least one input session (see merge --help)");
    const std::string out = a.positional.front();
    const std::vector<std::string> inputs(a.positional.begin() + 1, a.positional.end());
    const session::MergeReport r = session::mergeSessions(out, inputs);
    if (a.flag("json")) {
        std::cout << nlohmann::json{{"command", "merge"}, {"session", out}, {"inputs", inputs},
                                    {"samples", r.samples}, {"run_hash", r.runHash}, {"shards", r.shardCount},
                                    {"shards_present", r.shardsPresent}, {"complete", r.complete}}
                         .dump()
                  << "\n";
    } else {
        std::cout << "merge: " << r.samples << " samples from " << inputs.size() << " session(s) -> " << out
                  << " (run " << r.runHash << ")\n";
    }
    if (!r.complete)
        std::cerr << "merge: warning: " << r.shardsPresent.size() << " of " << r.shardCount
                  << " shards, or a shard not finished: the merged session is marked running (incomplete)\n";
    return 0;
}

const CommandRegistrar reg({
    "merge",
    "join the sessions of `detect --shard i/N` jobs into one session",
    "Usage: halluscope-cli merge OUT IN... [--json]\n"
    "  Writes the new session OUT from the sessions IN of one run (the same model files, dataset and\n"
    "  settings; only --shard differs). OUT equals a single-process run: the same samples in the same\n"
    "  order and the same features bit for bit. Refuses sessions of different runs (naming the settings\n"
    "  that differ), a shard given twice and samples present in two inputs (exit code 2). With fewer\n"
    "  than N shards, or an unfinished one, OUT is written but marked running, with a warning.",
    {},
    &runMerge,
    kAnyPositionals,  // OUT IN...
});

} // namespace
} // namespace hs::cli
