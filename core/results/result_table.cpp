#include "core/results/result_table.h"

#include "core/results/feature_columns.h"
#include "core/util/error.h"

#include <algorithm>

namespace hs::results {

void appendResult(analysis::FeatureTable& t, const SampleResult& r, const std::string& source)
{
    if (!r.units.empty() && t.ecsNames.empty() && t.pksNames.empty() && t.rows() == 0) {
        t.ecsNames = ecsColumnsFor({}, r.units.front().ecs.size());
        t.pksNames = pksColumnsFor({}, r.units.front().pks.size());
    }
    for (const ScoredUnit& u : r.units)
        if (u.ecs.size() != t.numEcs() || u.pks.size() != t.numPks())
            throw InputError(source + ": sample " + r.sampleId + " has a unit with " + std::to_string(u.ecs.size()) +
                             " ECS / " + std::to_string(u.pks.size()) + " PKS values but the run names " +
                             std::to_string(t.numEcs()) + " / " + std::to_string(t.numPks()));
    const int response = static_cast<int>(t.responseIds.size());
    int maxRowLabel = 0;
    for (const ScoredUnit& u : r.units) {
        t.rowResponse.push_back(response);
        t.rowLabel.push_back(u.label);
        t.ecs.insert(t.ecs.end(), u.ecs.begin(), u.ecs.end());
        t.pks.insert(t.pks.end(), u.pks.begin(), u.pks.end());
        t.rowTokenBegin.push_back(u.tokenBegin);
        t.rowTokenEnd.push_back(u.tokenEnd);
        maxRowLabel = std::max(maxRowLabel, u.label);
    }
    t.responseIds.push_back(r.sampleId);
    t.responseLabels.push_back(r.responseLabel < 0 ? maxRowLabel : r.responseLabel);
}

analysis::FeatureTable tableOf(const std::vector<SampleResult>& results, std::vector<std::string> ecsNames,
                               std::vector<std::string> pksNames, const std::string& source)
{
    analysis::FeatureTable t;
    for (const SampleResult& r : results)
        if (!r.units.empty()) {
            ecsNames = ecsColumnsFor(std::move(ecsNames), r.units.front().ecs.size());
            pksNames = pksColumnsFor(std::move(pksNames), r.units.front().pks.size());
            break;
        }
    t.ecsNames = std::move(ecsNames);
    t.pksNames = std::move(pksNames);
    for (const SampleResult& r : results) appendResult(t, r, source);
    return t;
}

} // namespace hs::results
