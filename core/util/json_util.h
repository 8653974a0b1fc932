#pragma once
// The one way HalluScope reads JSON text. Every JSON reader goes through parseJson so that no reader
// (ours or nlohmann's recursive dump/copy/compare) can recurse in proportion to its input: nesting
// deeper than kMaxJsonDepth is refused before any tree is built. Integers are read through jsonInt so
// that a 64-bit value is never silently cut to 32 bits.
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

namespace hs {

// Real files nest a few levels (a tokenizer.json about 6, a feature log 4); 100 leaves room and keeps
// every recursive walk far from the stack's limit.
constexpr int kMaxJsonDepth = 100;

// Throws InputError naming `what` when `text` nests arrays/objects deeper than maxDepth. Linear, no recursion.
void checkJsonDepth(const char* text, std::size_t n, const std::string& what, int maxDepth = kMaxJsonDepth);

// Parses JSON text into Json (nlohmann::json or nlohmann::ordered_json); throws InputError naming `what`
// when the text is not valid JSON or nests too deeply.
template <class Json = nlohmann::json>
Json parseJson(const char* text, std::size_t n, const std::string& what)
{
    checkJsonDepth(text, n, what);
    try {
        return Json::parse(text, text + n);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(what + ": not valid JSON (" + e.what() + ")");
    }
}

template <class Json = nlohmann::json>
Json parseJson(const std::string& text, const std::string& what)
{
    return parseJson<Json>(text.data(), text.size(), what);
}

// True when v is an integer JSON value that fits in an int (2^32+1 does not).
template <class Json>
bool isInt32(const Json& v)
{
    if (v.is_number_unsigned()) return v.template get<std::uint64_t>() <= std::uint64_t(std::numeric_limits<int>::max());
    if (!v.is_number_integer()) return false;
    const auto s = v.template get<std::int64_t>();
    return s >= std::numeric_limits<int>::min() && s <= std::numeric_limits<int>::max();
}

// An integer JSON value that fits in T; throws InputError naming `what` otherwise (floats, strings,
// 2^32+1 for an int, negative values for an unsigned T).
template <class T, class Json>
T jsonInt(const Json& v, const std::string& what)
{
    const auto bad = [&](const std::string& why) { return InputError(what + ": " + why + ", got " + v.dump()); };
    if (v.is_number_unsigned()) {
        const auto u = v.template get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) throw bad("integer out of range");
        return static_cast<T>(u);
    }
    if (v.is_number_integer()) {
        const auto s = v.template get<std::int64_t>();
        if (s < 0 && !std::numeric_limits<T>::is_signed) throw bad("expected a non-negative integer");
        if (std::numeric_limits<T>::is_signed &&
            (s < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
             s > static_cast<std::int64_t>(std::numeric_limits<T>::max())))
            throw bad("integer out of range");
        return static_cast<T>(s);
    }
    throw bad("expected an integer");
}

} // namespace hs
