#pragma once
// The "-a,b" switch lists of the feature-group options (--response-features, --chunk-features).
#include <functional>
#include <string>

namespace hs::analysis {

// For each comma-separated item of `list`, sets *flagOf(name) to true, or to false when the item is
// "-name". flagOf returns nullptr for an unknown name: then hs::InputError "unknown <what> 'name'
// (expected <expected>)" is thrown.
void applyGroupList(const std::string& list, const std::function<bool*(const std::string&)>& flagOf,
                    const std::string& what, const std::string& expected);

} // namespace hs::analysis
