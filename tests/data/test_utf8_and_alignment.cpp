#include "core/data/span_alignment.h"
#include "core/data/utf8.h"
#include "core/util/error.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

using namespace hs::data;

TEST_CASE("utf8: validation reports the first bad byte")
{
    std::size_t bad = 99;
    CHECK(isValidUtf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
    CHECK_FALSE(isValidUtf8("ab\xC3", &bad));
    CHECK(bad == 2);
    CHECK_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));      // a UTF-16 surrogate
    CHECK_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_THROWS_AS(decodeUtf8("\xFF"), hs::InputError);
}

TEST_CASE("utf8: code point <-> byte maps")
{
    const std::string s = "a\xC3\xA9\xF0\x9F\x98\x80z"; // a é 😀 z
    CHECK(codepointCount(s) == 4);
    CHECK(codepointToByteMap(s) == std::vector<int>{0, 1, 3, 7, 8});
    CHECK(byteToCodepoint(codepointToByteMap(s), 3) == 2);
    CHECK(byteToCodepoint(codepointToByteMap(s), 4) == -1);
    CHECK(encodeUtf8(decodeUtf8(s)) == s);
    CHECK(decodeUtf8(s) == U"a\u00E9\U0001F600z");
}

namespace {
// "<s> The cat sat." tokenised as BOS(0,0) "The"(0,3) " cat"(3,7) " sat"(7,11) "."(11,12)
const TokenOffsets kOffsets{{0, 0}, {0, 3}, {3, 7}, {7, 11}, {11, 12}};
} // namespace

TEST_CASE("alignment: reference mode counts the tokens that start before each boundary")
{
    CHECK(tokensStartingBefore(kOffsets, 0) == 0);
    CHECK(tokensStartingBefore(kOffsets, 1) == 2);  // BOS and "The"
    CHECK(tokensStartingBefore(kOffsets, 4) == 3);
    // chunk " cat sat" [3, 11) -> tokens [2, 4)
    CHECK(chunkToTokens(kOffsets, {3, 11}, SpanMode::Reference) == TokenSpan{2, 4});
    // with the response starting at byte 3 of the tokenised text
    CHECK(chunkToTokens(kOffsets, {0, 8}, SpanMode::Reference, 3) == TokenSpan{2, 4});
    // hallucination "cat" [4, 7): begin counts " cat" (starts before 4), end inclusive
    TokenSpan h = hallucinationToTokens(kOffsets, {4, 7}, SpanMode::Reference);
    CHECK(h == TokenSpan{3, 3});
    CHECK(tokenInSpan(3, h, SpanMode::Reference));
    CHECK_FALSE(tokenInSpan(2, h, SpanMode::Reference));
    // the inclusive end: a chunk starting right after the span still overlaps it (a reference quirk, docs/detect.md §1)
    TokenSpan span{2, 3}; // " cat" exactly: [tokens(3), tokens(7)] = [2, 3]
    CHECK(rangeOverlapsSpan({3, 5}, span, SpanMode::Reference));
    CHECK_FALSE(rangeOverlapsSpan({3, 5}, span, SpanMode::Clean));
    CHECK(tokenLabels(5, {span}, SpanMode::Reference) == std::vector<int>{0, 0, 1, 1, 0});
    CHECK(tokenLabels(5, {span}, SpanMode::Clean) == std::vector<int>{0, 0, 1, 0, 0});
}

TEST_CASE("alignment: clean mode uses byte overlap and half-open ranges")
{
    CHECK(chunkToTokens(kOffsets, {4, 7}, SpanMode::Clean) == TokenSpan{2, 3});
    CHECK(chunkToTokens(kOffsets, {5, 9}, SpanMode::Clean) == TokenSpan{2, 4});
    CHECK(chunkToTokens(kOffsets, {12, 12}, SpanMode::Clean) == TokenSpan{5, 5});  // nothing overlaps
    CHECK(rangeLabel({2, 3}, {TokenSpan{2, 3}}, SpanMode::Clean) == 1);
    CHECK(rangeLabel({3, 5}, {TokenSpan{2, 3}}, SpanMode::Clean) == 0);
    CHECK(rangeLabel({3, 3}, {TokenSpan{0, 9}}, SpanMode::Reference) == 0);       // empty range
}
