#include "core/analysis/response_features.h"

#include "core/analysis/chunk_features.h"
#include "core/analysis/feature_groups.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace hs::analysis {

ResponseFeatures buildResponseFeatures(const FeatureTable& t, const ResponseFeatureSpec& spec)
{
    const std::size_t nResp = t.responseIds.size(), nE = t.numEcs(), nP = t.numPks();
    std::vector<std::vector<double>> ecsSum(nResp, std::vector<double>(nE, 0.0));
    std::vector<std::vector<double>> ecsMin(nResp, std::vector<double>(nE, std::numeric_limits<double>::infinity()));
    std::vector<std::vector<double>> pksSum(nResp, std::vector<double>(nP, 0.0));
    std::vector<std::vector<double>> pksLo(nResp, std::vector<double>(nP, std::numeric_limits<double>::infinity()));
    std::vector<std::vector<double>> pksHi(nResp, std::vector<double>(nP, -std::numeric_limits<double>::infinity()));
    std::vector<double> tokens(nResp, 0.0), chunks(nResp, 0.0);
    const std::vector<char> signedPks = signedPksColumns(t);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        int resp = t.rowResponse[r];
        for (std::size_t k = 0; k < nE; ++k) {
            ecsSum[resp][k] += t.ecsAt(r, k);
            ecsMin[resp][k] = std::min(ecsMin[resp][k], t.ecsAt(r, k));
        }
        for (std::size_t k = 0; k < nP; ++k) {
            pksSum[resp][k] += t.pksAt(r, k);
            const double perToken = t.pksAt(r, k) / t.rowTokens(r);
            pksLo[resp][k] = std::min(pksLo[resp][k], perToken);
            pksHi[resp][k] = std::max(pksHi[resp][k], perToken);
        }
        tokens[resp] += t.rowTokens(r);
        chunks[resp] += 1;
    }
    ResponseFeatures f;
    if (spec.ecsMean)
        for (const auto& n : t.ecsNames) f.names.push_back("ecs_mean:" + n);
    if (spec.ecsMin)
        for (const auto& n : t.ecsNames) f.names.push_back("ecs_min:" + n);
    if (spec.pksPerToken)
        for (const auto& n : t.pksNames) f.names.push_back("pks_tok:" + n);
    if (spec.pksMean)
        for (const auto& n : t.pksNames) f.names.push_back("pks_mean:" + n);
    if (spec.pksExtremes) {
        for (const auto& n : t.pksNames) f.names.push_back("pks_min:" + n);
        for (const auto& n : t.pksNames) f.names.push_back("pks_max:" + n);
    }
    if (spec.length) {
        f.names.push_back("log_tokens");
        f.names.push_back("log_chunks");
    }
    f.x.assign(nResp, {});
    for (std::size_t i = 0; i < nResp; ++i) {
        auto& v = f.x[i];
        double c = std::max(1.0, chunks[i]);
        if (spec.ecsMean)
            for (std::size_t k = 0; k < nE; ++k) v.push_back(ecsSum[i][k] / c);
        if (spec.ecsMin)
            for (std::size_t k = 0; k < nE; ++k) v.push_back(chunks[i] > 0 ? ecsMin[i][k] : 0.0);
        auto tr = [&](double x, std::size_t k) { return spec.logPks && !signedPks[k] ? std::log(std::max(x, 1e-12)) : x; };
        if (spec.pksPerToken)
            for (std::size_t k = 0; k < nP; ++k)
                v.push_back(tr(pksSum[i][k] / std::max(1.0, t.hasTokenSpans() ? tokens[i] : c), k));
        if (spec.pksMean)
            for (std::size_t k = 0; k < nP; ++k) v.push_back(tr(pksSum[i][k] / c, k));
        if (spec.pksExtremes) {
            for (std::size_t k = 0; k < nP; ++k) v.push_back(chunks[i] > 0 ? tr(pksLo[i][k], k) : 0.0);
            for (std::size_t k = 0; k < nP; ++k) v.push_back(chunks[i] > 0 ? tr(pksHi[i][k], k) : 0.0);
        }
        if (spec.length) {
            v.push_back(std::log(std::max(1.0, tokens[i])));
            v.push_back(std::log(c));
        }
    }
    return f;
}

void applyResponseFeatureList(ResponseFeatureSpec& spec, const std::string& list)
{
    applyGroupList(list, [&spec](const std::string& name) {
        return name == "ecs_mean" ? &spec.ecsMean : name == "ecs_min" ? &spec.ecsMin
             : name == "pks_tok" ? &spec.pksPerToken : name == "pks_mean" ? &spec.pksMean
             : name == "pks_extremes" ? &spec.pksExtremes : name == "length" ? &spec.length
             : name == "log_pks" ? &spec.logPks : nullptr;
    }, "response feature group",
       "ecs_mean, ecs_min, pks_tok, pks_mean, pks_extremes, length or log_pks");
}

} // namespace hs::analysis
