#include "core/util/int_list.h"

#include "core/util/error.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace hs {

namespace {

std::string trimmed(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// Digits only, at most maxValue; -1 when the text is not such a number (overflow included).
long long readNonNegative(const std::string& s, int maxValue)
{
    if (s.empty() || s.size() > 10) return -1;
    long long v = 0;
    for (char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
        v = v * 10 + (c - '0');
    }
    return v <= maxValue ? v : -1;
}

} // namespace

std::vector<int> parseIntList(const std::string& text, const std::string& what, int maxValue)
{
    if (trimmed(text).empty()) throw InputError(what + ": the list is empty");
    std::vector<int> out;
    std::set<int> seen;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string item = trimmed(text.substr(start, comma - start));
        start = comma + 1;
        const auto fail = [&](const std::string& why) {
            return InputError(what + ": cannot read '" + item + "' (" + why + "; use e.g. 0,1,5-9, each 0.." +
                              std::to_string(maxValue) + ")");
        };
        if (item.empty()) throw fail("empty item");
        const auto dash = item.find('-', 1);
        const long long a = readNonNegative(trimmed(item.substr(0, dash)), maxValue);
        const long long b = dash == std::string::npos ? a : readNonNegative(trimmed(item.substr(dash + 1)), maxValue);
        if (a < 0 || b < 0) throw fail("not a whole number in range");
        if (b < a) throw fail("reversed range");
        if (static_cast<long long>(out.size()) + (b - a + 1) > kMaxIntListItems)
            throw fail("the list would hold more than " + std::to_string(kMaxIntListItems) + " numbers");
        for (long long v = a; v <= b; ++v) {
            if (!seen.insert(static_cast<int>(v)).second) throw fail(std::to_string(v) + " is listed twice");
            out.push_back(static_cast<int>(v));
        }
    }
    return out;
}

} // namespace hs
