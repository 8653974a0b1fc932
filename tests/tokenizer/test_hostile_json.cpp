// tokenizer.json readers must not recurse in proportion to the input: a 50,000-deep Sequence normaliser
// used to overflow the stack.
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

TEST_CASE("a deeply nested Sequence normaliser is refused, not a stack overflow")
{
    std::string norm = "null";
    for (int i = 0; i < 50000; ++i) norm = "{\"type\":\"Sequence\",\"normalizers\":[" + norm + "]}";
    const std::string json = "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[]},\"normalizer\":" + norm + "}";
    CHECK_THROWS_WITH_AS(hs::tok::Tokenizer::fromJsonText(json, "deep/tokenizer.json"),
                         doctest::Contains("deep/tokenizer.json: JSON nested deeper than"), hs::InputError);
}

TEST_CASE("an added token id beyond 32 bits is refused, not cut")
{
    const std::string json = "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[]},"
                             "\"added_tokens\":[{\"id\":4294967296,\"content\":\"<s>\",\"special\":true}]}";
    CHECK_THROWS_WITH_AS(hs::tok::Tokenizer::fromJsonText(json, "t.json"), doctest::Contains("out of range"),
                         hs::InputError);
}

TEST_CASE("maxBytesPerToken bounds the bytes a token covers (0 for WordPiece)")
{
    const std::string dir = hs::test::sourceDir() + "/tests/fixtures/tokenizer/";
    const auto bpe = hs::tok::Tokenizer::fromFile(dir + "tiny-bytelevel-gpt2/tokenizer.json");
    CHECK(bpe.maxBytesPerToken() > 0);
    const std::string text = "Hello world, this is a sentence with several words in it.";
    CHECK(bpe.encode(text, false).ids.size() * bpe.maxBytesPerToken() >= text.size());
    CHECK(hs::tok::Tokenizer::fromFile(dir + "tiny-wordpiece/tokenizer.json").maxBytesPerToken() == 0);
}

TEST_CASE("a vocabulary id that is a huge float or beyond 32 bits is refused by name")
{
    // Found by fuzz_tokenizer_json (UBSan): get<map<string, int>> converted 4.4e113 to int.
    for (const char* id : {"4.4e113", "4294967297", "1.5", "\"7\""}) {
        CAPTURE(id);
        const std::string json = std::string("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":") + id +
                                 "},\"merges\":[]}}";
        CHECK_THROWS_WITH_AS(hs::tok::Tokenizer::fromJsonText(json, "v.json"), doctest::Contains("vocab entry 'b'"),
                             hs::InputError);
    }
}
