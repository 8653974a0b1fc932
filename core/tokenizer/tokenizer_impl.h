#pragma once
// Internal state of a Tokenizer: the stages read from tokenizer.json (or built for a tiktoken file).
#include "core/tokenizer/added_vocabulary.h"
#include "core/tokenizer/bpe_model.h"
#include "core/tokenizer/pipeline.h"
#include "core/tokenizer/wordpiece_model.h"

#include <memory>
#include <string>
#include <vector>

namespace hs::tok {

struct TokenizerImpl {
    std::string kind;
    AddedVocabulary added;
    std::vector<NormalizerStep> normalizers;
    std::vector<PreTokenizerStep> preTokenizers;
    bool wordPiece = false;
    BpeModel bpe;
    WordPieceModel wordpiece;

    // Post-processor: optional ByteLevel offset trimming, then the single-sequence template.
    bool trimOffsets = false;
    bool trimAddPrefixSpace = false;
    std::vector<int> templatePrefix, templateSuffix;

    std::vector<DecoderStep> decoders;
    bool hasDecoder = false;

    int bos = -1, eos = -1;
    std::size_t maxBytesPerToken = 0; // set by finish(); see Tokenizer::maxBytesPerToken

    const std::vector<std::string>& idToToken() const { return wordPiece ? wordpiece.idToToken : bpe.idToToken; }
    std::vector<ModelToken> tokenizeWord(const std::string& w) const
    {
        return wordPiece ? wordpiece.tokenize(w) : bpe.tokenize(w);
    }
    // Builds the added-token matchers (needs the normalizers) and guesses bos/eos from well-known names.
    void finish();
};

std::shared_ptr<TokenizerImpl> loadTokenizerJson(const std::string& text, const std::string& path);

} // namespace hs::tok
