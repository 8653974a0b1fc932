// halluscope-cli compare: how closely one session's features follow another's (e.g. a quantised run
// against the 16-bit run of the same samples): Pearson r and the largest differences per copy head and
// per layer, over every scored unit.
#include "app/cli/command.h"
#include "core/detect/feature_agreement.h"
#include "core/session/session_store.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace {

using namespace hs;

nlohmann::json columnsJson(const std::vector<detect::ColumnAgreement>& cols)
{
    nlohmann::json a = nlohmann::json::array();
    for (const auto& c : cols)
        a.push_back({{"name", c.name}, {"pearson", c.pearson}, {"max_abs_diff", c.maxAbsDiff}, {"max_rel_diff", c.maxRelDiff}, {"scale", c.scale}});
    return a;
}

int runCompare(const cli::Args& a)
{
    const std::string pathA = a.require("session"), pathB = a.require("against");
    session::SessionStore sa(pathA, session::OpenMode::ReadOnly), sb(pathB, session::OpenMode::ReadOnly);
    if (sa.ecsNames() != sb.ecsNames() || sa.pksNames() != sb.pksNames())
        throw InputError("the sessions have different feature columns (copy heads or layers): " + pathA + " and " + pathB);
    const detect::FeatureAgreement g =
        detect::compareFeatures(sa.loadResults(), sb.loadResults(), sa.ecsNames(), sa.pksNames());
    if (a.flag("json")) {
        nlohmann::json j = {{"session", pathA}, {"against", pathB}, {"samples", g.samples}, {"units", g.units},
                            {"only_in_session", g.onlyInA}, {"only_in_against", g.onlyInB},
                            {"ecs", {{"min_pearson", g.minEcsPearson()}, {"mean_pearson", g.meanEcsPearson()}, {"columns", columnsJson(g.ecs)}}},
                            {"pks", {{"min_pearson", g.minPksPearson()}, {"mean_pearson", g.meanPksPearson()}, {"columns", columnsJson(g.pks)}}}};
        if (sa.hasRun()) j["session_settings"] = nlohmann::json::parse(sa.runInfo().settingsJson);
        if (sb.hasRun()) j["against_settings"] = nlohmann::json::parse(sb.runInfo().settingsJson);
        std::cout << j.dump() << "\n";
        return 0;
    }
    std::printf("%zu shared samples, %zu scored units (%zu only in %s, %zu only in %s)\n", g.samples, g.units, g.onlyInA,
                pathA.c_str(), g.onlyInB, pathB.c_str());
    std::printf("ECS Pearson r per copy head: min %.4f, mean %.4f over %zu heads\n", g.minEcsPearson(), g.meanEcsPearson(), g.ecs.size());
    std::printf("PKS Pearson r per layer:     min %.4f, mean %.4f over %zu layers\n", g.minPksPearson(), g.meanPksPearson(), g.pks.size());
    if (a.flag("columns"))
        for (const auto* group : {&g.ecs, &g.pks})
            for (const auto& c : *group)
                std::printf("  %-14s r %.5f  max |diff| %.3g  max rel %.3g\n", c.name.c_str(), c.pearson, c.maxAbsDiff, c.maxRelDiff);
    return 0;
}

const cli::CommandRegistrar kRegister({
    "compare",
    "feature agreement of two sessions (e.g. a quantised run against the 16-bit one)",
    "Usage: halluscope-cli compare --session FILE --against REFERENCE [--columns] [--json]\n"
    "  Matches samples by id and scored units by position (same level, mode, copy heads and layers) and\n"
    "  prints, per copy head (ECS) and per layer (PKS), Pearson r over every scored unit and the largest\n"
    "  absolute and relative differences. Exit code 2 when the sessions cannot be compared.\n"
    "  --columns                  every column, not only the minimum and mean r\n"
    "  --json                     the same as JSON (with both sessions' settings)",
    {"columns"},
    &runCompare,
});

} // namespace
