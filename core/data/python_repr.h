#pragma once
// Python's repr() of a JSON value, as RAGTruth's Data2txt prompts embed the source dict
// (`str(dict)`: single quotes, True/False/None, shortest round-trip floats).
#include <nlohmann/json.hpp>

#include <string>

namespace hs::data {

std::string pythonRepr(const nlohmann::ordered_json& value);
std::string pythonStrRepr(const std::string& utf8);   // repr() of a str
std::string pythonFloatRepr(double v);                // repr() of a float

} // namespace hs::data
