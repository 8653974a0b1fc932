// Issue 15's hostile inputs, end to end through the built halluscope-cli: each must end within seconds
// with exit code 2 and a message naming what is wrong, never a hang (the runs are under `timeout`, so
// a hang fails as exit 124), a crash (a signal) or a silent success.
#include "core/util/file_util.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace hs;

namespace {

struct Run {
    int code = -1;
    std::string out; // stdout and stderr together
};

Run run(const std::string& args, int seconds = 120)
{
    Run r;
    const std::string cmd = "timeout " + std::to_string(seconds) + " " + test::buildDir() + "/app/halluscope-cli " +
                            args + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

bool cliBuilt()
{
    if (fileExists(test::buildDir() + "/app/halluscope-cli")) return true;
    test::skipMessage("halluscope-cli is not built");
    return false;
}

std::string tempPath(const std::string& name) { return "/tmp/hs_rel_" + std::to_string(::getpid()) + "_" + name; }

std::string writeFile(const std::string& name, const std::string& text)
{
    const std::string p = tempPath(name);
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

// A minimal ReDeEP feature log: `n` responses of two chunks, one ECS head and one PKS layer.
std::string featureLog(int n, const std::string& pksValue = "", const std::string& idOf0 = "")
{
    std::string s = "[";
    for (int r = 0; r < n; ++r) {
        s += r ? "," : "";
        s += "{\"id\": " + (r == 0 && !idOf0.empty() ? idOf0 : "\"r" + std::to_string(r) + "\"") + ", \"scores\": [";
        for (int c = 0; c < 2; ++c) {
            const int label = r % 2 == 1 && c == 1 ? 1 : 0; // odd responses are hallucinated
            const std::string pks = r == 1 && c == 1 && !pksValue.empty() ? pksValue : std::to_string(0.1 * (r % 7) + c);
            s += std::string(c ? "," : "") + "{\"prompt_attention_score\": {\"(0, 0)\": " + std::to_string(0.3 * ((r * 3) % 5)) +
                 "}, \"parameter_knowledge_scores\": {\"layer_0\": " + pks + "}, \"hallucination_label\": " +
                 std::to_string(label) + "}";
        }
        s += "]}";
    }
    return s + "]";
}

bool has(const Run& r, const std::string& part)
{
    const bool found = r.out.find(part) != std::string::npos;
    if (!found) MESSAGE("output was: " << r.out);
    return found;
}

const std::string kDetectArgs = "detect --model /nonexistent --dataset /nonexistent --session /tmp/none.hsession ";

} // namespace

TEST_CASE("a feature log with a non-finite or overflowing feature is refused by name, never loops")
{
    if (!cliBuilt()) return;
    // Finite values near the top of the double range overflow inside every score (this looped forever).
    const std::string inf = writeFile("huge.json", featureLog(12, "1.7e308"));
    for (const char* cmd : {"regress --features ", "regress --cv 3 --method logistic --features ",
                            "tune --cv 3 --features ", "heads --features "}) {
        CAPTURE(cmd);
        Run r = run(cmd + inf, 60);
        CHECK(r.code == 2);
        CHECK(has(r, "not finite or beyond"));
        CHECK(has(r, "response 'r1'"));
        CHECK(has(r, "column 'layer_0'"));
    }
    // A literal beyond the double range is refused by the JSON reader.
    const std::string huge = writeFile("inf.json", featureLog(12, "1e999"));
    Run r = run("regress --features " + huge, 60);
    CHECK(r.code == 2);
    CHECK(has(r, "number overflow"));
    std::remove(inf.c_str());
    std::remove(huge.c_str());
}

TEST_CASE("deeply nested JSON is refused with a message, not a stack overflow")
{
    if (!cliBuilt()) return;
    const std::string nested = std::string(100000, '[') + "1" + std::string(100000, ']');
    const std::string log = writeFile("nested.json", featureLog(4, "", nested));
    for (const char* cmd : {"regress --features ", "heads --features ", "tune --features "}) {
        CAPTURE(cmd);
        Run r = run(cmd + log, 60);
        CHECK(r.code == 2);
        CHECK(has(r, "nested deeper than"));
    }
    std::remove(log.c_str());
}

TEST_CASE("every command rejects unknown options, repeated options and stray arguments")
{
    if (!cliBuilt()) return;
    const std::string log = writeFile("ok.json", featureLog(12));
    struct Case {
        std::string args, offending;
    };
    const Case cases[] = {
        {kDetectArgs + "--limt 5", "'--limt'"},
        {kDetectArgs + "stray", "'stray'"},
        {kDetectArgs + "--limit -5", "'-5'"},
        {kDetectArgs + "--limit 4294967297", "'4294967297'"},
        {kDetectArgs + "--layers ''", "--layers: the list is empty"},
        {kDetectArgs + "--layers 3-1", "reversed"},
        {kDetectArgs + "--layers 1x,2", "'1x'"},
        {kDetectArgs + "--layers 0-2147483647", "'0-2147483647'"},
        {kDetectArgs + "--quiet=yes", "takes no value"},
        {"regress --features " + log + " --features " + log, "given twice"},
        {"regress --features " + log + " extra.json", "'extra.json'"},
        {"regress --features " + log + " --cv 3 --seeds 1x", "'1x'"},
        {"regress --features " + log + " --alpha nan", "'nan'"},
        {"tune --features " + log + " --cvv 3", "'--cvv'"},
        {"heads --features " + log + " --rnak auc", "'--rnak'"},
        {"export --session /tmp/x.hsession --formt csv", "'--formt'"},
        {"info a b", "'b'"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.args);
        Run r = run(c.args, 60);
        CHECK(r.code == 2);
        CHECK(has(r, c.offending));
    }
    // Options a command's help names are accepted (tune takes regress's method options, as its help says).
    Run ok = run("tune --features " + log + " --cv 3 --top-n 1 --top-k 1 --no-tune --json", 120);
    CHECK(ok.code == 0);
    std::remove(log.c_str());
}

TEST_CASE("detect with no usable sample fails with the reason and leaves the session unfinished")
{
    if (!cliBuilt()) return;
    const std::string model = test::sourceDir() + "/tests/fixtures/models/tiny-gqa-llama3";
    const std::string data = test::sourceDir() + "/resources/demo/data";
    const std::string session = tempPath("empty.hsession");
    Run r = run("detect --model " + model + " --dataset " + data + " --session " + session + " --limit 0 --quiet");
    CHECK(r.code == 2);
    CHECK(has(r, "no usable sample"));
    Run e = run("export --session " + session + " --format json");
    CHECK(e.out.find("\"finished\"") == std::string::npos);
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((session + suffix).c_str());
}

TEST_CASE("a model whose weights are NaN stops detection with exit 2, naming the feature")
{
    if (!cliBuilt()) return;
    const std::string src = test::sourceDir() + "/tests/fixtures/models/tiny-gqa-llama3";
    const std::string dir = tempPath("nanmodel");
    REQUIRE(std::system(("rm -rf " + dir + " && cp -r " + src + " " + dir).c_str()) == 0);
    {
        // Every data byte 0xFF: every f32/bf16/f16 weight becomes NaN; the header stays valid.
        std::fstream f(dir + "/model.safetensors", std::ios::in | std::ios::out | std::ios::binary);
        std::uint64_t headerLen = 0;
        f.read(reinterpret_cast<char*>(&headerLen), 8);
        f.seekg(0, std::ios::end);
        const std::uint64_t size = static_cast<std::uint64_t>(f.tellg());
        f.seekp(static_cast<std::streamoff>(8 + headerLen));
        const std::string ff(size - 8 - headerLen, '\xFF');
        f.write(ff.data(), static_cast<std::streamsize>(ff.size()));
    }
    const std::string session = tempPath("nan.hsession");
    Run r = run("detect --model " + dir + " --dataset " + test::sourceDir() + "/resources/demo/data --session " +
                session + " --limit 2 --quiet");
    CHECK(r.code == 2);
    CHECK(has(r, "non-finite"));
    CHECK(has(r, "sample "));
    std::system(("rm -rf " + dir + " " + session + "*").c_str());
}

TEST_CASE("a session on read-only storage can be exported")
{
    if (!cliBuilt()) return;
    // A real read-only mount needs a mount namespace; where unshare/mount are not allowed this SKIPs.
    if (std::system("unshare -rm true >/dev/null 2>&1") != 0) {
        test::skipMessage("cannot create a mount namespace for a read-only mount");
        return;
    }
    const std::string dir = tempPath("rodir");
    const std::string session = dir + "/s.hsession";
    REQUIRE(std::system(("mkdir -p " + dir).c_str()) == 0);
    const std::string model = test::sourceDir() + "/tests/fixtures/models/tiny-gqa-llama3";
    Run d = run("detect --model " + model + " --dataset " + test::sourceDir() + "/resources/demo/data --session " +
                session + " --limit 2 --quiet");
    REQUIRE(d.code == 0);
    std::remove((session + "-shm").c_str()); // as after a copy onto a DVD or a read-only share
    const std::string cli = test::buildDir() + "/app/halluscope-cli";
    const std::string script = "mount --bind " + dir + " " + dir + " && mount -o remount,ro,bind " + dir + " && " +
                               cli + " export --session " + session + " --format csv";
    const std::string out = tempPath("ro_export.txt");
    const int rc = std::system(("unshare -rm sh -c '" + script + "' >" + out + " 2>&1").c_str());
    std::ifstream in(out);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find("mount:") != std::string::npos) {
        test::skipMessage("read-only bind mounts are not permitted here: " + text);
    } else {
        CHECK(WEXITSTATUS(rc) == 0);
        CHECK(text.find("readonly") == std::string::npos);
        CHECK(text.find("source_id") != std::string::npos);
        MESSAGE(text.substr(0, 200));
    }
    std::system(("rm -rf " + dir + " " + out).c_str());
}
