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
