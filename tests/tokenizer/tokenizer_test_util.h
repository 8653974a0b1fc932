#pragma once
// Shared helpers for the tokenizer tests: shared-data paths, the corpus, readable dumps.
#include "core/tokenizer/tokenizer.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

namespace hs::test {

struct CorpusText {
    std::string id, kind, text;
};

inline std::vector<CorpusText> loadCorpus()
{
    std::vector<CorpusText> out;
    std::istringstream in(hs::readTextFile(sourceDir() + "/tests/fixtures/tokenizer/corpus.jsonl"));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto j = nlohmann::json::parse(line);
        out.push_back({j["id"].get<std::string>(), j["kind"].get<std::string>(), j["text"].get<std::string>()});
    }
    return out;
}

inline std::string fixturePath(const std::string& rel) { return sourceDir() + "/tests/fixtures/tokenizer/" + rel; }

inline std::string dump(const hs::tok::Encoding& e)
{
    std::ostringstream s;
    for (std::size_t i = 0; i < e.ids.size(); ++i)
        s << e.ids[i] << "(" << e.offsets[i].first << "," << e.offsets[i].second << ") ";
    return s.str();
}

} // namespace hs::test
