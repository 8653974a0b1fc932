// compareFeatures: Pearson r and differences per column over matched units; mismatched runs refused.
#include "core/detect/feature_agreement.h"
#include "core/util/error.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace hs::detect;
using hs::results::SampleResult;
using hs::results::ScoredUnit;

namespace {

SampleResult sample(const std::string& id, int units, double shift, double noise)
{
    SampleResult r;
    r.sampleId = id;
    for (int u = 0; u < units; ++u) {
        ScoredUnit s;
        const double t = u + shift;
        s.ecs = {static_cast<float>(std::sin(t)), static_cast<float>(0.5 + 0.1 * t + noise * std::cos(7 * t))};
        s.pks = {static_cast<float>(t * t + noise * std::sin(13 * t))};
        r.units.push_back(s);
    }
    return r;
}

} // namespace

TEST_CASE("feature agreement: identical runs agree perfectly, noisy ones less, by column")
{
    const std::vector<std::string> ecs = {"ecs_L0H0", "ecs_L0H1"}, pks = {"pks_L0"};
    std::vector<SampleResult> ref = {sample("a", 20, 0, 0), sample("b", 15, 3, 0), sample("c", 5, 1, 0)};
    std::vector<SampleResult> same = {sample("b", 15, 3, 0), sample("a", 20, 0, 0)};  // other order, one missing
    FeatureAgreement g = compareFeatures(same, ref, ecs, pks);
    CHECK(g.samples == 2);
    CHECK(g.units == 35);
    CHECK(g.onlyInA == 0);
    CHECK(g.onlyInB == 1);
    CHECK(g.minEcsPearson() == 1.0);
    CHECK(g.minPksPearson() == 1.0);
    CHECK(g.ecs[0].maxAbsDiff == 0.0);

    std::vector<SampleResult> noisy = {sample("a", 20, 0, 0.3), sample("b", 15, 3, 0.3)};
    FeatureAgreement n = compareFeatures(noisy, ref, ecs, pks);
    CHECK(n.ecs[0].pearson == 1.0);        // the first head carries no noise
    CHECK(n.ecs[1].pearson < 0.99);
    CHECK(n.ecs[1].pearson > 0.5);
    CHECK(n.minEcsPearson() == n.ecs[1].pearson);
    CHECK(n.meanEcsPearson() == doctest::Approx((1.0 + n.ecs[1].pearson) / 2));
    CHECK(n.pks[0].maxAbsDiff > 0.0);
    CHECK(n.pks[0].maxAbsDiff <= 0.3 + 1e-6);
    CHECK(g.withinScale(0.0));
    CHECK_FALSE(n.withinScale(1e-3));
    CHECK(n.withinScale(0.5));  // 0.3 of noise on columns whose scale is ~1 (ECS) and ~400 (PKS)
}

TEST_CASE("feature agreement refuses runs that cannot be matched")
{
    const std::vector<std::string> ecs = {"e0", "e1"}, pks = {"p0"};
    std::vector<SampleResult> ref = {sample("a", 20, 0, 0)};
    CHECK_THROWS_AS(compareFeatures({sample("a", 19, 0, 0)}, ref, ecs, pks), hs::InputError);  // other level / tokenizer
    CHECK_THROWS_AS(compareFeatures({sample("z", 20, 0, 0)}, ref, ecs, pks), hs::InputError);  // nothing shared
    CHECK_THROWS_AS(compareFeatures({sample("a", 20, 0, 0)}, ref, {"e0"}, pks), hs::InputError);  // other columns
}
