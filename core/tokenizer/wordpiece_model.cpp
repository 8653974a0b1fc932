#include "core/tokenizer/wordpiece_model.h"

#include "core/tokenizer/unicode.h"
#include "core/util/error.h"

namespace hs::tok {

std::vector<ModelToken> WordPieceModel::tokenize(const std::string& word) const
{
    auto unk = [&]() -> std::vector<ModelToken> {
        auto it = vocab.find(unkToken);
        if (it == vocab.end()) throw InputError("WordPiece: unk token '" + unkToken + "' is not in the vocabulary");
        return {{it->second, 0, word.size()}};
    };
    std::size_t chars = 0;
    for (std::size_t i = 0; i < word.size(); i += utf8CharLength(word, i)) ++chars;
    if (chars > maxInputCharsPerWord) return unk();

    std::vector<ModelToken> out;
    std::size_t start = 0;
    std::string candidate;
    while (start < word.size()) {
        std::size_t end = word.size();
        bool found = false;
        while (start < end) {
            candidate.assign(start > 0 ? continuingSubwordPrefix : std::string());
            candidate.append(word, start, end - start);
            auto it = vocab.find(candidate);
            if (it != vocab.end()) {
                out.push_back({it->second, start, end});
                found = true;
                break;
            }
            // step back one character
            std::size_t back = end - 1;
            while (back > start && (static_cast<unsigned char>(word[back]) & 0xC0) == 0x80) --back;
            end = back;
        }
        if (!found) return unk();
        start = end;
    }
    return out;
}

} // namespace hs::tok
