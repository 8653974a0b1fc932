// Hand-checked encodings (ids known from the published tokenizers), independent of the golden files.
#include "tests/tokenizer/tokenizer_test_util.h"

#include <doctest/doctest.h>

using hs::tok::Encoding;
using hs::tok::Tokenizer;

namespace {
std::vector<std::pair<int, int>> offs(std::initializer_list<std::pair<int, int>> l) { return l; }
}

TEST_CASE("llama-2: Hello world, BOS, offsets")
{
    HS_REQUIRE_SHARED(path, "data/models/llama2-tokenizer/tokenizer.json");
    const Tokenizer tok = Tokenizer::fromFile(path);
    CHECK(tok.kind() == "bpe-metaspace");
    CHECK(tok.vocabSize() == 32000);
    CHECK(tok.bosId() == 1);
    CHECK(tok.eosId() == 2);
    const Encoding e = tok.encode("Hello world");
    CHECK(e.ids == std::vector<int>{1, 15043, 3186});
    CHECK(e.offsets == offs({{0, 0}, {0, 5}, {5, 11}}));
    CHECK(tok.encode("Hello world", false).ids == std::vector<int>{15043, 3186});
    CHECK(tok.tokenText(278) == "\xE2\x96\x81the");
    CHECK(tok.tokenToId("<0x0A>") == 13);
    CHECK(tok.decode({1, 15043, 3186}) == "<s> Hello world");
    // This file declares <s> normalized=true, and HF tokenizers then keeps it even with skip_special_tokens.
    CHECK(tok.decode({1, 15043, 3186}, true) == "<s> Hello world");
}

TEST_CASE("llama-2: an emoji falls back to its UTF-8 bytes")
{
    HS_REQUIRE_SHARED(path, "data/models/llama2-tokenizer/tokenizer.json");
    const Tokenizer tok = Tokenizer::fromFile(path);
    const Encoding e = tok.encode("\xF0\x9F\x98\x80", false); // U+1F600
    // "▁" then <0xF0> <0x9F> <0x98> <0x80> (byte b has id b + 3); every piece spans the whole character.
    CHECK(e.ids == std::vector<int>{29871, 243, 162, 155, 131});
    CHECK(e.offsets == offs({{0, 4}, {0, 4}, {0, 4}, {0, 4}, {0, 4}}));
    CHECK(tok.decode(e.ids) == "\xF0\x9F\x98\x80");
    CHECK(tok.decode({243, 162}) == "\xEF\xBF\xBD\xEF\xBF\xBD"); // an incomplete sequence: one U+FFFD per byte
}

TEST_CASE("llama-2: the chat prefix starts with the literal <s>")
{
    HS_REQUIRE_SHARED(path, "data/models/llama2-tokenizer/tokenizer.json");
    const Tokenizer tok = Tokenizer::fromFile(path);
    const Encoding e = tok.encode("<s>[INST] hi [/INST]");
    REQUIRE(e.ids.size() >= 3);
    CHECK(e.ids[0] == 1);
    CHECK(e.ids[1] == 1); // the added BOS and the literal one: ReDeEP's two BOS tokens
}

TEST_CASE("mistral v0.3: [INST] is one special token, BOS added")
{
    HS_REQUIRE_SHARED(path, "data/models/mistral-7b-instruct-v0.3/tokenizer.json");
    const Tokenizer tok = Tokenizer::fromFile(path);
    CHECK(tok.vocabSize() == 32768);
    CHECK(tok.kind() == "bpe-metaspace");
    const Encoding e = tok.encode("[INST] Hello[/INST]");
    REQUIRE(e.ids.size() >= 4);
    CHECK(e.ids[0] == 1);
    CHECK(e.ids[1] == 3);
    CHECK(e.ids.back() == 4);
    CHECK(e.offsets[1] == std::make_pair(0, 6));
    CHECK(tok.tokenText(1040) == "\xE2\x96\x81the");
}

TEST_CASE("llama-3 tiktoken file: ranks, specials, Hello world")
{
    HS_REQUIRE_SHARED(path, "data/models/llama3-tokenizer/tokenizer.model");
    CHECK(hs::tok::isTiktokenFile(path));
    const Tokenizer tok = Tokenizer::fromFile(path);
    CHECK(tok.kind() == "bpe-bytelevel");
    CHECK(tok.vocabSize() == 128256);
    CHECK(tok.bosId() == 128000);
    CHECK(tok.tokenToId("<|eot_id|>") == 128009);
    CHECK(tok.tokenToId("<|start_header_id|>") == 128006);
    CHECK(tok.tokenToId("<|python_tag|>") == 128010);
    CHECK(tok.tokenToId("<|reserved_special_token_247|>") == 128255);
    CHECK(tok.tokenText(279) == "\xC4\xA0the"); // "Ġthe"
    const Encoding e = tok.encode("Hello world");
    CHECK(e.ids == std::vector<int>{128000, 9906, 1917});
    CHECK(e.offsets == offs({{0, 0}, {0, 5}, {5, 11}}));
    const Encoding h = tok.encode("<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>", false);
    CHECK(h.ids.front() == 128006);
    CHECK(h.ids.back() == 128009);
    CHECK(tok.decode(h.ids, true) == "user\n\nhi");
}
