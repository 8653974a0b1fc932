#include "core/session/blob_codec.h"

#include "core/util/error.h"

#include <cstring>

namespace hs::session::blob {

namespace {

template <class T>
std::string encodeArray(const std::vector<T>& v)
{
    std::string out(v.size() * sizeof(T), '\0');
    if (!v.empty()) std::memcpy(&out[0], v.data(), out.size());
    return out;
}

template <class T>
std::vector<T> decodeArray(const std::string& bytes, const char* what)
{
    if (bytes.size() % sizeof(T) != 0)
        throw InputError(std::string("session: a stored ") + what + " array has " + std::to_string(bytes.size()) +
                    " bytes, not a multiple of " + std::to_string(sizeof(T)));
    std::vector<T> v(bytes.size() / sizeof(T));
    if (!v.empty()) std::memcpy(v.data(), bytes.data(), bytes.size());
    return v;
}

void putU32(std::string& out, std::uint32_t x)
{
    char b[4];
    std::memcpy(b, &x, 4);
    out.append(b, 4);
}

std::uint32_t getU32(const std::string& in, std::size_t& pos)
{
    if (pos + 4 > in.size()) throw InputError("session: a stored string list is truncated");
    std::uint32_t x;
    std::memcpy(&x, in.data() + pos, 4);
    pos += 4;
    return x;
}

} // namespace

std::string encodeFloats(const std::vector<float>& v) { return encodeArray(v); }
std::vector<float> decodeFloats(const std::string& bytes) { return decodeArray<float>(bytes, "float32"); }
std::string encodeInts(const std::vector<std::int32_t>& v) { return encodeArray(v); }
std::vector<std::int32_t> decodeInts(const std::string& bytes) { return decodeArray<std::int32_t>(bytes, "int32"); }

std::string encodeStrings(const std::vector<std::string>& v)
{
    std::string out;
    putU32(out, static_cast<std::uint32_t>(v.size()));
    for (const auto& s : v) {
        putU32(out, static_cast<std::uint32_t>(s.size()));
        out += s;
    }
    return out;
}

std::vector<std::string> decodeStrings(const std::string& bytes)
{
    std::vector<std::string> out;
    if (bytes.empty()) return out;
    std::size_t pos = 0;
    const std::uint32_t n = getU32(bytes, pos);
    // Each entry takes at least its 4-byte length: a count beyond that is damage, and reserving it
    // (up to 2^32 strings) is what a fuzzed session file turned into a 15 GB allocation.
    if (n > (bytes.size() - pos) / 4)
        throw InputError("session: a stored string list claims " + std::to_string(n) + " entries in " +
                         std::to_string(bytes.size()) + " bytes (damaged file?)");
    out.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint32_t len = getU32(bytes, pos);
        if (pos + len > bytes.size()) throw InputError("session: a stored string list is truncated");
        out.emplace_back(bytes, pos, len);
        pos += len;
    }
    return out;
}

} // namespace hs::session::blob
