// Mutated dataset files must only ever produce warnings or one hs::InputError: no crash, no other
// exception type. A cheap stand-in for the libFuzzer target, run in every CI build.
#include "core/data/dataset_reader.h"
#include "core/util/error.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

using namespace hs::data;

namespace {

std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string mutate(std::string s, std::mt19937& rng)
{
    static const char pool[] = "{}[]\",:0123456789-e.\\ \nabc\xC3\xA9\xFF";
    const int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits && !s.empty(); ++e) {
        const std::size_t pos = rng() % s.size();
        switch (rng() % 3) {
        case 0: s[pos] = pool[rng() % (sizeof pool - 1)]; break;
        case 1: s.erase(pos, 1 + rng() % 8); break;
        default: s.insert(pos, 1, pool[rng() % (sizeof pool - 1)]); break;
        }
    }
    return s;
}

void fuzzPair(const std::string& responsesFixture, const std::string& sourcesFixture, const std::string& tag,
              bool mutateSources)
{
    const std::string dir = hs::test::sourceDir() + "/tests/fixtures/data/";
    const std::string resp = readAll(dir + responsesFixture), src = readAll(dir + sourcesFixture);
    const std::string tmpResp = "/tmp/hs_fuzz_" + std::to_string(::getpid()) + "_" + tag + "_resp.jsonl";
    const std::string tmpSrc = "/tmp/hs_fuzz_" + std::to_string(::getpid()) + "_" + tag + "_src.jsonl";
    std::mt19937 rng(1234);
    int inputErrors = 0, loads = 0;
    for (int iter = 0; iter < 150; ++iter) {
        std::ofstream(tmpResp, std::ios::binary) << mutate(resp, rng);
        std::ofstream(tmpSrc, std::ios::binary) << (mutateSources ? mutate(src, rng) : src);
        LoadReport rep;
        try {
            auto samples = loadDatasetPair(tmpResp, tmpSrc, {}, rep);
            for (const auto& s : samples)
                for (const auto& h : s.hallucinations)
                    CHECK((0 <= h.start && h.start <= h.end && h.end <= static_cast<int>(s.response.size())));
            ++loads;
        } catch (const hs::InputError&) {
            ++inputErrors;
        }
    }
    MESSAGE(tag << ": " << loads << " loads, " << inputErrors << " input errors");
    std::remove(tmpResp.c_str());
    std::remove(tmpSrc.c_str());
}

} // namespace

TEST_CASE("robustness: mutated RAGTruth responses and sources")
{
    fuzzPair("ragtruth/response.jsonl", "ragtruth/source_info.jsonl", "ragtruth", true);
    fuzzPair("ragtruth_spans/response_spans.jsonl", "ragtruth_spans/source_info_spans.jsonl", "spans", true);
}

TEST_CASE("robustness: mutated FaithJudge file")
{
    fuzzPair("ragtruth/response.jsonl", "faithjudge/ragtruth_qa.jsonl", "faithjudge", true);
}
