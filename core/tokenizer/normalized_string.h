#pragma once
// A string being normalised, with the alignment of every normalised byte to a byte range of the original input.
// This is a port of the semantics of Hugging Face tokenizers' NormalizedString, because token offsets must match
// HF exactly: an inserted character (e.g. the "▁" that Prepend/Metaspace add) takes the alignment of the character
// before it (or of the character it replaces), a removed character leaves no trace, and a token's offsets are
// [alignment(first byte).begin, alignment(last byte).end).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace hs::tok {

struct Alignment {
    std::uint32_t begin = 0, end = 0; // original bytes, relative to this string's originalShift
    bool operator==(const Alignment& o) const { return begin == o.begin && end == o.end; }
};

// One output character of a transformation and how it relates to the input (HF's "change" convention):
// 0 replaces the next input character, 1 is inserted, -N replaces the next character and removes N more.
struct CharChange {
    char32_t c;
    int change;
};

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

// A match list covering a string: [begin, end) normalised byte ranges, each flagged as a delimiter match or not.
struct MatchSpan {
    std::size_t begin, end;
    bool isMatch;
};

class NormalizedString {
public:
    NormalizedString() = default;
    NormalizedString(std::string original, std::size_t originalShift);

    const std::string& get() const { return normalized_; }
    bool empty() const { return normalized_.empty(); }
    std::size_t originalShift() const { return originalShift_; }
    std::size_t originalLength() const { return originalLength_; }
    const std::vector<Alignment>& alignments() const { return alignments_; }

    // Absolute original byte range of the normalised byte range [b, e).
    std::pair<std::size_t, std::size_t> originalRange(std::size_t b, std::size_t e) const;

    // HF transform_range over normalised bytes [b, e); initialOffset = characters removed at the start.
    void transformRange(std::size_t b, std::size_t e, const std::vector<CharChange>& dest, std::size_t initialOffset);
    void transform(const std::vector<CharChange>& dest, std::size_t initialOffset)
    {
        transformRange(0, normalized_.size(), dest, initialOffset);
    }

    void prepend(const std::string& s);
    void replace(const std::string& pattern, const std::string& content); // every occurrence, left to right
    void lowercase();
    void nfd();
    void filter(const std::function<bool(char32_t)>& keep);
    void map(const std::function<char32_t(char32_t)>& f);

    NormalizedString slice(std::size_t b, std::size_t e) const; // normalised byte range
    std::vector<NormalizedString> split(const std::vector<MatchSpan>& matches, SplitBehavior behavior) const;

private:
    std::string normalized_;
    std::vector<Alignment> alignments_; // one per normalised byte
    std::size_t originalShift_ = 0;
    std::size_t originalLength_ = 0;
};

// Decode a UTF-8 string into (code point) characters.
std::vector<char32_t> toChars(const std::string& s);

} // namespace hs::tok
