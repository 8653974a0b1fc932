// `halluscope-cli regress --session` stores the scores it computes (with the method's name) in the session,
// so `export --level sample` fills its score column; --no-save leaves the session alone.
#include "core/session/session_export.h"
#include "core/session/session_store.h"
#include "core/util/file_util.h"
#include "tests/run_command.h"
#include "tests/session/synthetic_samples.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <sstream>

using namespace hs;

namespace {

std::string cli() { return test::buildDir() + "/app/halluscope-cli"; }

std::string makeSession(const std::string& name)
{
    const std::string path = test::tempPath(name);
    test::removeSession(path);
    session::SessionStore store(path);
    store.beginRun("{\"level\":\"chunk\"}", "hash-regress");
    store.setFeatureNames({"(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"}, {"layer_0", "layer_1", "layer_2"});
    for (int i = 0; i < 40; ++i) store.saveSample(test::syntheticSample(i), test::syntheticResult(i));
    store.markFinished();
    return path;
}

} // namespace

TEST_CASE("regress --session writes its held-out scores into the session; export reads them")
{
    if (!fileExists(cli())) { test::skipMessage("halluscope-cli not built"); return; }
    const std::string path = makeSession("regress_scores.hs");
    {
        const auto before = session::SessionStore::openReadOnly(path);
        CHECK(session::sampleScores(before.metrics()).empty());
    }
    const auto r = test::runCommand(cli() + " regress --session " + path + " --method logistic --cv 4 --seeds 3 --l2 1 --json 2>&1");
    REQUIRE_MESSAGE(r.exitCode == 0, r.out);

    const auto store = session::SessionStore::openReadOnly(path);
    const nlohmann::json m = store.metrics();
    REQUIRE(m.is_object());
    CHECK(m["scored_by"]["method"] == "logistic");
    CHECK(m["scored_by"]["mode"] == "cv");
    CHECK(m["scored_by"]["folds"] == 4);
    CHECK(m["scored_by"]["seed"] == 3);
    const auto scores = session::sampleScores(m);
    CHECK(scores.size() == 40);
    // The held-out scores are the ones the command printed for the same seed.
    const nlohmann::json printed = nlohmann::json::parse(r.out);
    for (const auto& h : printed["cv"]["runs"][0]["held_out"])
        CHECK(scores.at(h["id"].get<std::string>()) == doctest::Approx(h["score"].get<double>()).epsilon(1e-12));

    std::ostringstream csv;
    const auto sum = session::exportSession(store, session::ExportFormat::Csv, session::ExportLevel::Sample, csv);
    CHECK(sum.hasScores);
    std::istringstream lines(csv.str());
    std::string header, first;
    std::getline(lines, header);
    std::getline(lines, first);
    CHECK(header.rfind("id,source_id,task,label,score,", 0) == 0);
    // The fifth field (score) is filled.
    std::size_t pos = 0;
    for (int f = 0; f < 4; ++f) pos = first.find(',', pos) + 1;
    CHECK(first[pos] != ',');

    // In-sample scoring replaces them, with its own mode; --no-save changes nothing.
    REQUIRE(test::runCommand(cli() + " regress --session " + path + " --method logistic --l2 1 > /dev/null 2>&1").exitCode == 0);
    CHECK(session::SessionStore::openReadOnly(path).metrics()["scored_by"]["mode"] == "in-sample");
    REQUIRE(test::runCommand(cli() + " regress --session " + path + " --reference --no-save > /dev/null 2>&1").exitCode == 0);
    CHECK(session::SessionStore::openReadOnly(path).metrics()["scored_by"]["mode"] == "in-sample");
    REQUIRE(test::runCommand(cli() + " regress --session " + path + " --reference > /dev/null 2>&1").exitCode == 0);
    const nlohmann::json ref = session::SessionStore::openReadOnly(path).metrics();
    CHECK(ref["scored_by"]["method"] == "redeep-chunk");
    CHECK(ref["scored_by"]["mode"] == "reference");
    CHECK(session::sampleScores(ref).size() == 40);
    test::removeSession(path);
}
