#pragma once
// Dataset readers: RAGTruth (`response.jsonl` + `source_info.jsonl`, or the `*_spans.jsonl`
// variants with `response_spans` / `prompt_spans`), ReDeEP's Dolly files, the FaithJudge per-task
// files, and ReDeEP-format responses joined to FaithJudge sources.
//
// Offsets in the files count code points (Python str); Samples hold BYTE offsets into UTF-8.
// Bad records (malformed line, missing source, span outside the text, duplicate id) are warned
// about with "file:line: why", skipped and counted; a file that is not the expected format at all
// raises one hs::InputError.
#include "core/data/sample.h"

#include <string>
#include <vector>

namespace hs::data {

struct LoadReport {
    int read = 0;       // samples returned
    int skipped = 0;    // records dropped because something was wrong with them (see warnings)
    int filtered = 0;   // well-formed records left out by the DatasetFilter
    std::vector<std::string> warnings;  // "file:line: why"
    std::string format;                 // what was detected, e.g. "ragtruth-spans", "faithjudge"

    void warn(const std::string& file, int line, const std::string& why);
};

struct DatasetFilter {
    std::string model;     // exact model name, e.g. "llama-2-7b-chat"; empty = all
    std::string split;     // "test" / "train"; empty = all. Records of unknown split never match.
    std::string taskType;  // "QA" / "Summary" / "Data2txt" (case-insensitive); empty = all
    // When a file has no response_spans / prompt_spans, fill them with recursiveCharacterSplit
    // (512 / 20, ReDeEP's chunking). Off: leave them empty.
    bool splitMissingChunks = true;
};

// Auto-detects the format of `path`:
//  * a folder with response_spans.jsonl + source_info_spans.jsonl (preferred) or
//    response.jsonl + source_info.jsonl (RAGTruth);
//  * a folder with response_dolly*.jsonl + source_info_dolly*.jsonl (ReDeEP Dolly; ids become
//    "<id>-<model>" because Dolly reuses the source id as response id for every model);
//  * a folder with ragtruth_{qa,summary,data2txt}.jsonl, or one such file (FaithJudge: one sample
//    per (source, response), id "<source_id>-<model>", prompt rebuilt, split unknown);
//  * a responses file: its sources are the matching source_info*.jsonl next to it, else the
//    FaithJudge files in the same folder or in ../faithjudge (ReDeEP-format responses);
//  * a folder holding redeep_format/ and faithjudge/ (the shared data layout): the ReDeEP-format
//    responses joined to the FaithJudge sources;
//  * "RESPONSES,SOURCES": an explicit pair (see loadDatasetPair).
// Throws hs::InputError when the path is none of these or a file is not the expected format.
std::vector<Sample> loadDataset(const std::string& path, const DatasetFilter& filter, LoadReport& report);

// Responses file + sources, where `sources` is a source_info*.jsonl file, a FaithJudge file or a
// folder of FaithJudge files.
std::vector<Sample> loadDatasetPair(const std::string& responses, const std::string& sources,
                                    const DatasetFilter& filter, LoadReport& report);

// A dataset file already in memory. `name` stands for its path: messages name it, and the readers read
// from it what they read from a path (a FaithJudge file's task, "dolly" / "spans" in LoadReport::format).
// The path versions above read their files into these and go on below, so both parse the same way.
struct DatasetText {
    std::string name;
    std::string text;
};

// loadDatasetPair on files read: `sources` is one source_info*.jsonl or FaithJudge file (its first record
// says which).
std::vector<Sample> loadDatasetPair(const DatasetText& responses, const DatasetText& sources,
                                    const DatasetFilter& filter, LoadReport& report);
// loadDataset on one file read: a FaithJudge file gives its samples; a responses file (whose sources
// loadDataset finds beside it on disk) or a sources file raises hs::InputError, as does anything else.
std::vector<Sample> loadDatasetFile(const DatasetText& file, const DatasetFilter& filter, LoadReport& report);

} // namespace hs::data
