#pragma once
// Gradient-boosted regression trees for binary classification (logistic loss, Newton leaf values,
// shrinkage, row subsampling). Small and deterministic: for a few hundred samples and tens of
// features, where a linear model misses interactions (e.g. a feature whose meaning depends on the
// input length, i.e. on the task).
#include <cstdint>
#include <vector>

namespace hs::analysis {

struct BoostingOptions {
    int trees = 150;
    int depth = 2;
    double learningRate = 0.05;
    int minLeaf = 10;
    double subsample = 0.8;
    double l2 = 1.0; // on leaf values
    std::uint64_t seed = 7;
};

struct BoostedTrees {
    struct Node {
        int feature = -1; // -1: leaf
        double threshold = 0, value = 0;
        int left = -1, right = -1;
    };
    std::vector<std::vector<Node>> trees;
    double base = 0, learningRate = 0.1;
    double decision(const std::vector<double>& x) const;
};

BoostedTrees fitBoosting(const std::vector<std::vector<double>>& X, const std::vector<int>& y,
                         const BoostingOptions& opt = {});

} // namespace hs::analysis
