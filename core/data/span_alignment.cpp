#include "core/data/span_alignment.h"

#include <algorithm>

namespace hs::data {

int tokensStartingBefore(const TokenOffsets& offsets, int pos)
{
    // Offsets are not guaranteed monotone (special tokens may report (0, 0) anywhere), so count
    // rather than binary-search; sequences are a few thousand tokens.
    int n = 0;
    for (const auto& o : offsets) n += o.first < pos;
    return n;
}

TokenSpan chunkToTokens(const TokenOffsets& offsets, CharSpan span, SpanMode mode, int textBase)
{
    const int a = span.start + textBase, b = span.end + textBase;
    if (mode == SpanMode::Reference)
        return {tokensStartingBefore(offsets, a), tokensStartingBefore(offsets, b)};
    int first = -1, last = -1;
    for (int t = 0; t < static_cast<int>(offsets.size()); ++t) {
        const auto& o = offsets[t];
        if (o.second <= o.first) continue; // zero-width (special) tokens cover no text
        if (o.first < b && o.second > a) {
            if (first < 0) first = t;
            last = t;
        }
    }
    if (first < 0) {
        const int k = tokensStartingBefore(offsets, a);
        return {k, k};
    }
    return {first, last + 1};
}

TokenSpan hallucinationToTokens(const TokenOffsets& offsets, CharSpan span, SpanMode mode, int textBase)
{
    // In reference mode the numbers are the same as a chunk's; only their reading differs (the end
    // is inclusive), which tokenInSpan / rangeOverlapsSpan apply.
    return chunkToTokens(offsets, span, mode, textBase);
}

bool tokenInSpan(int t, TokenSpan h, SpanMode mode)
{
    return mode == SpanMode::Reference ? (h.begin <= t && t <= h.end) : (h.begin <= t && t < h.end);
}

bool rangeOverlapsSpan(TokenSpan r, TokenSpan h, SpanMode mode)
{
    if (r.end <= r.begin) return false;
    const int hEnd = mode == SpanMode::Reference ? h.end + 1 : h.end; // make it half-open
    return r.begin < hEnd && h.begin < r.end && h.begin < hEnd;
}

int rangeLabel(TokenSpan range, const std::vector<TokenSpan>& hallucinations, SpanMode mode)
{
    for (const auto& h : hallucinations)
        if (rangeOverlapsSpan(range, h, mode)) return 1;
    return 0;
}

std::vector<int> tokenLabels(int numTokens, const std::vector<TokenSpan>& hallucinations, SpanMode mode)
{
    std::vector<int> labels(std::max(0, numTokens), 0);
    for (const auto& h : hallucinations) {
        const int hEnd = mode == SpanMode::Reference ? h.end + 1 : h.end;
        for (int t = std::max(0, h.begin); t < std::min(numTokens, hEnd); ++t) labels[t] = 1;
    }
    return labels;
}

} // namespace hs::data
