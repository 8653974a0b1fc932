#include "core/util/file_util.h"
#include "core/util/error.h"

#include <doctest/doctest.h>

TEST_CASE("fnv1a64 is stable and order-sensitive")
{
    CHECK(hs::fnv1a64("abc", 3) == hs::fnv1a64("abc", 3));
    CHECK(hs::fnv1a64("abc", 3) != hs::fnv1a64("acb", 3));
    CHECK(hs::hex64(0x1234).size() == 16);
}

TEST_CASE("readTextFile names the missing path")
{
    try {
        hs::readTextFile("/nonexistent/x.json");
        FAIL("expected an error");
    } catch (const hs::InputError& e) {
        CHECK(std::string(e.what()).find("/nonexistent/x.json") != std::string::npos);
    }
}
