// The shared guards every reader relies on: JSON nesting depth, integers that must fit, the strict
// integer-list parser, and whole-file reads that refuse devices, FIFOs and oversized files.
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "core/util/int_list.h"
#include "core/util/json_util.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <functional>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace {

std::string errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const hs::InputError& e) {
        return e.what();
    }
    return "(no error)";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

} // namespace

TEST_CASE("parseJson refuses deep nesting before building a tree, and names the source")
{
    const std::string deep = std::string(200000, '[') + std::string(200000, ']');
    const std::string e = errorOf([&] { hs::parseJson(deep, "x.json"); });
    CHECK(contains(e, "x.json"));
    CHECK(contains(e, "nested deeper than"));
    // Brackets inside strings do not count; a realistic document passes.
    CHECK(hs::parseJson("{\"a\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"\"}", "y")
              .contains("a"));
    CHECK(contains(errorOf([] { hs::parseJson("{\"a\": ", "z.json"); }), "z.json: not valid JSON"));
}

TEST_CASE("jsonInt never cuts 64-bit values to 32 bits")
{
    CHECK(hs::jsonInt<int>(nlohmann::json(7), "v") == 7);
    CHECK(hs::jsonInt<int>(nlohmann::json(-7), "v") == -7);
    CHECK(contains(errorOf([] { hs::jsonInt<int>(nlohmann::json(4294967297ULL), "span start"); }), "span start"));
    CHECK(contains(errorOf([] { hs::jsonInt<int>(nlohmann::json(4294967296LL), "head"); }), "out of range"));
    CHECK(contains(errorOf([] { hs::jsonInt<int>(nlohmann::json(1.5), "v"); }), "expected an integer"));
    CHECK(contains(errorOf([] { hs::jsonInt<unsigned>(nlohmann::json(-1), "v"); }), "non-negative"));
    CHECK(hs::isInt32(nlohmann::json(2147483647)));
    CHECK_FALSE(hs::isInt32(nlohmann::json(4294967297ULL)));
    CHECK_FALSE(hs::isInt32(nlohmann::json(-2147483649LL)));
}

TEST_CASE("parseIntList is strict")
{
    CHECK(hs::parseIntList("0-3, 8", "--layers") == std::vector<int>{0, 1, 2, 3, 8});
    CHECK(hs::parseIntList("5", "--layers") == std::vector<int>{5});
    for (const char* bad : {"", " ", "1x,2", "1,,2", "3-1", "-5", "1-", "2147483648", "99999999999", "1,1", "a"}) {
        CAPTURE(bad);
        const std::string e = errorOf([&] { hs::parseIntList(bad, "--layers"); });
        CHECK(contains(e, "--layers"));
    }
    CHECK(contains(errorOf([] { hs::parseIntList("1x,2", "--layers"); }), "'1x'"));
    CHECK(contains(errorOf([] { hs::parseIntList("3-1", "--layers"); }), "reversed"));
    // A huge range is refused before it is expanded (this returned at once, not after 2^31 pushes).
    CHECK(contains(errorOf([] { hs::parseIntList("0-2147483647", "--layers"); }), "more than"));
    CHECK(contains(errorOf([] { hs::parseIntList("4096", "--layers", 4095); }), "0..4095"));
}

TEST_CASE("readTextFile refuses what is not a regular file, and files over the cap")
{
    CHECK(contains(errorOf([] { hs::readTextFile("/dev/zero"); }), "not a regular file"));
    CHECK(contains(errorOf([] { hs::readTextFile("/tmp"); }), "not a regular file"));
    const std::string fifo = "/tmp/hs_test_fifo_" + std::to_string(::getpid());
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(contains(errorOf([&] { hs::readTextFile(fifo); }), "not a regular file")); // used to block forever
    std::remove(fifo.c_str());

    const std::string big = "/tmp/hs_test_big_" + std::to_string(::getpid());
    {
        std::FILE* f = std::fopen(big.c_str(), "wb");
        std::fputs("0123456789", f);
        std::fclose(f);
    }
    CHECK(hs::readTextFile(big, 10) == "0123456789");
    CHECK(contains(errorOf([&] { hs::readTextFile(big, 9); }), "more than the 9"));
    std::remove(big.c_str());
}

TEST_CASE("a symlink loop is reported with its own name and the reason")
{
    const std::string loop = "/tmp/hs_test_loop_" + std::to_string(::getpid());
    REQUIRE(::symlink(loop.c_str(), loop.c_str()) == 0);
    const std::string e = errorOf([&] { hs::readTextFile(loop); });
    CHECK(contains(e, loop));
    CHECK(contains(e, "symbolic links"));
    CHECK(hs::pathExists(loop));
    CHECK_FALSE(hs::fileExists(loop));
    std::remove(loop.c_str());
}
