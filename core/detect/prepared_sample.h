#pragma once
// A dataset sample turned into what the forward pass and the extractors need: token ids and the
// token spans of the prompt, the response chunks, the prompt chunks and the hallucinations.
// Torch-free.
#include "core/data/sample.h"
#include "core/results/run_kind.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hs::tok { class Tokenizer; enum class ChatFormat; }

namespace hs::detect {

using TokenSpan = std::pair<int, int>; // [begin, end) positions in the full input sequence

struct PreparedSample {
    const data::Sample* sample = nullptr;
    std::string inputText;                  // template + response, as fed to the tokenizer
    std::vector<int> ids;
    std::vector<std::pair<int, int>> offsets; // byte offsets of each token into inputText
    int prefixLen = 0;                      // tokens before the response
    int responseByteBegin = 0;              // where the response starts in inputText
    std::vector<TokenSpan> responseChunks;
    std::vector<TokenSpan> promptChunks;
    std::vector<int> tokenHallucinated;     // per position: 1 if the token lies in a labelled span
    std::vector<int> rowLabel;              // per token-level row t in [prefixLen-1, T-2]: its label
    std::vector<int> chunkLabel;            // per response chunk
    int firstRow() const { return prefixLen - 1; }
    // The first position any capture needs: the first token-level row, or an earlier response chunk start.
    int firstCapturedRow() const
    {
        int base = prefixLen - 1;
        for (const auto& c : responseChunks) base = std::min(base, c.first);
        return std::max(0, base);
    }
    int numRows() const { return static_cast<int>(ids.size()) - prefixLen; }
};

struct PrepareOptions {
    results::Mode mode = results::Mode::Reference; // reference: prefix-count spans (quirks); clean: offsets, half-open
    std::string systemPrompt = "You are a helpful assistant.";
    std::size_t promptCharLimit = 12000;    // user-message characters kept (the reference cuts at 12,000); SIZE_MAX: all
    int maxTokens = 4096;                   // longer inputs are rejected with a warning
    std::int64_t maxPositions = 0;          // > 0: inputs longer than the model's context (max_position_embeddings) are rejected
};

// Throws hs::InputError when the sample cannot be prepared (empty response, too long, ...).
PreparedSample prepareSample(const data::Sample& s, const tok::Tokenizer& tok, tok::ChatFormat fmt,
                             const PrepareOptions& opt);


} // namespace hs::detect
