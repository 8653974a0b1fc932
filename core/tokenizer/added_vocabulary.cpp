#include "core/tokenizer/added_vocabulary.h"

#include "core/tokenizer/unicode.h"

namespace hs::tok {

void AddedVocabulary::add(const AddedToken& token)
{
    if (token.content.empty()) return;
    auto it = byContent_.find(token.content);
    if (it != byContent_.end()) {
        tokens_[it->second] = token;
    } else {
        byContent_[token.content] = tokens_.size();
        tokens_.push_back(token);
    }
    byId_[token.id] = byContent_[token.content];
}

void AddedVocabulary::Trie::insert(const std::string& pattern, int tokenIndex)
{
    int node = 0;
    for (unsigned char c : pattern) {
        auto it = nodes[node].next.find(c);
        if (it == nodes[node].next.end()) {
            nodes.push_back(Node{});
            const int created = int(nodes.size()) - 1;
            nodes[node].next[c] = created;
            node = created;
        } else {
            node = it->second;
        }
    }
    if (nodes[node].token < 0) nodes[node].token = tokenIndex; // first registered wins on identical patterns
}

int AddedVocabulary::Trie::longestAt(const std::string& s, std::size_t i, std::size_t& len) const
{
    int node = 0, best = -1;
    for (std::size_t k = i; k < s.size(); ++k) {
        auto it = nodes[node].next.find(static_cast<unsigned char>(s[k]));
        if (it == nodes[node].next.end()) break;
        node = it->second;
        if (nodes[node].token >= 0) {
            best = nodes[node].token;
            len = k + 1 - i;
        }
    }
    return best;
}

void AddedVocabulary::build(const std::function<void(NormalizedString&)>& normalize)
{
    raw_ = Trie{};
    normalized_ = Trie{};
    // HF orders special tokens before the other added tokens.
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t i = 0; i < tokens_.size(); ++i) {
            AddedToken& t = tokens_[i];
            if (t.special != (pass == 0)) continue;
            t.normalizedContent = t.content;
            if (!t.normalized) {
                raw_.insert(t.content, int(i));
            } else {
                NormalizedString ns(t.content, 0);
                if (normalize) normalize(ns);
                t.normalizedContent = ns.get();
                normalized_.insert(ns.get(), int(i));
            }
        }
    }
}

const AddedToken* AddedVocabulary::byId(int id) const
{
    auto it = byId_.find(id);
    return it == byId_.end() ? nullptr : &tokens_[it->second];
}

const AddedToken* AddedVocabulary::byContent(const std::string& content) const
{
    auto it = byContent_.find(content);
    return it == byContent_.end() ? nullptr : &tokens_[it->second];
}

namespace {
bool endsWithWordChar(const std::string& s, std::size_t end)
{
    if (end == 0) return false;
    std::size_t b = end - 1;
    while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
    std::size_t n = 0;
    return isWordChar(decodeUtf8(s, b, n));
}

bool startsWithWordChar(const std::string& s, std::size_t begin)
{
    if (begin >= s.size()) return false;
    std::size_t n = 0;
    return isWordChar(decodeUtf8(s, begin, n));
}

// Start of the whitespace run that ends at `end` (regex \s*$ on s[..end]).
std::size_t whitespaceRunStart(const std::string& s, std::size_t end, std::size_t floor)
{
    std::size_t b = end;
    while (b > floor) {
        std::size_t p = b - 1;
        while (p > floor && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
        std::size_t n = 0;
        if (!isWhitespace(decodeUtf8(s, p, n))) break;
        b = p;
    }
    return b;
}

std::size_t whitespaceRunEnd(const std::string& s, std::size_t begin)
{
    std::size_t e = begin, n = 0;
    while (e < s.size() && isWhitespace(decodeUtf8(s, e, n))) e += n;
    return e;
}
} // namespace

std::vector<AddedMatch> AddedVocabulary::split(const std::string& s, bool normalizedTokens) const
{
    const Trie& trie = normalizedTokens ? normalized_ : raw_;
    std::vector<AddedMatch> out;
    if (s.empty() || trie.nodes.size() == 1) {
        out.push_back({-1, 0, s.size()});
        return out;
    }
    std::size_t startOffset = 0; // end of the previous emitted piece
    std::size_t i = 0;           // where the matcher resumes (end of the previous raw match)
    while (i < s.size()) {
        std::size_t len = 0;
        const int idx = trie.longestAt(s, i, len);
        if (idx < 0) {
            ++i;
            continue;
        }
        const AddedToken& t = tokens_[idx];
        std::size_t start = i, stop = i + len;
        i = stop;
        if (t.singleWord) {
            const bool startSpace = start == 0 || !endsWithWordChar(s, start);
            const bool stopSpace = stop == s.size() || !startsWithWordChar(s, stop);
            if (!startSpace || !stopSpace) continue;
        }
        if (t.lstrip) start = std::max(whitespaceRunStart(s, start, 0), startOffset);
        if (t.rstrip) stop = whitespaceRunEnd(s, stop);
        if (startOffset < start) out.push_back({-1, startOffset, start});
        out.push_back({t.id, start, stop});
        startOffset = stop;
        i = std::max(i, stop);
    }
    if (startOffset != s.size()) out.push_back({-1, startOffset, s.size()});
    return out;
}

} // namespace hs::tok
