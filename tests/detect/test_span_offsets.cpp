// The reference (docs/detect.md §1) maps spans to tokens by re-tokenising prefixes (len(tok(template + response[:b]))).
// HalluScope's reference mode derives the same numbers from one encoding's offsets
// (data::tokensStartingBefore). This test checks that equivalence on the real Llama-2 tokenizer and
// the RAGTruth samples in ../shared, for every response-chunk boundary and hallucination span.
#include "core/data/dataset_reader.h"
#include "core/data/span_alignment.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

using namespace hs;

TEST_CASE("reference spans from offsets equal prefix re-tokenisation (Llama-2, RAGTruth)")
{
    HS_REQUIRE_SHARED(tokDir, "data/models/llama2-tokenizer");
    HS_REQUIRE_SHARED(ragtruth, "data/ragtruth");
    tok::Tokenizer tk = tok::Tokenizer::fromDir(tokDir);
    data::LoadReport rep;
    std::vector<data::Sample> samples = data::loadDataset(ragtruth, data::DatasetFilter{}, rep);
    REQUIRE(samples.size() > 300);
    int checked = 0, mismatched = 0;
    for (std::size_t i = 0; i < samples.size(); i += 3) { // every third sample keeps the test quick
        const auto& s = samples[i];
        const std::string templ = tok::applyChatTemplate(tok::ChatFormat::Llama2, "You are a helpful assistant.", s.prompt, true).text;
        const tok::Encoding enc = tk.encode(templ + s.response, true);
        const int base = static_cast<int>(templ.size());
        std::vector<int> bounds;
        for (const auto& c : s.responseChunks) { bounds.push_back(c.start); bounds.push_back(c.end); }
        for (const auto& h : s.hallucinations) { bounds.push_back(h.start); bounds.push_back(h.end); }
        for (int b : bounds) {
            const int prefix = static_cast<int>(tk.encode(templ + s.response.substr(0, b), true).ids.size());
            const int fromOffsets = data::tokensStartingBefore(enc.offsets, base + b);
            ++checked;
            if (prefix != fromOffsets) {
                ++mismatched;
                if (mismatched <= 5) MESSAGE("sample " << s.id << " byte " << b << ": prefix " << prefix << " vs offsets " << fromOffsets);
            }
        }
    }
    MESSAGE(checked << " boundaries checked, " << mismatched << " differ");
    CHECK(checked > 500);
    CHECK(mismatched == 0);
}
