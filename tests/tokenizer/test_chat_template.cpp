// Chat templates: the exact strings of SPEC 1.2, the reference (two BOS) and clean (one BOS) forms, and the golden
// renderings from transformers' apply_chat_template (tests/fixtures/tokenizer/golden/chat.json) when present.
#include "core/tokenizer/chat_template.h"
#include "tests/tokenizer/tokenizer_test_util.h"

#include <doctest/doctest.h>

using namespace hs::tok;
using Json = nlohmann::json;

TEST_CASE("llama-2 template text is ReDeEP's")
{
    const ChatText c = applyChatTemplate(ChatFormat::Llama2, "You are a helpful assistant.", "Summarize:\nabc \n ", true);
    CHECK(c.text == "<s>[INST] <<SYS>>\nYou are a helpful assistant.\n<</SYS>>\n\nSummarize:\nabc [/INST]");
    CHECK(c.text.substr(c.userBegin, c.userEnd - c.userBegin) == "Summarize:\nabc");
    CHECK(c.addSpecialTokens);
    const ChatText clean = applyChatTemplate(ChatFormat::Llama2, "You are a helpful assistant.", "Summarize:\nabc \n ", false);
    CHECK(clean.text == c.text.substr(3));
    CHECK(clean.text.substr(clean.userBegin, clean.userEnd - clean.userBegin) == "Summarize:\nabc");
    CHECK(clean.addSpecialTokens);
}

TEST_CASE("llama-3 and mistral template texts")
{
    const ChatText l3 = applyChatTemplate(ChatFormat::Llama3, "sys ", " hi\n", true);
    CHECK(l3.text == "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nsys<|eot_id|>"
                     "<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>"
                     "<|start_header_id|>assistant<|end_header_id|>\n\n");
    CHECK(l3.text.substr(l3.userBegin, l3.userEnd - l3.userBegin) == "hi");
    const ChatText m = applyChatTemplate(ChatFormat::Mistral, "sys", "hi ", false);
    CHECK(m.text == "[INST] sys\n\nhi [/INST]");
    CHECK(m.text.substr(m.userBegin, m.userEnd - m.userBegin) == "hi ");
}

TEST_CASE("format detection")
{
    CHECK(chatFormatFor(R"({"model_type": "llama", "vocab_size": 32000})") == ChatFormat::Llama2);
    CHECK(chatFormatFor(R"({"model_type": "llama", "vocab_size": 128256})") == ChatFormat::Llama3);
    CHECK(chatFormatFor(R"({"model_type": "mistral"})") == ChatFormat::Mistral);
    CHECK(chatFormatFor("{}") == ChatFormat::None);
    CHECK(chatFormatFor(R"({"model_type": "llama", "vocab_size": 1024})") == ChatFormat::None); // tiny test models
    CHECK(chatFormatFor(hs::test::sourceDir() + "/tests/fixtures/tokenizer/tiny-bytelevel-gpt2") == ChatFormat::None);
    if (hs::isDirectory(hs::test::sourceDir() + "/resources/demo/model"))
        CHECK(chatFormatFor(hs::test::sourceDir() + "/resources/demo/model") == ChatFormat::None);
    HS_REQUIRE_SHARED(models, "data/models");
    CHECK(chatFormatFor(models + "/mistral-7b-instruct-v0.3") == ChatFormat::Mistral);
    CHECK(chatFormatFor(models + "/llama2-tokenizer") == ChatFormat::Llama2);
    CHECK(chatFormatFor(models + "/llama3-tokenizer") == ChatFormat::Llama3);
}

TEST_CASE("reference form has two BOS, clean form one")
{
    HS_REQUIRE_SHARED(models, "data/models");
    struct Case { ChatFormat f; const char* dir; int bos; bool sameTail; };
    // huggyllama's Llama-2 file matches "<s>" as "▁<s>", so "[INST]" after a literal <s> tokenizes differently.
    for (const Case& k : {Case{ChatFormat::Llama2, "llama2-tokenizer", 1, false},
                          Case{ChatFormat::Mistral, "mistral-7b-instruct-v0.3", 1, true},
                          Case{ChatFormat::Llama3, "llama3-tokenizer", 128000, true}}) {
        CAPTURE(chatFormatName(k.f));
        const Tokenizer tok = Tokenizer::fromDir(models + "/" + k.dir);
        const ChatText ref = applyChatTemplate(k.f, "You are a helpful assistant.", "What is 2+2?", true);
        const ChatText clean = applyChatTemplate(k.f, "You are a helpful assistant.", "What is 2+2?", false);
        CHECK(ref.text.substr(ref.userBegin, ref.userEnd - ref.userBegin) ==
              clean.text.substr(clean.userBegin, clean.userEnd - clean.userBegin));
        const auto a = tok.encode(ref.text, ref.addSpecialTokens).ids;
        const auto b = tok.encode(clean.text, clean.addSpecialTokens).ids;
        REQUIRE(a.size() > 2);
        REQUIRE(b.size() > 2);
        CHECK(a[0] == k.bos);
        CHECK(a[1] == k.bos);
        CHECK(b[0] == k.bos);
        CHECK(b[1] != k.bos);
        if (k.sameTail) CHECK(std::vector<int>(a.begin() + 1, a.end()) == b);
        else CHECK(std::vector<int>(b.begin(), b.begin() + 4) == std::vector<int>{1, 518, 25580, 29962});
    }
}

TEST_CASE("golden: chat templates match transformers")
{
    const std::string path = hs::test::fixturePath("golden/chat.json");
    if (!hs::fileExists(path)) {
        hs::test::skipMessage(path + " is absent (run tools/golden/make_tokenizer_golden.py)");
        return;
    }
    HS_REQUIRE_SHARED(models, "data/models");
    const Json golden = Json::parse(hs::readTextFile(path));
    const std::map<std::string, std::pair<ChatFormat, std::string>> formats = {
        {"llama2", {ChatFormat::Llama2, "llama2-tokenizer"}},
        {"mistral", {ChatFormat::Mistral, "mistral-7b-instruct-v0.3"}},
        {"llama3", {ChatFormat::Llama3, "llama3-tokenizer"}}};
    const std::string system = golden["system"].get<std::string>();
    int compared = 0;
    for (const Json& c : golden["cases"]) {
        const std::string fmt = c["format"].get<std::string>();
        CAPTURE(fmt);
        CAPTURE(c["user"].get<std::string>().substr(0, 60));
        const auto& [format, dir] = formats.at(fmt);
        const Tokenizer tok = Tokenizer::fromDir(models + "/" + dir);
        const ChatText ref = applyChatTemplate(format, system, c["user"].get<std::string>(), true);
        CHECK(ref.text == c["text"].get<std::string>());
        CHECK(tok.encode(ref.text, true).ids == c["ids_reference"].get<std::vector<int>>());
        CHECK(tok.encode(ref.text, false).ids == c["ids_clean"].get<std::vector<int>>());
        if (c.contains("ids_transformers_reference") &&
            c["ids_transformers_reference"] != c["ids_reference"])
            MESSAGE("note: transformers' own tokenizer differs from tokenizer.json for " << fmt);
        ++compared;
    }
    CHECK(compared > 0);
}
