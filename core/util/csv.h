#pragma once
// CSV as every export writes it (the CLI's `export`, the GUI's score and report exports): RFC 4180.
#include <string>
#include <vector>

namespace hs {

// Fields holding a comma, quote, CR or LF are quoted, quotes doubled; others stay as they are.
std::string csvField(const std::string& s);
// The fields quoted and joined with commas, ending in "\n".
std::string csvLine(const std::vector<std::string>& fields);
// A double as the shortest text that reads back as the same double ("0.25", "0.1", "1e-07");
// non-finite values as "nan", "inf", "-inf".
std::string csvNumber(double v);

} // namespace hs
