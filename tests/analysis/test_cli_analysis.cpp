// The analysis commands end to end, through the built halluscope-cli (SKIPs when the binary or
// ../shared is absent; test_analysis does not depend on the CLI target).
#include "core/analysis/metrics.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <sys/wait.h>

namespace {

struct Run {
    int code = -1;
    std::string out;
};

Run run(const std::string& cmd)
{
    Run r;
    FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string cli()
{
    std::string c = hs::test::buildDir() + "/app/halluscope-cli";
    return hs::fileExists(c) ? c : std::string();
}

} // namespace

TEST_CASE("regress --reference --json reproduces the published AUC and PCC to 1e-12")
{
    HS_REQUIRE_SHARED(path, "data/ragtruth/redeep_official/official_llama2_7B_response_chunk.json");
    std::string c = cli();
    if (c.empty()) { hs::test::skipMessage("halluscope-cli is not built"); return; }
    Run r = run(c + " regress --features " + path + " --method redeep-chunk --reference --json");
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(std::fabs(j["auc"].get<double>() - 0.7472542667509481) < 1e-12);
    CHECK(std::fabs(j["pcc"].get<double>() - 0.42072074189229686) < 1e-12);
    CHECK(j["selection"]["heads"][0] == "(31, 18)");

    Run heads = run(c + " heads --features " + path + " --rank auc --top 4 --json");
    REQUIRE(heads.code == 0);
    auto h = nlohmann::json::parse(heads.out);
    CHECK(h["features_ranked"].size() == 4);
    CHECK(h["features_ranked"][0]["name"] == "layer_30");

    Run cv = run(c + " regress --features " + path + " --method logistic --cv 5 --seed 0 --json --brief");
    REQUIRE(cv.code == 0);
    auto k = nlohmann::json::parse(cv.out);
    CHECK(k["cv"]["pooled_auc"]["mean"].get<double>() > 0.7);
    CHECK_FALSE(k["cv"]["runs"][0].contains("held_out")); // --brief

    // Without --brief: every response's held-out score, and they give the pooled figures back.
    Run full = run(c + " regress --features " + path + " --method logistic --cv 5 --seed 0 --json");
    REQUIRE(full.code == 0);
    auto f = nlohmann::json::parse(full.out);
    const auto& held = f["cv"]["runs"][0]["held_out"];
    REQUIRE(held.size() == 450);
    std::vector<double> score;
    std::vector<int> label;
    long tp = 0, flagged = 0, positives = 0;
    for (const auto& e : held) {
        score.push_back(e["score"].get<double>());
        label.push_back(e["label"].get<int>());
        flagged += e["flagged"].get<bool>();
        positives += label.back();
        tp += e["flagged"].get<bool>() && label.back() == 1;
    }
    CHECK(hs::analysis::rocAuc(score, label) == doctest::Approx(f["cv"]["runs"][0]["pooled_auc"].get<double>()).epsilon(1e-12));
    CHECK(2.0 * tp / (flagged + positives) == doctest::Approx(f["cv"]["runs"][0]["pooled_f1"].get<double>()).epsilon(1e-12));
}

TEST_CASE("bad input exits with code 2")
{
    std::string c = cli();
    if (c.empty()) { hs::test::skipMessage("halluscope-cli is not built"); return; }
    CHECK(run(c + " regress --features /nonexistent.json --json").code == 2);
    CHECK(run(c + " heads --features /nonexistent.json --rank xx").code == 2);
    CHECK(run(c + " tune --json").code == 2);
}
