#include "core/analysis/ranking.h"

#include "core/analysis/metrics.h"
#include "core/analysis/mutual_info.h"
#include "core/util/error.h"

#include <algorithm>
#include <cstdio>

namespace hs::analysis {

bool parseFeatureName(const std::string& name, int& layer, int& head)
{
    int l = 0, h = 0;
    char tail = 0;
    if (std::sscanf(name.c_str(), "(%d, %d%c", &l, &h, &tail) == 3 && tail == ')') {
        layer = l;
        head = h;
        return true;
    }
    if (std::sscanf(name.c_str(), "layer_%d", &l) == 1) {
        layer = l;
        head = -1;
        return true;
    }
    layer = head = -1;
    return false;
}

std::vector<double> ecsColumn(const FeatureTable& t, std::size_t k, const std::vector<std::size_t>* rows)
{
    std::vector<double> v;
    std::size_t n = rows ? rows->size() : t.rows();
    v.reserve(n);
    for (std::size_t i = 0; i < n; ++i) v.push_back(t.ecsAt(rows ? (*rows)[i] : i, k));
    return v;
}

std::vector<double> pksColumn(const FeatureTable& t, std::size_t k, const std::vector<std::size_t>* rows,
                              bool perToken)
{
    std::vector<double> v;
    std::size_t n = rows ? rows->size() : t.rows();
    v.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t r = rows ? (*rows)[i] : i;
        v.push_back(perToken ? t.pksAt(r, k) / t.rowTokens(r) : t.pksAt(r, k));
    }
    return v;
}

std::vector<int> rowLabels(const FeatureTable& t, const std::vector<std::size_t>* rows)
{
    if (!rows) return t.rowLabel;
    std::vector<int> y;
    y.reserve(rows->size());
    for (std::size_t r : *rows) y.push_back(t.rowLabel[r]);
    return y;
}

std::vector<FeatureScore> rankFeatures(const FeatureTable& t, RankBy by, const RankOptions& opt)
{
    std::vector<int> y = rowLabels(t, opt.rows), notY(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) notY[i] = 1 - y[i];
    bool needMi = opt.computeMi || by == RankBy::MutualInfo;

    std::vector<FeatureScore> out;
    auto add = [&](bool isEcs, std::size_t k, const std::string& name, const std::vector<double>& x) {
        FeatureScore f;
        f.name = name;
        f.isEcs = isEcs;
        f.index = static_cast<int>(k);
        parseFeatureName(name, f.layer, f.head);
        const std::vector<int>& target = isEcs ? notY : y;
        f.auc = rocAuc(x, target);
        f.pearson = pearson(x, target);
        if (needMi) f.mi = mutualInfoClassif(x, y, opt.miNeighbors, opt.miSeed, opt.miNoise);
        out.push_back(f);
    };
    for (std::size_t k = 0; k < t.numEcs(); ++k) add(true, k, t.ecsNames[k], ecsColumn(t, k, opt.rows));
    for (std::size_t k = 0; k < t.numPks(); ++k)
        add(false, k, t.pksNames[k], pksColumn(t, k, opt.rows, opt.perTokenPks));

    auto key = [by](const FeatureScore& f) {
        return by == RankBy::Auc ? f.auc : by == RankBy::Pearson ? f.pearson : f.mi;
    };
    std::stable_sort(out.begin(), out.end(), [&](const FeatureScore& a, const FeatureScore& b) {
        if (key(a) != key(b)) return key(a) > key(b);
        return a.name > b.name;
    });
    return out;
}

RankBy parseRankBy(const std::string& s)
{
    if (s == "auc") return RankBy::Auc;
    if (s == "pearson" || s == "pcc") return RankBy::Pearson;
    if (s == "mi") return RankBy::MutualInfo;
    throw InputError("unknown ranking '" + s + "' (expected auc, pearson or mi)");
}

} // namespace hs::analysis
