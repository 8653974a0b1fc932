#pragma once
// Hand-written matchers for the pre-tokenizer regexes that real tokenizer.json files use. std::regex has no \p{L},
// so each pattern is an explicit scanner with the leftmost-first, backtracking semantics of Oniguruma/fancy-regex.
#include "core/tokenizer/normalized_string.h"

#include <string>
#include <vector>

namespace hs::tok {

enum class SplitPattern {
    Llama3, // (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
    Gpt2,   // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
    Whitespace, // \w+|[^\w\s]+
};

// The regex source strings as they appear in tokenizer.json files; returns false when a pattern is not one we know.
bool knownSplitPattern(const std::string& regex, SplitPattern& out);

// Matches of the pattern over s, with the gaps between them, covering s (HF Pattern::find_matches).
std::vector<MatchSpan> findPatternMatches(const std::string& s, SplitPattern pattern);

// Every occurrence of a literal string (HF's String pattern), with gaps.
std::vector<MatchSpan> findLiteralMatches(const std::string& s, const std::string& literal);

} // namespace hs::tok
