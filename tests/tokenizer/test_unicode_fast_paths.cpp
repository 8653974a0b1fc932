// The fast paths the tokenizer takes per character must give what the slow paths give: category() of
// ASCII / Latin-1 from a table (against a plain scan of the Unicode ranges), and the WordPiece decoder's
// cleanup, which now leaves tokens without a space untouched.
#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/unicode.h"

#include <doctest/doctest.h>

#include <string>

using namespace hs::tok;

namespace {

// The category by a linear scan of the generated ranges (no table, no binary search).
Category scanned(char32_t cp)
{
    for (std::size_t i = 0; i < unicode_data::kCategoryRangeCount; ++i) {
        const auto& r = unicode_data::kCategoryRanges[i];
        if (cp >= r.first && cp <= r.last) return Category(r.category);
    }
    return Category::Cn;
}

} // namespace

TEST_CASE("category(): the Latin-1 table and the range search agree with a scan of the ranges")
{
    int mismatches = 0;
    for (char32_t cp = 0; cp < 0x800; ++cp) mismatches += category(cp) != scanned(cp);
    for (char32_t cp : {0x1680u, 0x2028u, 0x3000u, 0x4E00u, 0xFFFDu, 0x10FFFFu, 0x1F600u}) mismatches += category(cp) != scanned(cp);
    CHECK(mismatches == 0);
    CHECK((category('A') == Category::Lu));
    CHECK((category(0xA0) == Category::Zs));  // no-break space
    CHECK((category(0xAD) == Category::Cf));  // soft hyphen
    CHECK((category(0xFF) == Category::Ll));  // ÿ, the last table entry
    CHECK((category(0x100) == Category::Lu)); // Ā, the first beyond it
    CHECK((category(0x378) == Category::Cn)); // unassigned
}

TEST_CASE("WordPiece decoder cleanup: punctuation and contractions join, other tokens stay as they are")
{
    const std::string json = R"({"model":{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##",
        "vocab":{"[UNK]":0,"hello":1,",":2,"world":3,".":4,"##s":5,"'":6,"m":7,"do":8,"n't":9,"!":10}},
        "decoder":{"type":"WordPiece","prefix":"##","cleanup":true}})";
    const Tokenizer tok = Tokenizer::fromJsonText(json, "wp.json");
    CHECK(tok.decode({1, 2, 3, 4}, false) == "hello, world.");
    CHECK(tok.decode({1, 5, 10}, false) == "hellos!");
    CHECK(tok.decode({8, 9}, false) == "don't");
    CHECK(tok.decode({1, 6, 7}, false) == "hello ' m"); // " '" and " m" are cleaned one by one: " 'm" never forms
    CHECK(tok.decode({5, 1}, false) == "##s hello");    // the first token keeps its prefix (as in HF)
}
