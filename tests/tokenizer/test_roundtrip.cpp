// decode(encode(x)) == x over the corpus, where the tokenizer is lossless for x.
#include "tests/tokenizer/tokenizer_test_util.h"

#include <doctest/doctest.h>

using hs::tok::Tokenizer;

namespace {
bool mentionsSpecial(const std::string& t)
{
    for (const char* s : {"<s>", "</s>", "<unk>", "[INST]", "[/INST]", "[TOOL_CALLS]", "[AVAILABLE_TOOLS]", "[control_",
                          "<|", "<mask>", "\xE2\x96\x81"})
        if (t.find(s) != std::string::npos) return true;
    return false;
}

void roundTrip(const Tokenizer& tok, bool allowLeadingSpaceLoss)
{
    int checked = 0;
    for (const auto& c : hs::test::loadCorpus()) {
        if (mentionsSpecial(c.text)) continue;
        const std::string back = tok.decode(tok.encode(c.text, false).ids, true);
        if (allowLeadingSpaceLoss && !c.text.empty() && c.text[0] == ' ') {
            CHECK_MESSAGE(" " + back == c.text, c.id);
        } else {
            CHECK_MESSAGE(back == c.text, c.id);
        }
        ++checked;
    }
    CHECK(checked > 400);
}
} // namespace

TEST_CASE("round trip: llama-2")
{
    HS_REQUIRE_SHARED(path, "data/models/llama2-tokenizer/tokenizer.json");
    roundTrip(Tokenizer::fromFile(path), false);
}

TEST_CASE("round trip: mistral v0.3 (a leading space is dropped, as HF does)")
{
    HS_REQUIRE_SHARED(path, "data/models/mistral-7b-instruct-v0.3/tokenizer.json");
    roundTrip(Tokenizer::fromFile(path), true);
}

TEST_CASE("round trip: llama-3")
{
    HS_REQUIRE_SHARED(path, "data/models/llama3-tokenizer/tokenizer.model");
    roundTrip(Tokenizer::fromFile(path), false);
}

TEST_CASE("round trip: tiny byte-level fixtures")
{
    roundTrip(Tokenizer::fromFile(hs::test::fixturePath("tiny-bytelevel-llama3/tokenizer.json")), false);
    roundTrip(Tokenizer::fromFile(hs::test::fixturePath("tiny-bytelevel-gpt2/tokenizer.json")), false);
}
