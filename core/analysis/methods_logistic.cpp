// logistic: response-level features (response_features.h), the top features by training AUC,
// L2 logistic regression with the penalty chosen by an inner grouped CV on the training responses.
#include "core/analysis/methods_internal.h"

#include "core/analysis/cross_validation.h"
#include "core/analysis/boosting.h"
#include "core/analysis/logistic.h"
#include "core/analysis/metrics.h"
#include "core/analysis/response_features.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace hs::analysis {

namespace {

std::vector<int> labelsOf(const FeatureTable& t, const std::vector<std::size_t>& resp)
{
    std::vector<int> y;
    for (std::size_t r : resp) y.push_back(t.responseLabels[r]);
    return y;
}

class LogisticMethod : public ResponseMethod {
public:
    LogisticMethod(const MethodOptions& o, bool boosted) : opt_(o), spec_(o.features), boosted_(boosted) {}

    void fit(const FeatureTable& t, const std::vector<std::size_t>& train) override
    {
        feats_ = buildResponseFeatures(t, spec_);
        std::vector<int> y = labelsOf(t, train);
        cols_ = chooseColumns(train, y);
        if (boosted_) {
            trees_ = fitBoosting(pickColumns(feats_.x, train, cols_), y, opt_.boosting);
            return;
        }
        l2_ = opt_.l2 > 0 ? opt_.l2 : chooseL2(t, train);
        model_ = fitLogistic(pickColumns(feats_.x, train, cols_), y, LogisticOptions{l2_});
    }

    std::vector<double> score(const FeatureTable& t, const std::vector<std::size_t>& responses) const override
    {
        std::vector<double> s;
        for (const auto& x : pickColumns(feats_.x, responses, cols_))
            s.push_back(boosted_ ? 1 / (1 + std::exp(-trees_.decision(x))) : model_.probability(x));
        return s;
    }

    std::string describe() const override
    {
        std::ostringstream os;
        os << "{\"method\":\"" << (boosted_ ? "boosted" : "logistic") << "\",\"l2\":" << l2_ << ",\"features\":[";
        for (std::size_t i = 0; i < cols_.size(); ++i)
            os << (i ? "," : "") << "{\"name\":\"" << feats_.names[cols_[i]]
               << "\",\"weight\":" << (boosted_ ? 0.0 : model_.weights[i]) << "}";
        os << "]}";
        return os.str();
    }

private:
    // The strongest `topEcs` head features and `topPks` layer features (each group ranked on its
    // own, since the heads are strongly correlated with each other), plus the length features.
    std::vector<int> chooseColumns(const std::vector<std::size_t>& resp, const std::vector<int>& y) const
    {
        std::vector<int> order = rankColumnsByAuc(feats_.x, resp, y), cols;
        int e = 0, p = 0;
        for (int c : order) {
            const std::string& n = feats_.names[c];
            bool isEcs = n.rfind("ecs", 0) == 0, isPks = n.rfind("pks", 0) == 0;
            if (isEcs && e < opt_.topEcs) { cols.push_back(c); ++e; }
            else if (isPks && p < opt_.topPks) { cols.push_back(c); ++p; }
            else if (!isEcs && !isPks) cols.push_back(c);
        }
        return cols;
    }

    // Inner grouped CV on the training responses only: pooled AUC per penalty, best wins.
    double chooseL2(const FeatureTable& t, const std::vector<std::size_t>& train) const
    {
        FeatureTable sub; // response subset view: only labels are needed to build folds
        sub.responseIds.resize(train.size());
        for (std::size_t i = 0; i < train.size(); ++i) sub.responseLabels.push_back(t.responseLabels[train[i]]);
        auto parts = groupedFolds(sub, opt_.innerFolds, 12345);
        // What does not depend on the penalty (split, columns, training matrix) is made once per inner fold.
        struct InnerFold {
            std::vector<std::vector<double>> xTrain, xTest;
            std::vector<int> yTrain, yTest;
        };
        std::vector<InnerFold> inner(parts.size());
        for (std::size_t f = 0; f < parts.size(); ++f) {
            std::vector<std::size_t> tr, te;
            for (std::size_t g = 0; g < parts.size(); ++g)
                for (std::size_t i : parts[g]) (g == f ? te : tr).push_back(train[i]);
            inner[f].yTrain = labelsOf(t, tr);
            const std::vector<int> cols = chooseColumns(tr, inner[f].yTrain);
            inner[f].xTrain = pickColumns(feats_.x, tr, cols);
            inner[f].xTest = pickColumns(feats_.x, te, cols);
            inner[f].yTest = labelsOf(t, te);
        }
        double bestAuc = -1, best = l2Grid()[0];
        for (double l2 : l2Grid()) {
            std::vector<double> s;
            std::vector<int> yy;
            for (const InnerFold& f : inner) {
                LogisticModel m = fitLogistic(f.xTrain, f.yTrain, LogisticOptions{l2});
                for (const auto& x : f.xTest) s.push_back(m.decision(x));
                yy.insert(yy.end(), f.yTest.begin(), f.yTest.end());
            }
            double auc = rocAucFast(s, yy);
            if (auc > bestAuc) { bestAuc = auc; best = l2; }
        }
        return best;
    }

    MethodOptions opt_;
    ResponseFeatureSpec spec_;
    ResponseFeatures feats_;
    std::vector<int> cols_;
    double l2_ = 1;
    LogisticModel model_;
    bool boosted_ = false;
    BoostedTrees trees_;
};

} // namespace

const std::vector<double>& l2Grid()
{
    static const std::vector<double> grid{0.3, 1, 3, 10, 30, 100};
    return grid;
}

std::vector<int> rankColumnsByAuc(const std::vector<std::vector<double>>& x, const std::vector<std::size_t>& idx,
                                  const std::vector<int>& y)
{
    std::size_t nc = x.empty() ? 0 : x[0].size();
    std::vector<double> strength(nc);
    for (std::size_t c = 0; c < nc; ++c) {
        std::vector<double> col;
        for (std::size_t r : idx) col.push_back(x[r][c]);
        strength[c] = std::fabs(rocAucFast(col, y) - 0.5);
    }
    std::vector<int> order(nc);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return strength[a] > strength[b]; });
    return order;
}

std::vector<std::vector<double>> pickColumns(const std::vector<std::vector<double>>& x,
                                             const std::vector<std::size_t>& idx, const std::vector<int>& cols)
{
    std::vector<std::vector<double>> out;
    out.reserve(idx.size());
    for (std::size_t r : idx) {
        std::vector<double> v;
        for (int c : cols) v.push_back(x[r][c]);
        out.push_back(std::move(v));
    }
    return out;
}

std::unique_ptr<ResponseMethod> makeLogisticMethod(const MethodOptions& o) { return std::make_unique<LogisticMethod>(o, false); }
std::unique_ptr<ResponseMethod> makeBoostedMethod(const MethodOptions& o) { return std::make_unique<LogisticMethod>(o, true); }

} // namespace hs::analysis
