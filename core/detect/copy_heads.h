#pragma once
// Copy-head lists: JSON [[layer, head], ...] as ReDeEP's topk_heads.json. Torch-free.
#include <string>
#include <utility>
#include <vector>

namespace hs::detect {

// Throws hs::InputError naming the file when it is not a list of [layer, head] pairs, or when a
// pair is outside the model (numLayers/numHeads > 0 checks the range).
std::vector<std::pair<int, int>> loadCopyHeads(const std::string& path, int numLayers = 0, int numHeads = 0);
void saveCopyHeads(const std::string& path, const std::vector<std::pair<int, int>>& heads);
std::vector<std::pair<int, int>> allHeads(int numLayers, int numHeads);

} // namespace hs::detect
