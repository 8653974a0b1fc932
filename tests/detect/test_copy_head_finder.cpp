// The C++ copy-head finder (core/detect/copy_head_finder.h) against the Python numbers of
// tools/demo/train_demo_model.py (resources/demo/model/copy_head_scores.json), on the fixture
// models, and through `halluscope-cli heads --find-copy-heads`.
#include "core/detect/copy_head_finder.h"
#include "core/detect/copy_heads.h"
#include "core/results/feature_columns.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

using namespace hs;

namespace {

std::string demoDir() { return test::sourceDir() + "/resources/demo"; }

std::string runCapture(const std::string& cmd)
{
    std::string out;
    if (FILE* f = ::popen(cmd.c_str(), "r")) {
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
        ::pclose(f);
    }
    return out;
}

} // namespace

TEST_CASE("copy-head finder reproduces the Python copy scores of the demo model")
{
    const std::string scoresPath = demoDir() + "/model/copy_head_scores.json";
    if (!fileExists(scoresPath)) { test::skipMessage("demo model absent"); return; }
    const nlohmann::json py = nlohmann::json::parse(readTextFile(scoresPath));
    detect::CopyHeadFinderOptions o;
    o.modelDir = demoDir() + "/model";
    o.datasetPath = demoDir() + "/data";
    detect::CopyHeadScores sc = detect::findCopyHeads(o);
    CHECK(sc.numLayers == 4);
    CHECK(sc.numHeads == 4);
    CHECK(sc.samples == 225);
    CHECK(sc.positions == py["positions"].get<long>());
    REQUIRE(sc.ranked.size() == 16);
    for (const auto& h : sc.ranked) {
        CAPTURE(hs::results::headColumn(h.layer, h.head));
        CHECK(std::fabs(h.target - py["target"][h.layer][h.head].get<double>()) < 1e-3);
        CHECK(std::fabs(h.prev - py["prev"][h.layer][h.head].get<double>()) < 1e-3);
    }
    // Same order as the Python ranking, and the shipped list is its top 4.
    for (std::size_t i = 0; i < sc.ranked.size(); ++i) {
        CHECK(sc.ranked[i].layer == py["ranking"][i][0].get<int>());
        CHECK(sc.ranked[i].head == py["ranking"][i][1].get<int>());
    }
    auto shipped = detect::loadCopyHeads(demoDir() + "/copy_heads.json");
    REQUIRE(shipped.size() == static_cast<std::size_t>(detect::defaultCopyHeadCount(4, 4)));
    for (std::size_t i = 0; i < shipped.size(); ++i) {
        CHECK(shipped[i].first == sc.ranked[i].layer);
        CHECK(shipped[i].second == sc.ranked[i].head);
    }
}

TEST_CASE("copy-head finder runs on the fixture models")
{
    for (const char* name : {"tiny-mha", "tiny-gqa-llama3"}) {
        CAPTURE(name);
        const std::string dir = test::sourceDir() + "/tests/fixtures/models/" + name;
        if (!isDirectory(dir)) { test::skipMessage(std::string("fixture model ") + name + " absent"); continue; }
        detect::CopyHeadFinderOptions o;
        o.modelDir = dir;
        o.datasetPath = demoDir() + "/data";
        o.limit = 12;
        o.maxBatch = 3; // several batches with padding
        detect::CopyHeadScores sc = detect::findCopyHeads(o);
        CHECK(sc.samples > 0);
        CHECK(sc.positions > 0);
        REQUIRE(sc.ranked.size() == static_cast<std::size_t>(sc.numLayers * sc.numHeads));
        for (std::size_t i = 0; i < sc.ranked.size(); ++i) {
            CHECK(sc.ranked[i].target >= 0);
            CHECK(sc.ranked[i].target <= 1 + 1e-6);
            if (i > 0) CHECK(sc.ranked[i - 1].target >= sc.ranked[i].target);
        }
        // Batching must not change the scores (padding never reaches real positions).
        o.maxBatch = 1;
        detect::CopyHeadScores one = detect::findCopyHeads(o);
        CHECK(one.positions == sc.positions);
        for (std::size_t i = 0; i < sc.ranked.size(); ++i) CHECK(std::fabs(one.ranked[i].target - sc.ranked[i].target) < 1e-5);
    }
}

TEST_CASE("halluscope-cli heads --find-copy-heads writes the list")
{
    const std::string cli = test::buildDir() + "/app/halluscope-cli";
    const std::string model = test::sourceDir() + "/tests/fixtures/models/tiny-gqa-llama3";
    if (!fileExists(cli) || !isDirectory(model)) { test::skipMessage("halluscope-cli or fixture model absent"); return; }
    char tmpl[] = "/tmp/hs_copyheads_XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    const std::string out = std::string(tmpl) + "/heads.json";
    const std::string text = runCapture(cli + " heads --find-copy-heads --model " + model + " --dataset " + demoDir() +
                                        "/data --limit 8 --top 3 --out " + out + " --json");
    const nlohmann::json j = nlohmann::json::parse(text);
    CHECK(j["copy_heads"].size() == 3);
    CHECK(j["positions"].get<long>() > 0);
    auto heads = detect::loadCopyHeads(out);
    REQUIRE(heads.size() == 3);
    CHECK(heads[0].first == j["ranked"][0]["layer"].get<int>());
    CHECK(heads[0].second == j["ranked"][0]["head"].get<int>());
    std::remove(out.c_str());
    ::rmdir(tmpl);
}
