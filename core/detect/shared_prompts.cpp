#include "core/detect/shared_prompts.h"

#include "core/session/sample_order.h"

#include <algorithm>
#include <map>

namespace hs::detect {

namespace {

std::size_t longest(const std::vector<const PreparedSample*>& b)
{
    std::size_t n = 0;
    for (auto* p : b) n = std::max(n, p->ids.size());
    return n;
}

} // namespace

std::int64_t sharedPrefixLength(const std::vector<const PreparedSample*>& batch)
{
    if (batch.size() < 2) return 0;
    std::int64_t s = batch.front()->firstCapturedRow();
    for (auto* p : batch) s = std::min<std::int64_t>(s, p->firstCapturedRow());
    const auto& first = batch.front()->ids;
    for (auto* p : batch) {
        std::int64_t i = 0;
        while (i < s && p->ids[static_cast<std::size_t>(i)] == first[static_cast<std::size_t>(i)]) ++i;
        s = i;
    }
    return std::max<std::int64_t>(0, s);
}

Batches makeSharedPromptBatches(const std::vector<const PreparedSample*>& todo, int tokenBudget, int maxBatch,
                                int minSharedTokens,
                                const std::function<Batches(std::vector<const PreparedSample*>)>& plainBatches)
{
    // Group by the prompt's tokens; remember each sample's place so the order is the dataset's.
    std::map<std::vector<int>, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < todo.size(); ++i) {
        const PreparedSample* p = todo[i];
        groups[std::vector<int>(p->ids.begin(), p->ids.begin() + p->prefixLen)].push_back(i);
    }
    std::vector<const PreparedSample*> alone;
    std::vector<std::pair<std::size_t, std::vector<const PreparedSample*>>> shared;  // (first index, batch)
    for (auto& [key, members] : groups) {
        std::vector<const PreparedSample*> g;
        for (std::size_t i : members) g.push_back(todo[i]);
        if (g.size() < 2 || sharedPrefixLength(g) < minSharedTokens) {
            alone.insert(alone.end(), g.begin(), g.end());
            continue;
        }
        const std::int64_t S = sharedPrefixLength(g);
        std::sort(g.begin(), g.end(), [](auto* a, auto* b) {
            return session::scoredBefore(a->ids.size(), a->sample->id, b->ids.size(), b->sample->id);
        });
        std::vector<const PreparedSample*> cur;
        auto flush = [&] {
            if (cur.size() == 1) alone.push_back(cur.front());  // a leftover single runs as usual
            else if (!cur.empty()) shared.push_back({members.front(), cur});
            cur.clear();
        };
        for (auto* p : g) {
            const std::int64_t tail = static_cast<std::int64_t>(p->ids.size()) - S;  // sorted: the longest so far
            const std::int64_t need = S + static_cast<std::int64_t>(cur.size() + 1) * tail;
            if (!cur.empty() && (need > tokenBudget || static_cast<int>(cur.size()) >= maxBatch)) flush();
            cur.push_back(p);
        }
        flush();
    }
    // Samples left alone keep the dataset's order before the plain batching sorts them by length.
    std::map<const PreparedSample*, std::size_t> place;
    for (std::size_t i = 0; i < todo.size(); ++i) place[todo[i]] = i;
    std::stable_sort(alone.begin(), alone.end(), [&](auto* a, auto* b) { return place[a] < place[b]; });

    std::vector<std::pair<std::size_t, std::vector<const PreparedSample*>>> all = std::move(shared);
    for (auto& b : plainBatches(alone)) all.push_back({place[b.front()], b});
    // Ties by the first sample's id, so the batches do not depend on the file's order (shards rely on it).
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        const std::size_t la = longest(a.second), lb = longest(b.second);
        return la != lb ? la < lb : a.second.front()->sample->id < b.second.front()->sample->id;
    });
    Batches out;
    for (auto& [first, b] : all) out.push_back(std::move(b));
    return out;
}

} // namespace hs::detect
