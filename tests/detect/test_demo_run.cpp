// The built-in demo end to end on CPU: `halluscope-cli demo` (detect on the bundled model and data,
// then grouped 5-fold CV) must separate hallucinated from faithful answers on held-out folds.
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

using namespace hs;

TEST_CASE("halluscope-cli demo: held-out AUC >= 0.8 on CPU")
{
    const std::string cli = test::buildDir() + "/app/halluscope-cli";
    const std::string res = test::sourceDir() + "/resources";
    if (!fileExists(cli) || !isDirectory(res + "/demo/model")) {
        test::skipMessage("halluscope-cli or the demo resources absent");
        return;
    }
    char tmpl[] = "/tmp/hs_demo_XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    const std::string session = std::string(tmpl) + "/demo.hs";
    // One seed keeps the test near 10 s; the CLI's default is three.
    const std::string cmd = "HS_RESOURCES=" + res + " " + cli + " demo --session " + session + " --seeds 0 --json";
    const auto t0 = std::chrono::steady_clock::now();
    std::string out;
    if (FILE* f = ::popen(cmd.c_str(), "r")) {
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
        CHECK(::pclose(f) == 0);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const nlohmann::json j = nlohmann::json::parse(out);
    const double auc = j["auc_mean"].get<double>();
    std::cout << "demo: held-out AUC " << auc << ", F1 " << j["f1_mean"].get<double>() << ", " << seconds << " s"
              << std::endl;
    CHECK(j["samples"].get<int>() == 450);
    CHECK(auc >= 0.8);
    CHECK(j["f1_mean"].get<double>() >= 0.7);

    // A second run resumes the session: nothing is scored again.
    out.clear();
    if (FILE* f = ::popen((cmd + " --cv 2").c_str(), "r")) {
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
        ::pclose(f);
    }
    const nlohmann::json again = nlohmann::json::parse(out);
    CHECK(again["scored_now"].get<int>() == 0);
    CHECK(again["resumed"].get<int>() == 450);
    std::remove(session.c_str());
    std::remove((session + "-wal").c_str());
    std::remove((session + "-shm").c_str());
    ::rmdir(tmpl);
}

TEST_CASE("halluscope-cli demo: a clear error without resources")
{
    const std::string cli = test::buildDir() + "/app/halluscope-cli";
    if (!fileExists(cli)) { test::skipMessage("halluscope-cli not built"); return; }
    // A copy of the binary outside any tree, so neither ../../resources nor ../share is found.
    char tmpl[] = "/tmp/hs_demo_nores_XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    const std::string bin = std::string(tmpl) + "/halluscope-cli";
    REQUIRE(std::system(("cp " + cli + " " + bin).c_str()) == 0);
    std::string out;
    if (FILE* f = ::popen(("HS_RESOURCES= " + bin + " demo --session " + std::string(tmpl) + "/x.hs 2>&1").c_str(), "r")) {
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
        CHECK(::pclose(f) != 0);
    }
    CHECK(out.find("cannot find the demo resources") != std::string::npos);
    CHECK(out.find("HS_RESOURCES") != std::string::npos);
    std::remove(bin.c_str());
    ::rmdir(tmpl);
}

// Issue 5 asks that re-running the training script reproduces the weights. The re-training itself needs the
// GPU machine (tools/gpu/batch_demo_repro.sh); what CI can hold fixed is that the shipped files are exactly
// the ones that training run reported, so a hand-edited or re-exported model cannot slip in unnoticed.
TEST_CASE("demo model: shipped weights are the ones the training summary names")
{
    const std::string dir = test::sourceDir() + "/resources/demo/model";
    if (!isDirectory(dir)) { test::skipMessage("demo model absent"); return; }
    const nlohmann::json summary = nlohmann::json::parse(readTextFile(dir + "/training_summary.json"));
    auto sha256 = [](const std::string& path) {
        std::string out;
        if (FILE* f = ::popen(("sha256sum '" + path + "'").c_str(), "r")) {
            char buf[256];
            std::size_t n;
            while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
            ::pclose(f);
        }
        return out.substr(0, out.find(' '));
    };
    CHECK(sha256(dir + "/model.safetensors") == summary["sha256_model_safetensors"].get<std::string>());
    CHECK(sha256(dir + "/tokenizer.json") == summary["sha256_tokenizer_json"].get<std::string>());
    CHECK(summary["steps_done"] == summary["steps_planned"]);
    // The copy-head list the product ships is the one training found.
    const nlohmann::json shipped = nlohmann::json::parse(readTextFile(test::sourceDir() + "/resources/demo/copy_heads.json"));
    CHECK(shipped == summary["copy_heads"]);
}
