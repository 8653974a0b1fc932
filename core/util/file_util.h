#pragma once
// Small file helpers shared by the readers.
#include <cstdint>
#include <string>
#include <vector>

namespace hs {

// Files we read whole are capped: a wrong path (a disk image, /dev/zero, a FIFO) fails at once with a
// message instead of exhausting memory or blocking. Datasets and feature logs are well below this.
constexpr std::uint64_t kMaxTextFileBytes = 4ULL << 30;

// Throws InputError naming the path unless it names a regular file (after symlinks) of at most maxBytes.
void requireRegularFile(const std::string& path, std::uint64_t maxBytes = kMaxTextFileBytes);
// Whole file as a string; throws InputError naming the path when it cannot be read, is not a regular
// file or is larger than maxBytes.
std::string readTextFile(const std::string& path, std::uint64_t maxBytes = kMaxTextFileBytes);
bool fileExists(const std::string& path);  // a regular file (after symlinks)
// Anything under that name, even a dangling or looping symlink: readers use it to tell "absent" from
// "present but unreadable", so the message names the right file and the real reason.
bool pathExists(const std::string& path);
bool isDirectory(const std::string& path);
std::string joinPath(const std::string& a, const std::string& b);
std::uint64_t fileSize(const std::string& path);

// FNV-1a 64-bit, for run identities (not security).
std::uint64_t fnv1a64(const void* data, std::size_t n, std::uint64_t seed = 1469598103934665603ULL);
std::string hex64(std::uint64_t v);

} // namespace hs
