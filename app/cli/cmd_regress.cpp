// halluscope-cli regress: score responses from a feature log with a detection method, either
// in-sample (the published ReDeEP recipe with --reference) or under grouped cross-validation.
#include "app/cli/command.h"
#include "app/cli/feature_source.h"
#include "core/analysis/analysis_json.h"
#include "core/analysis/cross_validation.h"
#include "core/analysis/method.h"
#include "core/analysis/metrics.h"
#include "core/analysis/redeep_combiner.h"
#include "core/analysis/redeep_log.h"
#include "core/analysis/response_features.h"
#include "core/analysis/scorer_recipe.h"
#include "core/session/session_scores.h"
#include "core/session/session_store.h"
#include "core/util/error.h"
#include "core/util/int_list.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>

namespace hs::cli {

// Shared with cmd_tune.cpp: the method options every analysis command accepts.
analysis::MethodOptions methodOptionsFromArgs(const Args& a)
{
    analysis::MethodOptions o;
    o.name = a.get("method", "redeep-chunk");
    o.params.topN = a.getInt("top-n", o.params.topN);
    o.params.topK = a.getInt("top-k", o.params.topK);
    o.params.alpha = a.getDouble("alpha", o.params.alpha);
    o.params.m = a.getDouble("m", o.params.m);
    if (o.params.topN < 0 || o.params.topK < 0 || o.params.topN + o.params.topK == 0)
        throw InputError("--top-n and --top-k must be >= 0 and not both 0");
    o.tune = !a.flag("no-tune");
    if (a.has("aggregation")) o.aggregation = analysis::parseAggregation(a.get("aggregation"));
    if (a.has("chunk-aggregation")) o.chunkAggregation = analysis::parseAggregation(a.get("chunk-aggregation"));
    o.threads = a.getInt("threads", 2);
    if (o.threads < 1) throw InputError("--threads must be >= 1");
    o.topEcs = a.getInt("top-ecs", o.topEcs);
    o.topPks = a.getInt("top-pks", o.topPks);
    o.l2 = a.getDouble("l2", o.l2);
    if (a.has("response-features")) analysis::applyResponseFeatureList(o.features, a.get("response-features"));
    o.chunkTopEcs = a.getInt("chunk-top-ecs", o.chunkTopEcs);
    o.chunkTopPks = a.getInt("chunk-top-pks", o.chunkTopPks);
    if (a.has("chunk-features")) analysis::applyChunkFeatureList(o.chunkFeatures, a.get("chunk-features"));
    analysis::makeMethod(o); // validates the name and the member list (throws InputError)
    return o;
}

// --seeds 0,1,2 or --seed S (default 0).
std::vector<std::uint64_t> seedsFromArgs(const Args& a)
{
    std::vector<std::uint64_t> seeds;
    if (a.has("seeds")) {
        for (int s : parseIntList(a.get("seeds"), "--seeds")) seeds.push_back(static_cast<std::uint64_t>(s));
    } else {
        int s = a.getInt("seed", 0);
        seeds.push_back(static_cast<std::uint64_t>(s));
    }
    return seeds;
}

analysis::ThresholdMode thresholdModeFromArgs(const Args& a)
{
    std::string m = a.get("threshold-mode", "inner-cv");
    if (m == "inner-cv") return analysis::ThresholdMode::InnerCv;
    if (m == "in-sample") return analysis::ThresholdMode::InSample;
    throw InputError("--threshold-mode expects inner-cv or in-sample, got '" + m + "'");
}

namespace {

// The scores a run computed, for the session (--session): each response's score and how it was made.
struct Computed {
    std::string mode;
    analysis::ResponseScores scores;
    nlohmann::json details = nlohmann::json::object();
};

nlohmann::json selectionJson(const analysis::FeatureTable& t, const analysis::Selection& s)
{
    nlohmann::json heads = nlohmann::json::array(), layers = nlohmann::json::array();
    for (int i : s.ecs) heads.push_back(t.ecsNames[i]);
    for (int i : s.pks) layers.push_back(t.pksNames[i]);
    return {{"heads", heads}, {"layers", layers}};
}

int runReference(const Args& a, const analysis::FeatureTable& t, const analysis::MethodOptions& o, Computed& out)
{
    if (o.name != "redeep-chunk") throw InputError("--reference applies to --method redeep-chunk only");
    analysis::Selection sel = analysis::selectRedeep(t, o.params);
    analysis::ResponseScores rs = analysis::scoreRedeep(t, sel, o.params);
    out = {"reference", rs, {{"note", "in-sample, as published"}, {"selection", selectionJson(t, sel)}}};
    double auc = analysis::rocAuc(rs.score, rs.label), pcc = analysis::pearson(rs.score, rs.label);
    if (a.flag("json")) {
        nlohmann::json j = {{"command", "regress"}, {"features", featureSourceName(a)}, {"method", o.name},
                            {"mode", "reference"}, {"responses", rs.score.size()}, {"rows", t.rows()},
                            {"params", {{"top_n", o.params.topN}, {"top_k", o.params.topK}, {"alpha", o.params.alpha}, {"m", o.params.m}}},
                            {"selection", selectionJson(t, sel)}, {"auc", auc}, {"pcc", pcc},
                            {"note", "features ranked on all rows, as the published ReDeEP code does (in-sample)"}};
        std::cout << j.dump() << "\n";
    } else {
        std::cout << std::setprecision(17) << "ReDeEP chunk (reference, in-sample) on " << rs.score.size()
                  << " responses / " << t.rows() << " rows\n  AUC " << auc << "\n  PCC " << pcc << "\n  heads";
        for (int i : sel.ecs) std::cout << " " << t.ecsNames[i];
        std::cout << "\n  layers";
        for (int i : sel.pks) std::cout << " " << t.pksNames[i];
        std::cout << "\n";
    }
    return 0;
}

int runCv(const Args& a, const analysis::FeatureTable& t, const analysis::MethodOptions& o, int folds, Computed& out)
{
    auto seeds = seedsFromArgs(a);
    auto mode = thresholdModeFromArgs(a);
    analysis::RepeatedCv r = analysis::repeatedCrossValidate(t, [&] { return analysis::makeMethod(o); }, folds, seeds, mode);
    // The session keeps the first seed's held-out scores: each response scored by the fold that held it out.
    out.mode = "cv";
    out.scores.ids = t.responseIds;
    out.scores.label = t.responseLabels;
    out.scores.score = analysis::outOfFoldScores(r.runs.front(), t.responseIds.size());
    out.details = {{"folds", folds}, {"seed", seeds.front()}, {"note", "held-out scores of the first seed"}};
    if (a.flag("json")) {
        nlohmann::json j = {{"command", "regress"}, {"features", featureSourceName(a)}, {"method", o.name},
                            {"mode", "cv"}, {"folds", folds},
                            {"threshold_mode", mode == analysis::ThresholdMode::InnerCv ? "inner-cv" : "in-sample"},
                            {"responses", t.responseIds.size()}, {"rows", t.rows()},
                            {"cv", analysis::toJson(r, !a.flag("brief"))}};
        if (!a.flag("brief")) {
            // Every response's held-out score, with the threshold of the fold that held it out: what a
            // user plots or joins with the dataset.
            for (std::size_t i = 0; i < r.runs.size(); ++i) {
                const analysis::CvResult& run = r.runs[i];
                nlohmann::json held = nlohmann::json::array();
                for (std::size_t k = 0; k < run.response.size(); ++k)
                    held.push_back({{"id", t.responseIds[run.response[k]]}, {"label", run.label[k]},
                                    {"score", run.score[k]}, {"threshold", run.threshold[k]},
                                    {"flagged", run.score[k] >= run.threshold[k]}});
                j["cv"]["runs"][i]["held_out"] = held;
            }
        }
        std::cout << j.dump() << "\n";
        return 0;
    }
    std::cout << std::fixed << std::setprecision(4) << o.name << ": " << folds << "-fold CV grouped by response, "
              << seeds.size() << " seed(s), held-out results\n";
    for (std::size_t i = 0; i < r.runs.size(); ++i) {
        const auto& run = r.runs[i];
        std::cout << "  seed " << r.seeds[i] << ": pooled AUC " << run.pooledAuc << "  PCC " << run.pooledPcc
                  << "  F1 " << run.pooled.f1 << "  (per fold AUC " << run.foldAuc.mean << " ± " << run.foldAuc.sd
                  << ", F1 " << run.foldF1.mean << " ± " << run.foldF1.sd << ")\n";
    }
    std::cout << "  over seeds: AUC " << r.pooledAuc.mean << " ± " << r.pooledAuc.sd << "  F1 " << r.pooledF1.mean
              << " ± " << r.pooledF1.sd << "  PCC " << r.pooledPcc.mean << " ± " << r.pooledPcc.sd << "\n";
    return 0;
}

int runInSample(const Args& a, const analysis::FeatureTable& t, const analysis::MethodOptions& o, Computed& out)
{
    std::vector<std::size_t> all(t.responseIds.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    auto m = analysis::makeMethod(o);
    m->fit(t, all);
    std::vector<double> s = m->score(t, all);
    double auc = analysis::rocAuc(s, t.responseLabels), pcc = analysis::pearson(s, t.responseLabels);
    analysis::ThresholdPoint best = analysis::bestF1(s, t.responseLabels);
    out.mode = "in-sample";
    out.scores.ids = t.responseIds;
    out.scores.label = t.responseLabels;
    out.scores.score = s;
    out.details = {{"note", "fitted and scored on the same responses (optimistic)"}};
    if (a.flag("json")) {
        nlohmann::json j = {{"command", "regress"}, {"features", featureSourceName(a)}, {"method", o.name},
                            {"mode", "in-sample"}, {"responses", s.size()}, {"rows", t.rows()}, {"auc", auc},
                            {"pcc", pcc}, {"best_f1", best.f1}, {"best_threshold", best.threshold},
                            {"fitted", analysis::describeJson(m->describe())},
                            {"note", "fitted and scored on the same responses: optimistic; use --cv for held-out numbers"}};
        std::cout << j.dump() << "\n";
    } else {
        std::cout << std::setprecision(6) << o.name << " (in-sample, optimistic): AUC " << auc << "  PCC " << pcc
                  << "  best F1 " << best.f1 << "\n  fitted: " << m->describe() << "\n";
    }
    return 0;
}

int runRegress(const Args& a)
{
    analysis::FeatureTable t = loadFeatureSource(a);
    analysis::MethodOptions o = methodOptionsFromArgs(a);
    // Options that only cross-validation reads would otherwise be ignored without a word.
    for (const char* cvOnly : {"seed", "seeds", "threshold-mode"})
        if (!a.has("cv") && a.has(cvOnly)) throw InputError(std::string("--") + cvOnly + " applies only with --cv");
    Computed computed;
    int rc = 0;
    if (a.flag("reference")) {
        if (a.has("cv")) throw InputError("--reference and --cv exclude each other");
        rc = runReference(a, t, o, computed);
    } else if (a.has("cv")) {
        int folds = a.getInt("cv", 5);
        if (folds < 2) throw InputError("--cv expects a number of folds >= 2");
        rc = runCv(a, t, o, folds, computed);
    } else {
        rc = runInSample(a, t, o, computed);
    }
    if (rc == 0 && a.has("session") && !a.flag("no-save")) {
        // The scores go into the session's metrics (replacing earlier ones), so `export --level sample`
        // fills its score column and the GUI reopens the session with them.
        session::SessionStore store(a.get("session"));
        session::storeScores(store, {o.name, computed.mode, std::numeric_limits<double>::quiet_NaN(), computed.details},
                             computed.scores);
    }
    return rc;
}

} // namespace

const char kMethodOptionsUsage[] =
    "  --method NAME         redeep-chunk (default) | logistic | chunk-logistic | boosted | ensemble\n"
    "  --top-n N --top-k K --alpha A --m M   ReDeEP parameters (default 3 4 0.6 1)\n"
    "  --no-tune             redeep-chunk in CV: keep the given (n, k, alpha, m), choose only heads/layers\n"
    "  --threshold-mode inner-cv|in-sample   how the F1 threshold is chosen on the training folds\n"
    "  --aggregation mean|max                redeep-chunk chunk->response (default mean)\n"
    "  --chunk-aggregation max|mean|noisy-or chunk-logistic chunk->response (default max)\n"
    "  --top-ecs N --top-pks N --l2 L        learned methods: features kept, penalty (default: inner CV)\n"
    "  --response-features LIST  logistic: feature groups on/off, e.g. ecs_min,pks_extremes,-length\n"
    "                        (ecs_mean ecs_min pks_tok pks_mean pks_extremes length log_pks)\n"
    "  --chunk-top-ecs N --chunk-top-pks N   chunk-logistic: heads / layers kept (default 3 32)\n"
    "  --chunk-features LIST chunk-logistic: optional groups, e.g. -relative,context (default relative)\n"
    "  --threads T           grid-search threads (default 2)\n";

namespace {

const CommandRegistrar reg({"regress", "score responses from a feature log (ReDeEP reference or learned methods, with CV)",
    std::string("Usage: halluscope-cli regress --features FILE|--session FILE [options] [--json]\n"
    "  --session FILE        a HalluScope session (halluscope-cli detect) instead of a log; the scores\n"
    "                        computed are stored in it with the method's name (export --level sample)\n"
    "  --no-save             with --session: leave the session as it is\n"
    "  --features FILE       a ReDeEP-format feature log (chunk- or token-level)\n"
    "  --reference           the published recipe in-sample: rank on all rows, no CV (redeep-chunk)\n"
    "  --cv K                K-fold CV grouped by response; all choices made on training folds\n"
    "  --seed S | --seeds S1,S2,...          fold shuffles (default 0)\n"
    "  --brief               with --json: omit per-fold details and the per-response held-out scores\n") +
    kMethodOptionsUsage,
    {"reference", "no-tune", "brief", "no-save"}, runRegress});

} // namespace

} // namespace hs::cli
