// `detect` driven by the hardware plan, on CPU: replicas (`--devices cpu,cpu`) and a layer split give the
// single-device session; the out-of-memory back-off (through the HS_INJECT_OOM hook) halves batches and
// skips what does not fit alone; bad hardware requests exit with code 2 and one message; the session
// stores the resolved profile and plan, and its identity includes the dtype.
#include "core/results/sample_result.h"
#include "core/session/session_store.h"
#include "core/util/file_util.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

using namespace hs;

namespace {

std::string cli() { return test::buildDir() + "/app/halluscope-cli"; }
std::string model() { return test::sourceDir() + "/tests/fixtures/models/tiny-gqa-llama3"; }
std::string dataset() { return test::sourceDir() + "/resources/demo/data"; }

struct CliRun {
    int exitCode = -1;
    std::string out, err;
};

// Runs `env halluscope-cli detect --model M --dataset D --session S --limit N ARGS --json` with every GPU hidden:
// these cases are about a machine without one (auto-detection, CPU profiles, CPU replicas and splits), and on
// a GPU machine they would otherwise pick its profile.
CliRun runDetect(const std::string& session, const std::string& args, const std::string& env = "", int limit = 24)
{
    const std::string errFile = session + ".stderr";
    const std::string cmd = "CUDA_VISIBLE_DEVICES= " + env + " '" + cli() + "' detect --model '" + model() + "' --dataset '" + dataset() +
                            "' --session '" + session + "' --limit " + std::to_string(limit) + " --json " + args +
                            " 2>'" + errFile + "'";
    const test::CommandOutput o = test::runCommand(cmd);
    CliRun r;
    r.exitCode = o.exitCode;
    r.out = o.out;
    r.err = fileExists(errFile) ? readTextFile(errFile) : "";
    return r;
}

std::string tempDir()
{
    char tmpl[] = "/tmp/hs-hwrun-XXXXXX";
    return mkdtemp(tmpl);
}

bool prerequisites()
{
    if (!fileExists(cli())) { test::skipMessage("halluscope-cli not built"); return false; }
    if (!isDirectory(model())) { test::skipMessage("fixture model absent"); return false; }
    return true;
}

std::vector<results::SampleResult> resultsById(const std::string& session)
{
    session::SessionStore s(session);
    auto v = s.loadResults();
    std::sort(v.begin(), v.end(), [](auto& x, auto& y) { return x.sampleId < y.sampleId; });
    return v;
}

// Same ids, each once, and the same features (to `tol` relative to the value's size; 0 = bit for bit).
void expectSameFeatures(const std::string& a, const std::string& b, double tol)
{
    const auto ra = resultsById(a), rb = resultsById(b);
    REQUIRE(ra.size() == rb.size());
    for (std::size_t i = 0; i < ra.size(); ++i) {
        REQUIRE(ra[i].sampleId == rb[i].sampleId);
        if (i > 0) CHECK(ra[i].sampleId != ra[i - 1].sampleId);
        REQUIRE(ra[i].units.size() == rb[i].units.size());
        for (std::size_t u = 0; u < ra[i].units.size(); ++u) {
            const auto &x = ra[i].units[u], &y = rb[i].units[u];
            REQUIRE(x.ecs.size() == y.ecs.size());
            REQUIRE(x.pks.size() == y.pks.size());
            auto close = [tol](double p, double q) { return std::abs(p - q) <= tol * std::max(1.0, std::abs(p)); };
            for (std::size_t k = 0; k < x.ecs.size(); ++k) CHECK(close(x.ecs[k], y.ecs[k]));
            for (std::size_t k = 0; k < x.pks.size(); ++k) CHECK(close(x.pks[k], y.pks[k]));
        }
    }
}

nlohmann::json summaryOf(const CliRun& r)
{
    REQUIRE_MESSAGE(r.exitCode == 0, r.err);
    return nlohmann::json::parse(r.out);
}

} // namespace

TEST_CASE("replicas and a layer split on the CPU give the single-device session")
{
    if (!prerequisites()) return;
    const std::string dir = tempDir();
    const auto single = summaryOf(runDetect(dir + "/single.hs", "--device cpu"));
    CHECK(single["plan"]["placement"] == "single");
    const auto replicas = summaryOf(runDetect(dir + "/replicas.hs", "--devices cpu,cpu"));
    CHECK(replicas["plan"]["placement"] == "replica");
    CHECK(replicas["plan"]["replicas"] == 2);
    CHECK(replicas["processed"] == 24);
    const auto split = summaryOf(runDetect(dir + "/split.hs", "--devices cpu,cpu --placement split"));
    CHECK(split["plan"]["placement"] == "split");
    CHECK(split["plan"]["devices"][0]["layers"] == nlohmann::json::array({0, 2}));
    // the same batches through the same kernels: bit for bit
    expectSameFeatures(dir + "/single.hs", dir + "/replicas.hs", 0.0);
    expectSameFeatures(dir + "/single.hs", dir + "/split.hs", 0.0);
}

TEST_CASE("out of memory: the batch is halved and retried; a sample that does not fit alone is skipped")
{
    if (!prerequisites()) return;
    const std::string dir = tempDir();
    summaryOf(runDetect(dir + "/plain.hs", ""));

    // the first forward fails once: its batch is halved, and every sample still arrives
    const auto retried = summaryOf(runDetect(dir + "/retried.hs", "", "HS_INJECT_OOM=at=1"));
    CHECK(retried["out_of_memory_retries"] == 1);
    CHECK(retried["out_of_memory_skipped"] == 0);
    CHECK(retried["processed"] == 24);
    expectSameFeatures(dir + "/plain.hs", dir + "/retried.hs", 1e-5);  // smaller batches: float rounding differs

    // every forward over 200 padded tokens fails: batches shrink to one sample, longer samples are skipped
    const CliRun tight = runDetect(dir + "/tight.hs", "", "HS_INJECT_OOM=above=200");
    const auto j = summaryOf(tight);
    const int skipped = j["out_of_memory_skipped"];
    CHECK(skipped > 0);
    CHECK(j["out_of_memory_retries"].get<int>() > 0);
    CHECK(j["processed"].get<int>() + skipped == 24);
    CHECK(tight.err.find("tokens) does not fit in device memory even alone (predicted peak") != std::string::npos);
    const auto kept = resultsById(dir + "/tight.hs");
    CHECK(static_cast<int>(kept.size()) == 24 - skipped);
    // the run went on and finished: a re-run retries only the skipped samples
    session::SessionStore s(dir + "/tight.hs");
    CHECK(s.finishedSampleIds().size() == kept.size());
}

TEST_CASE("bad hardware requests: one message, exit code 2, no fallback")
{
    if (!prerequisites()) return;
    const std::string dir = tempDir();
    struct Case { const char* args; const char* message; };
    for (const Case& c : {Case{"--profile h200", "needs 1 CUDA GPU(s)"}, Case{"--profile 2xt4", "needs 2 CUDA GPU(s)"},
                          Case{"--device cuda:0", "no CUDA GPU"}, Case{"--device tpu:0", "unknown device 'tpu:0'"},
                          Case{"--profile custom", "--gpus N"}, Case{"--profile custom --gpus 0 --gpu-memory 16", "--gpus expects"},
                          Case{"--profile custom --gpus 1 --gpu-memory x", "--gpu-memory expects"},
                          Case{"--gpus 2", "--profile custom"}, Case{"--devices cpu,cpu --placement single", "replica"},
                          Case{"--quant q3", "unknown weight format 'q3'"}, Case{"--double-quant", "nf4 weights only"}}) {
        const CliRun r = runDetect(dir + "/bad.hs", c.args);
        CHECK_MESSAGE(r.exitCode == 2, c.args);
        CHECK_MESSAGE(r.err.find(c.message) != std::string::npos, c.args << ": " << r.err);
    }
}

TEST_CASE("the session stores the resolved profile and plan; dtype and format are part of the run's identity")
{
    if (!prerequisites()) return;
    const std::string dir = tempDir();
    const CliRun first = runDetect(dir + "/s.hs", "", "", 6);
    CHECK(summaryOf(first)["predicted_peak_mb"].get<double>() > 0);
    CHECK(first.err.find("profile cpu (CPU only (detected)): single on cpu, f32, weights none") != std::string::npos);
    {
        session::SessionStore s(dir + "/s.hs");
        const auto settings = nlohmann::json::parse(s.runInfo().settingsJson);
        CHECK(settings["profile"] == "cpu");
        CHECK(settings["dtype"] == "f32");
        CHECK(settings["quant"] == "none");
        CHECK(settings["placement"] == "single");
        CHECK(settings["plan"]["devices"][0]["device"] == "cpu");
    }
    // the same run on two replicas resumes it (the device count is not part of the identity) ...
    const auto resumed = summaryOf(runDetect(dir + "/s.hs", "--devices cpu,cpu", "", 6));
    CHECK(resumed["resumed_skipped"] == 6);
    // ... another dtype does not: it would mix numbers computed two ways
    const CliRun other = runDetect(dir + "/s.hs", "--dtype bf16", "", 6);
    CHECK(other.exitCode == 2);
    CHECK(other.err.find("holds another run") != std::string::npos);
}
