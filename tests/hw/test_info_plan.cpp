// `halluscope-cli info MODEL --profile NAME --json` prints the planner's plan (as if the profile's GPUs were
// present), or why the model cannot run so; bad profile options exit with code 2.
#include "core/util/file_util.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace {

using Output = hs::test::CommandOutput;

Output info(const std::string& args)
{
    return hs::test::runCommand("'" + hs::test::buildDir() + "/app/halluscope-cli' info '" + hs::test::sourceDir() +
                                "/tests/fixtures/models/tiny-gqa-llama3' --json " + args + " 2>/dev/null");
}

bool prerequisites()
{
    if (hs::fileExists(hs::test::buildDir() + "/app/halluscope-cli")) return true;
    hs::test::skipMessage("halluscope-cli not built");
    return false;
}

} // namespace

TEST_CASE("info --profile prints the plan for that profile")
{
    if (!prerequisites()) return;
    const Output o = info("--profile 2xt4");
    REQUIRE(o.exitCode == 0);
    const auto j = nlohmann::json::parse(o.out);
    CHECK(j["profile"]["name"] == "2xt4");
    CHECK(j["plan"]["placement"] == "split");
    CHECK(j["plan"]["format"] == "nf4");
    REQUIRE(j["plan"]["devices"].size() == 2);
    CHECK(j["plan"]["devices"][1]["device"] == "cuda:1");
    CHECK(j["plan"]["devices"][1]["predicted_peak_bytes"].get<std::uint64_t>() > 0);
    CHECK(j["plan"]["token_budget"].get<int>() > 0);

    const auto dense = nlohmann::json::parse(info("--profile h200 --quant none").out);
    CHECK(dense["plan"]["format"] == "none");
    CHECK(dense["plan"]["lens_elements"] == 64 << 20);
}

TEST_CASE("info --profile: a cap below the weights is reported; bad options exit 2")
{
    if (!prerequisites()) return;
    const Output tiny = info("--profile custom --gpus 1 --gpu-memory 0.0001");
    REQUIRE(tiny.exitCode == 0);  // info describes; detect would refuse
    CHECK(nlohmann::json::parse(tiny.out)["plan_error"].get<std::string>().find("the weights need") != std::string::npos);
    CHECK(info("--profile custom").exitCode == 2);
    CHECK(info("--profile quantum").exitCode == 2);
    CHECK(info("--profile h200 --quant q3").exitCode == 2);
}
