#include "core/analysis/method.h"

#include "core/analysis/methods_internal.h"
#include "core/util/error.h"

#include <algorithm>
#include <numeric>

namespace hs::analysis {

namespace {

// Average of the members' scores after mapping each to its rank among the training responses'
// scores (a fraction in [0, 1]), so scales that differ do not weigh differently.
class EnsembleMethod : public ResponseMethod {
public:
    explicit EnsembleMethod(const MethodOptions& o)
    {
        for (const auto& name : o.ensembleMembers) {
            if (name == "ensemble") throw InputError("an ensemble cannot contain itself");
            MethodOptions m = o;
            m.name = name;
            members_.push_back(makeMethod(m));
        }
        if (members_.empty()) throw InputError("ensemble: no members");
    }

    void fit(const FeatureTable& t, const std::vector<std::size_t>& train) override
    {
        reference_.clear();
        for (auto& m : members_) {
            m->fit(t, train);
            std::vector<double> s = m->score(t, train);
            std::sort(s.begin(), s.end());
            reference_.push_back(std::move(s));
        }
    }

    std::vector<double> score(const FeatureTable& t, const std::vector<std::size_t>& responses) const override
    {
        std::vector<double> out(responses.size(), 0.0);
        for (std::size_t k = 0; k < members_.size(); ++k) {
            std::vector<double> s = members_[k]->score(t, responses);
            const auto& ref = reference_[k];
            for (std::size_t i = 0; i < s.size(); ++i) {
                auto lo = std::lower_bound(ref.begin(), ref.end(), s[i]);
                auto hi = std::upper_bound(ref.begin(), ref.end(), s[i]);
                double rank = 0.5 * ((lo - ref.begin()) + (hi - ref.begin())) / ref.size();
                out[i] += rank / members_.size();
            }
        }
        return out;
    }

    std::string describe() const override
    {
        std::string s = "{\"method\":\"ensemble\",\"members\":[";
        for (std::size_t k = 0; k < members_.size(); ++k) s += (k ? "," : "") + members_[k]->describe();
        return s + "]}";
    }

private:
    std::vector<std::unique_ptr<ResponseMethod>> members_;
    std::vector<std::vector<double>> reference_;
};

} // namespace

std::unique_ptr<ResponseMethod> makeEnsembleMethod(const MethodOptions& o) { return std::make_unique<EnsembleMethod>(o); }

std::vector<std::string> methodNames() { return {"redeep-chunk", "logistic", "chunk-logistic", "boosted", "ensemble"}; }

std::unique_ptr<ResponseMethod> makeMethod(const MethodOptions& opt)
{
    if (opt.name == "redeep-chunk") return makeRedeepMethod(opt);
    if (opt.name == "logistic") return makeLogisticMethod(opt);
    if (opt.name == "ensemble") return makeEnsembleMethod(opt);
    if (opt.name == "chunk-logistic") return makeChunkLogisticMethod(opt);
    if (opt.name == "boosted") return makeBoostedMethod(opt);
    std::string known;
    for (const auto& n : methodNames()) known += (known.empty() ? "" : ", ") + n;
    throw InputError("unknown method '" + opt.name + "' (expected one of: " + known + ")");
}

} // namespace hs::analysis
