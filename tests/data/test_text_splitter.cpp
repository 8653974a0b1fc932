// The splitter must reproduce ReDeEP's published response_spans (LangChain's
// RecursiveCharacterTextSplitter, 512 / 20) exactly.
#include "core/data/text_splitter.h"
#include "core/data/utf8.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace hs::data;

namespace {

std::vector<std::pair<int, int>> asPairs(const std::vector<CharSpan>& spans)
{
    std::vector<std::pair<int, int>> out;
    for (const auto& s : spans) out.emplace_back(s.start, s.end);
    return out;
}

} // namespace

TEST_CASE("splitter: short text is one stripped chunk")
{
    CHECK(asPairs(recursiveCharacterSplit("  hello world \n")) == std::vector<std::pair<int, int>>{{2, 13}});
    CHECK(recursiveCharacterSplit("").empty());
    CHECK(recursiveCharacterSplit(" \n\n ").empty());
}

TEST_CASE("splitter: separators start the following piece and chunks overlap")
{
    // chunk 10, overlap 4: words are packed greedily, the next chunk starts with the words that
    // fit into the overlap, and each separator stays at the front of the word after it.
    const std::u32string text = U"aaa bbb ccc ddd eee";
    auto chunks = recursiveCharacterSplitText(text, 10, 4);
    CHECK(chunks == std::vector<std::u32string>{U"aaa bbb", U"bbb ccc", U"ccc ddd", U"ddd eee"});
    auto spans = recursiveCharacterSplitCodepoints(text, 10, 4);
    REQUIRE(spans.size() == 4);
    CHECK(spans[1].start == 4);
    CHECK(spans[3].start == 12);
    CHECK(spans[3].end == 19);
}

TEST_CASE("splitter: a word longer than the chunk falls back to characters")
{
    auto chunks = recursiveCharacterSplitText(U"abcdefghij", 4, 1);
    REQUIRE(!chunks.empty());
    for (const auto& c : chunks) CHECK(c.size() <= 4);
    CHECK(chunks == std::vector<std::u32string>{U"abcd", U"defg", U"ghij"});
}

TEST_CASE("splitter: byte spans for non-ASCII text")
{
    const std::string text = "caf\xC3\xA9 \xF0\x9F\x98\x80 ok"; // "café 😀 ok"
    auto spans = recursiveCharacterSplit(text, 512, 20);
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].start == 0);
    CHECK(spans[0].end == static_cast<int>(text.size()));
    CHECK_THROWS_AS(recursiveCharacterSplit("bad \xC3", 512, 20), hs::InputError);
    CHECK_THROWS_AS(recursiveCharacterSplit("x", 10, 10), hs::InputError);
}

TEST_CASE("splitter: reproduces ReDeEP's response_spans for all 450 llama-2-7b test responses")
{
    HS_REQUIRE_SHARED(path, "data/ragtruth/redeep_format/response_with_llama2_7b_spans.jsonl");
    std::ifstream in(path);
    std::string line;
    int total = 0, matched = 0, bytesMatched = 0;
    std::vector<std::string> mismatches;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto rec = nlohmann::json::parse(line);
        const std::string response = rec["response"];
        std::vector<std::pair<int, int>> expected;
        for (const auto& p : rec["response_spans"]) expected.emplace_back(p[0].get<int>(), p[1].get<int>());
        ++total;
        // Code points, as the file stores them.
        auto got = asPairs(recursiveCharacterSplitCodepoints(decodeUtf8(response)));
        if (got == expected) ++matched;
        else mismatches.push_back(rec["id"].get<std::string>());
        // Bytes, as Sample stores them.
        const auto toByte = codepointToByteMap(response);
        std::vector<std::pair<int, int>> expectedBytes;
        for (const auto& p : expected) expectedBytes.emplace_back(toByte[p.first], toByte[p.second]);
        bytesMatched += asPairs(recursiveCharacterSplit(response)) == expectedBytes;
    }
    MESSAGE("splitter matched " << matched << " / " << total << " published response_spans");
    for (const auto& id : mismatches) MESSAGE("mismatch: response id " << id);
    CHECK(total == 450);
    CHECK(matched == 450);
    CHECK(bytesMatched == 450);
}
