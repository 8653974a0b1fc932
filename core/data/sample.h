#pragma once
// One RAG sample as HalluScope sees it, whatever file it came from.
#include <string>
#include <utility>
#include <vector>

namespace hs::data {

struct CharSpan {
    int start = 0; // BYTE offsets into the UTF-8 text; readers convert the files' code-point offsets
    int end = 0;   // exclusive
};

struct Sample {
    std::string id;          // response id (string even when the file has ints)
    std::string sourceId;
    std::string taskType;    // "QA", "Summary", "Data2txt" (empty when unknown)
    std::string model;       // the model that wrote the response
    std::string split;       // "train" / "test" (empty when unknown)
    std::string prompt;      // the user prompt, before any chat template
    std::string response;
    std::vector<CharSpan> hallucinations;   // labelled spans in `response`
    int responseLabel = -1;                 // 1 hallucinated, 0 faithful, -1 unknown; derived from spans when absent
    std::vector<CharSpan> responseChunks;   // `response_spans` (or splitter output)
    std::vector<CharSpan> promptChunks;     // `prompt_spans` (or splitter output)
};

} // namespace hs::data
