// `detect --prompt-char-limit N`: part of the run's settings and hash (a session of another cut is not resumed),
// bad values refused; inputs beyond the model's context are skipped with a warning naming their length.
#include "core/detect/detector.h"
#include "core/detect/run_identity.h"
#include "core/session/session_store.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "core/util/json_util.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

using namespace hs;

namespace {

std::string cli() { return test::buildDir() + "/app/halluscope-cli"; }

std::string detectCommand(const std::string& model, const std::string& session, const std::string& extra)
{
    return cli() + " detect --model " + test::sourceDir() + "/tests/fixtures/models/" + model + " --dataset " +
           test::sourceDir() + "/resources/demo/data --session " + session + " --limit 6 --quiet " + extra + " 2>&1";
}

void removeSession(const std::string& p)
{
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((p + suffix).c_str());
}

} // namespace

TEST_CASE("--prompt-char-limit: stored with the run, part of its hash, negative values refused")
{
    if (!fileExists(cli())) { test::skipMessage("halluscope-cli not built"); return; }
    const std::string session = "/tmp/hs_prompt_limit_" + std::to_string(::getpid()) + ".hs";
    removeSession(session);
    const auto ref = test::runCommand(detectCommand("tiny-gqa-llama3", session, "--mode reference"));
    REQUIRE_MESSAGE(ref.exitCode == 0, ref.out);
    {
        const auto stored = parseJson(session::SessionStore::openReadOnly(session).runInfo().settingsJson, "settings");
        CHECK(stored["prompt_char_limit"] == 12000);  // the published cut
    }
    CHECK(test::runCommand(detectCommand("tiny-gqa-llama3", session, "--mode reference")).exitCode == 0);  // resumes
    {
        // What a front end reads back from the session (the GUI's Run form) resumes the same run.
        detect::RunSettings back = detect::runSettingsFromJson(session::SessionStore::openReadOnly(session).runInfo().settingsJson);
        CHECK((back.mode == results::Mode::Reference));
        CHECK((back.level == results::Level::Token));
        CHECK(back.promptCharLimit == 12000);
        CHECK(back.limit == 6);
        CHECK_FALSE(back.copyHeads.empty());
        CHECK_FALSE(back.layers.empty());
        back.sessionPath = session;
        detect::Observer quiet;
        const detect::RunSummary resumed = detect::Detector(back).run(quiet);
        CHECK(resumed.resumedSkipped == 6);
        CHECK(resumed.processed == 0);
    }
    const auto other = test::runCommand(detectCommand("tiny-gqa-llama3", session, "--mode reference --prompt-char-limit 40"));
    CHECK(other.exitCode == 2);
    CHECK_MESSAGE(other.out.find("prompt_char_limit") != std::string::npos, other.out);
    removeSession(session);

    const auto clean = test::runCommand(detectCommand("tiny-gqa-llama3", session, "--mode clean"));
    REQUIRE_MESSAGE(clean.exitCode == 0, clean.out);
    const std::string cleanJson = session::SessionStore::openReadOnly(session).runInfo().settingsJson;
    CHECK(parseJson(cleanJson, "settings")["prompt_char_limit"].is_null());
    CHECK(detect::runSettingsFromJson(cleanJson).promptCharLimit == 0);  // no cut, said explicitly
    CHECK_THROWS_AS(detect::runSettingsFromJson(R"({"level": "sentence"})"), InputError);
    removeSession(session);

    const auto bad = test::runCommand(detectCommand("tiny-gqa-llama3", session, "--prompt-char-limit -3"));
    CHECK(bad.exitCode == 2);
    CHECK_MESSAGE(bad.out.find("--prompt-char-limit expects a whole number") != std::string::npos, bad.out);
    removeSession(session);
}

TEST_CASE("samples longer than the model's context are skipped with a warning naming their length")
{
    if (!fileExists(cli())) { test::skipMessage("halluscope-cli not built"); return; }
    // The fixture model, declaring a context of 64 positions: the demo's inputs are longer.
    const std::string dir = "/tmp/hs_short_context_" + std::to_string(::getpid());
    const std::string src = test::sourceDir() + "/tests/fixtures/models/tiny-gqa-llama3";
    REQUIRE(std::system(("rm -rf " + dir + " && cp -r " + src + " " + dir).c_str()) == 0);
    {
        auto config = parseJson(readTextFile(dir + "/config.json"), "config");
        config["max_position_embeddings"] = 64;
        std::ofstream(dir + "/config.json") << config.dump();
    }
    const std::string session = dir + "/s.hs";
    const auto r = test::runCommand(cli() + " detect --model " + dir + " --dataset " + test::sourceDir() +
                                    "/resources/demo/data --session " + session + " --limit 3 2>&1");
    CHECK(r.exitCode == 2); // nothing left to score
    CHECK_MESSAGE(r.out.find("tokens are longer than the model's context (64 positions, max_position_embeddings); skipped") !=
                      std::string::npos, r.out);
    CHECK(r.out.find("3 read, 3 skipped") != std::string::npos);
    std::system(("rm -rf " + dir).c_str());
}
