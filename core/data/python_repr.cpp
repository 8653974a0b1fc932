#include "core/data/python_repr.h"

#include "core/data/utf8.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace hs::data {

namespace {

// Approximates Python's str.isprintable() for non-ASCII code points: the separators and
// format/control/private-use blocks that occur in web text are escaped, the rest printed.
bool isPrintableNonAscii(char32_t c)
{
    if (c < 0xA0) return false;                                   // C1 controls
    if (c == 0xA0 || c == 0xAD) return false;                     // NBSP (Zs), soft hyphen (Cf)
    if (c == 0x1680 || (c >= 0x2000 && c <= 0x200F)) return false; // spaces and zero-width marks
    if (c >= 0x2028 && c <= 0x202F) return false;
    if (c >= 0x205F && c <= 0x206F) return false;
    if (c == 0x3000 || c == 0xFEFF) return false;
    if (c >= 0xD800 && c <= 0xF8FF) return false;                 // surrogates, private use
    if (c >= 0xFFF0 && c <= 0xFFFB) return false;
    if (c == 0xFFFE || c == 0xFFFF) return false;
    if (c >= 0xE0000) return false;                               // tags, supplementary private use
    return true;
}

void appendHex(std::string& out, const char* prefix, unsigned v, int digits)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%s%0*x", prefix, digits, v);
    out += buf;
}

} // namespace

std::string pythonStrRepr(const std::string& utf8)
{
    const std::u32string s = decodeUtf8(utf8);
    bool hasSingle = false, hasDouble = false;
    for (char32_t c : s) {
        hasSingle |= c == U'\'';
        hasDouble |= c == U'"';
    }
    const char32_t quote = (hasSingle && !hasDouble) ? U'"' : U'\'';
    std::string out(1, static_cast<char>(quote));
    for (char32_t c : s) {
        if (c == quote || c == U'\\') { out += '\\'; out += static_cast<char>(c); }
        else if (c == U'\t') out += "\\t";
        else if (c == U'\n') out += "\\n";
        else if (c == U'\r') out += "\\r";
        else if (c < 0x20 || c == 0x7F) appendHex(out, "\\x", c, 2);
        else if (c < 0x7F) out += static_cast<char>(c);
        else if (isPrintableNonAscii(c)) appendUtf8(out, c);
        else if (c <= 0xFF) appendHex(out, "\\x", c, 2);
        else if (c <= 0xFFFF) appendHex(out, "\\u", c, 4);
        else appendHex(out, "\\U", c, 8);
    }
    out += static_cast<char>(quote);
    return out;
}

std::string pythonFloatRepr(double v)
{
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    // Shortest digit string that round-trips, as Python's repr picks.
    char buf[64];
    int precision = 1;
    for (; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*e", precision - 1, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    std::string sci = buf;                              // d.ddde±XX
    const auto ePos = sci.find('e');
    const int exponent = std::atoi(sci.c_str() + ePos + 1);
    std::string mantissa = sci.substr(0, ePos);
    const bool negative = mantissa[0] == '-';
    if (negative) mantissa.erase(0, 1);
    std::string digits;
    for (char c : mantissa)
        if (c != '.') digits += c;
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    std::string out = negative ? "-" : "";
    if (exponent >= -4 && exponent < 16) {
        const int point = exponent + 1;                  // digits before the decimal point
        if (point <= 0) {
            out += "0." + std::string(-point, '0') + digits;
        } else if (point >= static_cast<int>(digits.size())) {
            out += digits + std::string(point - digits.size(), '0') + ".0";
        } else {
            out += digits.substr(0, point) + "." + digits.substr(point);
        }
    } else {
        out += digits.substr(0, 1);
        if (digits.size() > 1) out += "." + digits.substr(1);
        char e[16];
        std::snprintf(e, sizeof e, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        out += e;
    }
    return out;
}

std::string pythonRepr(const nlohmann::ordered_json& v)
{
    switch (v.type()) {
    case nlohmann::ordered_json::value_t::null: return "None";
    case nlohmann::ordered_json::value_t::boolean: return v.get<bool>() ? "True" : "False";
    case nlohmann::ordered_json::value_t::number_integer: return std::to_string(v.get<long long>());
    case nlohmann::ordered_json::value_t::number_unsigned: return std::to_string(v.get<unsigned long long>());
    case nlohmann::ordered_json::value_t::number_float: return pythonFloatRepr(v.get<double>());
    case nlohmann::ordered_json::value_t::string: return pythonStrRepr(v.get_ref<const std::string&>());
    case nlohmann::ordered_json::value_t::array: {
        std::string out = "[";
        bool first = true;
        for (const auto& e : v) {
            if (!first) out += ", ";
            first = false;
            out += pythonRepr(e);
        }
        return out + "]";
    }
    case nlohmann::ordered_json::value_t::object: {
        std::string out = "{";
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
            if (!first) out += ", ";
            first = false;
            out += pythonStrRepr(it.key()) + ": " + pythonRepr(it.value());
        }
        return out + "}";
    }
    default: return "None";
    }
}

} // namespace hs::data
