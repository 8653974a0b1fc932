// halluscope-cli heads: rank copy heads (ECS) and knowledge layers (PKS) by AUC, Pearson r or
// mutual information with the row-level hallucination label.
#include "app/cli/command.h"
#include "app/cli/feature_source.h"
#include "core/analysis/ranking.h"
#include "core/analysis/redeep_log.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

namespace hs::cli {

namespace {

int runHeads(const Args& a)
{
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
    "  --per-token-pks       divide PKS by the chunk's token count first\n",
    {"with-mi", "no-noise", "per-token-pks"}, runHeads});

} // namespace

} // namespace hs::cli
