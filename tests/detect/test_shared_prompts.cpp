// Batching samples that share a prompt, and the common prefix a batch may encode once.
#include "core/detect/shared_prompts.h"

#include <doctest/doctest.h>

#include <deque>
#include <string>

using namespace hs::detect;

namespace {

// Every prepared sample points at its dataset sample (the batcher orders by its id on equal lengths); a
// null one was undefined behaviour that UBSan caught (tools/asan_suite.sh).
PreparedSample make(std::vector<int> prompt, std::vector<int> answer)
{
    static std::deque<hs::data::Sample> samples;
    samples.emplace_back();
    samples.back().id = "s" + std::to_string(samples.size());
    PreparedSample p;
    p.sample = &samples.back();
    p.prefixLen = static_cast<int>(prompt.size());
    p.ids = prompt;
    p.ids.insert(p.ids.end(), answer.begin(), answer.end());
    return p;
}

std::vector<int> seq(int n, int start) { std::vector<int> v; for (int i = 0; i < n; ++i) v.push_back(start + i); return v; }

} // namespace

TEST_CASE("the shared prefix ends before every first captured row and where the tokens part")
{
    PreparedSample a = make(seq(30, 0), {7, 7, 7}), b = make(seq(30, 0), {8, 8}), c = make(seq(30, 0), {9});
    CHECK(sharedPrefixLength({&a}) == 0);
    CHECK(sharedPrefixLength({&a, &b}) == 29);  // the last prompt token is the first scored row
    b.responseChunks = {{20, 32}};               // a chunk that starts inside the prompt moves it back
    CHECK(sharedPrefixLength({&a, &b, &c}) == 20);
    PreparedSample d = make(seq(30, 0), {1});
    d.ids[12] = 999;
    CHECK(sharedPrefixLength({&a, &d}) == 12);
}

TEST_CASE("groups of a shared prompt are batched apart, their prefix counted once; the rest as usual")
{
    std::vector<PreparedSample> s;
    for (int i = 0; i < 5; ++i) s.push_back(make(seq(100, 0), seq(10 + i, 500)));  // one prompt, five answers
    s.push_back(make(seq(100, 1000), seq(12, 500)));                                // a unique prompt
    s.push_back(make(seq(4, 2000), seq(3, 0)));                                     // two answers to a tiny prompt
    s.push_back(make(seq(4, 2000), seq(5, 0)));
    std::vector<const PreparedSample*> todo;
    for (auto& p : s) todo.push_back(&p);
    std::vector<const PreparedSample*> plain;
    auto plainBatches = [&](std::vector<const PreparedSample*> v) {
        plain = v;
        Batches b;
        for (auto* p : v) b.push_back({p});
        return b;
    };
    Batches b = makeSharedPromptBatches(todo, 200, 8, 16, plainBatches);
    // budget 200: prefix 99 + n × tail (tails 11..15) → the five answers in two batches (99 + 5·15 = 174 fits,
    // so in fact one)
    REQUIRE(b.size() == 4);
    CHECK(plain.size() == 3);  // the unique prompt and the tiny prompt's two (prefix below 16 tokens)
    CHECK(plain[0] == &s[5]);
    CHECK(plain[1] == &s[6]);
    std::size_t grouped = 0;
    for (const auto& x : b)
        if (x.size() == 5) {
            ++grouped;
            CHECK(sharedPrefixLength(x) == 99);
        }
    CHECK(grouped == 1);
    // ordered by longest sample
    for (std::size_t i = 1; i < b.size(); ++i) {
        std::size_t prev = 0, cur = 0;
        for (auto* p : b[i - 1]) prev = std::max(prev, p->ids.size());
        for (auto* p : b[i]) cur = std::max(cur, p->ids.size());
        CHECK(prev <= cur);
    }

    // a smaller budget cuts the group; a lone leftover goes back to the plain batches
    Batches small = makeSharedPromptBatches(todo, 99 + 2 * 15, 8, 16, plainBatches);
    int groupBatches = 0;
    for (const auto& x : small) if (x.size() > 1) { ++groupBatches; CHECK(x.size() == 2); }
    CHECK(groupBatches == 2);
    CHECK(plain.size() == 4);
    // the same samples in another order give the same batches
    std::vector<const PreparedSample*> rev(todo.rbegin(), todo.rend());
    Batches again = makeSharedPromptBatches(rev, 200, 8, 16, plainBatches);
    REQUIRE(again.size() == b.size());
    for (std::size_t i = 0; i < b.size(); ++i) CHECK(again[i].size() == b[i].size());
}
