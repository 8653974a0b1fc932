// Preparation refuses, before any big allocation, inputs that cannot fit: a record too long for the token
// limit is not tokenised at all, and inputs beyond the model's max_position_embeddings are named. Copy-head
// files with 64-bit numbers are refused, not cut to 32 bits.
#include "core/data/sample.h"
#include "core/detect/copy_heads.h"
#include "core/detect/prepared_sample.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <unistd.h>

using namespace hs;

namespace {

data::Sample sampleWith(const std::string& response)
{
    data::Sample s;
    s.id = "long-1";
    s.prompt = "Answer the question.";
    s.response = response;
    return s;
}

const tok::Tokenizer& tinyTokenizer()
{
    static const tok::Tokenizer t = tok::Tokenizer::fromDir(test::sourceDir() + "/tests/fixtures/models/tiny-mha");
    return t;
}

} // namespace

TEST_CASE("a record far beyond the token limit is refused without tokenising it")
{
    const std::string huge(50u << 20, 'a'); // 50 MB: tokenising this took gigabytes
    detect::PrepareOptions opt;
    opt.maxTokens = 4096;
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH_AS(detect::prepareSample(sampleWith(huge), tinyTokenizer(), tok::ChatFormat::None, opt),
                         doctest::Contains("not tokenised"), InputError);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
    // Near the limit the exact count decides, as before.
    CHECK_NOTHROW(detect::prepareSample(sampleWith("a short answer."), tinyTokenizer(), tok::ChatFormat::None, opt));
}

TEST_CASE("inputs longer than max_position_embeddings are named in one warning")
{
    const data::Sample shortOne = sampleWith("one."), longOne = sampleWith("one two three four five six seven eight nine ten");
    std::vector<detect::PreparedSample> prepared;
    for (const auto* s : {&shortOne, &longOne})
        prepared.push_back(detect::prepareSample(*s, tinyTokenizer(), tok::ChatFormat::None, {}));
    const std::int64_t limit = static_cast<std::int64_t>(prepared[0].ids.size());
    const std::string w = detect::positionLimitWarning(prepared, limit);
    CHECK(w.find("1 of 2 samples are longer than the model's max_position_embeddings") != std::string::npos);
    CHECK(w.find("sample long-1") != std::string::npos);
    CHECK(detect::positionLimitWarning(prepared, 100000).empty());
}

TEST_CASE("a copy head 4294967296 is refused, not read as 0")
{
    const std::string p = "/tmp/hs_heads_" + std::to_string(::getpid()) + ".json";
    std::ofstream(p) << "[[0, 4294967296]]";
    CHECK_THROWS_WITH_AS(detect::loadCopyHeads(p, 2, 4), doctest::Contains("out of range"), InputError);
    std::ofstream(p) << "[[0, 1]]";
    CHECK(detect::loadCopyHeads(p, 2, 4) == std::vector<std::pair<int, int>>{{0, 1}});
    std::remove(p.c_str());
}
