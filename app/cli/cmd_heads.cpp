// halluscope-cli heads: rank copy heads (ECS) and knowledge layers (PKS) by AUC, Pearson r or
// mutual information with the row-level hallucination label; or, with --find-copy-heads, find a
// model's copy heads from its attention (core/detect/copy_head_finder.h).
#include "app/cli/command.h"
#include "app/cli/feature_source.h"
#include "core/analysis/ranking.h"
#include "core/analysis/redeep_log.h"
#include "core/detect/copy_head_finder.h"
#include "core/detect/copy_heads.h"
#include "core/results/feature_columns.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iomanip>
#include <iostream>

namespace hs::cli {

namespace {

int runFindCopyHeads(const Args& a)
{
    detect::CopyHeadFinderOptions o;
    o.modelDir = a.require("model");
    o.datasetPath = a.require("dataset");
    o.device = a.get("device", "cpu");
    o.dtype = a.get("dtype", "f32");
    o.limit = a.getInt("limit", -1);
    int top = a.getInt("top", 0);
    if (top < 0) throw InputError("--top must be >= 0");
    detect::CopyHeadScores sc = detect::findCopyHeads(o);
    if (top == 0) top = detect::defaultCopyHeadCount(sc.numLayers, sc.numHeads);
    top = std::min<int>(top, static_cast<int>(sc.ranked.size()));
    std::vector<std::pair<int, int>> heads;
    for (int i = 0; i < top; ++i) heads.push_back({sc.ranked[i].layer, sc.ranked[i].head});
    if (a.has("out")) detect::saveCopyHeads(a.get("out"), heads);
    if (a.flag("json")) {
        nlohmann::json ranked = nlohmann::json::array(), chosen = nlohmann::json::array();
        for (std::size_t i = 0; i < sc.ranked.size(); ++i) {
            const auto& h = sc.ranked[i];
            ranked.push_back({{"rank", i + 1}, {"layer", h.layer}, {"head", h.head}, {"score", h.target}, {"prev_score", h.prev}});
        }
        for (auto [l, h] : heads) chosen.push_back({l, h});
        nlohmann::json j = {{"command", "heads"}, {"find_copy_heads", true}, {"model", o.modelDir},
                            {"dataset", o.datasetPath}, {"samples", sc.samples}, {"positions", sc.positions},
                            {"layers", sc.numLayers}, {"heads_per_layer", sc.numHeads}, {"copy_heads", chosen},
                            {"ranked", ranked}};
        if (a.has("out")) j["out"] = a.get("out");
        std::cout << j.dump() << "\n";
        return 0;
    }
    std::cout << "copy heads of " << o.modelDir << " over " << sc.positions << " copyable response positions of "
              << sc.samples << " faithful samples\n"
              << "rank  head      score   prev-token score\n" << std::fixed << std::setprecision(4);
    for (std::size_t i = 0; i < sc.ranked.size() && (a.flag("all") || i < static_cast<std::size_t>(std::max(top, 16))); ++i) {
        const auto& h = sc.ranked[i];
        std::cout << std::setw(4) << i + 1 << "  " << std::left << std::setw(8) << results::headColumn(h.layer, h.head)
                  << std::right << "  " << h.target << "  " << h.prev << (static_cast<int>(i) < top ? "  *" : "") << "\n";
    }
    if (a.has("out")) std::cout << "wrote the top " << top << " to " << a.get("out") << "\n";
    return 0;
}

int runHeads(const Args& a)
{
    if (a.flag("find-copy-heads")) return runFindCopyHeads(a);
    analysis::FeatureTable t = loadFeatureSource(a);
    std::string rankName = a.get("rank", "auc");
    analysis::RankBy by = analysis::parseRankBy(rankName);
    analysis::RankOptions opt;
    opt.computeMi = by == analysis::RankBy::MutualInfo || a.flag("with-mi");
    opt.miNeighbors = a.getInt("neighbors", 3);
    if (opt.miNeighbors < 1) throw InputError("--neighbors must be >= 1");
    int seed = a.getInt("seed", 0);
    if (seed < 0) throw InputError("--seed must be >= 0");
    opt.miSeed = static_cast<std::uint64_t>(seed);
    opt.miNoise = !a.flag("no-noise");
    opt.perTokenPks = a.flag("per-token-pks");
    if (opt.perTokenPks && !t.hasTokenSpans()) throw InputError("--per-token-pks needs r_span in the feature log");
    int top = a.getInt("top", 0);
    if (top < 0) throw InputError("--top must be >= 0");

    auto ranked = analysis::rankFeatures(t, by, opt);
    if (top > 0 && static_cast<std::size_t>(top) < ranked.size()) ranked.resize(top);
    if (a.flag("json")) {
        nlohmann::json list = nlohmann::json::array();
        for (std::size_t i = 0; i < ranked.size(); ++i) {
            const auto& f = ranked[i];
            nlohmann::json e = {{"rank", i + 1}, {"name", f.name}, {"kind", f.isEcs ? "ecs" : "pks"},
                                {"index", f.index}, {"layer", f.layer}, {"head", f.head},
                                {"auc", f.auc}, {"pearson", f.pearson}};
            if (opt.computeMi) e["mi"] = f.mi;
            list.push_back(e);
        }
        nlohmann::json j = {{"command", "heads"}, {"features", featureSourceName(a)}, {"rank", rankName},
                            {"rows", t.rows()}, {"per_token_pks", opt.perTokenPks},
                            {"orientation", "ECS scored against 1 - label, PKS against label"},
                            {"features_ranked", list}};
        if (opt.computeMi)
            j["mi"] = {{"neighbors", opt.miNeighbors}, {"seed", opt.miSeed}, {"noise", opt.miNoise}, {"unit", "nats"}};
        std::cout << j.dump() << "\n";
        return 0;
    }
    std::cout << "rank  feature      kind  AUC     Pearson" << (opt.computeMi ? "  MI" : "") << "\n"
              << std::fixed << std::setprecision(4);
    for (std::size_t i = 0; i < ranked.size(); ++i) {
        const auto& f = ranked[i];
        std::cout << std::setw(4) << i + 1 << "  " << std::left << std::setw(12) << f.name << std::right << " "
                  << (f.isEcs ? "ECS " : "PKS ") << "  " << f.auc << "  " << std::setw(7) << f.pearson;
        if (opt.computeMi) std::cout << "  " << f.mi;
        std::cout << "\n";
    }
    return 0;
}

const CommandRegistrar reg({"heads", "rank copy heads and knowledge layers by AUC, Pearson r or mutual information",
    "Usage: halluscope-cli heads --features FILE|--session FILE [--rank auc|pearson|mi] [options] [--json]\n"
    "  --rank auc|pearson|mi  ranking score (default auc); ECS is scored against 1 - label\n"
    "  --top N               keep the N best (default all)\n"
    "  --with-mi             also compute MI when ranking by auc or pearson\n"
    "  --neighbors K         MI k-nearest neighbours (default 3, as scikit-learn)\n"
    "  --seed S              MI tie-breaking noise seed (NumPy RandomState(S), default 0)\n"
    "  --no-noise            MI without the 1e-10 tie-breaking noise (deterministic, seed-free)\n"
    "  --per-token-pks       divide PKS by the chunk's token count first\n"
    "\n"
    "       halluscope-cli heads --find-copy-heads --model DIR --dataset PATH [--limit N] [--top K] [--out FILE] [--json]\n"
    "  Ranks every (layer, head) by its copy score: the mean attention mass, at the response positions of\n"
    "  the faithful samples whose next token occurs in the prompt, on the prompt positions holding that\n"
    "  token (BOS excluded). Needs no labels beyond skipping hallucinated samples (docs/demo.md).\n"
    "  --limit N             first N samples of the dataset\n"
    "  --top K               heads kept in the list (default: a quarter of all heads, 1..32)\n"
    "  --out FILE            write the list as JSON [[layer, head], ...], best first (detect --copy-heads)\n"
    "  --device DEV --dtype T  cpu|cuda|cuda:N; f32|bf16|f16 (default cpu f32)\n"
    "  --all                 print every head (default: the top 16 or K)\n",
    {"with-mi", "no-noise", "per-token-pks", "find-copy-heads", "all"}, runHeads});

} // namespace

} // namespace hs::cli
