// Bad inputs: malformed or unsupported files fail with hs::InputError naming the file; invalid UTF-8 text never
// crashes. Plus direct checks of the hand-written Llama-3 split regex and of HF's offset alignment rules.
#include "core/tokenizer/normalized_string.h"
#include "core/tokenizer/split_patterns.h"
#include "core/tokenizer/unicode.h"
#include "core/util/error.h"
#include "tests/tokenizer/tokenizer_test_util.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

using namespace hs::tok;

namespace {
std::string errorOf(const std::string& json)
{
    try {
        Tokenizer::fromJsonText(json, "bad.json");
    } catch (const hs::InputError& e) {
        return e.what();
    }
    return "";
}

std::vector<std::string> pieces(const std::string& s, SplitPattern p)
{
    std::vector<std::string> out;
    for (const MatchSpan& m : findPatternMatches(s, p)) out.push_back(s.substr(m.begin, m.end - m.begin));
    return out;
}
} // namespace

TEST_CASE("malformed and unsupported tokenizer.json files are InputErrors naming the file")
{
    CHECK(errorOf("{not json").find("bad.json") != std::string::npos);
    CHECK(errorOf("{}").find("no \"model\"") != std::string::npos);
    CHECK(errorOf(R"({"model": {"type": "Unigram", "vocab": []}})").find("Unigram") != std::string::npos);
    CHECK(errorOf(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}})").find("a b") != std::string::npos);
    CHECK(errorOf(R"({"normalizer": {"type": "NFKC"}, "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}})")
              .find("NFKC") != std::string::npos);
    CHECK(errorOf(R"({"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "\\d+"}, "behavior": "Isolated"},
                      "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}})")
              .find("regex") != std::string::npos);
    CHECK(errorOf(R"({"model": {"type": "BPE", "vocab": [1, 2], "merges": []}})").find("bad.json") != std::string::npos);
    CHECK_THROWS_AS(Tokenizer::fromFile("/nonexistent/tokenizer.json"), hs::InputError);
    CHECK_THROWS_AS(Tokenizer::fromDir("/nonexistent"), hs::InputError);
}

TEST_CASE("a broken tiktoken file names its line")
{
    const std::string path = hs::test::buildDir() + "/bad_tiktoken.model";
    {
        std::ofstream out(path);
        out << "IQ== 0\nIg== 1\n!!notbase64 2\n";
    }
    try {
        Tokenizer::fromFile(path);
        FAIL("no error");
    } catch (const hs::InputError& e) {
        CHECK(std::string(e.what()).find(":3:") != std::string::npos);
    }
    std::remove(path.c_str());
}

TEST_CASE("invalid UTF-8 input is tokenised without crashing")
{
    // "\xF3 false": a 4-byte lead byte before ASCII (found by fuzz_tokenizer_json: with a BertNormalizer the
    // character walks disagreed and "##al" got offsets (6, 0)).
    const std::string bad = "ok \xFF\xFE mid \xC3 end \xE2\x82 \xF0\x9F\x98 \xF3 false \xF3false";
    std::vector<Tokenizer> toks = {Tokenizer::fromFile(hs::test::fixturePath("tiny-wordpiece/tokenizer.json")),
                                   Tokenizer::fromFile(hs::test::fixturePath("tiny-bytelevel-llama3/tokenizer.json")),
                                   Tokenizer::fromFile(hs::test::fixturePath("tiny-bytelevel-gpt2/tokenizer.json"))};
    if (auto p = hs::test::sharedPath("data/models/llama2-tokenizer/tokenizer.json"); !p.empty()) toks.push_back(Tokenizer::fromFile(p));
    for (const Tokenizer& tok : toks) {
        const Encoding e = tok.encode(bad);
        CHECK(!e.ids.empty());
        for (auto [b, en] : e.offsets) {
            CHECK(b >= 0);
            CHECK(b <= en);
            CHECK(en <= int(bad.size()));
        }
        CHECK_NOTHROW(tok.decode(e.ids));
    }
}

TEST_CASE("the Llama-3 split regex, piece by piece")
{
    CHECK(pieces("Hello world's  123456\n\n x", SplitPattern::Llama3) ==
          std::vector<std::string>{"Hello", " world", "'s", " ", " ", "123", "456", "\n\n", " x"});
    CHECK(pieces("I'M (ok)!\r\n\tgo", SplitPattern::Llama3) ==
          std::vector<std::string>{"I", "'M", " (", "ok", ")!\r\n", "\tgo"});
    CHECK(pieces("caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87", SplitPattern::Llama3) ==
          std::vector<std::string>{"caf\xC3\xA9", " \xE4\xB8\xAD\xE6\x96\x87"});
    CHECK(pieces("a  b   ", SplitPattern::Gpt2) == std::vector<std::string>{"a", " ", " b", "   "});
}

TEST_CASE("offset alignment follows HF: inserted characters take their neighbour's range")
{
    NormalizedString s("ab c", 0);
    s.replace(" ", "\xE2\x96\x81");
    s.prepend("\xE2\x96\x81");
    CHECK(s.get() == "\xE2\x96\x81" "ab" "\xE2\x96\x81" "c");
    CHECK(s.originalRange(0, 3) == std::make_pair<std::size_t, std::size_t>(0, 1)); // prepended "▁" -> "a"
    CHECK(s.originalRange(5, 8) == std::make_pair<std::size_t, std::size_t>(2, 3)); // "▁" -> the space
    const NormalizedString tail = s.slice(5, 9);
    CHECK(tail.originalShift() == 2);
    CHECK(tail.originalRange(0, 4) == std::make_pair<std::size_t, std::size_t>(2, 4));
}

TEST_CASE("character offsets convert to byte offsets")
{
    CHECK(codepointByteOffsets("a\xC3\xA9\xF0\x9F\x98\x80" "b") == std::vector<std::size_t>{0, 1, 3, 7, 8});
    CHECK(codepointByteOffsets("") == std::vector<std::size_t>{0});
}
