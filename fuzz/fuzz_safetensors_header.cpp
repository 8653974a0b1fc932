// libFuzzer target: the safetensors header parser must turn any input into a header or an
// hs::InputError, never a crash, a hang or a huge allocation.
#include "core/model/safetensors.h"
#include "core/util/error.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        hs::model::SafetensorsHeader h = hs::model::parseSafetensorsHeader(data, size, "fuzz.safetensors");
        // The parser's promises: every tensor lies inside the data section, sorted, sized by its shape.
        std::uint64_t previousEnd = 0;
        for (const auto& t : h.tensors) {
            if (t.end > h.dataSize || t.begin > t.end) __builtin_trap();
            if (t.numel() * hs::model::dtypeSize(t.dtype) != t.byteSize()) __builtin_trap();
            if (t.begin != t.end) {
                if (t.begin < previousEnd) __builtin_trap();
                previousEnd = t.end;
            }
        }
    } catch (const hs::InputError&) {
    }
    return 0;
}
