// libFuzzer target for the dataset readers, built once per format (HS_FUZZ_FORMAT):
//   ragtruth   - the input is "response.jsonl bytes \0 source_info.jsonl bytes"
//   dolly      - the same pair under ReDeEP's Dolly names (labels as "Yes" flags)
//   faithjudge - the input is one ragtruth_qa.jsonl
// The bytes go to the in-memory entry points (DatasetText) that the path versions call once they have read
// their files, so no file is written per input. Any hs::InputError (no usable record) is acceptable; every
// sample that comes back must have its spans inside its texts.
#include "core/data/dataset_reader.h"
#include "core/util/error.h"
#include "fuzz/fuzz_input_files.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace {

void checkSample(const hs::data::Sample& s)
{
    const auto inside = [](const auto& spans, const std::string& text) {
        for (const auto& c : spans)
            if (c.start < 0 || c.start > c.end || c.end > static_cast<int>(text.size())) __builtin_trap();
    };
    inside(s.hallucinations, s.response);
    inside(s.responseChunks, s.response);
    inside(s.promptChunks, s.prompt);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace hs::fuzz;
    auto [first, second] = splitAtNul(data, size);
    const std::string format = HS_FUZZ_FORMAT;
    hs::data::LoadReport report;
    try {
        std::vector<hs::data::Sample> samples;
        if (format == "faithjudge") {
            samples = hs::data::loadDatasetFile({"fuzz/ragtruth_qa.jsonl", std::move(first)}, {}, report);
        } else {
            const bool dolly = format == "dolly";
            samples = hs::data::loadDatasetPair({dolly ? "fuzz/response_dolly.jsonl" : "fuzz/response.jsonl", std::move(first)},
                                                {dolly ? "fuzz/source_info_dolly.jsonl" : "fuzz/source_info.jsonl",
                                                 std::move(second)},
                                                {}, report);
        }
        for (const auto& s : samples) checkSample(s);
    } catch (const hs::InputError&) {
    }
    return 0;
}
