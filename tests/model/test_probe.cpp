// The Probe's contracts: row/column ranges, normalisation over all keys, padding invariance,
// per-sequence ranges and the logit-lens helpers.
#include "core/model/captures.h"
#include "core/model/llama_model.h"
#include "core/util/error.h"
#include "tests/model/reference_forward.h"

#include <doctest/doctest.h>

using hs::model::Captures;
using hs::model::LlamaModel;
using hs::model::Probe;
using hs::model::Range;
using hs::test::everything;
using hs::test::maxAbsDiff;
using hs::test::Reference;
using hs::test::reference;
using hs::test::someIds;
using hs::test::TinySpec;

TEST_CASE("captured attention: row/column ranges, rows normalised over all keys up to the query")
{
    TinySpec s;
    s.kvHeads = 2;
    hs::test::TempDir dir;
    auto w = hs::test::tinyWeights(s);
    hs::test::writeTinyModel(dir.path, s, w);
    auto model = LlamaModel::load(dir.path);
    auto ids = someIds(12, s.vocab, 2);
    Reference ref = reference(w, s, model->config(), ids);

    Probe p;
    p.heads = {{1, 3}, {0, 1}};
    p.attnRows = {Range{4, 10}};
    p.attnCols = {Range{2, 7}};
    Captures caps = model->forward({ids}, p);
    const auto& c = caps.get("attn_probs.1.3");
    CHECK(c.rows.begin == 4);
    CHECK(c.rows.end == 10);
    CHECK(c.cols.begin == 2);
    CHECK((c.tensor.sizes() == at::IntArrayRef({6, 5})));
    CHECK(maxAbsDiff(c.tensor, ref.probs[1][3].narrow(0, 4, 6).narrow(1, 2, 5)) < 1e-5);
    CHECK(maxAbsDiff(caps.tensor("attn_probs.0.1"), ref.probs[0][1].narrow(0, 4, 6).narrow(1, 2, 5)) < 1e-5);
    // kept columns are a part of each row: they sum to less than one (no renormalisation)
    CHECK(c.tensor.sum(1).max().item<double>() < 1.0);
    CHECK_FALSE(caps.has("resid_mid.0"));
    CHECK_THROWS_AS(caps.get("resid_mid.0"), hs::Error);

    // Columns past the query are exactly zero; a range beyond the sequence is clamped.
    p.attnRows = {Range{0, 3}};
    p.attnCols = {Range{0, 100}};
    caps = model->forward({ids}, p);
    at::Tensor t = caps.tensor("attn_probs.1.3");
    CHECK((t.sizes() == at::IntArrayRef({3, 12})));
    CHECK(t.narrow(1, 3, 9).abs().max().item<double>() == 0.0);
    CHECK(t.sum(1).sub(1.0).abs().max().item<double>() < 1e-5);
}

TEST_CASE("a right-padded batch gives each sequence the results it gets alone")
{
    TinySpec s;
    s.kvHeads = 2;
    s.llama3 = true;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    auto model = LlamaModel::load(dir.path);
    std::vector<std::vector<int64_t>> seqs = {someIds(5, s.vocab, 3), someIds(12, s.vocab, 4), someIds(8, s.vocab, 5)};
    Probe p = everything(s);
    Captures batch = model->forward(seqs, p);

    // the padding id must not matter either: pad with a different id through the tensor overload
    at::Tensor ids = at::full({3, 12}, s.vocab - 1, at::kLong);
    for (size_t b = 0; b < seqs.size(); ++b)
        for (size_t t = 0; t < seqs[b].size(); ++t) ids[b][t] = seqs[b][t];
    Captures batch2 = model->forward(ids, {5, 12, 8}, p);

    for (size_t b = 0; b < seqs.size(); ++b) {
        CAPTURE(b);
        Captures alone = model->forward({seqs[b]}, p);
        for (const auto& name : alone.names()) {
            CAPTURE(name);
            CHECK((batch.tensor(name, b).sizes() == alone.tensor(name).sizes()));
            CHECK(maxAbsDiff(batch.tensor(name, b), alone.tensor(name)) < 1e-5);
            CHECK(maxAbsDiff(batch2.tensor(name, b), alone.tensor(name)) < 1e-5);
        }
    }
}

TEST_CASE("per-sequence ranges and positions")
{
    TinySpec s;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    auto model = LlamaModel::load(dir.path);
    std::vector<std::vector<int64_t>> seqs = {someIds(6, s.vocab, 1), someIds(10, s.vocab, 2)};
    Probe p;
    p.heads = {{0, 0}};
    p.attnRows = {Range{2, 6}, Range{5, -1}};
    p.attnCols = {Range{0, 2}, Range{0, 5}};
    p.residOutLayers = {1};
    p.residPositions = {Range{1, 3}, Range{7, -1}};
    p.logits = true;
    p.logitPositions = {Range{5, 6}, Range{9, 10}};
    Captures caps = model->forward(seqs, p);
    CHECK((caps.tensor("attn_probs.0.0", 0).sizes() == at::IntArrayRef({4, 2})));
    CHECK((caps.tensor("attn_probs.0.0", 1).sizes() == at::IntArrayRef({5, 5})));
    CHECK(caps.get("attn_probs.0.0", 1).rows.end == 10);
    CHECK((caps.tensor("resid_out.1", 1).sizes() == at::IntArrayRef({3, s.hidden})));
    CHECK((caps.tensor("logits", 0).sizes() == at::IntArrayRef({1, s.vocab})));
    Captures full = model->forward({seqs[1]}, everything(s));
    CHECK(maxAbsDiff(caps.tensor("logits", 1), full.tensor("logits").narrow(0, 9, 1)) < 1e-5);
    CHECK(maxAbsDiff(caps.tensor("resid_out.1", 1), full.tensor("resid_out.1").narrow(0, 7, 3)) < 1e-5);

    p.attnRows = {Range{0, 1}, Range{0, 1}, Range{0, 1}};  // three ranges for two sequences
    CHECK_THROWS_AS(model->forward(seqs, p), hs::Error);
}

TEST_CASE("logit lens helpers reproduce final_norm and logits")
{
    TinySpec s;
    s.tie = true;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    auto model = LlamaModel::load(dir.path);
    CHECK(model->vocabSize() == s.vocab);
    CHECK(model->config().numLayers == s.layers);
    auto ids = someIds(9, s.vocab, 6);
    Captures caps = model->forward({ids}, everything(s));
    at::Tensor normed = model->applyFinalNorm(caps.tensor("resid_out." + std::to_string(s.layers - 1)));
    CHECK(maxAbsDiff(normed, caps.tensor("final_norm")) < 1e-5);
    at::Tensor pieces = at::cat({model->lmHeadSlice(normed, 0, 40), model->lmHeadSlice(normed, 40, s.vocab)}, 1);
    CHECK(maxAbsDiff(pieces, caps.tensor("logits")) < 1e-5);
    CHECK_THROWS_AS(model->lmHeadSlice(normed, 10, s.vocab + 1), hs::Error);

    // a probe that needs only layer 0 runs only layer 0 and still agrees
    Probe early;
    early.residMidLayers = {0};
    Captures e = model->forward({ids}, early);
    CHECK(maxAbsDiff(e.tensor("resid_mid.0"), caps.tensor("resid_mid.0")) < 1e-6);
    CHECK(model->forward({ids}, Probe{}).names().empty());
}

TEST_CASE("a probe's attention reduction replaces each captured block as it is made")
{
    TinySpec s;
    hs::test::TempDir dir;
    hs::test::writeTinyModel(dir.path, s);
    auto model = LlamaModel::load(dir.path);
    auto ids = someIds(10, s.vocab, 9);
    Probe p;
    p.heads = {{0, 1}, {1, 2}};
    p.attnRows = {Range{5, -1}};
    p.attnCols = {Range{0, 5}};
    Captures full = model->forward({ids}, p);
    std::vector<std::string> calls;
    p.reduceAttention = [&](const std::string& name, std::size_t seq, const at::Tensor& probs) {
        calls.push_back(name + "/" + std::to_string(seq));
        return probs.sum(1);  // e.g. the prompt's share of each response row
    };
    Captures reduced = model->forward({ids}, p);
    CHECK(calls.size() == 2);
    CHECK((reduced.tensor("attn_probs.1.2").sizes() == at::IntArrayRef({5})));
    CHECK(maxAbsDiff(reduced.tensor("attn_probs.1.2"), full.tensor("attn_probs.1.2").sum(1)) < 1e-6);
    CHECK(reduced.get("attn_probs.0.1").rows.begin == 5);
}
