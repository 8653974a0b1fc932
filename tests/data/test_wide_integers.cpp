// Span offsets beyond 32 bits used to wrap (2^32+1 became 1) and label a wrong span; now the record is
// skipped with a warning that names the line.
#include "core/data/dataset_reader.h"
#include "core/util/error.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

TEST_CASE("a label span offset of 2^32+1 skips the record with a warning")
{
    const std::string dir = "/tmp/hs_wide_" + std::to_string(::getpid());
    REQUIRE(std::system(("mkdir -p " + dir).c_str()) == 0);
    std::ofstream(dir + "/source_info.jsonl")
        << R"({"source_id": "s1", "task_type": "QA", "source": "MARCO", "source_info": {"question": "q", "passages": "p"}, "prompt": "Answer?"})" "\n";
    std::ofstream(dir + "/response.jsonl")
        << R"({"id": "1", "source_id": "s1", "model": "m", "labels": [{"start": 4294967297, "end": 4294967299}], "split": "test", "response": "The cafe is open."})" "\n"
        << R"({"id": "2", "source_id": "s1", "model": "m", "labels": [{"start": 1, "end": 3}], "split": "test", "response": "The cafe is open."})" "\n";
    hs::data::LoadReport report;
    const auto samples = hs::data::loadDataset(dir, {}, report);
    REQUIRE(samples.size() == 1);
    CHECK(samples[0].id == "2");
    CHECK(report.skipped == 1);
    REQUIRE(!report.warnings.empty());
    CHECK(report.warnings[0].find("response.jsonl:1") != std::string::npos);
    CHECK(report.warnings[0].find("32-bit") != std::string::npos);
    std::system(("rm -rf " + dir).c_str());
}
