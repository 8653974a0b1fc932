// `detect --shard i/N` + `merge`: three shards of the demo, merged, equal one process bit for bit
// (ids in order, features, token info, attention, the run row, cross-validated metrics); shards do
// not depend on the file's record order; merge refuses other runs, repeated shards and duplicates.
#include "core/analysis/cross_validation.h"
#include "core/analysis/method.h"
#include "core/detect/detector.h"
#include "core/session/session_merge.h"
#include "core/session/session_store.h"
#include "core/session/sqlite_db.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace hs;

namespace {

const int kSamples = 48;

struct Fixture {
    std::string dir, demo, ordered, reversed;
    bool ok = false;

    Fixture()
    {
        demo = test::sourceDir() + "/resources/demo";
        if (!fileExists(demo + "/model/model.safetensors")) return;
        char tmpl[] = "/tmp/hs-shard-XXXXXX";
        dir = ::mkdtemp(tmpl);
        // The first kSamples responses, as filed and in reverse record order.
        std::vector<std::string> lines;
        std::ifstream in(demo + "/data/response.jsonl");
        for (std::string l; static_cast<int>(lines.size()) < kSamples && std::getline(in, l);) lines.push_back(l);
        ordered = writeDataset("ordered", lines);
        std::reverse(lines.begin(), lines.end());
        reversed = writeDataset("reversed", lines);
        ok = true;
    }

    ~Fixture()
    {
        if (!dir.empty()) std::system(("rm -rf '" + dir + "'").c_str());
    }

    std::string writeDataset(const std::string& name, const std::vector<std::string>& lines) const
    {
        const std::string d = dir + "/" + name;
        ::mkdir(d.c_str(), 0755);
        std::ofstream r(d + "/response.jsonl");
        for (const auto& l : lines) r << l << "\n";
        std::ofstream(d + "/source_info.jsonl") << readTextFile(demo + "/data/source_info.jsonl");
        return d;
    }

    std::string detect(const std::string& name, const std::string& dataset, const std::string& shard,
                       const std::string& mode = "clean") const
    {
        detect::RunSettings s;
        s.modelDir = demo + "/model";
        s.datasetPath = dataset;
        s.copyHeadsFile = demo + "/copy_heads.json";
        s.sessionPath = dir + "/" + name + ".hs";
        s.mode = results::parseMode(mode);
        if (!shard.empty()) s.shard = detect::parseShard(shard);
        detect::Observer quiet;
        detect::Detector(s).run(quiet);
        return s.sessionPath;
    }
};

const Fixture& fixture()
{
    static Fixture f;
    return f;
}

void expectSameSample(const session::SessionStore& a, const session::SessionStore& b, const std::string& id)
{
    const results::SampleResult ra = a.loadResult(id), rb = b.loadResult(id);
    CHECK(ra.totalTokens == rb.totalTokens);
    CHECK(ra.promptTokens == rb.promptTokens);
    CHECK(ra.responseLabel == rb.responseLabel);
    REQUIRE(ra.units.size() == rb.units.size());
    for (std::size_t u = 0; u < ra.units.size(); ++u) {
        CHECK(ra.units[u].ecs == rb.units[u].ecs); // float vectors: equal bit for bit
        CHECK(ra.units[u].pks == rb.units[u].pks);
        CHECK(ra.units[u].label == rb.units[u].label);
        CHECK(ra.units[u].tokenBegin == rb.units[u].tokenBegin);
    }
    REQUIRE(ra.attention.size() == rb.attention.size());
    for (std::size_t k = 0; k < ra.attention.size(); ++k) CHECK(ra.attention[k].values == rb.attention[k].values);
    REQUIRE(ra.responseTokens.size() == rb.responseTokens.size());
    for (std::size_t k = 0; k < ra.responseTokens.size(); ++k) CHECK(ra.responseTokens[k].text == rb.responseTokens[k].text);
    const data::Sample sa = a.loadSample(id), sb = b.loadSample(id);
    CHECK(sa.response == sb.response);
    CHECK(sa.hallucinations.size() == sb.hallucinations.size());
}

analysis::RepeatedCv demoMetrics(const session::SessionStore& s)
{
    analysis::MethodOptions mo;
    mo.name = "ensemble";
    mo.features.pksExtremes = true;
    return analysis::repeatedCrossValidate(s.featureTable(), [&] { return analysis::makeMethod(mo); }, 3, {0, 1});
}

void expectInputError(const std::vector<std::string>& inputs, const std::string& needle)
{
    const std::string out = fixture().dir + "/refused.hs";
    std::string message;
    try {
        session::mergeSessions(out, inputs);
    } catch (const InputError& e) {
        message = e.what();
    }
    CHECK_MESSAGE(message.find(needle) != std::string::npos, "message: '" << message << "'");
    CHECK_FALSE(fileExists(out));
}

} // namespace

TEST_CASE("shards 1..3 of the demo merge into exactly the single-process session")
{
    const Fixture& f = fixture();
    if (!f.ok) { test::skipMessage("resources/demo absent"); return; }
    const std::string whole = f.detect("whole", f.ordered, "");
    std::vector<std::string> shards;
    for (const char* s : {"3/3", "1/3", "2/3"}) shards.push_back(f.detect(std::string("shard") + s[0], f.ordered, s));

    std::size_t sum = 0, nonEmpty = 0;
    for (const auto& p : shards) {
        const std::size_t n = session::SessionStore::openReadOnly(p).sampleIds().size();
        sum += n;
        nonEmpty += n > 0;
    }
    CHECK(sum == static_cast<std::size_t>(kSamples));
    CHECK(nonEmpty == 3);

    const std::string merged = f.dir + "/merged.hs";
    const session::MergeReport rep = session::mergeSessions(merged, shards);
    CHECK(rep.complete);
    CHECK(rep.samples == kSamples);
    CHECK(rep.shardsPresent == std::vector<int>{1, 2, 3});

    const auto a = session::SessionStore::openReadOnly(whole), b = session::SessionStore::openReadOnly(merged);
    CHECK(a.runInfo().runHash == b.runInfo().runHash);
    CHECK(a.runInfo().settingsJson == b.runInfo().settingsJson);
    CHECK(b.runInfo().status == "finished");
    CHECK(a.ecsNames() == b.ecsNames());
    CHECK(a.pksNames() == b.pksNames());
    REQUIRE(a.sampleIds() == b.sampleIds()); // the same order, not just the same set
    for (const auto& id : a.sampleIds()) expectSameSample(a, b, id);
    const analysis::FeatureTable ta = a.featureTable(), tb = b.featureTable();
    CHECK(ta.ecs == tb.ecs);
    CHECK(ta.pks == tb.pks);
    const analysis::RepeatedCv ma = demoMetrics(a), mb = demoMetrics(b);
    CHECK(ma.pooledAuc.mean == mb.pooledAuc.mean);
    CHECK(ma.pooledF1.mean == mb.pooledF1.mean);
    CHECK(ma.pooledPcc.mean == mb.pooledPcc.mean);

    // A shard does not depend on the order of the file's records: the same samples, the same bits.
    const auto asFiled = session::SessionStore::openReadOnly(shards[2]);
    const auto reversed = session::SessionStore::openReadOnly(f.detect("reversed2", f.reversed, "2/3"));
    REQUIRE(asFiled.sampleIds() == reversed.sampleIds());
    for (const auto& id : asFiled.sampleIds()) expectSameSample(asFiled, reversed, id);

    // Refusals, each before anything is written.
    {
        expectInputError({shards[1], shards[1]}, "shard 1/3 is given twice");
        expectInputError({whole, shards[1]}, "merge the shards of one split");
        expectInputError({shards[1], f.detect("reference2", f.ordered, "2/3", "reference")},
                         "mode: \"clean\" vs \"reference\"");
        // A copy of shard 1 relabelled as shard 2: the same run, but its samples are duplicates.
        const std::string copy = f.dir + "/relabelled.hs";
        std::ofstream(copy, std::ios::binary) << readTextFile(shards[1]);
        {
            session::Database db(copy, false);
            std::string settings = session::SessionStore::openReadOnly(shards[1]).runInfo().settingsJson;
            settings.replace(settings.find("\"1/3\""), 5, "\"2/3\"");
            db.prepare("UPDATE run SET settings_json = ?1").bind(1, settings).run();
        }
        expectInputError({shards[1], copy}, "merge refuses duplicate samples");
        expectInputError({shards[1], f.dir + "/absent.hs"}, "not found");
        CHECK_THROWS_WITH_AS(session::mergeSessions(shards[0], {shards[1]}), doctest::Contains("exists"), InputError);
    }
}

TEST_CASE("halluscope-cli merge and detect --shard: bad input exits with code 2")
{
    const std::string cli = test::buildDir() + "/app/halluscope-cli";
    if (!fileExists(cli)) { test::skipMessage("halluscope-cli not built"); return; }
    auto exitCode = [&](const std::string& args) {
        const int st = std::system((cli + " " + args + " >/dev/null 2>&1").c_str());
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    };
    CHECK(exitCode("merge /tmp/hs-merge-out.hs") == 2);
    CHECK(exitCode("merge /tmp/hs-merge-out.hs /tmp/hs-no-such-session.hs") == 2);
    for (const char* bad : {"0/4", "5/4", "2", "a/b", "1/0", "-1/3"})
        CHECK(exitCode(std::string("detect --model m --dataset d --session s --shard ") + bad) == 2);
}
