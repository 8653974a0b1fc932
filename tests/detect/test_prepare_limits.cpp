// Preparation refuses, before any big allocation, inputs that cannot fit: a record too long for the token
// limit is not tokenised at all, and inputs beyond the model's max_position_embeddings are refused with
// their length; the prompt cut follows the mode. Copy-head files with 64-bit numbers are refused, not cut
// to 32 bits.
#include "core/data/sample.h"
#include "core/detect/copy_heads.h"
#include "core/detect/detector.h"
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

TEST_CASE("inputs longer than max_position_embeddings are refused, naming their length")
{
    const data::Sample shortOne = sampleWith("one."), longOne = sampleWith("one two three four five six seven eight nine ten");
    const detect::PreparedSample ok = detect::prepareSample(shortOne, tinyTokenizer(), tok::ChatFormat::None, {});
    detect::PrepareOptions opt;
    opt.maxPositions = static_cast<std::int64_t>(ok.ids.size());
    CHECK_NOTHROW(detect::prepareSample(shortOne, tinyTokenizer(), tok::ChatFormat::None, opt));
    const int longTokens = static_cast<int>(detect::prepareSample(longOne, tinyTokenizer(), tok::ChatFormat::None, {}).ids.size());
    const std::string expected = "sample long-1: " + std::to_string(longTokens) + " tokens are longer than the model's context (" +
                                 std::to_string(ok.ids.size()) + " positions, max_position_embeddings)";
    CHECK_THROWS_WITH_AS(detect::prepareSample(longOne, tinyTokenizer(), tok::ChatFormat::None, opt),
                         doctest::Contains(expected.c_str()), InputError);
    opt.maxPositions = 0; // unknown context: no check
    CHECK_NOTHROW(detect::prepareSample(longOne, tinyTokenizer(), tok::ChatFormat::None, opt));
}

TEST_CASE("the prompt cut: 12,000 characters in reference mode, none in clean mode, N when asked")
{
    detect::RunSettings s;
    CHECK(detect::promptCharLimitFor(s) == 12000);
    s.mode = results::Mode::Clean;
    CHECK(detect::promptCharLimitFor(s) == SIZE_MAX);
    s.promptCharLimit = 50;
    CHECK(detect::promptCharLimitFor(s) == 50);
    s.mode = results::Mode::Reference;
    s.promptCharLimit = 0;
    CHECK(detect::promptCharLimitFor(s) == SIZE_MAX);
    s.promptCharLimit = -2;
    CHECK_THROWS_AS(detect::promptCharLimitFor(s), InputError);

    // The cut counts code points: a long prompt is cut to the limit, and a cut prompt gives fewer tokens.
    data::Sample longPrompt = sampleWith("yes.");
    longPrompt.prompt = std::string(3000, 'b') + " caf\xC3\xA9 end";
    for (auto mode : {results::Mode::Reference, results::Mode::Clean}) {
        detect::PrepareOptions all, cut;
        all.mode = cut.mode = mode;
        all.promptCharLimit = SIZE_MAX;
        cut.promptCharLimit = 100;
        const auto whole = detect::prepareSample(longPrompt, tinyTokenizer(), tok::ChatFormat::None, all);
        const auto shortened = detect::prepareSample(longPrompt, tinyTokenizer(), tok::ChatFormat::None, cut);
        CHECK(whole.inputText.find(" caf\xC3\xA9 end") != std::string::npos);
        CHECK(shortened.inputText.find(std::string(100, 'b')) != std::string::npos);
        CHECK(shortened.inputText.find(std::string(101, 'b')) == std::string::npos);
        CHECK(shortened.ids.size() < whole.ids.size());
    }
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
