#pragma once
// The order in which a run's batches are scored (not the order a session lists them in: that is the scoring
// order of core/session/sample_order.h, whatever order they were saved in). Batches are formed in length
// order, shortest first; running them so made every early view of the run unrepresentative of the rest: the
// time left came out 40-50 % too low after the first tenth of the demo (the long batches at the end cost more
// per token, and a fit on short batches alone cannot see how much more), and the live running AUC described
// short answers only. So the longest batch runs first — a run that does not fit fails in its first minute,
// not its last — and then the rest in van der Corput order, in which every prefix is spread evenly over the
// lengths (0, 1/2, 1/4, 3/4, 1/8, ... of the way along). The batches themselves do not change, so neither
// does any feature.
#include <cstddef>
#include <utility>
#include <vector>

namespace hs::detect {

// A permutation of 0..n-1: n-1 first, then 0..n-2 in van der Corput (bit-reversal) order.
std::vector<std::size_t> progressOrder(std::size_t n);

// `items` (in length order) rearranged into progressOrder.
template <class T>
std::vector<T> inProgressOrder(std::vector<T> items)
{
    std::vector<T> out;
    out.reserve(items.size());
    for (std::size_t i : progressOrder(items.size()))
        out.push_back(std::move(items[i]));
    return out;
}

} // namespace hs::detect
