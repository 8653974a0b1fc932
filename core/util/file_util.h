#pragma once
// Small file helpers shared by the readers.
#include <cstdint>
#include <string>
#include <vector>

namespace hs {

// Whole file as a string; throws InputError naming the path when it cannot be read.
std::string readTextFile(const std::string& path);
bool fileExists(const std::string& path);
bool isDirectory(const std::string& path);
std::string joinPath(const std::string& a, const std::string& b);
std::uint64_t fileSize(const std::string& path);

// FNV-1a 64-bit, for run identities (not security).
std::uint64_t fnv1a64(const void* data, std::size_t n, std::uint64_t seed = 1469598103934665603ULL);
std::string hex64(std::uint64_t v);

} // namespace hs
