#pragma once
// What detection produces for one sample: plain values that the session store saves, the CLI
// exports and the GUI draws. No torch, no Qt.
#include <string>
#include <vector>

namespace hs::results {

struct TokenInfo {
    std::string text;   // the token's surface text (from offsets into prompt/response)
    int charStart = 0;  // offsets into the response text (response tokens) or the prompt text
    int charEnd = 0;
};

struct ScoredUnit {              // one response chunk (chunk level) or one response position (token level)
    int tokenBegin = 0;          // [tokenBegin, tokenEnd) in the full input sequence
    int tokenEnd = 0;
    int label = 0;               // 1 = overlaps a hallucination span
    std::vector<float> ecs;      // one per copy head, in RunSettings::copyHeads order
    std::vector<float> pks;      // one per knowledge layer, in RunSettings::layers order
};

// Compact attention summary of one copy head for the GUI heatmap:
// rows = response units (tokens, capped), cols = prompt chunks (or prompt token bins).
struct AttentionSummary {
    int layer = 0, head = 0;
    int rows = 0, cols = 0;
    std::vector<float> values;   // row-major rows x cols, attention mass per cell
};

struct SampleResult {
    std::string sampleId;
    std::string sourceId;
    std::string taskType;
    int responseLabel = 0;
    int promptTokens = 0;        // tokens before the response
    int totalTokens = 0;
    std::vector<ScoredUnit> units;
    std::vector<TokenInfo> responseTokens;
    std::vector<std::string> promptChunkTexts;  // labels for AttentionSummary columns (chunk level)
    std::vector<AttentionSummary> attention;
    double seconds = 0;          // wall time spent on this sample
};

} // namespace hs::results
