#pragma once
// Rebuilds RAGTruth prompts from a source record (the FaithJudge files carry the source but not the
// exact prompt). The templates are RAGTruth's README examples; two numbers are not recoverable and
// are estimated: the Summary word budget N (words/4, which matches the two known prompts) and the
// QA passage count word K (the number of "passage i:" blocks).
#include <nlohmann/json.hpp>

#include <string>

namespace hs::data {

// taskType is "QA", "Summary" or "Data2txt" (case-insensitive). Throws hs::InputError when the
// source does not have the shape the task needs (QA: {question, passages}; Summary: a string;
// Data2txt: an object).
std::string buildRagtruthPrompt(const std::string& taskType, const nlohmann::ordered_json& source);

// Canonical task name ("QA", "Summary", "Data2txt") or "" when not one of them.
std::string canonicalTaskType(const std::string& name);

// "one" .. "twenty", else the digits.
std::string numberWord(int n);

} // namespace hs::data
