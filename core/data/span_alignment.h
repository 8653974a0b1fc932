#pragma once
// Character spans -> token spans, from the per-token byte offsets a tokenizer returns (no
// re-tokenising of prefixes). Two conventions:
//  * Reference (ReDeEP, docs/detect.md §1): a boundary at byte b maps to the number of tokens that start
//    before b, which is what len(tok(prefix)) counts. Chunks are [begin, end); hallucination spans
//    are [begin, end] with the END INCLUSIVE, so the token right after a span is also marked.
//  * Clean: a token belongs to a span when its bytes overlap the span; ranges are half-open.
#include "core/data/sample.h"

#include <utility>
#include <vector>

namespace hs::data {

enum class SpanMode { Reference, Clean };

// Per-token [start, end) byte offsets into the tokenised text. Special tokens usually carry
// (0, 0) or an empty range; they count as starting at their `first` offset.
using TokenOffsets = std::vector<std::pair<int, int>>;

struct TokenSpan {
    int begin = 0;
    int end = 0;   // exclusive, except for Reference-mode hallucination spans (inclusive)
    bool operator==(const TokenSpan& o) const { return begin == o.begin && end == o.end; }
};

// Number of tokens whose start lies before byte `pos`: what len(tok(text[:pos])) counts. A token
// straddling `pos` counts, as the partial piece would in the prefix. With metaspace (Llama-2) and
// byte-level (Llama-3) tokenizers the offsets of "▁word" / " word" start at the space, so at a
// boundary right after a space this also counts the trailing "▁" that prefix tokenisation makes.
int tokensStartingBefore(const TokenOffsets& offsets, int pos);

// A response/prompt chunk [a, b) (bytes into the tokenised text, after adding `textBase`, the byte
// offset where the response or prompt begins inside it) -> half-open token range.
// Reference: [tokensStartingBefore(a), tokensStartingBefore(b)).
// Clean: first..last token overlapping [a, b), half-open; an empty range {k, k} when none overlaps.
TokenSpan chunkToTokens(const TokenOffsets& offsets, CharSpan span, SpanMode mode, int textBase = 0);

// A hallucination span -> token span. Reference: [tokensStartingBefore(a), tokensStartingBefore(b)]
// with the end inclusive. Clean: the same as chunkToTokens (half-open).
TokenSpan hallucinationToTokens(const TokenOffsets& offsets, CharSpan span, SpanMode mode, int textBase = 0);

// Does token t lie in the hallucination span (inclusive end in Reference mode)?
bool tokenInSpan(int t, TokenSpan hallucination, SpanMode mode);

// Does the half-open token range `range` share a token with the hallucination span?
bool rangeOverlapsSpan(TokenSpan range, TokenSpan hallucination, SpanMode mode);

// 1 when `range` overlaps any of the spans (a chunk's label), else 0.
int rangeLabel(TokenSpan range, const std::vector<TokenSpan>& hallucinations, SpanMode mode);

// Per-token labels for positions [0, numTokens): 1 inside any hallucination span.
std::vector<int> tokenLabels(int numTokens, const std::vector<TokenSpan>& hallucinations, SpanMode mode);

} // namespace hs::data
