#pragma once
// Byte-pair encoding as Hugging Face tokenizers' BPE model does it (merge priority queue over a linked list of
// symbols, byte fallback to <0xXX>, fuse_unk, ignore_merges), plus tiktoken's variant where the priority of a merge
// is the rank (= id) of the merged token.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace hs::tok {

// A token produced by a model: id and normalised byte range inside the word it came from.
struct ModelToken {
    int id;
    std::size_t begin, end;
};

class BpeModel {
public:
    std::unordered_map<std::string, int> vocab;
    std::vector<std::string> idToToken; // "" where an id has no model token
    std::optional<int> unkId;
    bool byteFallback = false;
    bool fuseUnk = false;
    bool ignoreMerges = false;
    bool tiktokenRanks = false; // merge priority = id of the merged token (no merges list)
    std::string continuingSubwordPrefix, endOfWordSuffix;

    void addMerge(int left, int right, int rank, int merged);
    void finalize(); // builds id -> byte-fallback table; call after vocab/merges are set

    // Metaspace tokenizers hand the model whole sentences as one word. When no vocabulary token has `marker`
    // ("▁") right after another character, no merge can cross the start of a "▁word", so the word can be cut
    // there and each piece merged (and cached) on its own: same result, much faster. Returns whether enabled.
    bool enableMarkerSplit(const std::string& marker);

    std::vector<ModelToken> tokenize(const std::string& word) const;

private:
    struct MergeInfo { int rank; int merged; };
    // Open-addressing table keyed by (left id, right id): a node-based map costs a cache miss or three per lookup,
    // and a 3,000-token prompt does ~40,000 lookups.
    struct MergeSlot { std::uint64_t key; MergeInfo info; };
    std::vector<MergeSlot> mergeTable_;
    std::vector<MergeSlot> pendingMerges_;
    std::uint64_t mergeMask_ = 0;
    int byteIds_[256];

    std::optional<MergeInfo> findMerge(int left, int right) const;
    std::vector<ModelToken> mergeWord(const std::string& word) const;
    std::vector<ModelToken> cachedMerge(const std::string& word) const;
    std::string splitMarker_;

    mutable std::mutex cacheMutex_;
    mutable std::unordered_map<std::string, std::vector<ModelToken>> cache_;
};

} // namespace hs::tok
