#pragma once
// UTF-8 helpers for the dataset readers. The dataset files count offsets in Python `str` units
// (code points) while Sample stores byte offsets, so every reader converts through these.
#include <string>
#include <vector>

namespace hs::data {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
// On failure `badByte` (when given) receives the byte offset of the first invalid sequence.
bool isValidUtf8(const std::string& text, std::size_t* badByte = nullptr);

// Decodes well-formed UTF-8; throws hs::InputError naming the byte offset otherwise.
std::u32string decodeUtf8(const std::string& text);
std::string encodeUtf8(const std::u32string& text);
void appendUtf8(std::string& out, char32_t cp);

// Number of code points (Python's len()); the text must be valid UTF-8.
int codepointCount(const std::string& text);

// map[i] = byte offset of code point i, for i in [0, n]; map[n] = text.size().
// Converting a code-point offset c is then map[c] (after checking 0 <= c <= n).
std::vector<int> codepointToByteMap(const std::string& text);

// The inverse for offsets that fall on code-point boundaries: returns -1 for a byte offset inside
// a multi-byte sequence or outside [0, size].
int byteToCodepoint(const std::vector<int>& cpToByte, int byteOffset);

} // namespace hs::data
