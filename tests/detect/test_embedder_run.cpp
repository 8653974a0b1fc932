// Chunk-level ECS with --embedder: each chunk's ECS is the cosine of the text embeddings of the response
// chunk and one of the sample's prompt chunks (the one the head attends to most), as the published method
// computes it, and differs from the LLM-mean-pooled variant; the session says which was used.
#include "core/data/dataset_reader.h"
#include "core/detect/bert_embedder.h"
#include "core/session/session_store.h"
#include "core/util/file_util.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

#include <ATen/ATen.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <map>

using namespace hs;

namespace {

std::string demo() { return test::sourceDir() + "/resources/demo"; }
std::string bert() { return test::sourceDir() + "/tests/fixtures/models/tiny-bert"; }

std::string chunkRun(const std::string& session, const std::string& extra)
{
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((session + suffix).c_str());
    const test::CommandOutput r = test::runCommand(
        test::buildDir() + "/app/halluscope-cli detect --model " + demo() + "/model --dataset " + demo() +
        "/data --copy-heads " + demo() + "/copy_heads.json --session " + session +
        " --level chunk --limit 30 --quiet " + extra);
    REQUIRE(r.exitCode == 0);
    return session;
}

std::string text(const std::string& s, const data::CharSpan& c) { return s.substr(c.start, c.end - c.start); }

} // namespace

TEST_CASE("--embedder: chunk ECS is the cosine of text embeddings, as published")
{
    if (!fileExists(test::buildDir() + "/app/halluscope-cli")) {
        test::skipMessage("halluscope-cli not built");
        return;
    }
    const std::string withBert = chunkRun("/tmp/hs_embedder_bert.hs", "--embedder " + bert());
    const std::string pooled = chunkRun("/tmp/hs_embedder_pool.hs", "");
    session::SessionStore a(withBert, session::OpenMode::ReadOnly), b(pooled, session::OpenMode::ReadOnly);
    CHECK(nlohmann::json::parse(a.runInfo().settingsJson)["embedder"] == bert());
    CHECK(nlohmann::json::parse(b.runInfo().settingsJson)["embedder"] == "llm-meanpool");

    data::LoadReport report;
    std::map<std::string, data::Sample> samples;
    for (auto& s : data::loadDataset(demo() + "/data", {}, report)) samples[s.id] = s;
    detect::BertEmbedder embedder(bert(), "cpu");
    const auto ra = a.loadResults();
    std::map<std::string, results::SampleResult> rb;
    for (auto& r : b.loadResults()) rb[r.sampleId] = r;
    REQUIRE(ra.size() == 30);
    int differing = 0, checked = 0;
    for (const auto& r : ra) {
        const data::Sample& s = samples.at(r.sampleId);
        std::vector<std::string> rt, pt;
        for (const auto& c : s.responseChunks) rt.push_back(text(s.response, c));
        for (const auto& c : s.promptChunks) pt.push_back(text(s.prompt, c));
        at::Tensor cos = at::matmul(embedder.embed(rt), embedder.embed(pt).t());  // unit vectors: cosines
        REQUIRE(r.units.size() == rt.size());
        for (std::size_t u = 0; u < r.units.size(); ++u)
            for (std::size_t h = 0; h < r.units[u].ecs.size(); ++h) {
                // the value is one of this response chunk's cosines with the sample's prompt chunks
                const double nearest = (cos[static_cast<std::int64_t>(u)] - r.units[u].ecs[h]).abs().min().item<double>();
                CHECK(nearest < 1e-5);
                ++checked;
                if (std::fabs(r.units[u].ecs[h] - rb.at(r.sampleId).units[u].ecs[h]) > 1e-3) ++differing;
            }
    }
    CHECK(checked > 30);
    CHECK(differing > checked / 2);  // a different similarity, not the mean-pooled one relabelled
}
