// Encoding speed: a ~3,000-token RAGTruth-sized prompt must take well under 10 ms (Release build). The bound
// checked here is loose (CI machines are shared); the measured times are printed. Under ASan (the
// HS_SANITIZE build, tools/asan_suite.sh) everything runs several times slower, so the bound is 10x there.
#include "tests/sanitizer_build.h"
#include "tests/tokenizer/tokenizer_test_util.h"

#include <doctest/doctest.h>

#include <chrono>

using hs::tok::Tokenizer;

namespace {
constexpr double kSlowdown = hs::test::kAddressSanitizer ? 10.0 : 1.0;

std::string longPrompt()
{
    std::string text;
    for (const auto& c : hs::test::loadCorpus())
        if (c.kind == "prompt" && text.size() < 12000) text += c.text + "\n";
    return text;
}

void timeEncode(const char* name, const Tokenizer& tok)
{
    const std::string text = longPrompt();
    using Clock = std::chrono::steady_clock;
    auto t0 = Clock::now();
    const auto cold = tok.encode(text);
    auto t1 = Clock::now();
    const int reps = 5;
    for (int i = 0; i < reps; ++i) tok.encode(text);
    auto t2 = Clock::now();
    const double coldMs = std::chrono::duration<double, std::milli>(t1 - t0).count();
    const double warmMs = std::chrono::duration<double, std::milli>(t2 - t1).count() / reps;
    MESSAGE(std::string(name) << ": " << cold.ids.size() << " tokens from " << text.size() << " bytes, first " << coldMs
                 << " ms, then " << warmMs << " ms");
    CHECK(cold.ids.size() > 2000);
    CHECK(warmMs < 50.0 * kSlowdown);
}
} // namespace

TEST_CASE("speed: encode a ~3k-token prompt")
{
    HS_REQUIRE_SHARED(models, "data/models");
    timeEncode("llama2", Tokenizer::fromDir(models + "/llama2-tokenizer"));
    timeEncode("mistral", Tokenizer::fromDir(models + "/mistral-7b-instruct-v0.3"));
    timeEncode("llama3", Tokenizer::fromDir(models + "/llama3-tokenizer"));
}
