#include "core/data/utf8.h"

#include "core/util/error.h"

#include <algorithm>

namespace hs::data {

namespace {

// Length of the sequence starting at text[i] and its code point, or 0 when malformed.
int decodeOne(const std::string& text, std::size_t i, char32_t& cp)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    unsigned char c = s[i];
    if (c < 0x80) { cp = c; return 1; }
    int len;
    char32_t min;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (i + len > n) return 0;
    for (int k = 1; k < len; ++k) {
        if ((s[i + k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

} // namespace

bool isValidUtf8(const std::string& text, std::size_t* badByte)
{
    char32_t cp;
    for (std::size_t i = 0; i < text.size();) {
        int len = decodeOne(text, i, cp);
        if (len == 0) {
            if (badByte) *badByte = i;
            return false;
        }
        i += len;
    }
    return true;
}

std::u32string decodeUtf8(const std::string& text)
{
    std::u32string out;
    out.reserve(text.size());
    char32_t cp;
    for (std::size_t i = 0; i < text.size();) {
        int len = decodeOne(text, i, cp);
        if (len == 0) throw InputError("invalid UTF-8 at byte " + std::to_string(i));
        out.push_back(cp);
        i += len;
    }
    return out;
}

void appendUtf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string encodeUtf8(const std::u32string& text)
{
    std::string out;
    out.reserve(text.size());
    for (char32_t cp : text) appendUtf8(out, cp);
    return out;
}

int codepointCount(const std::string& text)
{
    // Continuation bytes are the only ones of the form 10xxxxxx.
    int n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
}

std::vector<int> codepointToByteMap(const std::string& text)
{
    std::vector<int> map;
    map.reserve(text.size() + 1);
    for (std::size_t i = 0; i < text.size(); ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) map.push_back(static_cast<int>(i));
    map.push_back(static_cast<int>(text.size()));
    return map;
}

int byteToCodepoint(const std::vector<int>& cpToByte, int byteOffset)
{
    auto it = std::lower_bound(cpToByte.begin(), cpToByte.end(), byteOffset);
    if (it == cpToByte.end() || *it != byteOffset) return -1;
    return static_cast<int>(it - cpToByte.begin());
}

} // namespace hs::data
