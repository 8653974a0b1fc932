#pragma once
// Deterministic synthetic samples and results for the session tests.
#include "core/data/sample.h"
#include "core/results/sample_result.h"

#include <cstdio>
#include <string>
#include <unistd.h>

namespace hs::test {

inline std::string tempPath(const std::string& name)
{
    return "/tmp/hs_session_test_" + std::to_string(::getpid()) + "_" + name;
}

inline void removeSession(const std::string& path)
{
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path + suffix).c_str());
}

inline data::Sample syntheticSample(int i)
{
    data::Sample s;
    s.id = "r" + std::to_string(i);
    s.sourceId = "src" + std::to_string(i / 2);
    s.taskType = i % 3 == 0 ? "QA" : (i % 3 == 1 ? "Summary" : "Data2txt");
    s.model = "llama-2-7b-chat";
    s.split = "test";
    s.prompt = "Prompt number " + std::to_string(i) + " caf\xC3\xA9";
    s.response = "Response " + std::to_string(i) + " with a claim.";
    if (i % 2) s.hallucinations.push_back({9, 12});
    s.responseLabel = i % 2;
    s.responseChunks = {{0, 10}, {10, static_cast<int>(s.response.size())}};
    s.promptChunks = {{0, 6}};
    return s;
}

inline results::SampleResult syntheticResult(int i, int numEcs = 4, int numPks = 3)
{
    results::SampleResult r;
    r.sampleId = "r" + std::to_string(i);
    r.sourceId = "src" + std::to_string(i / 2);
    r.taskType = i % 3 == 0 ? "QA" : (i % 3 == 1 ? "Summary" : "Data2txt");
    r.responseLabel = i % 2;
    r.promptTokens = 20 + i;
    r.totalTokens = 30 + i;
    for (int u = 0; u < 2 + i % 3; ++u) {
        results::ScoredUnit unit;
        unit.tokenBegin = 20 + i + 3 * u;
        unit.tokenEnd = unit.tokenBegin + 3;
        unit.label = (i + u) % 2;
        for (int k = 0; k < numEcs; ++k) unit.ecs.push_back(0.001f * i + 0.1f * k + 0.37f * u + 1e-7f);
        for (int k = 0; k < numPks; ++k) unit.pks.push_back(1.5f * i - 0.25f * k + u);
        r.units.push_back(unit);
    }
    r.responseTokens = {{"\xE2\x96\x81Resp", 0, 4}, {"onse", 4, 8}, {"\xF0", 8, 9}}; // a byte-fallback piece
    r.promptChunkTexts = {"Prompt", "number"};
    results::AttentionSummary a;
    a.layer = 5;
    a.head = i % 4;
    a.rows = 2;
    a.cols = 2;
    a.values = {0.1f * i, 0.2f, 0.3f, 0.4f};
    r.attention.push_back(a);
    r.seconds = 0.5;
    return r;
}

} // namespace hs::test

#include <sys/stat.h>
namespace hs::test {
inline bool fileExistsForTest(const std::string& p)
{
    struct stat st;
    return ::stat(p.c_str(), &st) == 0;
}
} // namespace hs::test
