// Non-finite features: the AUC routines used to loop forever on NaN (the tie walk never advanced);
// now every metric refuses them, and the readers name the response and column.
#include "core/analysis/feature_table.h"
#include "core/analysis/metrics.h"
#include "core/analysis/redeep_log.h"
#include "core/util/error.h"

#include <doctest/doctest.h>

#include <limits>

using namespace hs::analysis;

TEST_CASE("AUC refuses NaN and infinite scores instead of looping")
{
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    const std::vector<int> y{0, 1, 0, 1};
    CHECK_THROWS_WITH_AS(rocAucFast({0.1, nan, 0.3, 0.4}, y), doctest::Contains("score 1 of 4"), hs::InputError);
    CHECK_THROWS_AS(rocAucFast({nan, nan, nan, nan}, y), hs::InputError);
    CHECK_THROWS_AS(rocAuc({0.1, 0.2, inf, 0.4}, y), hs::InputError);
    CHECK_THROWS_AS(rocAuc({0.1, 0.2, -inf, 0.4}, y), hs::InputError);
    CHECK(rocAucFast({0.1, 0.2, 0.3, 0.4}, y) == doctest::Approx(0.75));
}

TEST_CASE("a feature log: non-finite values, deep nesting and 64-bit spans are refused by name")
{
    auto log = [](const std::string& pks, const std::string& id, const std::string& span) {
        return "[{\"id\": " + id + ", \"scores\": [{\"prompt_attention_score\": {\"(0, 0)\": 0.5}, "
               "\"parameter_knowledge_scores\": {\"layer_7\": " + pks + "}, \"hallucination_label\": 1, "
               "\"r_span\": " + span + "}]}]";
    };
    CHECK_NOTHROW(parseRedeepLog(log("0.25", "\"a\"", "[3, 9]"), "ok.json"));
    CHECK_THROWS_WITH_AS(parseRedeepLog(log("-1.7e308", "\"a\"", "[3, 9]"), "huge.json"),
                         doctest::Contains("response 'a' (row 0), column 'layer_7'"), hs::InputError);
    CHECK_THROWS_WITH_AS(parseRedeepLog(log("-1e999", "\"a\"", "[3, 9]"), "inf.json"),
                         doctest::Contains("inf.json: not valid JSON"), hs::InputError);
    const std::string deepId = std::string(50000, '[') + std::string(50000, ']');
    CHECK_THROWS_WITH_AS(parseRedeepLog(log("0.25", deepId, "[3, 9]"), "deep.json"),
                         doctest::Contains("deep.json: JSON nested deeper than"), hs::InputError);
    CHECK_THROWS_WITH_AS(parseRedeepLog(log("0.25", "\"a\"", "[4294967297, 4294967300]"), "span.json"),
                         doctest::Contains("r_span: integer out of range"), hs::InputError);
}
