// chunk-logistic: L2 logistic regression on chunk rows with chunk labels (4x more labelled units
// than responses), features from chunk_features.h, then the chunk probabilities are combined into
// a response score (max by default: the response label is "some chunk is hallucinated").
// Column choice and the penalty come from the training responses only.
#include "core/analysis/methods_internal.h"

#include "core/analysis/chunk_features.h"
#include "core/analysis/cross_validation.h"
#include "core/analysis/logistic.h"
#include "core/analysis/metrics.h"

#include <sstream>

namespace hs::analysis {

namespace {

class ChunkLogisticMethod : public ResponseMethod {
public:
    explicit ChunkLogisticMethod(const MethodOptions& o) : opt_(o) {}

    void fit(const FeatureTable& t, const std::vector<std::size_t>& train) override
    {
        feats_ = buildChunkFeatures(t, opt_.chunkFeatures);
        std::vector<std::size_t> rows = rowsOfResponses(t, train);
        cols_ = chooseColumns(t, rows);
        l2_ = opt_.l2 > 0 ? opt_.l2 : chooseL2(t, train);
        model_ = fitLogistic(pickColumns(feats_.x, rows, cols_), labels(t, rows), LogisticOptions{l2_});
    }

    std::vector<double> score(const FeatureTable& t, const std::vector<std::size_t>& responses) const override
    {
        return scoreWith(t, model_, cols_, responses);
    }

    std::string describe() const override
    {
        std::ostringstream os;
        os << "{\"method\":\"chunk-logistic\",\"l2\":" << l2_ << ",\"features\":[";
        for (std::size_t i = 0; i < cols_.size(); ++i)
            os << (i ? "," : "") << "{\"name\":\"" << feats_.names[cols_[i]] << "\",\"weight\":" << model_.weights[i] << "}";
        os << "]}";
        return os.str();
    }

private:
    static std::vector<int> labels(const FeatureTable& t, const std::vector<std::size_t>& rows)
    {
        std::vector<int> y;
        for (std::size_t r : rows) y.push_back(t.rowLabel[r]);
        return y;
    }

    std::vector<int> chooseColumns(const FeatureTable& t, const std::vector<std::size_t>& rows) const
    {
        std::vector<int> order = rankColumnsByAuc(feats_.x, rows, labels(t, rows)), cols;
        int e = 0, p = 0;
        for (int c : order) {
            if (feats_.isEcs[c]) { if (e < opt_.chunkTopEcs) { cols.push_back(c); ++e; } }
            else if (feats_.isPks[c]) { if (p < opt_.chunkTopPks) { cols.push_back(c); ++p; } }
            else if (opt_.features.length) cols.push_back(c);
        }
        return cols;
    }

    std::vector<double> scoreWith(const FeatureTable& t, const LogisticModel& m, const std::vector<int>& cols,
                                  const std::vector<std::size_t>& responses) const
    {
        std::vector<double> rowScore(t.rows(), 0.0);
        for (std::size_t r : rowsOfResponses(t, responses)) {
            std::vector<double> x;
            for (int c : cols) x.push_back(feats_.x[r][c]);
            rowScore[r] = m.probability(x);
        }
        return aggregateToResponses(t, rowScore, opt_.chunkAggregation, &responses).score;
    }

    double chooseL2(const FeatureTable& t, const std::vector<std::size_t>& train) const
    {
        FeatureTable sub;
        sub.responseIds.resize(train.size());
        for (std::size_t r : train) sub.responseLabels.push_back(t.responseLabels[r]);
        auto parts = groupedFolds(sub, opt_.innerFolds, 12345);
        // What does not depend on the penalty (split, columns, training matrix) is made once per inner fold.
        struct InnerFold {
            std::vector<std::size_t> test;
            std::vector<int> cols, yTrain, yTest;
            std::vector<std::vector<double>> xTrain;
        };
        std::vector<InnerFold> inner(parts.size());
        for (std::size_t f = 0; f < parts.size(); ++f) {
            std::vector<std::size_t> tr;
            for (std::size_t g = 0; g < parts.size(); ++g)
                for (std::size_t i : parts[g]) (g == f ? inner[f].test : tr).push_back(train[i]);
            const std::vector<std::size_t> rows = rowsOfResponses(t, tr);
            inner[f].cols = chooseColumns(t, rows);
            inner[f].xTrain = pickColumns(feats_.x, rows, inner[f].cols);
            inner[f].yTrain = labels(t, rows);
            for (std::size_t r : inner[f].test) inner[f].yTest.push_back(t.responseLabels[r]);
        }
        double bestAuc = -1, best = l2Grid()[0];
        for (double l2 : l2Grid()) {
            std::vector<double> s;
            std::vector<int> y;
            for (const InnerFold& f : inner) {
                LogisticModel m = fitLogistic(f.xTrain, f.yTrain, LogisticOptions{l2});
                std::vector<double> sc = scoreWith(t, m, f.cols, f.test);
                s.insert(s.end(), sc.begin(), sc.end());
                y.insert(y.end(), f.yTest.begin(), f.yTest.end());
            }
            double auc = rocAucFast(s, y);
            if (auc > bestAuc) { bestAuc = auc; best = l2; }
        }
        return best;
    }

    MethodOptions opt_;
    ChunkFeatures feats_;
    std::vector<int> cols_;
    double l2_ = 1;
    LogisticModel model_;
};

} // namespace

std::unique_ptr<ResponseMethod> makeChunkLogisticMethod(const MethodOptions& o)
{
    return std::make_unique<ChunkLogisticMethod>(o);
}

} // namespace hs::analysis
