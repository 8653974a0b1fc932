#pragma once
// A response-level detector that can be fitted on some responses and applied to others: the unit
// that cross-validation, threshold tuning and the CLI work with. Implementations:
//   redeep-chunk  ReDeEP's recipe (methods_redeep.cpp): heads/layers by AUC on the training rows,
//                 optionally (top_n, top_k, alpha, m) by grid search on the training responses.
//   logistic        response-level features + L2 logistic regression (methods_logistic.cpp).
//   chunk-logistic  L2 logistic regression on chunks with chunk labels, max over a response's
//                   chunks (methods_chunk.cpp); with the within-response deviation features, the
//                   best held-out AUC and F1 on the published log (docs/analysis.md).
//   boosted         gradient-boosted trees on the `logistic` features (tried; weaker).
//   ensemble        average of the members' rank-normalised scores (default members: logistic and
//                   chunk-logistic); the demo's default.
#include "core/analysis/boosting.h"
#include "core/analysis/chunk_features.h"
#include "core/analysis/feature_table.h"
#include "core/analysis/grid_search.h"
#include "core/analysis/redeep_combiner.h"
#include "core/analysis/response_features.h"
#include "core/analysis/response_scores.h"

#include <memory>
#include <string>
#include <vector>

namespace hs::analysis {

class ResponseMethod {
public:
    virtual ~ResponseMethod() = default;
    virtual void fit(const FeatureTable& t, const std::vector<std::size_t>& trainResponses) = 0;
    // One score per listed response (higher = more likely hallucinated).
    virtual std::vector<double> score(const FeatureTable& t, const std::vector<std::size_t>& responses) const = 0;
    // What fit chose (selected features, hyper-parameters), as a JSON object text.
    virtual std::string describe() const = 0;
};

struct MethodOptions {
    std::string name = "redeep-chunk";
    // redeep-chunk
    RedeepParams params;        // used as is unless tune
    bool tune = true;           // grid search (top_n, top_k, alpha, m) on the training responses
    GridSpec grid = GridSpec::reference();
    Aggregation aggregation = Aggregation::Mean;           // redeep-chunk: chunk d -> response
    Aggregation chunkAggregation = Aggregation::Max;       // chunk-logistic: chunk p -> response (max beat noisy-or and mean in CV)
    int threads = 2;
    // logistic
    int topEcs = 3, topPks = 4;   // logistic: head / layer features kept (by |AUC - 0.5| on the training responses)
    int chunkTopEcs = 3, chunkTopPks = 32; // chunk-logistic: the same on training chunks (1,159 rows carry all 32 layers)
    double l2 = -1;             // <= 0: chosen by inner grouped CV on the training responses
    int innerFolds = 5;
    std::vector<std::string> ensembleMembers{"logistic", "chunk-logistic"};
    ResponseFeatureSpec features;
    ChunkFeatureSpec chunkFeatures; // chunk-logistic's optional groups (chunk_features.h)
    BoostingOptions boosting;     // boosted // which response-level features exist (response_features.h)
};

std::unique_ptr<ResponseMethod> makeMethod(const MethodOptions& opt);
std::vector<std::string> methodNames();

} // namespace hs::analysis
