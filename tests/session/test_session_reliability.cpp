// Sessions refuse what analyses cannot use and say what differs when a run does not match.
#include "core/session/blob_codec.h"
#include "core/session/session_store.h"
#include "core/util/error.h"
#include "tests/session/synthetic_samples.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

using namespace hs::session;
using hs::test::syntheticResult;
using hs::test::syntheticSample;

TEST_CASE("session: 'holds another run' names each setting that differs")
{
    const std::string path = hs::test::tempPath("differs.db");
    hs::test::removeSession(path);
    SessionStore store(path);
    store.beginRun(R"({"dtype":"f32","device":"cpu","layers":[0,1],"limit":-1})", "A");
    CHECK_THROWS_WITH_AS(store.beginRun(R"({"dtype":"bf16","device":"cpu","layers":[0,1,2],"limit":-1})", "B"),
                         doctest::Contains(R"(dtype: stored "f32", now "bf16"; layers: stored [0,1], now [0,1,2])"),
                         hs::InputError);
    CHECK_THROWS_WITH_AS(store.beginRun(R"({"dtype":"f32","device":"cpu","layers":[0,1],"limit":-1})", "C"),
                         doctest::Contains("the settings are the same, so the model files or the dataset"),
                         hs::InputError);
    hs::test::removeSession(path);
}

TEST_CASE("session: a stored NaN feature is reported by sample and column")
{
    const std::string path = hs::test::tempPath("nan.db");
    hs::test::removeSession(path);
    SessionStore store(path);
    store.beginRun("{}", "A");
    store.setFeatureNames({"(0, 0)", "(0, 1)"}, {"layer_3"});
    store.saveSample(syntheticSample(0), syntheticResult(0, 2, 1));
    auto bad = syntheticResult(1, 2, 1);
    bad.units[1].pks[0] = std::numeric_limits<float>::quiet_NaN();
    store.saveSample(syntheticSample(1), bad);
    CHECK_THROWS_WITH_AS(store.featureTable(), doctest::Contains("response 'r1' (row 3), column 'layer_3'"),
                         hs::InputError);
    hs::test::removeSession(path);
}

TEST_CASE("session: a string list claiming 2^32-1 entries is refused before anything is reserved")
{
    // Found by fuzz_session_file: the claimed count went to reserve() (a 15 GB allocation).
    std::string blob = hs::session::blob::encodeStrings({"a", "b"});
    blob[0] = blob[1] = blob[2] = blob[3] = '\xFF';
    CHECK_THROWS_WITH_AS(hs::session::blob::decodeStrings(blob), doctest::Contains("claims 4294967295 entries"),
                         hs::InputError);
    CHECK(hs::session::blob::decodeStrings(hs::session::blob::encodeStrings({"a", "b"})) ==
          std::vector<std::string>{"a", "b"});
}
