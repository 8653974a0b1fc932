#pragma once
// The one parser for integer lists typed by people (`--layers 0-3,8`, `--seeds 0,1,2`, the GUI's layer field).
#include <string>
#include <vector>

namespace hs {

// A list never expands to more numbers than this, whatever its ranges say.
constexpr int kMaxIntListItems = 1 << 16;

// "0-3,8" -> {0,1,2,3,8}. Strict: every item is N or A-B with 0 <= A <= B <= maxValue, digits only (spaces
// around items allowed); no empty list or item, no duplicates, at most kMaxIntListItems numbers. Ranges are
// checked before they are expanded.
// Throws InputError naming `what` and the offending item.
std::vector<int> parseIntList(const std::string& text, const std::string& what, int maxValue = 2147483647);

} // namespace hs
