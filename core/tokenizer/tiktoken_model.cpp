// Meta's Llama-3 tokenizer.model: tiktoken format, one "<base64 token bytes> <rank>" per line. It is loaded as the
// byte-level BPE that HF's converted tokenizer.json describes: Llama-3 split regex, ByteLevel without regex, BPE
// whose merge priority is the rank of the merged bytes (tiktoken's algorithm), whole pieces found in the vocabulary
// taken as they are (ignore_merges), and the 256 special tokens appended after the ranks.
#include "core/tokenizer/llama3_specials.h"
#include "core/tokenizer/tokenizer_impl.h"

#include "core/util/error.h"
#include "core/util/file_util.h"

#include <fstream>

namespace hs::tok {

namespace {

int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

bool base64Decode(const std::string& in, std::string& out)
{
    out.clear();
    unsigned buffer = 0;
    int bits = 0;
    for (char c : in) {
        if (c == '=') break;
        const int v = base64Value(c);
        if (v < 0) return false;
        buffer = (buffer << 6) | unsigned(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((buffer >> bits) & 0xFF);
        }
    }
    return true;
}

} // namespace

std::vector<std::string> llama3SpecialTokens(Llama3Naming naming)
{
    std::vector<std::string> names;
    int next = 0;
    if (naming == Llama3Naming::Llama31) {
        names = {"<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>",
                 "<|reserved_special_token_1|>", "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>",
                 "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>", "<|eot_id|>", "<|python_tag|>"};
        next = 3;
    } else {
        names = {"<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>",
                 "<|reserved_special_token_1|>", "<|reserved_special_token_2|>", "<|reserved_special_token_3|>",
                 "<|start_header_id|>", "<|end_header_id|>", "<|reserved_special_token_4|>", "<|eot_id|>"};
        next = 5;
    }
    while (names.size() < kLlama3SpecialCount)
        names.push_back("<|reserved_special_token_" + std::to_string(next++) + "|>");
    return names;
}

std::shared_ptr<TokenizerImpl> loadTiktokenModel(const std::string& path, Llama3Naming naming)
{
    requireRegularFile(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot open");
    auto impl = std::make_shared<TokenizerImpl>();
    BpeModel& m = impl->bpe;
    m.tiktokenRanks = true;
    m.ignoreMerges = true;
    std::string line, bytes;
    std::size_t lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        const auto space = line.find(' ');
        if (space == std::string::npos || !base64Decode(line.substr(0, space), bytes) || bytes.empty())
            throw InputError(path + ":" + std::to_string(lineNo) + ": not a '<base64> <rank>' line");
        int rank = 0;
        try {
            rank = std::stoi(line.substr(space + 1));
        } catch (const std::exception&) {
            throw InputError(path + ":" + std::to_string(lineNo) + ": bad rank");
        }
        std::string token;
        for (unsigned char b : bytes) token += byteLevelChar(b);
        m.vocab[token] = rank;
    }
    if (m.vocab.empty()) throw InputError(path + ": no tokens");
    int maxRank = 0;
    for (const auto& [tok, id] : m.vocab) maxRank = std::max(maxRank, id);
    m.idToToken.assign(std::size_t(maxRank + 1), std::string());
    for (const auto& [tok, id] : m.vocab) m.idToToken[id] = tok;
    m.finalize();

    const std::vector<std::string> specials = llama3SpecialTokens(naming);
    for (std::size_t i = 0; i < specials.size(); ++i) {
        AddedToken t;
        t.id = maxRank + 1 + int(i);
        t.content = specials[i];
        t.special = true;
        impl->added.add(t);
    }
    PreTokenizerStep split{};
    split.kind = PreTokenizerStep::Kind::SplitRegex;
    split.pattern = SplitPattern::Llama3;
    split.behavior = SplitBehavior::Isolated;
    PreTokenizerStep byteLevel{};
    byteLevel.kind = PreTokenizerStep::Kind::ByteLevel;
    byteLevel.addPrefixSpace = false;
    byteLevel.useRegex = false;
    impl->preTokenizers = {split, byteLevel};
    impl->templatePrefix = {maxRank + 1}; // <|begin_of_text|>
    DecoderStep dec{};
    dec.kind = DecoderStep::Kind::ByteLevel;
    impl->decoders = {dec};
    impl->hasDecoder = true;
    impl->kind = "bpe-bytelevel";
    impl->finish();
    impl->eos = maxRank + 2; // <|end_of_text|>
    return impl;
}

} // namespace hs::tok
