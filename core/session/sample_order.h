#pragma once
// The order in which a run scores and saves its samples: shortest (in tokens) first, ties by id.
// The detector forms its length-sorted batches in this order and `merge` restores it, so a session
// merged from shards lists its samples exactly as one process would have (the analyses' folds
// depend on that order). Ties go by id, not file position, so the order is that of the content.
#include <cstddef>
#include <string>

namespace hs::session {

inline bool scoredBefore(std::size_t tokensA, const std::string& idA, std::size_t tokensB, const std::string& idB)
{
    return tokensA != tokensB ? tokensA < tokensB : idA < idB;
}

} // namespace hs::session
