#include "core/tokenizer/split_patterns.h"

#include "core/tokenizer/unicode.h"

namespace hs::tok {

namespace {

const char* kLlama3Regex =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|"
    "\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const char* kGpt2Regex = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const char* kWhitespaceRegex = "\\w+|[^\\w\\s]+";

// The text decoded once: code points with their byte positions (pos has one extra entry: the end).
struct Chars {
    std::vector<char32_t> cp;
    std::vector<std::size_t> pos;
    explicit Chars(const std::string& s)
    {
        for (std::size_t i = 0, n = 0; i < s.size(); i += n) {
            cp.push_back(decodeUtf8(s, i, n));
            pos.push_back(i);
        }
        pos.push_back(s.size());
    }
    std::size_t size() const { return cp.size(); }
};

bool isPunctLike(char32_t c) { return !isWhitespace(c) && !isLetter(c) && !isNumber(c); }
bool isNewline(char32_t c) { return c == '\r' || c == '\n'; }

char32_t foldAscii(char32_t c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

// 's|'t|'re|'ve|'m|'ll|'d at i; returns the match length in chars (0 if none).
std::size_t contraction(const Chars& t, std::size_t i, bool caseInsensitive)
{
    if (t.cp[i] != '\'' || i + 1 >= t.size()) return 0;
    auto at = [&](std::size_t k) -> char32_t {
        if (k >= t.size()) return 0;
        char32_t c = t.cp[k];
        if (!caseInsensitive) return c;
        if (c == 0x17F) return 's'; // LATIN SMALL LETTER LONG S folds to s
        return foldAscii(c);
    };
    const char32_t a = at(i + 1), b = at(i + 2);
    if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
    if ((a == 'r' || a == 'v') && b == 'e') return 3;
    if (a == 'l' && b == 'l') return 3;
    return 0;
}

std::size_t runOf(const Chars& t, std::size_t i, bool (*pred)(char32_t), std::size_t maxLen = SIZE_MAX)
{
    std::size_t j = i;
    while (j < t.size() && j - i < maxLen && pred(t.cp[j])) ++j;
    return j - i;
}

bool isWs(char32_t c) { return isWhitespace(c); }
bool isL(char32_t c) { return isLetter(c); }
bool isN(char32_t c) { return isNumber(c); }
bool isW(char32_t c) { return isWordChar(c); }
bool isNotWordNotSpace(char32_t c) { return !isWordChar(c) && !isWhitespace(c); }

// \s+(?!\S) then \s+ : whitespace run, leaving the last space to the next word when one follows.
std::size_t trailingWhitespace(const Chars& t, std::size_t i)
{
    const std::size_t run = runOf(t, i, isWs);
    if (run == 0) return 0;
    if (i + run == t.size() || run == 1) return run; // at the end, or \s+ fallback for a single space
    return run - 1;
}

std::size_t llama3At(const Chars& t, std::size_t i)
{
    const char32_t c = t.cp[i];
    if (std::size_t n = contraction(t, i, true)) return n;
    // [^\r\n\p{L}\p{N}]?\p{L}+
    if (isLetter(c)) return runOf(t, i, isL);
    if (!isNewline(c) && !isNumber(c) && i + 1 < t.size() && isLetter(t.cp[i + 1])) return 1 + runOf(t, i + 1, isL);
    // \p{N}{1,3}
    if (isNumber(c)) return runOf(t, i, isN, 3);
    // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
    std::size_t j = i;
    if (c == ' ' && i + 1 < t.size() && isPunctLike(t.cp[i + 1])) ++j;
    if (j < t.size() && isPunctLike(t.cp[j])) {
        j += runOf(t, j, isPunctLike);
        j += runOf(t, j, isNewline);
        return j - i;
    }
    // \s*[\r\n]+ : up to and including the last newline of the whitespace run
    const std::size_t run = runOf(t, i, isWs);
    for (std::size_t k = i + run; k > i; --k)
        if (isNewline(t.cp[k - 1])) return k - i;
    return trailingWhitespace(t, i);
}

std::size_t gpt2At(const Chars& t, std::size_t i)
{
    const char32_t c = t.cp[i];
    if (std::size_t n = contraction(t, i, false)) return n;
    const std::size_t s = (c == ' ' && i + 1 < t.size()) ? 1 : 0; // optional leading space
    if (isLetter(c)) return runOf(t, i, isL);
    if (s && isLetter(t.cp[i + 1])) return 1 + runOf(t, i + 1, isL);
    if (isNumber(c)) return runOf(t, i, isN);
    if (s && isNumber(t.cp[i + 1])) return 1 + runOf(t, i + 1, isN);
    if (isPunctLike(c)) return runOf(t, i, isPunctLike);
    if (s && isPunctLike(t.cp[i + 1])) return 1 + runOf(t, i + 1, isPunctLike);
    return trailingWhitespace(t, i);
}

std::size_t whitespaceAt(const Chars& t, std::size_t i)
{
    if (std::size_t n = runOf(t, i, isW)) return n;
    return runOf(t, i, isNotWordNotSpace);
}

} // namespace

bool knownSplitPattern(const std::string& regex, SplitPattern& out)
{
    if (regex == kLlama3Regex) out = SplitPattern::Llama3;
    else if (regex == kGpt2Regex) out = SplitPattern::Gpt2;
    else if (regex == kWhitespaceRegex) out = SplitPattern::Whitespace;
    else return false;
    return true;
}

std::vector<MatchSpan> findPatternMatches(const std::string& s, SplitPattern pattern)
{
    const Chars t(s);
    std::vector<MatchSpan> out;
    std::size_t gapStart = 0; // char index where the current unmatched gap began
    std::size_t i = 0;
    while (i < t.size()) {
        std::size_t n = 0;
        switch (pattern) {
        case SplitPattern::Llama3: n = llama3At(t, i); break;
        case SplitPattern::Gpt2: n = gpt2At(t, i); break;
        case SplitPattern::Whitespace: n = whitespaceAt(t, i); break;
        }
        if (n == 0) {
            ++i;
            continue;
        }
        if (gapStart < i) out.push_back({t.pos[gapStart], t.pos[i], false});
        out.push_back({t.pos[i], t.pos[i + n], true});
        i += n;
        gapStart = i;
    }
    if (gapStart < t.size()) out.push_back({t.pos[gapStart], t.pos[t.size()], false});
    if (out.empty()) out.push_back({0, 0, false});
    return out;
}

std::vector<MatchSpan> findLiteralMatches(const std::string& s, const std::string& literal)
{
    std::vector<MatchSpan> out;
    std::size_t i = 0;
    while (!literal.empty()) {
        const std::size_t hit = s.find(literal, i);
        if (hit == std::string::npos) break;
        if (hit > i) out.push_back({i, hit, false});
        out.push_back({hit, hit + literal.size(), true});
        i = hit + literal.size();
    }
    if (i < s.size() || out.empty()) out.push_back({i, s.size(), false});
    return out;
}

} // namespace hs::tok
