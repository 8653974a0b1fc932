// A prefix run once and continued by several sequences gives every capture that the whole sequences give.
#include "core/model/captures.h"
#include "core/model/llama_model.h"
#include "core/util/error.h"
#include "tests/model/model_test_util.h"

#include <doctest/doctest.h>

using hs::model::Captures;
using hs::model::LlamaModel;
using hs::model::Probe;
using hs::model::Range;
using hs::test::maxAbsDiff;
using hs::test::TinySpec;

namespace {

std::vector<std::int64_t> tokens(int n, std::int64_t vocab, int seed)
{
    std::vector<std::int64_t> v;
    for (int i = 0; i < n; ++i) v.push_back((i * 31 + seed * 17 + 3) % vocab);
    return v;
}

// What detection asks for: copy heads' rows from `rowBegin` over the prompt columns, residuals of two layers
// there, final norm everywhere (chunk-level ECS pools prompt states), logits after the prefix.
Probe detectionProbe(std::int64_t rowBegin, std::int64_t promptLen)
{
    Probe p;
    p.heads = {{0, 1}, {1, 3}, {1, 0}};
    p.attnRows = {{rowBegin, -1}};
    p.attnCols = {{0, promptLen}};
    p.residMidLayers = {0, 1};
    p.residOutLayers = {1};
    p.residPositions = {{rowBegin, -1}};
    p.finalNorm = true;
    p.finalNormPositions = {Range::all()};
    p.logits = true;
    p.logitPositions = {{rowBegin, -1}};
    return p;
}

void checkPrefixEqualsWhole(const TinySpec& s)
{
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    auto model = LlamaModel::load(dir.path);
    const int P = 23;  // the shared prompt minus its last token
    const auto prompt = tokens(P + 1, s.vocab, 1);
    const std::vector<std::vector<std::int64_t>> answers = {tokens(9, s.vocab, 2), tokens(4, s.vocab, 3),
                                                            tokens(14, s.vocab, 4)};
    std::vector<std::vector<std::int64_t>> whole, tails;
    std::int64_t T = 0;
    for (const auto& a : answers) {
        std::vector<std::int64_t> w(prompt.begin(), prompt.end()), t = {prompt.back()};
        w.insert(w.end(), a.begin(), a.end());
        t.insert(t.end(), a.begin(), a.end());
        whole.push_back(w);
        tails.push_back(t);
        T = std::max<std::int64_t>(T, static_cast<std::int64_t>(t.size()));
    }
    const Probe probe = detectionProbe(P, P + 1);
    Captures ref = model->forward(whole, probe);

    auto prefix = model->encodePrefix(std::vector<std::int64_t>(prompt.begin(), prompt.begin() + P));
    CHECK(LlamaModel::prefixLength(*prefix) == P);
    at::Tensor ids = at::zeros({3, T}, at::kLong);
    std::vector<std::int64_t> lengths;
    for (int b = 0; b < 3; ++b) {
        for (std::size_t i = 0; i < tails[b].size(); ++i) ids[b][static_cast<std::int64_t>(i)] = tails[b][i];
        lengths.push_back(static_cast<std::int64_t>(tails[b].size()));
    }
    Captures got = model->forwardAfter(*prefix, ids, lengths, probe);
    for (const auto& name : ref.names()) {
        CAPTURE(name);
        for (std::size_t b = 0; b < 3; ++b) {
            const auto& r = ref.get(name, b);
            const auto& g = got.get(name, b);
            CHECK(g.rows.begin == r.rows.begin);
            CHECK(g.rows.end == r.rows.end);
            REQUIRE(g.tensor.sizes() == r.tensor.sizes());
            CHECK(maxAbsDiff(g.tensor, r.tensor) < 1e-5);
        }
    }
    // a capture that would need rows inside the prefix is refused, not silently wrong
    CHECK_THROWS_AS(model->forwardAfter(*prefix, ids, lengths, detectionProbe(P - 1, P + 1)), hs::Error);
}

} // namespace

TEST_CASE("a cached prefix continued by a padded batch equals the whole sequences (MHA, tied)")
{
    TinySpec s;
    s.tie = true;
    checkPrefixEqualsWhole(s);
}

TEST_CASE("a cached prefix continued by a padded batch equals the whole sequences (GQA, llama3 rope)")
{
    TinySpec s;
    s.kvHeads = 2;
    s.llama3 = true;
    checkPrefixEqualsWhole(s);
}

TEST_CASE("a cached prefix with a sliding window that the sequence outgrows")
{
    TinySpec s;
    s.slidingWindow = 8;
    checkPrefixEqualsWhole(s);
}
