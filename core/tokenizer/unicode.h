#pragma once
// Unicode helpers the tokenizers need: UTF-8 decoding, general categories (for \p{L}, \p{N}, BERT punctuation),
// White_Space, per-character lowercase (Rust char::to_lowercase semantics) and canonical decomposition (NFD).
// Tables are generated from Python's unicodedata by tools/golden/gen_unicode_tables.py.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hs::tok {

enum class Category : std::uint8_t {
    Cn, Lu, Ll, Lt, Lm, Lo, Mn, Mc, Me, Nd, Nl, No, Pc, Pd, Ps, Pe, Pi, Pf,
    Po, Sm, Sc, Sk, So, Zs, Zl, Zp, Cc, Cf, Cs, Co
};

namespace unicode_data {
struct CategoryRange { std::uint32_t first, last; std::uint8_t category; };
struct CodepointMapping { std::uint32_t cp; std::uint8_t n; std::uint32_t to[4]; };
struct CombiningClassRange { std::uint32_t first, last; std::uint8_t ccc; };
extern const CategoryRange kCategoryRanges[];
extern const std::size_t kCategoryRangeCount;
extern const CodepointMapping kLowercase[];
extern const std::size_t kLowercaseCount;
extern const CodepointMapping kDecomposition[];
extern const std::size_t kDecompositionCount;
extern const CombiningClassRange kCombiningClasses[];
extern const std::size_t kCombiningClassCount;
} // namespace unicode_data

// Decodes the code point starting at s[i]; sets len to its byte length. Invalid bytes decode as U+FFFD, length 1
// (inputs are std::string from users; we never throw on bad UTF-8).
char32_t decodeUtf8(const std::string& s, std::size_t i, std::size_t& len);
void appendUtf8(std::string& out, char32_t cp);
std::size_t utf8Length(char32_t cp);
// Byte length of the UTF-8 sequence introduced by lead byte b (1 for invalid/continuation bytes).
std::size_t utf8SeqLength(unsigned char b);
// Byte length of the character at s[i] as decodeUtf8 reads it: a lead byte whose sequence is cut short or
// broken counts as one byte (U+FFFD). Every walk over characters must use this, not utf8SeqLength, or a
// stray "\xF3" makes walks disagree and offsets point outside the text.
std::size_t utf8CharLength(const std::string& s, std::size_t i);

// Byte offset of every code point boundary: out[i] = bytes in the first i code points (size = code points + 1).
// Converts Python/JSON character offsets (RAGTruth spans) to the byte offsets Encoding uses.
std::vector<std::size_t> codepointByteOffsets(const std::string& s);

Category category(char32_t cp);
bool isLetter(char32_t cp);      // \p{L}
bool isNumber(char32_t cp);      // \p{N}
bool isWhitespace(char32_t cp);  // White_Space property (Rust char::is_whitespace, regex \s)
bool isPunctuation(char32_t cp); // \p{P}
bool isMarkNonspacing(char32_t cp);
bool isOther(char32_t cp);       // \p{C}: Cc Cf Cn Co Cs
bool isWordChar(char32_t cp);    // regex \w (approximation: L, M, N, Pc)

// Rust char::to_lowercase: one to three code points, no context (so no final sigma).
void lowercase(char32_t cp, std::vector<char32_t>& out);
// Canonical decomposition of one code point (recursive, Hangul included), not yet reordered.
void decompose(char32_t cp, std::vector<char32_t>& out);
std::uint8_t combiningClass(char32_t cp);

} // namespace hs::tok
