#pragma once
// Tokenizers for the model families HalluScope runs, read from Hugging Face tokenizer.json files (BPE with
// metaspace + byte fallback: Llama-2, Mistral; byte-level BPE: Llama-3 style and GPT-2 style; WordPiece: BERT/BGE
// embedders) or from Meta's tiktoken-format tokenizer.model (Llama-3/3.1). Pure C++17: no sentencepiece.
//
// Contract: encode() gives the same ids as Hugging Face `tokenizers` (Tokenizer.encode) and its offsets converted to
// UTF-8 BYTE offsets into the input; golden tests in tests/tokenizer check this on a corpus. Added/special tokens
// in the text ("<s>", "[INST]", "<|eot_id|>") are split out as HF does, whatever addSpecialTokens says.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hs::tok {

struct Encoding {
    std::vector<int> ids;
    // BYTE offsets [begin, end) into the UTF-8 input. Special tokens added by the post-processor get (0,0).
    // As in HF: a byte-fallback or byte-level token covering part of a character spans the whole character, and
    // the "▁" a metaspace step inserts belongs to the character it was inserted before (or the space it replaced).
    std::vector<std::pair<int, int>> offsets;
};

struct TokenizerImpl;

class Tokenizer {
public:
    // tokenizer.json (HF) or a tiktoken-format tokenizer.model (Llama-3). Throws hs::InputError naming the file.
    static Tokenizer fromFile(const std::string& path);
    // Prefers dir/tokenizer.json, else dir/tokenizer.model when it is in tiktoken format. Reads bos/eos names from
    // dir/tokenizer_config.json when present.
    static Tokenizer fromDir(const std::string& dir);
    // The text of a tokenizer.json; `name` is used in error messages.
    static Tokenizer fromJsonText(const std::string& json, const std::string& name = "tokenizer.json");

    // addSpecialTokens: apply the post-processor (BOS for Llama/Mistral, [CLS] ... [SEP] for BERT).
    Encoding encode(const std::string& text, bool addSpecialTokens = true) const;
    // HF decode: special added tokens dropped when skipSpecial (HF tokenizers 0.23 keeps those whose content the
    // normaliser changes, e.g. <s> in a Prepend("▁") Llama file, and decodes them as " <s>"); invalid UTF-8
    // becomes U+FFFD.
    std::string decode(const std::vector<int>& ids, bool skipSpecial = false) const;

    std::string tokenText(int id) const; // vocabulary string ("▁the", "Ġthe", "##ing", "<s>"); "" if unknown id
    int vocabSize() const;               // model vocabulary plus added tokens (max id + 1)
    int bosId() const;                   // -1 when none
    int eosId() const;                   // -1 when none
    std::optional<int> tokenToId(const std::string& token) const;
    bool isSpecial(int id) const;        // an added token marked special
    std::string kind() const;            // "bpe-metaspace", "bpe-bytelevel", "wordpiece"
    // An upper bound on the input bytes one token stands for (its longest vocabulary string), so that
    // callers can refuse a text that cannot fit a token limit before tokenising it; 0 when no bound
    // exists (WordPiece and fuse_unk BPE turn a word of any length into one [UNK]).
    std::size_t maxBytesPerToken() const;

    // The pieces the post-processor adds around a single sequence (e.g. {1} and {} for Llama-2).
    const std::vector<int>& specialPrefix() const;
    const std::vector<int>& specialSuffix() const;

private:
    explicit Tokenizer(std::shared_ptr<TokenizerImpl> impl) : impl_(std::move(impl)) {}
    std::shared_ptr<TokenizerImpl> impl_;
};

// True when the file looks like a tiktoken rank file ("<base64> <rank>" lines) rather than a sentencepiece model.
bool isTiktokenFile(const std::string& path);

} // namespace hs::tok
