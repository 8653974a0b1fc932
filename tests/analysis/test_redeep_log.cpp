// Reader errors: malformed logs are InputErrors naming the file and what is wrong.
#include "core/analysis/redeep_log.h"
#include "core/analysis/response_scores.h"
#include "core/util/error.h"

#include <doctest/doctest.h>

using namespace hs::analysis;

namespace {

std::string chunk(const std::string& ecs, const std::string& pks, const std::string& label)
{
    return "{\"prompt_attention_score\": {" + ecs + "}, \"parameter_knowledge_scores\": {" + pks +
           "}, \"hallucination_label\": " + label + ", \"r_span\": [10, 14]}";
}

void expectError(const std::string& text, const std::string& needle)
{
    try {
        parseRedeepLog(text, "log.json");
        FAIL("no error for: " << text);
    } catch (const hs::InputError& e) {
        std::string msg = e.what();
        INFO(msg);
        CHECK(msg.find("log.json") != std::string::npos);
        CHECK(msg.find(needle) != std::string::npos);
    }
}

} // namespace

TEST_CASE("a small log parses with column order, labels and spans")
{
    std::string text = "[{\"id\": \"a\", \"scores\": [" + chunk("\"(2, 1)\": 0.5, \"(1, 3)\": 0.25", "\"layer_1\": 2, \"layer_0\": 1", "0") +
                        ", " + chunk("\"(1, 3)\": 0.75, \"(2, 1)\": 0.125", "\"layer_0\": 3, \"layer_1\": 4", "1") +
                        "]}, {\"id\": 7, \"scores\": []}, {\"id\": \"b\", \"scores\": [" +
                        chunk("\"(2, 1)\": 1, \"(1, 3)\": 0", "\"layer_1\": 0, \"layer_0\": 0", "false") + "]}]";
    FeatureTable t = parseRedeepLog(text, "log.json");
    CHECK(t.ecsNames == std::vector<std::string>{"(2, 1)", "(1, 3)"});
    CHECK(t.pksNames == std::vector<std::string>{"layer_1", "layer_0"});
    CHECK(t.responseIds == std::vector<std::string>{"a", "b"}); // the empty response is skipped
    CHECK(t.responseLabels == std::vector<int>{1, 0});
    CHECK(t.rows() == 3);
    CHECK(t.ecsAt(1, 0) == 0.125); // keys are matched by name, not by position
    CHECK(t.ecsAt(1, 1) == 0.75);
    CHECK(t.pksAt(1, 1) == 3);
    CHECK(t.rowTokens(0) == 4);
    ResponseScores mean = aggregateToResponses(t, {1, 3, 5}, Aggregation::Mean);
    CHECK(mean.score == std::vector<double>{2, 5});
    ResponseScores mx = aggregateToResponses(t, {1, 3, 5}, Aggregation::Max);
    CHECK(mx.score == std::vector<double>{3, 5});
    ResponseScores nor = aggregateToResponses(t, {0.5, 0.5, 0.25}, Aggregation::NoisyOr);
    CHECK(nor.score[0] == doctest::Approx(0.75));
}

TEST_CASE("malformed logs name the file and the problem")
{
    expectError("{", "not valid JSON");
    expectError("{}", "list of responses");
    expectError("[{\"id\": 1}]", "no 'scores'");
    expectError("[{\"scores\": [{\"parameter_knowledge_scores\": {\"layer_0\": 1}, \"hallucination_label\": 0}]}]",
                "prompt_attention_score");
    expectError("[{\"scores\": [" + chunk("\"(1, 1)\": \"x\"", "\"layer_0\": 1", "0") + "]}]", "not a number");
    expectError("[{\"scores\": [" + chunk("\"(1, 1)\": 1", "\"layer_0\": 1", "2") + "]}]", "hallucination_label");
    expectError("[{\"scores\": [" + chunk("\"(1, 1)\": 1", "\"layer_0\": 1", "0") + ", " +
                    chunk("\"(1, 2)\": 1", "\"layer_0\": 1", "0") + "]}]",
                "unexpected key");
    expectError("[{\"scores\": [" + chunk("\"(1, 1)\": 1", "\"layer_0\": 1", "0") + ", " +
                    chunk("\"(1, 1)\": 1, \"(1, 2)\": 1", "\"layer_0\": 1", "0") + "]}]",
                "expected 1");
    expectError("[]", "no scored entries");
    CHECK_THROWS_AS(loadRedeepLog("/nonexistent/log.json"), hs::InputError);
}
