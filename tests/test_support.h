#pragma once
// Shared helpers for the doctest suites.
#include <cstdlib>
#include <iostream>
#include <string>
#include <sys/stat.h>

namespace hs::test {

inline std::string envOr(const char* name, const std::string& def)
{
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : def;
}

// Repository root (fixtures live under tests/fixtures and resources/).
inline std::string sourceDir() { return envOr("HS_SOURCE_DIR", "."); }
inline std::string buildDir() { return envOr("HS_BUILD_DIR", "."); }

// Path under ../shared, or "" when that file or folder is absent.
inline std::string sharedPath(const std::string& rel)
{
    std::string p = envOr("HS_SHARED_DIR", sourceDir() + "/../shared") + "/" + rel;
    struct stat st;
    return ::stat(p.c_str(), &st) == 0 ? p : std::string();
}

inline void skipMessage(const std::string& why) { std::cout << "SKIP: " << why << std::endl; }

} // namespace hs::test

// Use at the top of a test case that needs ../shared: prints a clear SKIP line and returns.
#define HS_REQUIRE_SHARED(var, rel)                                                    \
    const std::string var = hs::test::sharedPath(rel);                                 \
    if (var.empty()) {                                                                 \
        hs::test::skipMessage(std::string("../shared/") + rel + " is absent");         \
        return;                                                                        \
    }
