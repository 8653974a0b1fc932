#pragma once
// The stages of a Hugging Face tokenizer.json, as plain data plus the functions that run them. Only the stage
// types that the supported model families use are implemented; tokenizer_json.cpp rejects the others by name.
#include "core/tokenizer/normalized_string.h"
#include "core/tokenizer/split_patterns.h"
#include "core/tokenizer/bpe_model.h"

#include <string>
#include <vector>

namespace hs::tok {

struct NormalizerStep {
    enum class Kind { Prepend, Replace, Lowercase, Nfd, StripAccents, Bert } kind;
    std::string text, content;  // Prepend: text; Replace: text -> content
    bool cleanText = true, chineseChars = true, stripAccents = true, lowercase = true; // Bert
};

enum class PrependScheme { Always, First, Never };

struct PreTokenizerStep {
    enum class Kind { Metaspace, ByteLevel, SplitRegex, SplitLiteral, Bert, Whitespace, WhitespaceSplit } kind;
    std::string replacement = "\xE2\x96\x81"; // Metaspace "▁"
    PrependScheme prependScheme = PrependScheme::Always;
    bool splitOnReplacement = true;           // Metaspace "split"
    bool addPrefixSpace = false, useRegex = true; // ByteLevel
    SplitPattern pattern = SplitPattern::Gpt2;    // SplitRegex
    std::string literal;                          // SplitLiteral
    SplitBehavior behavior = SplitBehavior::Isolated;
    bool invert = false;
};

struct DecoderStep {
    enum class Kind { Replace, ByteFallback, Fuse, Strip, ByteLevel, WordPiece, Metaspace } kind;
    std::string text, content;  // Replace: text -> content; Strip: content; WordPiece: text = prefix; Metaspace: text
    int start = 0, stop = 0;    // Strip
    bool cleanup = true;        // WordPiece
    PrependScheme prependScheme = PrependScheme::Always; // Metaspace
};

// One piece of text on its way through the pipeline; `tokens` is set once it is tokenised (added tokens: at once).
struct Split {
    NormalizedString text;
    bool hasTokens = false;
    std::vector<ModelToken> tokens;
};

void applyNormalizers(const std::vector<NormalizerStep>& steps, NormalizedString& s);
void applyPreTokenizers(const std::vector<PreTokenizerStep>& steps, std::vector<Split>& splits);
std::string applyDecoders(const std::vector<DecoderStep>& steps, std::vector<std::string> tokens);

// GPT-2's byte <-> printable character map (ByteLevel).
const std::string& byteLevelChar(unsigned char b); // UTF-8 of the character standing for byte b
int byteLevelByte(char32_t c);                     // -1 when c stands for no byte

// UTF-8 with each maximal invalid subsequence replaced by U+FFFD (Rust from_utf8_lossy, Python errors="replace").
std::string utf8Lossy(const std::string& bytes);

} // namespace hs::tok
