// `halluscope-cli info` end to end on generated folders: report, --json, and exit code 2 with a message
// naming file and tensor for corrupt input. Skips when the CLI has not been built in HS_BUILD_DIR.
#include "tests/model/model_test_util.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

namespace {

struct Run {
    int code = -1;
    std::string out;  // stdout and stderr together
};

Run runCli(const std::string& args)
{
    Run r;
    std::string cmd = hs::test::buildDir() + "/app/halluscope-cli " + args + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

bool haveCli()
{
    struct stat st;
    if (::stat((hs::test::buildDir() + "/app/halluscope-cli").c_str(), &st) == 0) return true;
    hs::test::skipMessage("halluscope-cli is not built in HS_BUILD_DIR: info tests skipped");
    return false;
}

} // namespace

TEST_CASE("info describes a model folder, as text and as JSON")
{
    if (!haveCli()) return;
    hs::test::TempDir dir;
    hs::test::TinySpec s;
    s.kvHeads = 2;
    s.llama3 = true;
    hs::test::writeTinyModel(dir.path, s);
    Run text = runCli("info " + dir.path);
    CHECK(text.code == 0);
    CHECK(text.out.find("LlamaForCausalLM") != std::string::npos);
    CHECK(text.out.find("llama3 scaling") != std::string::npos);
    CHECK(text.out.find("grouped-query") != std::string::npos);

    Run js = runCli("info " + dir.path + " --json");
    REQUIRE(js.code == 0);
    auto j = nlohmann::json::parse(js.out);
    CHECK(j["layers"] == s.layers);
    CHECK(j["kv_heads"] == 2);
    CHECK(j["rope"]["scaling"] == "llama3");
    CHECK(j["parameters"] == j["parameters_in_files"]);
    CHECK(j["dtypes"]["F32"] == 21);
    CHECK(j["weight_memory_bytes"]["bf16"].get<std::uint64_t>() * 2 == j["weight_memory_bytes"]["f32"].get<std::uint64_t>());
    CHECK(j["ok"] == true);
}

TEST_CASE("info exits with code 2 and names file and tensor for corrupt or unsupported folders")
{
    if (!haveCli()) return;
    hs::test::TinySpec s;
    {
        hs::test::TempDir dir;
        hs::test::writeTinyModel(dir.path, s);
        std::string bytes = hs::test::readBytes(dir.file("model.safetensors"));
        hs::test::writeBytes(dir.file("model.safetensors"), bytes.substr(0, bytes.size() - 100));
        Run r = runCli("info " + dir.path);
        CHECK(r.code == 2);
        CHECK(r.out.find("model.safetensors") != std::string::npos);
        CHECK(r.out.find("tensor '") != std::string::npos);
    }
    {
        hs::test::TempDir dir;
        auto w = hs::test::tinyWeights(s);
        w.erase("model.norm.weight");
        hs::test::writeTinyModel(dir.path, s, w);
        Run r = runCli("info " + dir.path + " --json");
        CHECK(r.code == 2);
        CHECK(r.out.find("missing tensor model.norm.weight") != std::string::npos);
    }
    {
        hs::test::TempDir dir;
        hs::test::writeBytes(dir.file("config.json"), hs::test::tinyConfigJson(s));
        hs::test::writeBytes(dir.file("pytorch_model.bin"), "not a pickle");
        Run r = runCli("info " + dir.path);
        CHECK(r.code == 2);
        CHECK(r.out.find("safetensors") != std::string::npos);
    }
    {
        hs::test::TempDir dir;
        hs::test::writeTinyModel(dir.path, s);
        hs::test::writeBytes(dir.file("config.json"), "{\"architectures\": [\"Llama");
        Run r = runCli("info " + dir.path);
        CHECK(r.code == 2);
        CHECK(r.out.find("config.json") != std::string::npos);
    }
}

TEST_CASE("info works on the golden fixtures when present")
{
    if (!haveCli()) return;
    for (const char* m : {"tiny-mha", "tiny-gqa-llama3", "tiny-mha-sharded", "tiny-mha-bf16", "tiny-gqa-llama3-f16"}) {
        std::string dir = hs::test::fixturesDir() + "/" + m;
        struct stat st;
        if (::stat((dir + "/config.json").c_str(), &st) != 0) {
            hs::test::skipMessage(std::string("fixture ") + m + " is absent");
            continue;
        }
        Run r = runCli("info " + dir + " --json");
        CAPTURE(m);
        CHECK(r.code == 0);
        if (r.code == 0) CHECK(nlohmann::json::parse(r.out)["ok"] == true);
    }
}
