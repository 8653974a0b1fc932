#include "core/tokenizer/normalized_string.h"

#include "core/tokenizer/unicode.h"

#include <algorithm>

namespace hs::tok {

std::vector<char32_t> toChars(const std::string& s)
{
    std::vector<char32_t> out;
    out.reserve(s.size());
    for (std::size_t i = 0, n = 0; i < s.size(); i += n) out.push_back(decodeUtf8(s, i, n));
    return out;
}

NormalizedString::NormalizedString(std::string original, std::size_t originalShift)
    : normalized_(std::move(original)), originalShift_(originalShift), originalLength_(normalized_.size())
{
    alignments_.resize(normalized_.size());
    for (std::size_t i = 0, n = 0; i < normalized_.size(); i += n) {
        n = utf8CharLength(normalized_, i);
        for (std::size_t k = 0; k < n; ++k) alignments_[i + k] = {std::uint32_t(i), std::uint32_t(i + n)};
    }
}

std::pair<std::size_t, std::size_t> NormalizedString::originalRange(std::size_t b, std::size_t e) const
{
    if (b >= e || e > alignments_.size()) return {originalShift_ + b, originalShift_ + b};
    return {originalShift_ + alignments_[b].begin, originalShift_ + alignments_[e - 1].end};
}

void NormalizedString::transformRange(std::size_t b, std::size_t e, const std::vector<CharChange>& dest,
                                      std::size_t initialOffset)
{
    // Characters being replaced, walked as the changes consume them.
    std::size_t cursor = b;
    auto nextCharSize = [&]() -> std::size_t {
        if (cursor >= e) return 0;
        std::size_t n = std::min(utf8CharLength(normalized_, cursor), e - cursor);
        cursor += n;
        return n;
    };
    std::size_t removed = 0;
    for (std::size_t k = 0; k < initialOffset; ++k) removed += nextCharSize();

    std::size_t offset = b + removed;
    std::string text;
    std::vector<Alignment> align;
    text.reserve(e - b);
    align.reserve(e - b);
    for (const CharChange& d : dest) {
        Alignment a;
        if (d.change > 0) {
            a = offset < 1 ? Alignment{} : alignments_[offset - 1];
        } else {
            a = offset < alignments_.size() ? alignments_[offset] : Alignment{};
            offset += nextCharSize();
            for (int k = 0; k < -d.change; ++k) offset += nextCharSize();
        }
        const std::size_t before = text.size();
        appendUtf8(text, d.c);
        align.insert(align.end(), text.size() - before, a);
    }
    normalized_.replace(b, e - b, text);
    alignments_.erase(alignments_.begin() + b, alignments_.begin() + e);
    alignments_.insert(alignments_.begin() + b, align.begin(), align.end());
}

void NormalizedString::prepend(const std::string& s)
{
    if (normalized_.empty() || s.empty()) return;
    std::size_t n = 0;
    const char32_t first = decodeUtf8(normalized_, 0, n);
    std::vector<CharChange> dest;
    bool isFirst = true;
    for (char32_t c : toChars(s)) {
        dest.push_back({c, isFirst ? 0 : 1});
        isFirst = false;
    }
    dest.push_back({first, 1});
    transformRange(0, n, dest, 0);
}

void NormalizedString::replace(const std::string& pattern, const std::string& content)
{
    if (pattern.empty()) return;
    // Equivalent to HF's per-match transform_range (content inserted after removing the match: every inserted
    // byte takes the alignment of the match's last byte), done in one pass to stay linear.
    std::string text;
    std::vector<Alignment> align;
    text.reserve(normalized_.size());
    align.reserve(normalized_.size());
    std::size_t i = 0;
    while (i < normalized_.size()) {
        const std::size_t hit = normalized_.find(pattern, i);
        const std::size_t stop = hit == std::string::npos ? normalized_.size() : hit;
        text.append(normalized_, i, stop - i);
        align.insert(align.end(), alignments_.begin() + i, alignments_.begin() + stop);
        if (hit == std::string::npos) break;
        const Alignment a = alignments_[hit + pattern.size() - 1];
        text += content;
        align.insert(align.end(), content.size(), a);
        i = hit + pattern.size();
    }
    normalized_ = std::move(text);
    alignments_ = std::move(align);
}

void NormalizedString::lowercase()
{
    std::vector<CharChange> dest;
    std::vector<char32_t> tmp;
    for (char32_t c : toChars(normalized_)) {
        tmp.clear();
        hs::tok::lowercase(c, tmp);
        for (std::size_t k = 0; k < tmp.size(); ++k) dest.push_back({tmp[k], k > 0 ? 1 : 0});
    }
    transform(dest, 0);
}

void NormalizedString::nfd()
{
    std::vector<CharChange> dest;
    std::vector<char32_t> tmp;
    for (char32_t c : toChars(normalized_)) {
        tmp.clear();
        decompose(c, tmp);
        for (std::size_t k = 0; k < tmp.size(); ++k) dest.push_back({tmp[k], k > 0 ? 1 : 0});
    }
    // Canonical ordering: stable sort of each run of non-starters by combining class.
    for (std::size_t i = 0; i < dest.size();) {
        if (combiningClass(dest[i].c) == 0) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < dest.size() && combiningClass(dest[j].c) != 0) ++j;
        std::stable_sort(dest.begin() + i, dest.begin() + j, [](const CharChange& x, const CharChange& y) {
            return combiningClass(x.c) < combiningClass(y.c);
        });
        i = j;
    }
    transform(dest, 0);
}

void NormalizedString::filter(const std::function<bool(char32_t)>& keep)
{
    // HF walks backwards so that a kept character absorbs the removed ones that follow it.
    const std::vector<char32_t> chars = toChars(normalized_);
    std::vector<CharChange> reversed;
    int removed = 0;
    for (auto it = chars.rbegin(); it != chars.rend(); ++it) {
        if (keep(*it)) {
            reversed.push_back({*it, -removed});
            removed = 0;
        } else {
            ++removed;
        }
    }
    std::vector<CharChange> dest(reversed.rbegin(), reversed.rend());
    transform(dest, std::size_t(removed));
}

void NormalizedString::map(const std::function<char32_t(char32_t)>& f)
{
    std::vector<CharChange> dest;
    for (char32_t c : toChars(normalized_)) dest.push_back({f(c), 0});
    transform(dest, 0);
}

NormalizedString NormalizedString::slice(std::size_t b, std::size_t e) const
{
    NormalizedString out;
    out.normalized_ = normalized_.substr(b, e - b);
    if (b >= e) {
        out.originalShift_ = originalShift_ + b;
        return out;
    }
    const std::size_t ob = alignments_[b].begin, oe = alignments_[e - 1].end;
    out.alignments_.assign(alignments_.begin() + b, alignments_.begin() + e);
    for (Alignment& a : out.alignments_) {
        a.begin -= std::uint32_t(ob);
        a.end -= std::uint32_t(ob);
    }
    out.originalShift_ = originalShift_ + ob;
    out.originalLength_ = oe > ob ? oe - ob : 0;
    return out;
}

std::vector<NormalizedString> NormalizedString::split(const std::vector<MatchSpan>& matches,
                                                      SplitBehavior behavior) const
{
    struct Piece { std::size_t b, e; bool remove; };
    std::vector<Piece> pieces;
    switch (behavior) {
    case SplitBehavior::Isolated:
        for (const auto& m : matches) pieces.push_back({m.begin, m.end, false});
        break;
    case SplitBehavior::Removed:
        for (const auto& m : matches) pieces.push_back({m.begin, m.end, m.isMatch});
        break;
    case SplitBehavior::Contiguous: {
        bool prev = false;
        for (const auto& m : matches) {
            if (m.isMatch == prev && !pieces.empty()) pieces.back().e = m.end;
            else pieces.push_back({m.begin, m.end, false});
            prev = m.isMatch;
        }
        break;
    }
    case SplitBehavior::MergedWithPrevious: {
        bool prev = false;
        for (const auto& m : matches) {
            if (m.isMatch && !prev && !pieces.empty()) pieces.back().e = m.end;
            else pieces.push_back({m.begin, m.end, false});
            prev = m.isMatch;
        }
        break;
    }
    case SplitBehavior::MergedWithNext: {
        bool prev = false;
        for (auto it = matches.rbegin(); it != matches.rend(); ++it) {
            if (it->isMatch && !prev && !pieces.empty()) pieces.back().b = it->begin;
            else pieces.push_back({it->begin, it->end, false});
            prev = it->isMatch;
        }
        std::reverse(pieces.begin(), pieces.end());
        break;
    }
    }
    std::vector<NormalizedString> out;
    for (const Piece& p : pieces)
        if (!p.remove) out.push_back(slice(p.b, p.e));
    return out;
}

} // namespace hs::tok
