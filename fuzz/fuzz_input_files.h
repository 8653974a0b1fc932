#pragma once
// Fuzz-target helper: readers that take paths get the fuzzer's bytes through real files in a private
// temporary folder (tmpfs on CI), written anew for every input.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <utility>

namespace hs::fuzz {

inline const std::string& scratchDir()
{
    static const std::string dir = [] {
        char templ[] = "/tmp/hs_fuzz_XXXXXX";
        const char* d = ::mkdtemp(templ);
        if (!d) std::abort();
        return std::string(d);
    }();
    return dir;
}

// Writes bytes to scratchDir()/name and returns the path.
inline std::string writeInput(const std::string& name, const std::string& bytes)
{
    const std::string path = scratchDir() + "/" + name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) std::abort();
    std::fclose(f);
    return path;
}

// The input split at its first NUL byte (the second part empty when there is none).
inline std::pair<std::string, std::string> splitAtNul(const std::uint8_t* data, std::size_t size)
{
    const std::string all(reinterpret_cast<const char*>(data), size);
    const std::size_t nul = all.find('\0');
    if (nul == std::string::npos) return {all, std::string()};
    return {all.substr(0, nul), all.substr(nul + 1)};
}

} // namespace hs::fuzz
