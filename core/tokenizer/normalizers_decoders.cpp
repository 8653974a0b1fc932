// Normalizers and decoders of the tokenizer.json pipeline, and the byte-level character map they share.
#include "core/tokenizer/pipeline.h"

#include "core/tokenizer/unicode.h"

#include <array>

namespace hs::tok {

namespace {

struct ByteLevelTables {
    std::array<std::string, 256> toChar;
    std::array<int, 324> toByte; // the map's characters all lie below U+0144
    ByteLevelTables()
    {
        toByte.fill(-1);
        int extra = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            const char32_t c = printable ? char32_t(b) : char32_t(256 + extra++);
            appendUtf8(toChar[b], c);
            toByte[c] = b;
        }
    }
};

const ByteLevelTables& byteTables()
{
    static const ByteLevelTables t;
    return t;
}

bool isChineseChar(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

void bertNormalize(const NormalizerStep& step, NormalizedString& s)
{
    if (step.cleanText) {
        s.filter([](char32_t c) {
            const bool bertWhitespace = c == '\t' || c == '\n' || c == '\r';
            return !(c == 0 || c == 0xFFFD || (!bertWhitespace && isOther(c)));
        });
        s.map([](char32_t c) { return (c == '\t' || c == '\n' || c == '\r' || isWhitespace(c)) ? char32_t(' ') : c; });
    }
    if (step.chineseChars) {
        std::vector<CharChange> dest;
        for (char32_t c : toChars(s.get())) {
            if (isChineseChar(c)) {
                dest.push_back({' ', 0});
                dest.push_back({c, 1});
                dest.push_back({' ', 1});
            } else {
                dest.push_back({c, 0});
            }
        }
        s.transform(dest, 0);
    }
    if (step.stripAccents) {
        s.nfd();
        s.filter([](char32_t c) { return !isMarkNonspacing(c); });
    }
    if (step.lowercase) s.lowercase();
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to)
{
    if (from.empty()) return s;
    std::size_t hit = s.find(from);
    if (hit == std::string::npos) return s; // nothing to replace: no copy
    std::string out;
    std::size_t i = 0;
    for (; hit != std::string::npos; i = hit + from.size(), hit = s.find(from, i)) {
        out.append(s, i, hit - i);
        out += to;
    }
    out.append(s, i, std::string::npos);
    return out;
}

std::string wordPieceCleanup(std::string s)
{
    // Every rule starts with a space: a token without one (most of them) is left as it is. The rules are
    // std::strings made once, not per token.
    if (s.find(' ') == std::string::npos) return s;
    static const std::pair<std::string, std::string> kRules[] = {
        {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"}, {" n't", "n't"}, {" 'm", "'m"},
        {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
    for (const auto& [from, to] : kRules) s = replaceAll(std::move(s), from, to);
    return s;
}

// <0xAB> -> byte; -1 otherwise
int byteFallbackValue(const std::string& t)
{
    if (t.size() != 6 || t.compare(0, 3, "<0x") != 0 || t[5] != '>') return -1;
    auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    const int hi = hex(t[3]), lo = hex(t[4]);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

bool validUtf8(const std::string& s) { return utf8Lossy(s) == s; }

} // namespace

const std::string& byteLevelChar(unsigned char b) { return byteTables().toChar[b]; }

int byteLevelByte(char32_t c) { return c < 324 ? byteTables().toByte[c] : -1; }

std::string utf8Lossy(const std::string& s)
{
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        if (b0 < 0x80) {
            out += char(b0);
            ++i;
            continue;
        }
        // Expected length and the allowed range of the second byte (Unicode Table 3-7).
        std::size_t need = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) need = 2;
        else if (b0 >= 0xE0 && b0 <= 0xEF) { need = 3; if (b0 == 0xE0) lo = 0xA0; if (b0 == 0xED) hi = 0x9F; }
        else if (b0 >= 0xF0 && b0 <= 0xF4) { need = 4; if (b0 == 0xF0) lo = 0x90; if (b0 == 0xF4) hi = 0x8F; }
        std::size_t k = 1;
        if (need) {
            for (; k < need && i + k < s.size(); ++k) {
                const auto b = static_cast<unsigned char>(s[i + k]);
                if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) break;
            }
        }
        if (need && k == need) {
            out.append(s, i, need);
            i += need;
        } else {
            out += "\xEF\xBF\xBD"; // maximal subpart replaced by one U+FFFD
            i += std::max<std::size_t>(k, 1);
        }
    }
    return out;
}

void applyNormalizers(const std::vector<NormalizerStep>& steps, NormalizedString& s)
{
    for (const NormalizerStep& step : steps) {
        switch (step.kind) {
        case NormalizerStep::Kind::Prepend: s.prepend(step.text); break;
        case NormalizerStep::Kind::Replace: s.replace(step.text, step.content); break;
        case NormalizerStep::Kind::Lowercase: s.lowercase(); break;
        case NormalizerStep::Kind::Nfd: s.nfd(); break;
        case NormalizerStep::Kind::StripAccents: s.filter([](char32_t c) { return !isMarkNonspacing(c); }); break;
        case NormalizerStep::Kind::Bert: bertNormalize(step, s); break;
        }
    }
}

std::string applyDecoders(const std::vector<DecoderStep>& steps, std::vector<std::string> tokens)
{
    for (const DecoderStep& step : steps) {
        std::vector<std::string> next;
        switch (step.kind) {
        case DecoderStep::Kind::Replace:
            for (auto& t : tokens) t = replaceAll(std::move(t), step.text, step.content);
            continue;
        case DecoderStep::Kind::ByteFallback: {
            std::string pending;
            std::size_t pendingCount = 0;
            auto flush = [&]() {
                if (!pendingCount) return;
                if (validUtf8(pending)) next.push_back(pending);
                else for (std::size_t k = 0; k < pendingCount; ++k) next.push_back("\xEF\xBF\xBD");
                pending.clear();
                pendingCount = 0;
            };
            for (auto& t : tokens) {
                const int b = byteFallbackValue(t);
                if (b >= 0) {
                    pending += char(b);
                    ++pendingCount;
                } else {
                    flush();
                    next.push_back(std::move(t));
                }
            }
            flush();
            break;
        }
        case DecoderStep::Kind::Fuse: {
            std::string all;
            for (auto& t : tokens) all += t;
            next.push_back(std::move(all));
            break;
        }
        case DecoderStep::Kind::Strip:
            for (auto& t : tokens) {
                std::vector<char32_t> chars = toChars(t);
                char32_t content = toChars(step.content).empty() ? 0 : toChars(step.content)[0];
                std::size_t b = 0, e = chars.size();
                for (int k = 0; k < step.start && b < chars.size() && chars[b] == content; ++k) ++b;
                for (int k = 0; k < step.stop && e > b && chars[e - 1] == content; ++k) --e;
                std::string s;
                for (std::size_t k = b; k < e; ++k) appendUtf8(s, chars[k]);
                next.push_back(std::move(s));
            }
            break;
        case DecoderStep::Kind::ByteLevel: {
            std::string bytes;
            for (auto& t : tokens) {
                std::string mapped;
                bool ok = true;
                for (char32_t c : toChars(t)) {
                    const int b = byteLevelByte(c);
                    if (b < 0) { ok = false; break; }
                    mapped += char(b);
                }
                bytes += ok ? mapped : t;
            }
            next.push_back(utf8Lossy(bytes));
            break;
        }
        case DecoderStep::Kind::WordPiece:
            for (std::size_t i = 0; i < tokens.size(); ++i) {
                std::string t = std::move(tokens[i]);
                if (i != 0) {
                    if (t.compare(0, step.text.size(), step.text) == 0) t.erase(0, step.text.size());
                    else t = " " + t;
                }
                next.push_back(step.cleanup ? wordPieceCleanup(std::move(t)) : std::move(t));
            }
            break;
        case DecoderStep::Kind::Metaspace:
            for (std::size_t i = 0; i < tokens.size(); ++i) {
                const bool dropFirst = i == 0 && step.prependScheme != PrependScheme::Never;
                next.push_back(replaceAll(tokens[i], step.text, dropFirst ? "" : " "));
            }
            break;
        }
        tokens = std::move(next);
    }
    std::string out;
    for (auto& t : tokens) out += t;
    return out;
}

} // namespace hs::tok
