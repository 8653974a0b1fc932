// The run planner's arithmetic (placement, weights per device, token budget under the cap, lens group
// size, predicted peak) and its refusals, on CPU: no GPU is needed to plan for one.
#include "core/hw/planner.h"
#include "core/model/layer_split.h"
#include "core/model/llama_internal.h"
#include "core/util/error.h"
#include "tests/hw/hw_test_util.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace hs::hw;
using hs::model::QuantOptions;
using hs::model::WeightFormat;

namespace {

using hs::hwtest::llama2_7b;

hs::model::ModelConfig tiny()
{
    return hs::model::ModelConfig::fromJsonText(
        R"({"model_type":"llama","hidden_size":64,"intermediate_size":128,"num_attention_heads":4,
            "num_key_value_heads":2,"num_hidden_layers":2,"vocab_size":100,"max_position_embeddings":64})", "tiny");
}

PlanRequest request(const hs::model::ModelConfig& c, const std::string& profile, int gpus,
                    WeightFormat f = WeightFormat::Dense)
{
    PlanRequest r;
    r.config = c;
    r.profile = profileByName(profile);
    r.quant.format = f;
    r.gpusPresent = gpus;
    r.capturedHeads = 32;  // a copy-head selection, as real runs use
    return r;
}

QuantOptions formatOf(const PlanRequest& r) { return r.quant; }

} // namespace

TEST_CASE("a single device holds exactly the weights the loader keeps, in every format")
{
    const auto c = llama2_7b();
    for (WeightFormat f : {WeightFormat::Dense, WeightFormat::Int8, WeightFormat::NF4, WeightFormat::FP8}) {
        PlanRequest r = request(c, "h200", 1, f);
        const RunPlan p = planRun(r);
        REQUIRE(p.devices.size() == 1);
        CHECK(p.devices[0].device == "cuda:0");
        CHECK(p.placement == "single");
        CHECK(p.devices[0].weightBytes == hs::model::storedWeightBytes(c, "bf16", formatOf(r)));
        CHECK(p.devices[0].firstLayer == 0);
        CHECK(p.devices[0].endLayer == 32);
        CHECK(p.format == hs::model::weightFormatName(f));
    }
}

TEST_CASE("predicted peak: the documented arithmetic, term by term, on a tiny model")
{
    // D 64, I 128, H 4, KV 2, hd 16, 2 layers, V 100; f32 on the CPU (no fused attention kernel).
    PlanRequest r = request(tiny(), "cpu", 0);
    r.sequences = {{10, 4, 6}, {8, 2, 5}};  // tokens, captured rows, prompt columns
    r.capturedHeads = 3;
    r.knowledgeLayers = 2;
    const RunPlan p = planRun(r);
    REQUIRE(p.devices.size() == 1);
    const DevicePlan& d = p.devices[0];
    CHECK(p.tokenBudget == 2048);  // the cpu profile's: host memory is not capped
    CHECK(p.longestSequence == 10);
    CHECK(d.capBytes == 0);
    // per token: attention (2·64 + 3·(4+4)·16 + 2·64)·4 = 2560, plus scores and probabilities 2·4·10·4 = 320;
    // MLP (3·64 + 4·128)·4 = 2816; the larger, 2880, times 2048 tokens
    CHECK(d.activationBytes == 2048ull * 2880);
    // captures: 0.4 rows a token (the worst sample) · (2 layers · 2 · 64 · 4 + 3 heads · 6 cols · 4) + final norm 2048·64·4
    CHECK(d.captureBytes == static_cast<std::uint64_t>(0.4 * 2048 * (2 * 2 * 64 * 4 + 3 * 6 * 4) + 2048 * 64 * 4));
    // lens: min(8M, 100 vocabulary rows · 10 positions) elements · 4 bytes · 12 temporaries
    CHECK(d.lensBytes == 1000ull * 4 * 12);
    CHECK(d.peakBytes == d.weightBytes + d.captureBytes + d.activationBytes);
    CHECK(d.weightBytes == hs::model::storedWeightBytes(tiny(), "f32", {}));

    // one actual batch: padded to 10 tokens x 2; each sequence's own rows and columns
    // activation 20 · 2880; captures 6 rows · 2 · 2 · 64 · 4 + (4·6 + 2·5) · 3 heads · 4 + 18 tokens · 64 · 4
    CHECK(predictBatchPeak(r, d, r.sequences) == d.weightBytes + 6144 + 408 + 4608 + 20 * 2880);
}

TEST_CASE("the budget is lowered until the prediction stays under the cap")
{
    PlanRequest r = request(llama2_7b(), "h200", 1);
    r.profile = resolveProfile({"custom", 1, 20}, {});
    const RunPlan p = planRun(r);
    const DevicePlan& d = p.devices[0];
    CHECK(p.budgetCappedByMemory);
    CHECK(p.tokenBudget < r.profile.tokenBudget);
    const auto usable = static_cast<std::uint64_t>(static_cast<double>(d.capBytes) * 0.92);
    CHECK(d.peakBytes <= usable);
    CHECK(predictPeak(r, d, p.tokenBudget + 1, p.longestSequence) > usable);  // the largest that fits

    // an explicit budget is kept even over the cap (the out-of-memory back-off guards that run)
    r.tokenBudget = 16384;
    const RunPlan forced = planRun(r);
    CHECK(forced.tokenBudget == 16384);
    CHECK_FALSE(forced.budgetCappedByMemory);
    CHECK(forced.devices[0].peakBytes > usable);

    // an H200 keeps the profile's budget
    const RunPlan h = planRun(request(llama2_7b(), "h200", 1));
    CHECK_FALSE(h.budgetCappedByMemory);
    CHECK(h.tokenBudget == profileByName("h200").tokenBudget);
    CHECK(h.devices[0].peakBytes < h.devices[0].capBytes);
}

TEST_CASE("a cap smaller than the weights, missing GPUs and unknown devices are input errors")
{
    const auto c = llama2_7b();
    PlanRequest small = request(c, "h200", 1, WeightFormat::Dense);
    small.profile = resolveProfile({"custom", 1, 12}, {});
    CHECK_THROWS_WITH_AS(planRun(small), doctest::Contains("the weights need"), DoesNotFit);
    // f16 weights squeeze under a T4's cap, but not one longest sequence with them
    CHECK_FALSE(planRun(request(c, "t4", 1, WeightFormat::Dense)).longestFits);
    CHECK(planRun(request(c, "t4", 1, WeightFormat::NF4)).longestFits);
    CHECK_THROWS_WITH_AS(planRun(request(c, "2xt4", 1, WeightFormat::NF4)), doctest::Contains("needs 2 CUDA GPU(s)"),
                         hs::InputError);
    CHECK_THROWS_WITH_AS(planRun(request(c, "h200", 0)), doctest::Contains("none"), hs::InputError);
    PlanRequest r = request(c, "cpu", 1);
    r.devices = {"cuda:1"};
    CHECK_THROWS_WITH_AS(planRun(r), doctest::Contains("only 1 GPU"), hs::InputError);
    r.devices = {"gpu0"};
    CHECK_THROWS_WITH_AS(planRun(r), doctest::Contains("unknown device"), hs::InputError);
    CHECK_THROWS_WITH_AS(parseDeviceList("cpu,cuda:0", 1), doctest::Contains("mixes"), hs::InputError);
    r.devices = {"cpu", "cpu"};
    r.placement = "single";
    CHECK_THROWS_WITH_AS(planRun(r), doctest::Contains("replica"), hs::InputError);
    r.placement = "diagonal";
    CHECK_THROWS_WITH_AS(planRun(r), doctest::Contains("unknown placement"), hs::InputError);
}

TEST_CASE("replicas hold a whole model each; a split divides the layers as the loader does")
{
    PlanRequest r = request(llama2_7b(), "cpu", 0);
    r.devices = {"cpu", "cpu"};
    const RunPlan rep = planRun(r);
    CHECK(rep.placement == "replica");
    CHECK(rep.replicas == 2);
    CHECK(rep.loadDevices() == std::vector<std::string>{"cpu", "cpu"});
    CHECK(rep.devices[0].weightBytes == rep.devices[1].weightBytes);

    const RunPlan t4s = planRun(request(llama2_7b(), "2xt4", 2, WeightFormat::NF4));
    CHECK(t4s.placement == "split");
    CHECK(t4s.replicas == 1);
    REQUIRE(t4s.devices.size() == 2);
    CHECK(t4s.loadDevices() == std::vector<std::string>{"cuda:0,cuda:1"});
    CHECK(t4s.devices[0].firstLayer == 0);
    CHECK(t4s.devices[0].endLayer == 16);
    CHECK(t4s.devices[1].firstLayer == 16);
    CHECK(t4s.devices[1].endLayer == 32);
    CHECK(t4s.devices[0].embedding);
    CHECK_FALSE(t4s.devices[0].head);
    CHECK(t4s.devices[1].head);
    QuantOptions nf4;
    nf4.format = WeightFormat::NF4;
    const std::uint64_t whole = hs::model::storedWeightBytes(llama2_7b(), "f16", nf4);
    CHECK(t4s.devices[0].weightBytes + t4s.devices[1].weightBytes == whole);  // untied: nothing held twice
    CHECK(t4s.devices[0].weightBytes < whole);

    // two replicas on one GPU share its cap: room for the profile's batches once, not twice; a 24 GB card
    // holds the weights once, not twice
    PlanRequest twice = request(llama2_7b(), "h200", 1);
    twice.profile = resolveProfile({"custom", 1, 60}, {});
    CHECK_FALSE(planRun(twice).budgetCappedByMemory);
    twice.devices = {"cuda:0", "cuda:0"};
    const RunPlan both = planRun(twice);
    CHECK(both.replicas == 2);
    CHECK(both.budgetCappedByMemory);
    twice.profile = resolveProfile({"custom", 1, 24}, {});
    CHECK_THROWS_AS(planRun(twice), DoesNotFit);
    twice.devices = {"cuda:0"};
    CHECK_NOTHROW(planRun(twice));

    // the planner's layer ranges are the loader's
    for (std::int64_t layers : {2, 5, 32, 80})
        for (std::size_t n : {1, 2, 3, 4}) {
            std::vector<at::Device> devs(n, at::Device(at::kCPU));
            CHECK(hs::model::layerSlots(layers, n) == hs::model::detail::makePlacement(devs, layers).layerSlot);
        }
}

TEST_CASE("logit-lens group size and vocabulary slice follow the device and its memory")
{
    CHECK(planRun(request(llama2_7b(), "h200", 1)).lensElements == (64L << 20));
    CHECK(planRun(request(llama2_7b(), "rtx4090", 1, WeightFormat::Int8)).lensElements == (8L << 20));
    CHECK(planRun(request(llama2_7b(), "t4", 1, WeightFormat::NF4)).lensElements == (4L << 20));
    const RunPlan cpu = planRun(request(llama2_7b(), "cpu", 0));
    CHECK(cpu.lensElements == (8L << 20));
    CHECK(cpu.vocabSlice == 8192);
    CHECK(cpu.maxBatch == 4);
}

TEST_CASE("chooseFormat: the least lossy format that fits")
{
    CHECK(chooseFormat(request(llama2_7b(), "h200", 1)) == "none");
    CHECK(chooseFormat(request(llama2_7b(), "t4", 1)) == "int8");
    PlanRequest r = request(llama2_7b(), "h200", 1);
    r.profile = resolveProfile({"custom", 1, 2}, {});
    CHECK(chooseFormat(r) == "");
}

TEST_CASE("the plan as JSON and as one line")
{
    const RunPlan p = planRun(request(llama2_7b(), "2xt4", 2, WeightFormat::NF4));
    const auto j = nlohmann::json::parse(planJson(p));
    CHECK(j["placement"] == "split");
    CHECK(j["format"] == "nf4");
    CHECK(j["dtype"] == "f16");
    CHECK(j["devices"].size() == 2);
    CHECK(j["devices"][1]["layers"][0] == 16);
    CHECK(j["devices"][0]["predicted_peak_bytes"].get<std::uint64_t>() == p.devices[0].peakBytes);
    const std::string line = planSummary(p);
    CHECK(line.find("split on cuda:0 (layers 0-15), cuda:1 (layers 16-31)") != std::string::npos);
    CHECK(line.find("nf4") != std::string::npos);
}
