// Validation of a safetensors header. Everything here runs before a single tensor byte is touched,
// so a corrupt or hostile file fails with a message instead of a giant allocation or a crash.
#include "core/model/safetensors.h"

#include "core/util/error.h"
#include "core/util/json_util.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

namespace hs::model {

namespace {

[[noreturn]] void bad(const std::string& file, const std::string& msg)
{
    throw InputError(file + ": " + msg);
}

[[noreturn]] void badTensor(const std::string& file, const std::string& name, const std::string& msg)
{
    throw InputError(file + ": tensor '" + name + "': " + msg);
}

std::string shapeText(const std::vector<std::int64_t>& shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

TensorInfo parseEntry(const std::string& file, const std::string& name, const nlohmann::json& v,
                      std::uint64_t dataSize)
{
    TensorInfo t;
    t.name = name;
    if (!v.is_object()) badTensor(file, name, "header entry is not an object");

    auto dt = v.find("dtype");
    if (dt == v.end() || !dt->is_string()) badTensor(file, name, "missing or non-string \"dtype\"");
    const std::string& dts = dt->get_ref<const std::string&>();
    if (!parseDType(dts, t.dtype)) badTensor(file, name, "unknown dtype '" + dts + "'");

    auto sh = v.find("shape");
    if (sh == v.end() || !sh->is_array()) badTensor(file, name, "missing or non-array \"shape\"");
    if (sh->size() > 16) badTensor(file, name, "shape has " + std::to_string(sh->size()) + " dimensions");
    std::uint64_t numel = 1;
    for (const auto& d : *sh) {
        if (!d.is_number_unsigned()) badTensor(file, name, "shape holds a value that is not a non-negative integer");
        std::uint64_t dim = d.get<std::uint64_t>();
        if (dim > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
            __builtin_mul_overflow(numel, dim, &numel))
            badTensor(file, name, "shape overflows 64 bits");
        t.shape.push_back(static_cast<std::int64_t>(dim));
    }

    auto off = v.find("data_offsets");
    if (off == v.end() || !off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() ||
        !(*off)[1].is_number_unsigned())
        badTensor(file, name, "\"data_offsets\" must be two non-negative integers");
    t.begin = (*off)[0].get<std::uint64_t>();
    t.end = (*off)[1].get<std::uint64_t>();
    if (t.begin > t.end)
        badTensor(file, name, "data_offsets [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                                  "] run backwards");
    if (t.end > dataSize)
        badTensor(file, name, "data_offsets [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                                  "] run past the data section (" + std::to_string(dataSize) +
                                  " bytes; file truncated?)");

    std::uint64_t bytes = 0;
    if (__builtin_mul_overflow(numel, static_cast<std::uint64_t>(dtypeSize(t.dtype)), &bytes))
        badTensor(file, name, "byte size overflows 64 bits");
    if (bytes != t.end - t.begin)
        badTensor(file, name, "shape " + shapeText(t.shape) + " of " + dts + " needs " + std::to_string(bytes) +
                                  " bytes but data_offsets span " + std::to_string(t.end - t.begin));
    return t;
}

} // namespace

SafetensorsHeader parseSafetensorsHeader(const std::uint8_t* data, std::size_t size, const std::string& file)
{
    if (size < 8 || data == nullptr)
        bad(file, "truncated: " + std::to_string(size) + " bytes, shorter than the 8-byte header length");
    std::uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(data[i]) << (8 * i);
    if (n == 0) bad(file, "header length is 0 (not a safetensors file)");
    if (n > kMaxHeaderBytes)
        bad(file, "header length " + std::to_string(n) + " exceeds the 100 MB limit (corrupt or not a safetensors file)");
    if (n > size - 8)
        bad(file, "truncated: header length " + std::to_string(n) + " but only " + std::to_string(size - 8) +
                      " bytes follow");

    SafetensorsHeader h;
    h.headerLength = n;
    h.dataOffset = 8 + n;
    h.dataSize = size - 8 - n;

    const char* text = reinterpret_cast<const char*>(data + 8);
    if (text[0] != '{') bad(file, "header does not start with '{' (not a safetensors file)");
    checkJsonDepth(text, n, file + ": header", kMaxHeaderJsonDepth);
    const nlohmann::json j = parseJson(text, n, file + ": header");
    if (!j.is_object()) bad(file, "header JSON is not an object");

    try {
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (it.key() == "__metadata__") {
                if (!it->is_object()) bad(file, "__metadata__ is not an object");
                for (auto m = it->begin(); m != it->end(); ++m) {
                    if (!m->is_string()) bad(file, "__metadata__ value '" + m.key() + "' is not a string");
                    h.metadata[m.key()] = m->get<std::string>();
                }
                continue;
            }
            h.tensors.push_back(parseEntry(file, it.key(), *it, h.dataSize));
        }
    } catch (const nlohmann::json::exception& e) {  // defensive: every access above is type-checked
        bad(file, std::string("malformed header: ") + e.what());
    }

    std::sort(h.tensors.begin(), h.tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    // Empty tensors occupy no bytes and cannot overlap anything.
    const TensorInfo* prev = nullptr;
    for (const auto& t : h.tensors) {
        if (t.begin == t.end) continue;
        if (prev && t.begin < prev->end)
            badTensor(file, t.name, "bytes [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                                        ") overlap tensor '" + prev->name + "' [" + std::to_string(prev->begin) +
                                        ", " + std::to_string(prev->end) + ")");
        prev = &t;
    }
    return h;
}

} // namespace hs::model
