// End to end: detection with shared prompts (the default) gives the features of scoring every sample whole,
// at token and chunk level, in both modes, on the demo (150 of its sources have two answers).
#include "core/detect/feature_agreement.h"
#include "core/session/session_store.h"
#include "core/util/file_util.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace hs;

namespace {

std::string demo() { return test::sourceDir() + "/resources/demo"; }

nlohmann::json runDetect(const std::string& session, const std::string& level, const std::string& mode, bool share)
{
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((session + suffix).c_str());
    // On the CPU (GPUs hidden): there both paths compute in float32 and must agree to 1e-4 of each column's
    // scale; on a GPU the auto profile's bf16 would round the two batch shapes differently.
    const std::string cmd = "CUDA_VISIBLE_DEVICES= " + test::buildDir() + "/app/halluscope-cli detect --model " + demo() + "/model --dataset " +
                            demo() + "/data --copy-heads " + demo() + "/copy_heads.json --session " + session +
                            " --level " + level + " --mode " + mode + " --limit 150 --quiet --json" +
                            (share ? "" : " --no-prompt-sharing");
    const test::CommandOutput r = test::runCommand(cmd);
    REQUIRE(r.exitCode == 0);
    return nlohmann::json::parse(r.out);
}

} // namespace

TEST_CASE("shared prompts give the features of whole sequences")
{
    if (!fileExists(test::buildDir() + "/app/halluscope-cli")) {
        test::skipMessage("halluscope-cli not built");
        return;
    }
    for (const char* level : {"token", "chunk"})
        for (const char* mode : {"reference", "clean"}) {
            CAPTURE(level);
            CAPTURE(mode);
            const nlohmann::json on = runDetect("/tmp/hs_share_on.hs", level, mode, true);
            const nlohmann::json off = runDetect("/tmp/hs_share_off.hs", level, mode, false);
            CHECK(on["shared_prompt_batches"].get<int>() > 0);
            CHECK(off["shared_prompt_batches"].get<int>() == 0);
            CHECK(on["processed"] == off["processed"]);
            session::SessionStore a("/tmp/hs_share_on.hs", session::OpenMode::ReadOnly);
            session::SessionStore b("/tmp/hs_share_off.hs", session::OpenMode::ReadOnly);
            const auto ra = a.loadResults(), rb = b.loadResults();
            const detect::FeatureAgreement g = detect::compareFeatures(ra, rb, b.ecsNames(), b.pksNames());
            CHECK(g.samples == rb.size());
            CHECK(g.withinScale(1e-4));
        }
}
