// End-to-end `halluscope-cli detect` on the fixture model over RAGTruth-shaped samples (the demo
// test split), including the kill/resume guarantee: SIGKILL mid-run several times, resume, and
// the final session equals an uninterrupted one (no sample lost or duplicated).
#include "core/results/sample_result.h"
#include "core/session/session_store.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <cstdio>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace hs;

namespace {

std::string cli() { return test::buildDir() + "/app/halluscope-cli"; }
std::string model() { return test::sourceDir() + "/tests/fixtures/models/tiny-gqa-llama3"; }
std::string dataset() { return test::sourceDir() + "/resources/demo/data"; }

pid_t spawnDetect(const std::string& session, const std::string& level, int limit)
{
    pid_t pid = fork();
    if (pid == 0) {
        std::string lim = std::to_string(limit);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(cli().c_str(), "halluscope-cli", "detect", "--model", model().c_str(), "--dataset", dataset().c_str(),
              "--session", session.c_str(), "--level", level.c_str(), "--limit", lim.c_str(), "--quiet",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    return pid;
}

int waitExit(pid_t pid)
{
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

bool prerequisites()
{
    if (!fileExists(cli())) { test::skipMessage("halluscope-cli not built"); return false; }
    if (!isDirectory(model())) { test::skipMessage("fixture model absent"); return false; }
    return true;
}

void expectSameSessions(const std::string& a, const std::string& b)
{
    session::SessionStore sa(a), sb(b);
    auto ra = sa.loadResults(), rb = sb.loadResults();
    REQUIRE(ra.size() == rb.size());
    auto byId = [](std::vector<results::SampleResult>& v) {
        std::sort(v.begin(), v.end(), [](auto& x, auto& y) { return x.sampleId < y.sampleId; });
    };
    byId(ra);
    byId(rb);
    for (std::size_t i = 0; i < ra.size(); ++i) {
        CHECK(ra[i].sampleId == rb[i].sampleId);
        REQUIRE(ra[i].units.size() == rb[i].units.size());
        for (std::size_t u = 0; u < ra[i].units.size(); ++u) {
            CHECK(ra[i].units[u].ecs == rb[i].units[u].ecs);
            CHECK(ra[i].units[u].pks == rb[i].units[u].pks);
            CHECK(ra[i].units[u].label == rb[i].units[u].label);
        }
    }
}

} // namespace

TEST_CASE("detect runs end to end and a killed run resumes to the same session")
{
    if (!prerequisites()) return;
    char tmpl[] = "/tmp/hs-detect-XXXXXX";
    std::string dir = mkdtemp(tmpl);
    const std::string whole = dir + "/whole.hs", killed = dir + "/killed.hs";
    const int limit = 120;

    auto t0 = std::chrono::steady_clock::now();
    REQUIRE(waitExit(spawnDetect(whole, "token", limit)) == 0);
    const double full = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    {
        session::SessionStore s(whole);
        CHECK(s.finishedSampleIds().size() == static_cast<std::size_t>(limit));
    }

    // Kill at several moments spread over the run; each restart resumes.
    int kills = 0, partial = 0;
    for (double frac : {0.35, 0.5, 0.65, 0.8}) {
        pid_t pid = spawnDetect(killed, "token", limit);
        std::this_thread::sleep_for(std::chrono::duration<double>(full * frac));
        if (kill(pid, SIGKILL) == 0) ++kills;
        waitExit(pid);
        session::SessionStore s(killed);
        std::size_t n = s.finishedSampleIds().size();
        if (n > 0 && n < static_cast<std::size_t>(limit)) ++partial;
    }
    CHECK(kills >= 3);
    MESSAGE("runs killed mid-way with partial sessions: " << partial);
    CHECK(partial >= 2); // the kills really landed mid-run
    REQUIRE(waitExit(spawnDetect(killed, "token", limit)) == 0);
    expectSameSessions(whole, killed);
}

TEST_CASE("detect at chunk level fills per-chunk features")
{
    if (!prerequisites()) return;
    char tmpl[] = "/tmp/hs-detect-XXXXXX";
    std::string dir = mkdtemp(tmpl);
    const std::string sess = dir + "/chunk.hs";
    REQUIRE(waitExit(spawnDetect(sess, "chunk", 20)) == 0);
    session::SessionStore s(sess);
    auto results = s.loadResults();
    REQUIRE(results.size() == 20);
    for (const auto& r : results) {
        REQUIRE_FALSE(r.units.empty());
        for (const auto& u : r.units) {
            CHECK(u.ecs.size() == 12); // tiny-gqa-llama3: 3 layers x 4 heads
            CHECK(u.pks.size() == 3);
        }
    }
}
