#include "core/model/probe.h"

#include "core/util/error.h"

#include <algorithm>

namespace hs::model {

Range resolveRange(const std::vector<Range>& ranges, std::size_t seq, std::size_t batchSize, std::int64_t length)
{
    Range r = Range::all();
    if (ranges.size() == 1) r = ranges[0];
    else if (ranges.size() == batchSize && seq < ranges.size()) r = ranges[seq];
    else if (!ranges.empty())
        throw Error("probe range list has " + std::to_string(ranges.size()) + " entries for a batch of " +
                    std::to_string(batchSize) + " (expected 0, 1 or one per sequence)");
    std::int64_t end = r.end < 0 ? length : std::min(r.end, length);
    std::int64_t begin = std::clamp<std::int64_t>(r.begin, 0, end < 0 ? 0 : end);
    return {begin, std::max(begin, end)};
}

std::string attnProbsName(std::int64_t layer, std::int64_t head)
{
    return "attn_probs." + std::to_string(layer) + "." + std::to_string(head);
}

std::string residMidName(std::int64_t layer) { return "resid_mid." + std::to_string(layer); }
std::string residOutName(std::int64_t layer) { return "resid_out." + std::to_string(layer); }

} // namespace hs::model
