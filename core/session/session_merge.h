#pragma once
// Joining the sessions of one run, scored in shards (`detect --shard i/N`), into one session that
// equals what a single process would have written: the same run row, the same samples in the same
// order (core/session/sample_order.h), their features bit for bit.
#include <string>
#include <vector>

namespace hs::session {

struct MergeReport {
    std::string runHash;
    int samples = 0;
    int shardCount = 1;              // N of the inputs' i/N (1 for unsharded inputs)
    std::vector<int> shardsPresent;  // the i's merged, ascending
    bool complete = false;           // every shard 1..N present and finished: the output is finished
};

// Writes `outPath` (which must not exist) from `inputs`. Throws hs::InputError, before writing
// anything, when an input is not a session, when two inputs hold different runs (naming the settings
// that differ), when a shard is given twice or a sample appears in two inputs.
MergeReport mergeSessions(const std::string& outPath, const std::vector<std::string>& inputs);

} // namespace hs::session
