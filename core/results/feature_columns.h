#pragma once
// The one naming of feature columns: an ECS column per copy head, a PKS column per knowledge layer, as
// ReDeEP's logs key them. The Detector stores these names in the session; tables and exports read them.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace hs::results {

std::string headColumn(int layer, int head);   // "(25, 0)", ReDeEP's key format
std::string layerColumn(int layer);            // "layer_23"
std::vector<std::string> headColumns(const std::vector<std::pair<int, int>>& heads);
std::vector<std::string> layerColumns(const std::vector<int>& layers);

// `names` widened to `count` columns with "ecs_k" / "pks_k" for the ones nobody named (a session written
// without feature names, a table whose run settings are unknown).
std::vector<std::string> ecsColumnsFor(std::vector<std::string> names, std::size_t count);
std::vector<std::string> pksColumnsFor(std::vector<std::string> names, std::size_t count);

} // namespace hs::results
