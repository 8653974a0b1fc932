#pragma once
// Compact binary encodings for the session's BLOB columns: float32 / int32 arrays and string
// lists, little-endian (the byte order of every machine HalluScope targets). Exact round trips,
// unlike JSON text, and token texts need not be valid UTF-8 (byte-fallback pieces).
#include <cstdint>
#include <string>
#include <vector>

namespace hs::session::blob {

std::string encodeFloats(const std::vector<float>& v);
std::vector<float> decodeFloats(const std::string& bytes);   // throws hs::InputError (damaged file) on a bad length

std::string encodeInts(const std::vector<std::int32_t>& v);
std::vector<std::int32_t> decodeInts(const std::string& bytes);

// u32 count, then per string: u32 length + bytes.
std::string encodeStrings(const std::vector<std::string>& v);
std::vector<std::string> decodeStrings(const std::string& bytes);

} // namespace hs::session::blob
