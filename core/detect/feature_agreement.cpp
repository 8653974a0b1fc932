#include "core/detect/feature_agreement.h"

#include "core/analysis/metrics.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace hs::detect {

namespace {

double minOf(const std::vector<ColumnAgreement>& v)
{
    double m = 1.0;
    for (const auto& c : v) m = std::min(m, c.pearson);
    return v.empty() ? 0.0 : m;
}

double meanOf(const std::vector<ColumnAgreement>& v)
{
    double s = 0;
    for (const auto& c : v) s += c.pearson;
    return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

// Column c of ECS (ecs = true) or PKS over the matched units.
ColumnAgreement agreement(const std::string& name, const std::vector<std::pair<const results::ScoredUnit*, const results::ScoredUnit*>>& units,
                          std::size_t c, bool ecs)
{
    ColumnAgreement out;
    out.name = name;
    std::vector<double> x, y;
    x.reserve(units.size());
    y.reserve(units.size());
    for (auto [ua, ub] : units) {
        const double va = ecs ? ua->ecs[c] : ua->pks[c], vb = ecs ? ub->ecs[c] : ub->pks[c];
        x.push_back(va);
        y.push_back(vb);
        const double d = std::fabs(va - vb);
        out.maxAbsDiff = std::max(out.maxAbsDiff, d);
        out.maxRelDiff = std::max(out.maxRelDiff, d / std::max(std::fabs(vb), 1e-6));
        out.scale = std::max(out.scale, std::fabs(vb));
    }
    // Two identical constant columns agree perfectly; analysis::pearson reports 0 for a constant input.
    out.pearson = out.maxAbsDiff == 0.0 ? 1.0 : analysis::pearson(x, y);
    return out;
}

} // namespace

double FeatureAgreement::minEcsPearson() const { return minOf(ecs); }
double FeatureAgreement::minPksPearson() const { return minOf(pks); }
double FeatureAgreement::meanEcsPearson() const { return meanOf(ecs); }
double FeatureAgreement::meanPksPearson() const { return meanOf(pks); }

bool FeatureAgreement::withinScale(double relative) const
{
    for (const auto* group : {&ecs, &pks})
        for (const auto& c : *group)
            if (c.maxAbsDiff > relative * std::max(c.scale, 1e-6)) return false;
    return true;
}

FeatureAgreement compareFeatures(const std::vector<results::SampleResult>& a, const std::vector<results::SampleResult>& b,
                                 const std::vector<std::string>& ecsNames, const std::vector<std::string>& pksNames)
{
    std::map<std::string, const results::SampleResult*> byId;
    for (const auto& r : b) byId[r.sampleId] = &r;
    FeatureAgreement out;
    std::vector<std::pair<const results::ScoredUnit*, const results::ScoredUnit*>> units;
    std::size_t matched = 0;
    for (const auto& ra : a) {
        auto it = byId.find(ra.sampleId);
        if (it == byId.end()) {
            ++out.onlyInA;
            continue;
        }
        ++matched;
        const results::SampleResult& rb = *it->second;
        if (ra.units.size() != rb.units.size())
            throw InputError("sample " + ra.sampleId + " has " + std::to_string(ra.units.size()) + " scored units in one run and " +
                             std::to_string(rb.units.size()) + " in the other (different level, mode or tokenizer?)");
        for (std::size_t u = 0; u < ra.units.size(); ++u) {
            const results::ScoredUnit &ua = ra.units[u], &ub = rb.units[u];
            if (ua.ecs.size() != ecsNames.size() || ub.ecs.size() != ecsNames.size() || ua.pks.size() != pksNames.size() ||
                ub.pks.size() != pksNames.size())
                throw InputError("sample " + ra.sampleId + ": feature columns differ between the runs");
            units.push_back({&ua, &ub});
        }
    }
    out.samples = matched;
    out.onlyInB = b.size() - matched;
    out.units = units.size();
    if (matched == 0) throw InputError("the two runs share no sample id");
    for (std::size_t c = 0; c < ecsNames.size(); ++c) out.ecs.push_back(agreement(ecsNames[c], units, c, true));
    for (std::size_t c = 0; c < pksNames.size(); ++c) out.pks.push_back(agreement(pksNames[c], units, c, false));
    return out;
}

} // namespace hs::detect
