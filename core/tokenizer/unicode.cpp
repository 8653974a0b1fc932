#include "core/tokenizer/unicode.h"

#include <algorithm>
#include <array>

namespace hs::tok {

std::size_t utf8SeqLength(unsigned char b)
{
    if (b < 0x80) return 1;
    if ((b >> 5) == 0x6) return 2;
    if ((b >> 4) == 0xE) return 3;
    if ((b >> 3) == 0x1E) return 4;
    return 1;
}

char32_t decodeUtf8(const std::string& s, std::size_t i, std::size_t& len)
{
    const auto b0 = static_cast<unsigned char>(s[i]);
    const std::size_t n = utf8SeqLength(b0);
    if (n == 1 || i + n > s.size()) {
        len = 1;
        return b0 < 0x80 ? char32_t(b0) : char32_t(0xFFFD);
    }
    char32_t cp = b0 & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            len = 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    len = n;
    return cp;
}

std::size_t utf8CharLength(const std::string& s, std::size_t i)
{
    std::size_t n = 1;
    decodeUtf8(s, i, n);
    return n;
}

std::size_t utf8Length(char32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

void appendUtf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

std::vector<std::size_t> codepointByteOffsets(const std::string& s)
{
    std::vector<std::size_t> out{0};
    for (std::size_t i = 0, n = 0; i < s.size(); i += n) {
        decodeUtf8(s, i, n);
        out.push_back(i + n);
    }
    return out;
}

namespace {
Category searchCategory(char32_t cp)
{
    using namespace unicode_data;
    const CategoryRange* begin = kCategoryRanges;
    const CategoryRange* end = kCategoryRanges + kCategoryRangeCount;
    const CategoryRange* it = std::upper_bound(begin, end, cp,
        [](char32_t v, const CategoryRange& r) { return v < r.first; });
    if (it == begin) return Category::Cn;
    --it;
    return cp <= it->last ? Category(it->category) : Category::Cn;
}
} // namespace

Category category(char32_t cp)
{
    // Most text is ASCII / Latin-1, and the normalisers and pre-tokenisers ask for every character (some more
    // than once): those 256 come from a table filled once from the ranges instead of a binary search over them.
    static const std::array<Category, 256> kLatin1 = [] {
        std::array<Category, 256> t{};
        for (char32_t c = 0; c < 256; ++c) t[c] = searchCategory(c);
        return t;
    }();
    return cp < 256 ? kLatin1[cp] : searchCategory(cp);
}

bool isLetter(char32_t cp)
{
    if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    const Category c = category(cp);
    return c >= Category::Lu && c <= Category::Lo;
}

bool isNumber(char32_t cp)
{
    if (cp < 0x80) return cp >= '0' && cp <= '9';
    const Category c = category(cp);
    return c >= Category::Nd && c <= Category::No;
}

bool isWhitespace(char32_t cp)
{
    return (cp >= 0x9 && cp <= 0xD) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000;
}

bool isPunctuation(char32_t cp)
{
    const Category c = category(cp);
    return c >= Category::Pc && c <= Category::Po;
}

bool isMarkNonspacing(char32_t cp) { return category(cp) == Category::Mn; }

bool isOther(char32_t cp)
{
    const Category c = category(cp);
    return c == Category::Cn || c >= Category::Cc;
}

bool isWordChar(char32_t cp)
{
    const Category c = category(cp);
    return (c >= Category::Lu && c <= Category::No) || c == Category::Pc;
}

namespace {
const unicode_data::CodepointMapping* findMapping(const unicode_data::CodepointMapping* table, std::size_t n,
                                                  char32_t cp)
{
    const auto* end = table + n;
    const auto* it = std::lower_bound(table, end, cp,
        [](const unicode_data::CodepointMapping& m, char32_t v) { return m.cp < v; });
    return it != end && it->cp == cp ? it : nullptr;
}
} // namespace

void lowercase(char32_t cp, std::vector<char32_t>& out)
{
    if (cp < 0x80) {
        out.push_back(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        return;
    }
    if (const auto* m = findMapping(unicode_data::kLowercase, unicode_data::kLowercaseCount, cp)) {
        out.insert(out.end(), m->to, m->to + m->n);
        return;
    }
    out.push_back(cp);
}

void decompose(char32_t cp, std::vector<char32_t>& out)
{
    // Hangul syllables decompose algorithmically (Unicode 3.12).
    constexpr char32_t SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    constexpr char32_t NCount = 21 * 28, SCount = 19 * 21 * 28;
    if (cp >= SBase && cp < SBase + SCount) {
        const char32_t s = cp - SBase;
        out.push_back(LBase + s / NCount);
        out.push_back(VBase + (s % NCount) / 28);
        if (s % 28) out.push_back(TBase + s % 28);
        return;
    }
    if (cp >= 0xC0) {
        if (const auto* m = findMapping(unicode_data::kDecomposition, unicode_data::kDecompositionCount, cp)) {
            out.insert(out.end(), m->to, m->to + m->n);
            return;
        }
    }
    out.push_back(cp);
}

std::uint8_t combiningClass(char32_t cp)
{
    using namespace unicode_data;
    if (cp < 0x300) return 0;
    const auto* begin = kCombiningClasses;
    const auto* end = kCombiningClasses + kCombiningClassCount;
    const auto* it = std::upper_bound(begin, end, cp,
        [](char32_t v, const CombiningClassRange& r) { return v < r.first; });
    if (it == begin) return 0;
    --it;
    return cp <= it->last ? it->ccc : 0;
}

} // namespace hs::tok
