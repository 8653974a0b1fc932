// A run killed with SIGKILL at arbitrary moments, several times, then resumed, must leave the
// same session as an uninterrupted run: every sample once, identical features.
#include "core/session/session_store.h"
#include "core/util/error.h"
#include "tests/session/synthetic_samples.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <csignal>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

using namespace hs::session;

namespace {

constexpr int kSamples = 80;
constexpr int kEcs = 32, kPks = 32;

// What a detection run does with its session: begin (or resume), skip finished ids, save each
// sample in its own transaction, mark the run finished.
void runWorker(const std::string& path, int sleepMicros)
{
    SessionStore store(path);
    store.beginRun(R"({"method":"synthetic"})", "synthetic-hash");
    std::vector<std::string> ecs, pks;
    for (int k = 0; k < kEcs; ++k) ecs.push_back("(" + std::to_string(k) + ", 0)");
    for (int k = 0; k < kPks; ++k) pks.push_back("layer_" + std::to_string(k));
    store.setFeatureNames(ecs, pks);
    const auto finished = store.finishedSampleIds();
    for (int i = 0; i < kSamples; ++i) {
        const auto sample = hs::test::syntheticSample(i);
        if (finished.count(sample.id)) continue;
        if (sleepMicros > 0) ::usleep(sleepMicros);   // "the model is computing"
        store.saveSample(sample, hs::test::syntheticResult(i, kEcs, kPks));
    }
    store.markFinished();
}

pid_t forkWorker(const std::string& path, int sleepMicros)
{
    const pid_t pid = ::fork();
    if (pid == 0) {
        int code = 0;
        try {
            runWorker(path, sleepMicros);
        } catch (...) {
            code = 3;
        }
        ::_exit(code);   // never return into the test runner from the child
    }
    return pid;
}

int savedCount(const std::string& path)
{
    if (!hs::test::fileExistsForTest(path)) return 0;
    try {
        return SessionStore(path, OpenMode::ReadOnly).sampleCount();
    } catch (const hs::InputError&) {
        return 0;   // killed before the schema was created: an empty file, which a resume initialises
    }
}

// Polls until `target` samples are saved (or 10 s pass), so a kill is sure to land mid-run even
// on a loaded machine.
void waitForSaved(const std::string& path, int target)
{
    for (int i = 0; i < 10000 && savedCount(path) < target; ++i) ::usleep(1000);
}

std::pair<int, int> rawCounts(const std::string& path, std::string& integrity)
{
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT COUNT(*), COUNT(DISTINCT id) FROM samples", -1, &st, nullptr);
    sqlite3_step(st);
    std::pair<int, int> out{sqlite3_column_int(st, 0), sqlite3_column_int(st, 1)};
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr);
    sqlite3_step(st);
    integrity = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

} // namespace

TEST_CASE("session: SIGKILL mid-run several times, resume, same store as an uninterrupted run")
{
    const std::string reference = hs::test::tempPath("uninterrupted.db");
    const std::string killed = hs::test::tempPath("killed.db");
    hs::test::removeSession(reference);
    hs::test::removeSession(killed);

    runWorker(reference, 0);

    // Kill at varied moments: before the store is even open, mid-save, between saves.
    const int killAfterMicros[] = {300, 9000, 25000, 17000, 700, 40000, 5200, 60000};
    int previous = 0, kills = 0, progressed = 0;
    for (int round = 0; round < 8; ++round) {
        const int delay = killAfterMicros[round];
        const pid_t pid = forkWorker(killed, 3000);
        REQUIRE(pid > 0);
        // Odd rounds wait for progress first, then kill a little later (during a save or between
        // saves); even rounds kill after a fixed time (often before the first save).
        if (round % 2) waitForSaved(killed, previous + 2);
        ::usleep(round % 2 ? delay % 3000 : delay);
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (WIFSIGNALED(status)) ++kills;
        const int now = savedCount(killed);
        CHECK(now >= previous);          // nothing committed is ever lost
        progressed += now > previous;
        previous = now;
    }
    MESSAGE("killed " << kills << " runs; progress after " << progressed << " of them; " << previous << "/"
                      << kSamples << " saved before the final resume");
    CHECK(kills >= 4);
    CHECK(progressed >= 4);          // kills landed after samples were saved
    CHECK(previous < kSamples);          // the kills really interrupted the run

    // Finish.
    const pid_t pid = forkWorker(killed, 3000);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);

    std::string integrity;
    const auto counts = rawCounts(killed, integrity);
    CHECK(integrity == "ok");
    CHECK(counts.first == kSamples);
    CHECK(counts.second == kSamples);   // no duplicates

    SessionStore a(reference, OpenMode::ReadOnly), b(killed, OpenMode::ReadOnly);
    CHECK(b.runInfo().status == "finished");
    CHECK(a.finishedSampleIds() == b.finishedSampleIds());
    std::map<std::string, hs::results::SampleResult> byId;
    for (auto& r : a.loadResults()) byId[r.sampleId] = r;
    const auto resumed = b.loadResults();
    REQUIRE(resumed.size() == byId.size());
    for (const auto& r : resumed) {
        const auto& e = byId.at(r.sampleId);
        REQUIRE(r.units.size() == e.units.size());
        for (std::size_t u = 0; u < r.units.size(); ++u) {
            CHECK(r.units[u].ecs == e.units[u].ecs);
            CHECK(r.units[u].pks == e.units[u].pks);
            CHECK(r.units[u].label == e.units[u].label);
            CHECK(r.units[u].tokenBegin == e.units[u].tokenBegin);
        }
        CHECK(r.attention.size() == e.attention.size());
        CHECK(r.responseTokens.size() == e.responseTokens.size());
    }
    const auto ta = a.featureTable(), tb = b.featureTable();
    CHECK(ta.rows() == tb.rows());
    CHECK(ta.ecsNames == tb.ecsNames);
    CHECK(ta.pksNames == tb.pksNames);

    hs::test::removeSession(reference);
    hs::test::removeSession(killed);
}
