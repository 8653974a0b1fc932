// redeep-chunk as a fit/score method: everything it chooses comes from the training responses.
#include "core/analysis/methods_internal.h"

#include "core/analysis/redeep_combiner.h"

#include <sstream>

namespace hs::analysis {

namespace {

class RedeepMethod : public ResponseMethod {
public:
    explicit RedeepMethod(const MethodOptions& o) : opt_(o) {}

    void fit(const FeatureTable& t, const std::vector<std::size_t>& train) override
    {
        std::vector<std::size_t> rows = rowsOfResponses(t, train);
        RedeepRanking ranking = rankRedeep(t, &rows);
        RedeepParams p = opt_.params;
        if (opt_.tune) {
            GridResult g = gridSearchRedeep(t, ranking, opt_.grid, &train, opt_.threads);
            p = g.best.params;
            trainAuc_ = g.best.auc;
        }
        model_ = fitRedeep(t, selectFromRanking(ranking, p.topN, p.topK), p, &rows);
        names_ = &t;
    }

    std::vector<double> score(const FeatureTable& t, const std::vector<std::size_t>& responses) const override
    {
        return aggregateToResponses(t, redeepRowScores(t, model_), opt_.aggregation, &responses).score;
    }

    std::string describe() const override
    {
        std::ostringstream os;
        os << "{\"method\":\"redeep-chunk\",\"top_n\":" << model_.params.topN << ",\"top_k\":" << model_.params.topK
           << ",\"alpha\":" << model_.params.alpha << ",\"m\":" << model_.params.m;
        if (opt_.tune) os << ",\"train_auc\":" << trainAuc_;
        os << ",\"heads\":[";
        for (std::size_t i = 0; i < model_.sel.ecs.size(); ++i)
            os << (i ? "," : "") << '"' << names_->ecsNames[model_.sel.ecs[i]] << '"';
        os << "],\"layers\":[";
        for (std::size_t i = 0; i < model_.sel.pks.size(); ++i)
            os << (i ? "," : "") << '"' << names_->pksNames[model_.sel.pks[i]] << '"';
        os << "]}";
        return os.str();
    }

private:
    MethodOptions opt_;
    RedeepModel model_;
    double trainAuc_ = 0;
    const FeatureTable* names_ = nullptr;
};

} // namespace

std::unique_ptr<ResponseMethod> makeRedeepMethod(const MethodOptions& o) { return std::make_unique<RedeepMethod>(o); }

} // namespace hs::analysis
