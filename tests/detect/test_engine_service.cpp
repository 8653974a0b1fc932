// EngineService: the model loaded once answers any head's token-level attention for a sample.
#include "core/detect/engine_service.h"
#include "core/util/error.h"
#include "tests/test_support.h"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cmath>
#include <numeric>

using namespace hs;

namespace {
std::string demoModel()
{
    const std::string p = test::sourceDir() + "/resources/demo/model";
    struct stat st {};
    return ::stat((p + "/model.safetensors").c_str(), &st) == 0 ? p : std::string();
}

data::Sample sample()
{
    data::Sample s;
    s.id = "engine-1";
    s.prompt = "The bridge opened in 1932 and is 503 metres long. How long is the bridge?";
    s.response = "The bridge is 503 metres long and opened in 1932.";
    return s;
}
} // namespace

TEST_CASE("engine service: one model load answers several heads at token resolution")
{
    const std::string dir = demoModel();
    if (dir.empty()) {
        test::skipMessage("resources/demo/model is absent");
        return;
    }
    const int loadsBefore = detect::EngineService::modelLoads();
    detect::EngineService engine({dir});
    CHECK(detect::EngineService::modelLoads() == loadsBefore + 1);
    REQUIRE(engine.numLayers() > 1);
    REQUIRE(engine.numHeads() > 1);

    const data::Sample s = sample();
    const detect::TokenAttention a = engine.attention(s, 0, 0);
    const detect::TokenAttention b = engine.attention(s, int(engine.numLayers()) - 1, int(engine.numHeads()) - 1);
    CHECK(detect::EngineService::modelLoads() == loadsBefore + 1); // no reload per request

    REQUIRE(a.rows() > 5);
    REQUIRE(a.cols() > 10);
    CHECK(a.rows() == a.totalRows);
    CHECK(a.values.size() == std::size_t(a.rows()) * a.cols());
    // The rows are the response, token by token; the columns end with the prompt's text.
    const std::string response = std::accumulate(a.rowTokens.begin(), a.rowTokens.end(), std::string());
    CHECK(response.find("503 metres long") != std::string::npos);
    const std::string prompt = std::accumulate(a.colTokens.begin(), a.colTokens.end(), std::string());
    CHECK(prompt.find("How long is the bridge?") != std::string::npos);
    // Probabilities normalised over every visible key: each row's prompt share lies in (0, 1].
    for (int r = 0; r < a.rows(); ++r) {
        const double sum = std::accumulate(a.values.begin() + r * a.cols(), a.values.begin() + (r + 1) * a.cols(), 0.0);
        CHECK(sum > 0);
        CHECK(sum <= 1 + 1e-5);
    }
    CHECK(a.values != b.values); // another head, another pattern
    CHECK(a.rowTokens == b.rowTokens);

    // The same request again gives the same numbers (no state kept between requests).
    CHECK(engine.attention(s, 0, 0).values == a.values);
    // The row cap keeps the first rows and says how many there were.
    const detect::TokenAttention capped = engine.attention(s, 0, 0, 3);
    CHECK(capped.rows() == 3);
    CHECK(capped.totalRows == a.rows());
    // (the same rows; a smaller capture may sum in another order, hence the tolerance)
    for (std::size_t i = 0; i < capped.values.size(); ++i)
        CHECK(std::abs(capped.values[i] - a.values[i]) < 1e-5f);

    CHECK_THROWS_AS(engine.attention(s, int(engine.numLayers()), 0), InputError);
    CHECK_THROWS_AS(engine.attention(s, 0, -1), InputError);
}
