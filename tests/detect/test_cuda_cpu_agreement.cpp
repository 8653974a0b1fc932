// The demo model (real trained weights) at f32 on the CPU and on CUDA gives the same features: every
// ECS and PKS value within 1e-4 relative (of its column's scale), token and chunk level, both modes.
// Skipped without a GPU.
#include "core/detect/feature_agreement.h"
#include "core/session/session_store.h"
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <ATen/Context.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

using namespace hs;

namespace {

std::string detectInto(const std::string& session, const std::string& device, const std::string& level,
                       const std::string& mode)
{
    const std::string demo = test::sourceDir() + "/resources/demo";
    std::remove(session.c_str());
    const std::string cmd = test::buildDir() + "/app/halluscope-cli detect --model " + demo + "/model --dataset " + demo +
                            "/data --copy-heads " + demo + "/copy_heads.json --session " + session +
                            " --device " + device + " --dtype f32 --level " + level + " --mode " + mode +
                            " --limit 60 --quiet > /dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    return session;
}

} // namespace

TEST_CASE("CUDA f32 equals CPU f32 on the demo model, feature by feature")
{
    if (!at::hasCUDA()) {
        test::skipMessage("CUDA is not available: CPU/CUDA feature agreement skipped");
        return;
    }
    for (const char* level : {"token", "chunk"})
        for (const char* mode : {"reference", "clean"}) {
            CAPTURE(level);
            CAPTURE(mode);
            const std::string a = detectInto("/tmp/hs_agree_cpu.hs", "cpu", level, mode);
            const std::string b = detectInto("/tmp/hs_agree_cuda.hs", "cuda", level, mode);
            session::SessionStore sa(a, session::OpenMode::ReadOnly), sb(b, session::OpenMode::ReadOnly);
            const auto ra = sa.loadResults(), rb = sb.loadResults();
            const detect::FeatureAgreement g = detect::compareFeatures(rb, ra, sa.ecsNames(), sa.pksNames());
            CHECK(g.samples == 60);
            CHECK(g.withinScale(1e-4));
        }
}
