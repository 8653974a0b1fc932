#include "core/detect/shard.h"

#include "core/util/error.h"
#include "core/util/file_util.h"

#include <cstdlib>

namespace hs::detect {

bool ShardSpec::ownsBatch(const std::string& firstSampleId) const
{
    if (whole()) return true;
    const std::uint64_t h = fnv1a64(firstSampleId.data(), firstSampleId.size());
    return static_cast<int>(h % static_cast<std::uint64_t>(count)) == index - 1;
}

namespace {

bool readPositive(const std::string& s, int& out)
{
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return false;
    out = std::atoi(s.c_str());
    return out >= 1;
}

} // namespace

ShardSpec parseShard(const std::string& text)
{
    const auto slash = text.find('/');
    ShardSpec s;
    if (slash == std::string::npos || !readPositive(text.substr(0, slash), s.index) ||
        !readPositive(text.substr(slash + 1), s.count))
        throw InputError("--shard expects i/N with whole numbers 1 <= i <= N (e.g. 2/8), got '" + text + "'");
    if (s.index > s.count)
        throw InputError("--shard " + text + ": the shard number must be at most the number of shards");
    return s;
}

} // namespace hs::detect
