// Golden comparison against Hugging Face `tokenizers` / `tiktoken` (tests/fixtures/tokenizer/golden/*.json, made by
// tools/golden/make_tokenizer_golden.py on the GPU machine): ids and byte offsets must match exactly.
#include "tests/tokenizer/tokenizer_test_util.h"

#include <doctest/doctest.h>

#include <map>

using hs::tok::Encoding;
using hs::tok::Tokenizer;
using Json = nlohmann::json;

namespace {

std::vector<std::pair<int, int>> undelta(const Json& off)
{
    std::vector<std::pair<int, int>> out;
    int prevEnd = 0;
    for (std::size_t i = 0; i + 1 < off.size(); i += 2) {
        const int b = prevEnd + off[i].get<int>();
        const int e = b + off[i + 1].get<int>();
        out.emplace_back(b, e);
        prevEnd = e;
    }
    return out;
}

std::string firstDifference(const Encoding& got, const std::vector<int>& ids, const std::vector<std::pair<int, int>>& off)
{
    const std::size_t n = std::min(got.ids.size(), ids.size());
    std::size_t i = 0;
    while (i < n && got.ids[i] == ids[i] && got.offsets[i] == off[i]) ++i;
    std::ostringstream s;
    s << "at token " << i << " of " << ids.size() << " (got " << got.ids.size() << "): ";
    if (i < ids.size()) s << "want " << ids[i] << "(" << off[i].first << "," << off[i].second << ") ";
    if (i < got.ids.size()) s << "got " << got.ids[i] << "(" << got.offsets[i].first << "," << got.offsets[i].second << ")";
    return s.str();
}

// Compares every corpus text; returns the number of mismatching cases (and prints the first few).
void compareGolden(const std::string& name, const Tokenizer& tok)
{
    const std::string path = hs::test::fixturePath("golden/" + name + ".json");
    if (!hs::fileExists(path)) {
        hs::test::skipMessage(path + " is absent (run tools/golden/make_tokenizer_golden.py)");
        return;
    }
    const Json golden = Json::parse(hs::readTextFile(path));
    std::map<std::string, std::string> texts;
    for (const auto& c : hs::test::loadCorpus()) texts[c.id] = c.text;
    const std::vector<int> pre = golden["special_pre"].get<std::vector<int>>();
    const std::vector<int> post = golden["special_post"].get<std::vector<int>>();

    int failures = 0, compared = 0, decodes = 0;
    auto report = [&](const std::string& what) {
        if (++failures <= 8) MESSAGE(name << ": " << what);
    };
    for (const Json& c : golden["cases"]) {
        const std::string id = c["id"].get<std::string>();
        REQUIRE_MESSAGE(texts.count(id), "corpus has no text " << id << ": regenerate the golden files");
        const std::string& text = texts[id];
        const std::vector<int> ids = c["ids"].get<std::vector<int>>();
        const auto off = undelta(c["off"]);
        const Encoding plain = tok.encode(text, false);
        if (plain.ids != ids || plain.offsets != off) report(id + " plain " + firstDifference(plain, ids, off));

        std::vector<int> idsSp = pre;
        std::vector<std::pair<int, int>> offSp(pre.size(), {0, 0});
        if (c.contains("ids_sp")) {
            idsSp = c["ids_sp"].get<std::vector<int>>();
            offSp = undelta(c["off_sp"]);
        } else {
            idsSp.insert(idsSp.end(), ids.begin(), ids.end());
            idsSp.insert(idsSp.end(), post.begin(), post.end());
            offSp.insert(offSp.end(), off.begin(), off.end());
            offSp.insert(offSp.end(), post.size(), {0, 0});
        }
        const Encoding special = tok.encode(text, true);
        if (special.ids != idsSp || special.offsets != offSp)
            report(id + " with specials " + firstDifference(special, idsSp, offSp));
        if (c.contains("dec")) {
            ++decodes;
            if (tok.decode(idsSp, false) != c["dec"].get<std::string>()) report(id + " decode: '" + tok.decode(idsSp, false) + "'");
            if (tok.decode(idsSp, true) != c["dec_skip"].get<std::string>())
                report(id + " decode(skip): '" + tok.decode(idsSp, true) + "'");
        }
        ++compared;
    }
    MESSAGE(name << ": " << compared << " texts, " << decodes << " decodes compared, " << failures << " mismatches ("
                 << golden["generator"].get<std::string>() << ")");
    if (!golden.value("subset", false)) CHECK(compared == int(texts.size()));
    CHECK(compared > 0);
    CHECK(failures == 0);
}

} // namespace

TEST_CASE("golden: llama-2 tokenizer.json")
{
    HS_REQUIRE_SHARED(path, "data/models/llama2-tokenizer/tokenizer.json");
    compareGolden("llama2", Tokenizer::fromFile(path));
}

TEST_CASE("golden: mistral v0.3 tokenizer.json")
{
    HS_REQUIRE_SHARED(path, "data/models/mistral-7b-instruct-v0.3/tokenizer.json");
    compareGolden("mistral-v0.3", Tokenizer::fromFile(path));
}

TEST_CASE("golden: llama-3 tiktoken tokenizer.model")
{
    HS_REQUIRE_SHARED(path, "data/models/llama3-tokenizer/tokenizer.model");
    compareGolden("llama3", Tokenizer::fromFile(path));
}

TEST_CASE("golden: tiny WordPiece and byte-level fixtures")
{
    for (const char* name : {"tiny-wordpiece", "tiny-bytelevel-llama3", "tiny-bytelevel-gpt2"}) {
        compareGolden(name, Tokenizer::fromFile(hs::test::fixturePath(std::string(name) + "/tokenizer.json")));
    }
}

TEST_CASE("golden: the test models' and demo model's own tokenizers")
{
    const std::string root = hs::test::sourceDir();
    for (const auto& [name, dir] : {std::make_pair("model-tiny-mha", "/tests/fixtures/models/tiny-mha"),
                                    std::make_pair("model-tiny-gqa-llama3", "/tests/fixtures/models/tiny-gqa-llama3"),
                                    std::make_pair("model-tiny-bert", "/tests/fixtures/models/tiny-bert"),
                                    std::make_pair("demo-model", "/resources/demo/model")}) {
        const std::string file = root + dir + "/tokenizer.json";
        if (!hs::fileExists(file)) {
            hs::test::skipMessage(file + " is absent");
            continue;
        }
        compareGolden(name, Tokenizer::fromFile(file));
    }
}
