#include "core/results/feature_columns.h"

namespace hs::results {

std::string headColumn(int layer, int head) { return "(" + std::to_string(layer) + ", " + std::to_string(head) + ")"; }
std::string layerColumn(int layer) { return "layer_" + std::to_string(layer); }

std::vector<std::string> headColumns(const std::vector<std::pair<int, int>>& heads)
{
    std::vector<std::string> v;
    for (auto [l, h] : heads) v.push_back(headColumn(l, h));
    return v;
}

std::vector<std::string> layerColumns(const std::vector<int>& layers)
{
    std::vector<std::string> v;
    for (int l : layers) v.push_back(layerColumn(l));
    return v;
}

namespace {
std::vector<std::string> widen(std::vector<std::string> names, std::size_t count, const char* prefix)
{
    for (std::size_t k = names.size(); k < count; ++k) names.push_back(prefix + std::to_string(k));
    return names;
}
} // namespace

std::vector<std::string> ecsColumnsFor(std::vector<std::string> names, std::size_t count) { return widen(std::move(names), count, "ecs_"); }
std::vector<std::string> pksColumnsFor(std::vector<std::string> names, std::size_t count) { return widen(std::move(names), count, "pks_"); }

} // namespace hs::results
