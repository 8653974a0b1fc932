#include "core/data/text_splitter.h"

#include "core/data/utf8.h"
#include "core/util/error.h"

#include <algorithm>

namespace hs::data {

namespace {

using U32 = std::u32string;

struct Splitter {
    int chunkSize;
    int overlap;

    static int len(const U32& s) { return static_cast<int>(s.size()); }

    // Python's `s.strip()`.
    static U32 strip(const U32& s)
    {
        std::size_t b = 0, e = s.size();
        while (b < e && isPythonWhitespace(s[b])) ++b;
        while (e > b && isPythonWhitespace(s[e - 1])) --e;
        return s.substr(b, e - b);
    }

    // re.split on a literal separator with the separator glued to the START of the next piece
    // (LangChain's keep_separator=True), empty pieces dropped. An empty separator splits into
    // single characters.
    static std::vector<U32> splitKeepingSeparator(const U32& text, const U32& sep)
    {
        std::vector<U32> pieces;
        if (sep.empty()) {
            for (char32_t c : text) pieces.emplace_back(1, c);
            return pieces;
        }
        std::size_t pieceStart = 0, from = 0;
        for (;;) {
            std::size_t hit = text.find(sep, from);
            if (hit == U32::npos) break;
            // The piece before this separator ends here; the next piece starts with the separator.
            if (hit > pieceStart) pieces.push_back(text.substr(pieceStart, hit - pieceStart));
            pieceStart = hit;
            from = hit + sep.size();
        }
        if (pieceStart < text.size()) pieces.push_back(text.substr(pieceStart));
        return pieces;
    }

    // TextSplitter._merge_splits: greedily pack pieces up to chunkSize, then drop pieces from the
    // front until what is kept fits the overlap (and leaves room for the next piece).
    std::vector<U32> merge(const std::vector<U32>& splits, const U32& sep) const
    {
        const int sepLen = len(sep);
        std::vector<U32> docs;
        std::vector<U32> current; // used as a queue; chunks are small so erase(begin) is fine
        int total = 0;
        auto flush = [&](const std::vector<U32>& parts) {
            U32 joined;
            for (std::size_t i = 0; i < parts.size(); ++i) {
                if (i) joined += sep;
                joined += parts[i];
            }
            joined = strip(joined);
            if (!joined.empty()) docs.push_back(std::move(joined));
        };
        for (const U32& piece : splits) {
            const int pieceLen = len(piece);
            if (total + pieceLen + (current.empty() ? 0 : sepLen) > chunkSize) {
                if (!current.empty()) {
                    flush(current);
                    while (total > overlap ||
                           (total + pieceLen + (current.empty() ? 0 : sepLen) > chunkSize && total > 0)) {
                        total -= len(current.front()) + (current.size() > 1 ? sepLen : 0);
                        current.erase(current.begin());
                    }
                }
            }
            current.push_back(piece);
            total += pieceLen + (current.size() > 1 ? sepLen : 0);
        }
        flush(current);
        return docs;
    }

    // RecursiveCharacterTextSplitter._split_text.
    std::vector<U32> split(const U32& text, const std::vector<U32>& separators) const
    {
        std::vector<U32> finalChunks;
        U32 separator = separators.back();
        std::vector<U32> deeper;
        for (std::size_t i = 0; i < separators.size(); ++i) {
            if (separators[i].empty()) { separator.clear(); break; }
            if (text.find(separators[i]) != U32::npos) {
                separator = separators[i];
                deeper.assign(separators.begin() + i + 1, separators.end());
                break;
            }
        }
        const std::vector<U32> pieces = splitKeepingSeparator(text, separator);
        // Separators are already inside the pieces, so merging joins with "".
        const U32 joiner;
        std::vector<U32> good;
        for (const U32& piece : pieces) {
            if (len(piece) < chunkSize) {
                good.push_back(piece);
                continue;
            }
            if (!good.empty()) {
                auto merged = merge(good, joiner);
                finalChunks.insert(finalChunks.end(), merged.begin(), merged.end());
                good.clear();
            }
            if (deeper.empty()) {
                finalChunks.push_back(piece);
            } else {
                auto sub = split(piece, deeper);
                finalChunks.insert(finalChunks.end(), sub.begin(), sub.end());
            }
        }
        if (!good.empty()) {
            auto merged = merge(good, joiner);
            finalChunks.insert(finalChunks.end(), merged.begin(), merged.end());
        }
        return finalChunks;
    }
};

std::vector<U32> toU32(const std::vector<std::string>& separators)
{
    if (separators.empty()) throw InputError("text splitter: the separator list is empty");
    std::vector<U32> out;
    for (const auto& s : separators) out.push_back(decodeUtf8(s));
    return out;
}

void checkSizes(int chunkSize, int overlap)
{
    if (chunkSize < 1 || overlap < 0 || overlap >= chunkSize)
        throw InputError("text splitter: need chunk size >= 1 and 0 <= overlap < chunk size (got " +
                         std::to_string(chunkSize) + ", " + std::to_string(overlap) + ")");
}

} // namespace

const std::vector<std::string>& defaultSplitSeparators()
{
    static const std::vector<std::string> seps{"\n\n", "\n", " ", ""};
    return seps;
}

bool isPythonWhitespace(char32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

std::vector<std::u32string> recursiveCharacterSplitText(const std::u32string& text, int chunkSize, int overlap,
                                                        const std::vector<std::string>& separators)
{
    checkSizes(chunkSize, overlap);
    return Splitter{chunkSize, overlap}.split(text, toU32(separators));
}

std::vector<CharSpan> recursiveCharacterSplitCodepoints(const std::u32string& text, int chunkSize, int overlap,
                                                        const std::vector<std::string>& separators)
{
    std::vector<CharSpan> spans;
    // create_documents(add_start_index=True): search each chunk forward from where the previous
    // one started plus its length minus the overlap, so repeated text maps to the right place.
    int index = 0, previousLen = 0;
    for (const auto& chunk : recursiveCharacterSplitText(text, chunkSize, overlap, separators)) {
        const int from = std::max(0, index + previousLen - overlap);
        std::size_t hit = text.find(chunk, static_cast<std::size_t>(from));
        if (hit == std::u32string::npos) hit = text.find(chunk); // cannot happen: chunks are substrings
        index = static_cast<int>(hit);
        previousLen = static_cast<int>(chunk.size());
        spans.push_back({index, index + previousLen});
    }
    return spans;
}

std::vector<CharSpan> recursiveCharacterSplit(const std::string& text, int chunkSize, int overlap,
                                              const std::vector<std::string>& separators)
{
    const std::u32string u = decodeUtf8(text);
    const std::vector<int> toByte = codepointToByteMap(text);
    auto spans = recursiveCharacterSplitCodepoints(u, chunkSize, overlap, separators);
    for (auto& s : spans) {
        s.start = toByte[s.start];
        s.end = toByte[s.end];
    }
    return spans;
}

} // namespace hs::data
