#include "core/analysis/chunk_features.h"

#include "core/analysis/feature_groups.h"

#include <algorithm>
#include <cmath>

namespace hs::analysis {

std::vector<int> responseContextTokens(const FeatureTable& t)
{
    std::vector<int> out(t.responseIds.size(), 0);
    if (!t.hasTokenSpans()) return out;
    std::vector<char> seen(out.size(), 0);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        int i = t.rowResponse[r];
        if (!seen[i] || t.rowTokenBegin[r] < out[i]) out[i] = t.rowTokenBegin[r];
        seen[i] = 1;
    }
    return out;
}

std::vector<char> signedPksColumns(const FeatureTable& t)
{
    std::vector<char> out(t.numPks(), 0);
    for (std::size_t r = 0; r < t.rows(); ++r)
        for (std::size_t k = 0; k < t.numPks(); ++k)
            if (!(t.pksAt(r, k) > 0)) out[k] = 1;
    return out;
}

void applyChunkFeatureList(ChunkFeatureSpec& spec, const std::string& list)
{
    applyGroupList(list, [&spec](const std::string& name) {
        return name == "relative" ? &spec.relative : name == "context" ? &spec.context : nullptr;
    }, "chunk feature group", "relative or context");
}

namespace {

// Subtracts, column by column, the mean over each response's rows of columns [first, first + n) and
// appends the differences to every row.
void appendWithinResponseDeviations(const FeatureTable& t, std::vector<std::vector<double>>& x, std::size_t first,
                                    std::size_t n)
{
    const std::size_t nr = t.responseIds.size();
    std::vector<double> sum(nr * n, 0.0);
    std::vector<int> count(nr, 0);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const int i = t.rowResponse[r];
        ++count[i];
        for (std::size_t k = 0; k < n; ++k) sum[i * n + k] += x[r][first + k];
    }
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const int i = t.rowResponse[r];
        for (std::size_t k = 0; k < n; ++k) x[r].push_back(x[r][first + k] - sum[i * n + k] / count[i]);
    }
}

} // namespace

ChunkFeatures buildChunkFeatures(const FeatureTable& t, const ChunkFeatureSpec& spec)
{
    ChunkFeatures f;
    const std::vector<char> signedPks = signedPksColumns(t);
    for (const auto& n : t.ecsNames) {
        f.names.push_back("ecs:" + n);
        f.isEcs.push_back(1);
        f.isPks.push_back(0);
    }
    for (const auto& n : t.pksNames) {
        f.names.push_back("pks_tok:" + n);
        f.isEcs.push_back(0);
        f.isPks.push_back(1);
    }
    for (const char* n : {"log_tokens", "ecs_heads_mean", "ecs_heads_min", "pks_tok_layers_mean"}) {
        f.names.push_back(n);
        f.isEcs.push_back(0);
        f.isPks.push_back(0);
    }
    f.x.resize(t.rows());
    for (std::size_t r = 0; r < t.rows(); ++r) {
        auto& v = f.x[r];
        for (std::size_t k = 0; k < t.numEcs(); ++k) v.push_back(t.ecsAt(r, k));
        for (std::size_t k = 0; k < t.numPks(); ++k) {
            const double perToken = t.pksAt(r, k) / t.rowTokens(r);
            v.push_back(signedPks[k] ? perToken : std::log(std::max(perToken, 1e-12)));
        }
        v.push_back(std::log(static_cast<double>(t.rowTokens(r))));
        double emean = 0, emin = 1e300, pmean = 0;
        for (std::size_t k = 0; k < t.numEcs(); ++k) {
            emean += t.ecsAt(r, k) / t.numEcs();
            emin = std::min(emin, t.ecsAt(r, k));
        }
        for (std::size_t k = 0; k < t.numPks(); ++k) pmean += v[t.numEcs() + k] / t.numPks();
        v.push_back(emean);
        v.push_back(t.numEcs() ? emin : 0.0);
        v.push_back(pmean);
    }
    auto addOther = [&f](const std::string& n) {
        f.names.push_back(n);
        f.isEcs.push_back(0);
        f.isPks.push_back(0);
    };
    if (spec.relative) {
        const std::size_t pksFirst = t.numEcs(), emeanCol = t.numEcs() + t.numPks() + 1;
        for (const auto& n : t.pksNames) addOther("pks_rel:" + n);
        appendWithinResponseDeviations(t, f.x, pksFirst, t.numPks());
        addOther("ecs_rel_heads_mean");
        appendWithinResponseDeviations(t, f.x, emeanCol, 1);
    }
    if (spec.context) {
        addOther("log_context_tokens");
        const std::vector<int> ctx = responseContextTokens(t);
        for (std::size_t r = 0; r < t.rows(); ++r)
            f.x[r].push_back(std::log(1.0 + ctx[t.rowResponse[r]]));
    }
    return f;
}

} // namespace hs::analysis
