// libFuzzer target: tokenizer.json parsing, then encoding and decoding with whatever loaded. The input is split
// at the first NUL: the part before it is the tokenizer.json text, the part after it the text to encode (so
// invalid UTF-8 and odd added tokens get exercised together). Any hs::Error is an acceptable outcome; crashes,
// sanitizer reports and other exceptions are not.
// Build and run: bash tools/fuzz.sh fuzz_tokenizer_json (seeds: fuzz/corpus/tokenizer_json).
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::size_t nul = input.find('\0');
    const std::string json = input.substr(0, nul);
    const std::string text = nul == std::string::npos ? std::string("Hello <s> world \xF0\x9F\x98\x80 123")
                                                      : input.substr(nul + 1);
    try {
        const hs::tok::Tokenizer tok = hs::tok::Tokenizer::fromJsonText(json, "fuzz.json");
        const hs::tok::Encoding e = tok.encode(text, true);
        for (auto [b, en] : e.offsets)
            if (b < 0 || b > en || en > int(text.size())) __builtin_trap();
        tok.decode(e.ids, false);
        tok.decode(e.ids, true);
        tok.decode({-1, 0, 1, 1 << 30}, false);
    } catch (const hs::Error&) {
    }
    return 0;
}
