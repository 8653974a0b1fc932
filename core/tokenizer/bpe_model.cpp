#include "core/tokenizer/bpe_model.h"

#include "core/tokenizer/unicode.h"

#include <cstdio>
#include <queue>

namespace hs::tok {

namespace {
constexpr std::size_t kCacheMaxWordBytes = 256;   // like HF: long words are not worth caching
constexpr std::size_t kCacheMaxEntries = 200000;

std::uint64_t pairKey(int a, int b) { return (std::uint64_t(std::uint32_t(a)) << 32) | std::uint32_t(b); }
constexpr std::uint64_t kEmptyKey = ~std::uint64_t(0);
// Fibonacci hashing: the top bits of the product depend on every bit of the key.
std::uint64_t slotOf(std::uint64_t key, std::uint64_t mask)
{
    std::uint64_t h = key * 0x9E3779B97F4A7C15ULL;
    return (h ^ (h >> 29) ^ (h >> 47)) & mask;
}

struct Symbol {
    int id;
    int prev, next;     // linked list over the symbol array; -1 at the ends
    std::size_t begin;  // byte range in the word
    std::size_t len;    // 0 once merged into its left neighbour
};

struct QueuedMerge {
    int pos;
    int rank;
    int merged;
    // std::priority_queue pops the largest: invert so the lowest rank, then the leftmost position, comes first.
    bool operator<(const QueuedMerge& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
};
} // namespace

void BpeModel::addMerge(int left, int right, int rank, int merged)
{
    pendingMerges_.push_back({pairKey(left, right), MergeInfo{rank, merged}});
}

void BpeModel::finalize()
{
    std::size_t cap = 16;
    while (cap < pendingMerges_.size() * 2) cap *= 2;
    mergeTable_.assign(cap, MergeSlot{kEmptyKey, {0, 0}});
    mergeMask_ = cap - 1;
    for (const MergeSlot& m : pendingMerges_) {
        std::uint64_t i = slotOf(m.key, mergeMask_);
        while (mergeTable_[i].key != kEmptyKey && mergeTable_[i].key != m.key) i = (i + 1) & mergeMask_;
        mergeTable_[i] = m; // a repeated pair: the last one wins, as when HF collects merges into a HashMap
    }
    pendingMerges_.clear();
    pendingMerges_.shrink_to_fit();
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        auto it = vocab.find(name);
        byteIds_[b] = it == vocab.end() ? -1 : it->second;
    }
}

std::optional<BpeModel::MergeInfo> BpeModel::findMerge(int left, int right) const
{
    if (tiktokenRanks) {
        auto it = vocab.find(idToToken[left] + idToToken[right]);
        if (it == vocab.end()) return std::nullopt;
        return MergeInfo{it->second, it->second};
    }
    if (mergeTable_.empty()) return std::nullopt;
    const std::uint64_t key = pairKey(left, right);
    for (std::uint64_t i = slotOf(key, mergeMask_);; i = (i + 1) & mergeMask_) {
        if (mergeTable_[i].key == key) return mergeTable_[i].info;
        if (mergeTable_[i].key == kEmptyKey) return std::nullopt;
    }
}

bool BpeModel::enableMarkerSplit(const std::string& marker)
{
    splitMarker_.clear();
    if (marker.empty() || ignoreMerges) return false;
    for (const auto& [token, id] : vocab) {
        for (std::size_t p = token.find(marker, 1); p != std::string::npos; p = token.find(marker, p + 1)) {
            if (p < marker.size() || token.compare(p - marker.size(), marker.size(), marker) != 0) return false;
        }
    }
    splitMarker_ = marker;
    return true;
}

std::vector<ModelToken> BpeModel::tokenize(const std::string& word) const
{
    if (word.empty()) return {};
    if (ignoreMerges) {
        auto it = vocab.find(word);
        if (it != vocab.end()) return {{it->second, 0, word.size()}};
    }
    if (splitMarker_.empty()) return cachedMerge(word);
    const std::size_t m = splitMarker_.size();
    std::vector<ModelToken> out;
    std::size_t pieceStart = 0;
    auto flush = [&](std::size_t end) {
        if (end <= pieceStart) return;
        for (ModelToken t : cachedMerge(word.substr(pieceStart, end - pieceStart))) {
            t.begin += pieceStart;
            t.end += pieceStart;
            out.push_back(t);
        }
        pieceStart = end;
    };
    for (std::size_t p = word.find(splitMarker_, 1); p != std::string::npos; p = word.find(splitMarker_, p + 1)) {
        const bool afterMarker = p >= m && word.compare(p - m, m, splitMarker_) == 0;
        if (!afterMarker) flush(p);
    }
    flush(word.size());
    return out;
}

std::vector<ModelToken> BpeModel::cachedMerge(const std::string& word) const
{
    const bool cacheable = word.size() <= kCacheMaxWordBytes;
    if (cacheable) {
        std::lock_guard<std::mutex> lock(cacheMutex_);
        auto it = cache_.find(word);
        if (it != cache_.end()) return it->second;
    }
    std::vector<ModelToken> out = mergeWord(word);
    if (cacheable) {
        std::lock_guard<std::mutex> lock(cacheMutex_);
        if (cache_.size() >= kCacheMaxEntries) cache_.clear();
        cache_.emplace(word, out);
    }
    return out;
}

std::vector<ModelToken> BpeModel::mergeWord(const std::string& word) const
{
    std::vector<Symbol> symbols;
    symbols.reserve(word.size());
    auto add = [&](int id, std::size_t begin, std::size_t len) {
        const int n = int(symbols.size());
        symbols.push_back({id, n - 1, -1, begin, len});
        if (n > 0) symbols[n - 1].next = n;
    };
    std::optional<std::pair<int, std::size_t>> unk; // pending unknown: id, begin; length accumulates below
    std::size_t unkLen = 0;
    auto flushUnk = [&]() {
        if (unk) add(unk->first, unk->second, unkLen);
        unk.reset();
    };

    for (std::size_t i = 0, n = 0; i < word.size(); i += n) {
        decodeUtf8(word, i, n);
        std::string piece = word.substr(i, n);
        if (!continuingSubwordPrefix.empty() && i > 0) piece = continuingSubwordPrefix + piece;
        if (!endOfWordSuffix.empty() && i + n == word.size()) piece += endOfWordSuffix;
        auto it = vocab.find(piece);
        if (it != vocab.end()) {
            flushUnk();
            add(it->second, i, n);
            continue;
        }
        if (byteFallback) {
            bool all = true;
            for (std::size_t k = 0; k < n && all; ++k) all = byteIds_[static_cast<unsigned char>(word[i + k])] >= 0;
            if (all) {
                // HF does not flush a pending unk here: it is emitted later, after these bytes.
                for (std::size_t k = 0; k < n; ++k) add(byteIds_[static_cast<unsigned char>(word[i + k])], i + k, 1);
                continue;
            }
        }
        if (unkId) {
            if (unk && fuseUnk) {
                unkLen += n;
            } else {
                flushUnk();
                unk = std::make_pair(*unkId, i);
                unkLen = n;
            }
        }
    }
    flushUnk();

    std::priority_queue<QueuedMerge> queue;
    for (std::size_t p = 0; p + 1 < symbols.size(); ++p)
        if (auto m = findMerge(symbols[p].id, symbols[p + 1].id)) queue.push({int(p), m->rank, m->merged});

    while (!queue.empty()) {
        const QueuedMerge top = queue.top();
        queue.pop();
        Symbol& cur = symbols[top.pos];
        if (cur.len == 0 || cur.next < 0) continue;
        const int nextPos = cur.next;
        Symbol& right = symbols[nextPos];
        auto check = findMerge(cur.id, right.id);
        if (!check || check->merged != top.merged) continue; // stale entry
        cur.id = top.merged;
        cur.len += right.len;
        cur.next = right.next;
        right.len = 0;
        if (cur.next >= 0) symbols[cur.next].prev = top.pos;
        if (cur.prev >= 0)
            if (auto m = findMerge(symbols[cur.prev].id, cur.id)) queue.push({cur.prev, m->rank, m->merged});
        if (cur.next >= 0)
            if (auto m = findMerge(cur.id, symbols[cur.next].id)) queue.push({top.pos, m->rank, m->merged});
    }

    // Offsets are cumulative symbol lengths, as HF's Word computes them.
    std::vector<ModelToken> out;
    std::size_t at = 0;
    for (const Symbol& s : symbols) {
        if (s.len == 0) continue;
        out.push_back({s.id, at, at + s.len});
        at += s.len;
    }
    return out;
}

} // namespace hs::tok
