#include "core/tokenizer/pipeline.h"

#include "core/tokenizer/unicode.h"

namespace hs::tok {

namespace {

// HF PreTokenizedString::split: splits that already hold tokens stay; empty results are dropped.
template <class F>
void splitEach(std::vector<Split>& splits, F&& f)
{
    std::vector<Split> out;
    out.reserve(splits.size());
    for (Split& s : splits) {
        if (s.hasTokens) {
            out.push_back(std::move(s));
            continue;
        }
        for (NormalizedString& piece : f(s.text))
            if (!piece.empty()) out.push_back(Split{std::move(piece), false, {}});
    }
    splits = std::move(out);
}

std::vector<MatchSpan> charMatches(const std::string& s, bool (*pred)(char32_t))
{
    std::vector<MatchSpan> out;
    std::size_t last = 0, n = 0;
    for (std::size_t i = 0; i < s.size(); i += n) {
        const char32_t c = decodeUtf8(s, i, n);
        if (!pred(c)) continue;
        if (last < i) out.push_back({last, i, false});
        out.push_back({i, i + n, true});
        last = i + n;
    }
    if (last < s.size() || out.empty()) out.push_back({last, s.size(), false});
    return out;
}

bool isBertPunctuation(char32_t c)
{
    return (c < 0x80 && ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126))) ||
           isPunctuation(c);
}

std::vector<MatchSpan> inverted(std::vector<MatchSpan> m)
{
    for (MatchSpan& s : m) s.isMatch = !s.isMatch;
    return m;
}

void byteLevelMap(std::vector<Split>& splits)
{
    for (Split& s : splits) {
        if (s.hasTokens) continue;
        const std::string& text = s.text.get();
        std::vector<CharChange> dest;
        dest.reserve(text.size());
        for (std::size_t i = 0, n = 0; i < text.size(); i += n) {
            decodeUtf8(text, i, n);
            for (std::size_t k = 0; k < n; ++k) {
                std::size_t m = 0;
                const std::string& ch = byteLevelChar(static_cast<unsigned char>(text[i + k]));
                dest.push_back({decodeUtf8(ch, 0, m), k > 0 ? 1 : 0});
            }
        }
        s.text.transform(dest, 0);
    }
}

} // namespace

void applyPreTokenizers(const std::vector<PreTokenizerStep>& steps, std::vector<Split>& splits)
{
    for (const PreTokenizerStep& step : steps) {
        switch (step.kind) {
        case PreTokenizerStep::Kind::Metaspace:
            splitEach(splits, [&](NormalizedString& ns) {
                ns.replace(" ", step.replacement);
                const bool startsWith = ns.get().compare(0, step.replacement.size(), step.replacement) == 0;
                const bool prepend = step.prependScheme == PrependScheme::Always
                                         ? !startsWith
                                         : step.prependScheme == PrependScheme::First && !startsWith &&
                                               ns.originalShift() == 0;
                if (prepend) ns.prepend(step.replacement);
                if (!step.splitOnReplacement) return std::vector<NormalizedString>{ns};
                return ns.split(findLiteralMatches(ns.get(), step.replacement), SplitBehavior::MergedWithNext);
            });
            break;
        case PreTokenizerStep::Kind::ByteLevel:
            splitEach(splits, [&](NormalizedString& ns) {
                if (step.addPrefixSpace && ns.get().compare(0, 1, " ") != 0) ns.prepend(" ");
                if (!step.useRegex) return std::vector<NormalizedString>{ns};
                return ns.split(findPatternMatches(ns.get(), SplitPattern::Gpt2), SplitBehavior::Isolated);
            });
            byteLevelMap(splits);
            break;
        case PreTokenizerStep::Kind::SplitRegex:
        case PreTokenizerStep::Kind::SplitLiteral:
            splitEach(splits, [&](NormalizedString& ns) {
                auto m = step.kind == PreTokenizerStep::Kind::SplitRegex ? findPatternMatches(ns.get(), step.pattern)
                                                                         : findLiteralMatches(ns.get(), step.literal);
                return ns.split(step.invert ? inverted(std::move(m)) : m, step.behavior);
            });
            break;
        case PreTokenizerStep::Kind::Bert:
            splitEach(splits, [](NormalizedString& ns) {
                return ns.split(charMatches(ns.get(), isWhitespace), SplitBehavior::Removed);
            });
            splitEach(splits, [](NormalizedString& ns) {
                return ns.split(charMatches(ns.get(), isBertPunctuation), SplitBehavior::Isolated);
            });
            break;
        case PreTokenizerStep::Kind::Whitespace:
            splitEach(splits, [](NormalizedString& ns) {
                return ns.split(inverted(findPatternMatches(ns.get(), SplitPattern::Whitespace)),
                                SplitBehavior::Removed);
            });
            break;
        case PreTokenizerStep::Kind::WhitespaceSplit:
            splitEach(splits, [](NormalizedString& ns) {
                return ns.split(charMatches(ns.get(), isWhitespace), SplitBehavior::Removed);
            });
            break;
        }
    }
}

} // namespace hs::tok
