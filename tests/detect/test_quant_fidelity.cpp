// Quantisation fidelity on the demo model (real trained weights), end to end through halluscope-cli:
// features of int8 / NF4 runs against the f32 run, per copy head and per layer (Pearson r over every scored
// unit), and the held-out AUC of the same recipe under each format.
#include "core/detect/feature_agreement.h"
#include "core/session/session_store.h"
#include "core/util/file_util.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <tuple>

using namespace hs;

namespace {

std::string cli() { return test::buildDir() + "/app/halluscope-cli"; }
std::string demo() { return test::sourceDir() + "/resources/demo"; }

std::string detectInto(const std::string& name, const std::string& extra, const std::string& mode, const std::string& level)
{
    const std::string session = "/tmp/hs_fidelity_" + name + "_" + mode + "_" + level + ".hs";
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((session + suffix).c_str());
    const std::string cmd = cli() + " detect --model " + demo() + "/model --dataset " + demo() + "/data --copy-heads " +
                            demo() + "/copy_heads.json --session " + session + " --device cpu --dtype f32 --mode " +
                            mode + " --level " + level + " " + extra + " --quiet > /dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    return session;
}

detect::FeatureAgreement agreement(const std::string& a, const std::string& ref)
{
    session::SessionStore sa(a, session::OpenMode::ReadOnly), sr(ref, session::OpenMode::ReadOnly);
    return detect::compareFeatures(sa.loadResults(), sr.loadResults(), sr.ecsNames(), sr.pksNames());
}

double heldOutAuc(const std::string& session)
{
    const test::CommandOutput r =
        test::runCommand(cli() + " regress --session " + session + " --method ensemble --cv 5 --seeds 0 --json 2>/dev/null");
    REQUIRE(r.exitCode == 0);
    return nlohmann::json::parse(r.out)["cv"]["pooled_auc"]["mean"].get<double>();
}

bool ready()
{
    if (!fileExists(cli())) {
        test::skipMessage("halluscope-cli not built");
        return false;
    }
    return true;
}

} // namespace

TEST_CASE("int8 and NF4 features follow f32 on the demo model (clean token level), and the held-out AUC holds")
{
    if (!ready()) return;
    const std::string f32 = detectInto("f32", "--quant none", "clean", "token");
    const std::string i8 = detectInto("int8", "--quant int8", "clean", "token");
    const std::string nf4 = detectInto("nf4", "--quant nf4", "clean", "token");
    const std::string nf4dq = detectInto("nf4dq", "--quant nf4 --double-quant", "clean", "token");
    const std::string nf4head = detectInto("nf4head", "--quant nf4 --quant-lm-head", "clean", "token");
    // measured 2026-12-01: int8 r 1.0000 / 1.0000, NF4 0.9996 / 0.9923, NF4 with lm_head 0.9996 / 0.9891
    for (const auto& [s, ecsMin, pksMin] : {std::tuple{i8, 0.999, 0.999}, std::tuple{nf4, 0.98, 0.95},
                                            std::tuple{nf4dq, 0.98, 0.95}, std::tuple{nf4head, 0.98, 0.95}}) {
        CAPTURE(s);
        const detect::FeatureAgreement g = agreement(s, f32);
        CHECK(g.samples == 450);
        CHECK(g.minEcsPearson() >= ecsMin);
        CHECK(g.minPksPearson() >= pksMin);
        CHECK(g.minPksPearson() < 1.0 + 1e-12);
    }
    // quantising lm_head too costs PKS fidelity (the logit lens reads it): never better than keeping it 16-bit
    CHECK(agreement(nf4head, f32).meanPksPearson() <= agreement(nf4, f32).meanPksPearson() + 1e-9);
    // the same recipe's held-out AUC (ensemble, 5-fold grouped CV): measured 0.9637 f32, 0.9637 int8, 0.9635 NF4
    const double base = heldOutAuc(f32);
    CHECK(base > 0.9);
    CHECK(std::abs(heldOutAuc(i8) - base) <= 0.01);
    CHECK(std::abs(heldOutAuc(nf4) - base) <= 0.01);
}

TEST_CASE("int8 and NF4 fidelity at chunk level and in reference mode")
{
    if (!ready()) return;
    for (const auto& [mode, level] : {std::pair{"reference", "chunk"}, std::pair{"clean", "chunk"}, std::pair{"reference", "token"}}) {
        CAPTURE(mode);
        CAPTURE(level);
        const std::string f32 = detectInto("f32", "--quant none", mode, level);
        const detect::FeatureAgreement i8 = agreement(detectInto("int8", "--quant int8", mode, level), f32);
        const detect::FeatureAgreement nf4 = agreement(detectInto("nf4", "--quant nf4", mode, level), f32);
        CHECK(i8.minEcsPearson() >= 0.98);
        CHECK(i8.minPksPearson() >= 0.99);
        CHECK(nf4.minPksPearson() >= 0.95);
        // Reference token ECS averages the states of the top-10 % attended positions: a discontinuous choice
        // that 4-bit noise reorders (measured r 0.88 for NF4, 0.992 for int8); every other ECS holds >= 0.996.
        CHECK(nf4.minEcsPearson() >= (std::string(level) == "token" ? 0.85 : 0.98));
    }
}
