#pragma once
// `--shard i/N`: which part of a run one process scores, so that N jobs (Slurm array tasks) split a
// dataset and `halluscope-cli merge` joins their sessions into what one process would have written.
//
// The unit of a shard is a whole batch, not a single sample: a sample's features are bit-identical
// only when it is computed with the same batch companions (padding and GEMM shapes change the last
// bits). Batches are formed over the whole dataset in scoring order (shortest first, ties by id:
// core/session/sample_order.h), and a batch belongs to shard 1 + hash(its first sample id) mod N.
// Membership therefore depends on the dataset's content and the profile's batch limits (both part
// of the run hash, which merge compares), never on the order of the records in the file.
#include <string>

namespace hs::detect {

struct ShardSpec {
    int index = 1;   // 1-based, as Slurm's --array=1-N
    int count = 1;

    bool whole() const { return count == 1; }
    std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
    // Whether the batch whose first (shortest) sample is `firstSampleId` is this shard's to score.
    bool ownsBatch(const std::string& firstSampleId) const;
};

// "i/N" with 1 <= i <= N; throws hs::InputError saying what is wrong otherwise.
ShardSpec parseShard(const std::string& text);

} // namespace hs::detect
