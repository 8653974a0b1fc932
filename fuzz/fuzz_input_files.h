#pragma once
// Fuzz-target helper: readers that must have a real file (SQLite opens sessions by path) get the fuzzer's bytes
// through one written anew for every input, in a private folder in memory (/dev/shm, a tmpfs) where there is
// one, else under /tmp. On a disk, rewriting a file per input costs the writeback ext4 does when a truncated
// file is closed: that made these targets run a few hundred inputs a second.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

namespace hs::fuzz {

inline void removeScratch();
inline std::vector<std::string>& scratchFiles();

// Both live to the end (never destroyed): removeScratch runs at exit, after static destructors.
inline const std::string& scratchDir()
{
    static const std::string& dir = *new std::string([] {
        for (const char* base : {"/dev/shm", "/tmp"}) {
            std::string templ = std::string(base) + "/hs_fuzz_XXXXXX";
            if (::access(base, W_OK) == 0 && ::mkdtemp(&templ[0])) {
                std::atexit(removeScratch);
                return templ;
            }
        }
        std::abort();
    }());
    return dir;
}

// The files written there (SQLite may leave -wal, -shm or -journal beside them), removed at exit with the folder.
inline std::vector<std::string>& scratchFiles()
{
    static std::vector<std::string>& files = *new std::vector<std::string>;
    return files;
}

inline void removeScratch()
{
    for (const std::string& f : scratchFiles())
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((f + suffix).c_str());
    ::rmdir(scratchDir().c_str());
}

// Writes bytes to scratchDir()/name and returns the path.
inline std::string writeInput(const std::string& name, const std::string& bytes)
{
    const std::string path = scratchDir() + "/" + name;
    if (std::find(scratchFiles().begin(), scratchFiles().end(), path) == scratchFiles().end())
        scratchFiles().push_back(path);
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
