// The safetensors reader refuses every kind of corrupt file with a message naming file and tensor.
#include "core/model/safetensors.h"
#include "core/util/error.h"
#include "tests/model/model_test_util.h"

#include <doctest/doctest.h>

using hs::model::parseSafetensorsHeader;
using hs::test::safetensorsBytes;

namespace {

std::string parseError(const std::string& bytes, const std::string& file = "x.safetensors")
{
    try {
        parseSafetensorsHeader(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), file);
    } catch (const hs::InputError& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

const std::string kData(24, '\1');

} // namespace

TEST_CASE("a valid header parses, sorted by offset, with metadata")
{
    std::string h = R"({"b":{"dtype":"BF16","shape":[2,2],"data_offsets":[16,24]},)"
                    R"("__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})";
    std::string bytes = safetensorsBytes(h, kData);
    auto hdr = parseSafetensorsHeader(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "f");
    REQUIRE(hdr.tensors.size() == 2);
    CHECK(hdr.tensors[0].name == "a");
    CHECK(hdr.tensors[1].dtype == hs::model::DType::BF16);
    CHECK(hdr.tensors[1].shape == std::vector<std::int64_t>{2, 2});
    CHECK(hdr.metadata.at("format") == "pt");
    CHECK(hdr.dataOffset == 8 + h.size());
    CHECK(hdr.dataSize == 24);
    CHECK(hdr.find("b") != nullptr);
    CHECK(hdr.find("zz") == nullptr);
}

TEST_CASE("scalars and empty tensors are accepted")
{
    std::string h = R"({"s":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"e":{"dtype":"F16","shape":[0,3],"data_offsets":[8,8]}})";
    CHECK(parseError(safetensorsBytes(h, std::string(8, '\0'))) == "");
}

TEST_CASE("truncated files are refused")
{
    CHECK(contains(parseError("abc", "short.safetensors"), "short.safetensors"));
    CHECK(contains(parseError("abc"), "truncated"));
    std::string full = safetensorsBytes(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", std::string(16, '\0'));
    // header cut short
    CHECK(contains(parseError(full.substr(0, 20)), "truncated"));
    // data section cut short: names the tensor
    std::string e = parseError(full.substr(0, full.size() - 4));
    CHECK(contains(e, "'a'"));
    CHECK(contains(e, "run past the data section"));
}

TEST_CASE("absurd header lengths are refused before allocating")
{
    std::string bytes(16, '\0');
    bytes[7] = 0x7f;  // ~9e18
    CHECK(contains(parseError(bytes), "100 MB"));
    std::string zero(16, '\0');
    CHECK(contains(parseError(zero), "header length is 0"));
}

TEST_CASE("bad header JSON is refused")
{
    CHECK(contains(parseError(safetensorsBytes("{\"a\": {", kData)), "not valid JSON"));
    CHECK(contains(parseError(safetensorsBytes("[1,2]", kData)), "does not start with '{'"));
    CHECK(contains(parseError(safetensorsBytes(R"({"a": 3})", kData)), "not an object"));
    std::string deep = "{\"a\":" + std::string(50, '[') + std::string(50, ']') + "}";
    CHECK(contains(parseError(safetensorsBytes(deep, kData)), "nested deeper than"));
    CHECK(contains(parseError(safetensorsBytes(R"({"__metadata__":{"k":1}})", kData)), "__metadata__"));
}

TEST_CASE("unknown dtypes are refused, naming the tensor")
{
    std::string e = parseError(safetensorsBytes(R"({"w":{"dtype":"F17","shape":[1],"data_offsets":[0,4]}})", kData));
    CHECK(contains(e, "'w'"));
    CHECK(contains(e, "unknown dtype 'F17'"));
}

TEST_CASE("shape × dtype size must equal the byte length")
{
    std::string e = parseError(safetensorsBytes(R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}})", kData));
    CHECK(contains(e, "'w'"));
    CHECK(contains(e, "needs 16 bytes but data_offsets span 12"));
    e = parseError(safetensorsBytes(
        R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}})", kData));
    CHECK(contains(e, "overflows"));
    e = parseError(safetensorsBytes(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", kData));
    CHECK(contains(e, "non-negative integer"));
    e = parseError(safetensorsBytes(R"({"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", kData));
    CHECK(contains(e, "non-negative integer"));
}

TEST_CASE("out-of-range and backwards offsets are refused")
{
    std::string e = parseError(safetensorsBytes(R"({"w":{"dtype":"F32","shape":[8],"data_offsets":[0,32]}})", kData));
    CHECK(contains(e, "'w'"));
    CHECK(contains(e, "run past the data section"));
    e = parseError(safetensorsBytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})", kData));
    CHECK(contains(e, "backwards"));
    e = parseError(safetensorsBytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", kData));
    CHECK(contains(e, "data_offsets"));
}

TEST_CASE("overlapping tensors are refused")
{
    std::string e = parseError(safetensorsBytes(
        R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
        kData));
    CHECK(contains(e, "overlap"));
    CHECK(contains(e, "'a'"));
    CHECK(contains(e, "'b'"));
}

TEST_CASE("SafetensorsFile maps a file and reports the path in errors")
{
    hs::test::TempDir dir;
    std::map<std::string, at::Tensor> t{{"x", at::arange(6, at::kFloat).reshape({2, 3})}};
    hs::test::writeSafetensors(dir.file("ok.safetensors"), t);
    hs::model::SafetensorsFile f(dir.file("ok.safetensors"));
    const auto* info = f.header().find("x");
    REQUIRE(info != nullptr);
    const float* p = reinterpret_cast<const float*>(f.bytes(*info));
    CHECK(p[5] == 5.0f);

    std::string bytes = hs::test::readBytes(dir.file("ok.safetensors"));
    hs::test::writeBytes(dir.file("cut.safetensors"), bytes.substr(0, bytes.size() - 3));
    try {
        hs::model::SafetensorsFile bad(dir.file("cut.safetensors"));
        FAIL("expected an error");
    } catch (const hs::InputError& e) {
        CHECK(contains(e.what(), "cut.safetensors"));
        CHECK(contains(e.what(), "'x'"));
    }
    hs::test::writeBytes(dir.file("empty.safetensors"), "");
    CHECK_THROWS_AS(hs::model::SafetensorsFile(dir.file("empty.safetensors")), hs::InputError);
    CHECK_THROWS_AS(hs::model::SafetensorsFile(dir.file("absent.safetensors")), hs::InputError);
}

TEST_CASE("pickle checkpoints are refused with a conversion hint")
{
    hs::test::TempDir dir;
    hs::test::writeBytes(dir.file("config.json"), "{}");
    hs::test::writeBytes(dir.file("pytorch_model.bin"), "PK\x03\x04 not really a pickle");
    for (const std::string& path : {dir.path, dir.file("pytorch_model.bin")}) {
        try {
            hs::model::WeightFiles w(path);
            FAIL("expected an error");
        } catch (const hs::InputError& e) {
            CHECK(contains(e.what(), "pytorch_model.bin"));
            CHECK(contains(e.what(), "safetensors"));
            CHECK(contains(e.what(), "never unpickles"));
        }
    }
    CHECK_THROWS_AS(hs::model::refusePickleCheckpoint("x/consolidated.00.pth"), hs::InputError);
    CHECK_NOTHROW(hs::model::refusePickleCheckpoint("x/model.safetensors"));
}

TEST_CASE("sharded folders: index, missing shard, wrong shard, path traversal")
{
    hs::test::TempDir dir;
    hs::test::writeSafetensors(dir.file("model-00001-of-00002.safetensors"), {{"a", at::ones({2}, at::kFloat)}});
    hs::test::writeSafetensors(dir.file("model-00002-of-00002.safetensors"), {{"b", at::zeros({3}, at::kFloat)}});
    const std::string index = dir.file("model.safetensors.index.json");
    hs::test::writeBytes(index, R"({"metadata":{},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}})");
    hs::model::WeightFiles w(dir.path);
    CHECK(w.sharded());
    CHECK(w.files().size() == 2);
    REQUIRE(w.find("b") != nullptr);
    CHECK(w.find("b")->info->shape == std::vector<std::int64_t>{3});

    hs::test::writeBytes(index, R"({"weight_map":{"a":"model-00002-of-00002.safetensors"}})");
    CHECK_THROWS_WITH_AS(hs::model::WeightFiles(dir.path), doctest::Contains("does not contain it"), hs::InputError);
    hs::test::writeBytes(index, R"({"weight_map":{"a":"model-00009-of-00009.safetensors"}})");
    CHECK_THROWS_WITH_AS(hs::model::WeightFiles(dir.path), doctest::Contains("is missing"), hs::InputError);
    hs::test::writeBytes(index, R"({"weight_map":{"a":"../../etc/passwd.safetensors"}})");
    CHECK_THROWS_WITH_AS(hs::model::WeightFiles(dir.path), doctest::Contains("plain"), hs::InputError);
    hs::test::writeBytes(index, R"({"weight_map":)");
    CHECK_THROWS_WITH_AS(hs::model::WeightFiles(dir.path), doctest::Contains("not valid JSON"), hs::InputError);
}
