#pragma once
// Added tokens (special tokens like <s>, [INST], <|eot_id|>, and plain added words) are found in the text before
// the model sees it, exactly as HF's AddedVocabulary does: leftmost-longest matching, first the tokens with
// normalized=false against the raw text, then the normalized=true ones against the normalised pieces (their
// pattern being their normalised content), with the single_word / lstrip / rstrip options.
#include "core/tokenizer/normalized_string.h"

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace hs::tok {

struct AddedToken {
    int id = -1;
    std::string content;
    bool singleWord = false, lstrip = false, rstrip = false, normalized = false, special = false;
    // The content after the tokenizer's normaliser (= content unless normalized): what it matches in the
    // normalised text, and what HF tokenizers 0.23 decodes it to.
    std::string normalizedContent;
};

// A piece of a split text: [begin, end) normalised bytes; tokenId >= 0 when it is an added token.
struct AddedMatch {
    int tokenId;
    std::size_t begin, end;
};

class AddedVocabulary {
public:
    void add(const AddedToken& token);
    // Builds the two matchers; `normalize` is the tokenizer's normaliser (applied to normalized=true contents).
    void build(const std::function<void(NormalizedString&)>& normalize); // also fills normalizedContent

    // Splits s (covering it) into added-token matches and the text between them.
    std::vector<AddedMatch> split(const std::string& s, bool normalizedTokens) const;

    const AddedToken* byId(int id) const;
    const AddedToken* byContent(const std::string& content) const;
    const std::vector<AddedToken>& tokens() const { return tokens_; }

private:
    struct Trie {
        struct Node { std::unordered_map<unsigned char, int> next; int token = -1; };
        std::vector<Node> nodes{Node{}};
        void insert(const std::string& pattern, int tokenIndex);
        // Longest pattern starting at s[i]: token index and length; -1 when none.
        int longestAt(const std::string& s, std::size_t i, std::size_t& len) const;
    };
    std::vector<AddedToken> tokens_;
    std::unordered_map<int, std::size_t> byId_;
    std::unordered_map<std::string, std::size_t> byContent_;
    Trie raw_, normalized_;
};

} // namespace hs::tok
