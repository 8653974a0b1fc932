#pragma once
// WordPiece (BERT): greedy longest-match-first over each pre-token, continuation pieces prefixed with "##";
// a word that cannot be covered, or is longer than maxInputCharsPerWord, becomes one [UNK].
#include "core/tokenizer/bpe_model.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace hs::tok {

class WordPieceModel {
public:
    std::unordered_map<std::string, int> vocab;
    std::vector<std::string> idToToken;
    std::string unkToken = "[UNK]";
    std::string continuingSubwordPrefix = "##";
    std::size_t maxInputCharsPerWord = 100;

    std::vector<ModelToken> tokenize(const std::string& word) const;
};

} // namespace hs::tok
