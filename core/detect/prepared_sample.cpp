#include "core/detect/prepared_sample.h"

#include "core/data/span_alignment.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <algorithm>

namespace hs::detect {
namespace {

// Cut a UTF-8 string to at most `chars` code points (the reference cuts Python characters).
std::string cutCodePoints(const std::string& s, std::size_t chars)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (n == chars) return s.substr(0, i);
            ++n;
        }
    }
    return s;
}

int countTokens(const tok::Tokenizer& tok, const std::string& text)
{
    return static_cast<int>(tok.encode(text, true).ids.size());
}

// Clean mode: the tokens whose bytes overlap [a, b) of the input text (half-open).
TokenSpan tokensOverlapping(const std::vector<std::pair<int, int>>& offsets, int a, int b)
{
    data::TokenSpan t = data::chunkToTokens(offsets, data::CharSpan{a, b}, data::SpanMode::Clean);
    return {t.begin, t.end};
}

// Tokenising a 50 MB record to learn that it exceeds a 4,096-token limit took gigabytes. A text longer
// than (tokens allowed) x (bytes one token can stand for) cannot fit, so it is refused before tokenising.
// The factor leaves room for normalisers that shorten text (NFKC ligatures, some case mappings).
void refuseSurelyTooLong(const data::Sample& s, std::size_t bytes, const tok::Tokenizer& tok, const PrepareOptions& opt)
{
    constexpr std::size_t kNormaliserSlack = 4;
    const std::size_t perToken = tok.maxBytesPerToken();
    if (perToken == 0 || opt.maxTokens <= 0) return;
    const std::size_t bound = kNormaliserSlack * perToken * static_cast<std::size_t>(opt.maxTokens);
    if (bytes > bound)
        throw InputError("sample " + s.id + ": " + std::to_string(bytes) + " bytes of input cannot fit the limit of " +
                         std::to_string(opt.maxTokens) + " tokens (not tokenised)");
}

} // namespace

PreparedSample prepareSample(const data::Sample& s, const tok::Tokenizer& tok, tok::ChatFormat fmt,
                             const PrepareOptions& opt)
{
    if (s.response.empty())
        throw InputError("sample " + s.id + ": empty response");
    PreparedSample p;
    p.sample = &s;
    const std::string user = cutCodePoints(s.prompt, opt.promptCharLimit);
    const bool reference = opt.mode == results::Mode::Reference;
    const tok::ChatText chat = tok::applyChatTemplate(fmt, opt.systemPrompt, user, reference);
    const std::string& templ = chat.text;
    refuseSurelyTooLong(s, templ.size() + s.response.size(), tok, opt);
    p.inputText = templ + s.response;
    p.responseByteBegin = static_cast<int>(templ.size());
    tok::Encoding enc = tok.encode(p.inputText, true);
    p.ids = std::move(enc.ids);
    p.offsets = std::move(enc.offsets);
    const int T = static_cast<int>(p.ids.size());
    if (T > opt.maxTokens)
        throw InputError("sample " + s.id + ": " + std::to_string(T) + " tokens exceed the limit of " +
                         std::to_string(opt.maxTokens));
    // Positions the model was never trained on: rotary embeddings extrapolate, but the features would be off.
    if (opt.maxPositions > 0 && T > opt.maxPositions)
        throw InputError("sample " + s.id + ": " + std::to_string(T) + " tokens are longer than the model's context (" +
                         std::to_string(opt.maxPositions) + " positions, max_position_embeddings)");


    std::vector<std::pair<int, int>> hallu; // closed [h0, h1] (reference) or half-open as [h0, h1-1]
    if (reference) {
        // The reference (docs/detect.md §1) counts the tokens of re-tokenised prefixes, len(tok(template + response[:b])).
        // The same number is read off this one encoding's offsets: the tokens starting before b
        // (tests/detect/test_span_offsets.cpp checks the equivalence on Llama-2 and RAGTruth).
        auto at = [&](int byte) { return data::tokensStartingBefore(p.offsets, p.responseByteBegin + byte); };
        p.prefixLen = at(0);
        for (const auto& c : s.responseChunks)
            p.responseChunks.push_back({at(c.start), at(c.end)});
        for (const auto& h : s.hallucinations)
            hallu.push_back({at(h.start), at(h.end)}); // inclusive at both ends [quirk]
        // Prompt chunks: count(template(prompt[:a])) minus the template's closing tokens. These stay
        // re-tokenised: the template strips prompt[:a]'s trailing whitespace first [quirk], so the
        // boundaries are not positions of the full input.
        const int suffix = countTokens(tok, templ) - countTokens(tok, templ.substr(0, chat.userEnd));
        auto pat = [&](int byte) {
            std::string cut = cutCodePoints(s.prompt.substr(0, byte), opt.promptCharLimit);
            return countTokens(tok, tok::applyChatTemplate(fmt, opt.systemPrompt, cut, true).text) - suffix;
        };
        for (const auto& c : s.promptChunks)
            p.promptChunks.push_back({pat(c.start), pat(c.end)});
    } else {
        // Clean: spans from the tokenizer's offsets, half-open.
        p.prefixLen = T;
        for (int i = 0; i < T; ++i)
            if (p.offsets[i].second > p.offsets[i].first && p.offsets[i].first >= p.responseByteBegin) {
                p.prefixLen = i;
                break;
            }
        const int R = p.responseByteBegin;
        for (const auto& c : s.responseChunks)
            p.responseChunks.push_back(tokensOverlapping(p.offsets, R + c.start, R + c.end));
        for (const auto& h : s.hallucinations) {
            TokenSpan t = tokensOverlapping(p.offsets, R + h.start, R + h.end);
            if (t.second > t.first) hallu.push_back({t.first, t.second - 1});
        }
        const int U = static_cast<int>(chat.userBegin);
        for (const auto& c : s.promptChunks) {
            TokenSpan t = tokensOverlapping(p.offsets, U + c.start, U + std::min<int>(c.end, user.size()));
            if (t.second > t.first) p.promptChunks.push_back(t);
        }
    }
    if (p.prefixLen < 1 || p.prefixLen >= T)
        throw InputError("sample " + s.id + ": the response produced no tokens");

    p.tokenHallucinated.assign(T, 0);
    for (auto [h0, h1] : hallu)
        for (int t = std::max(0, h0); t <= std::min(T - 1, h1); ++t) p.tokenHallucinated[t] = 1;
    // Token-level rows: position t predicts t+1. The reference labels row t by token t itself
    // [quirk]; clean labels it by the token it predicts.
    for (int t = p.firstRow(); t <= T - 2; ++t)
        p.rowLabel.push_back(reference ? p.tokenHallucinated[t] : p.tokenHallucinated[t + 1]);
    for (auto [r0, r1] : p.responseChunks) {
        int lab = 0;
        for (int t = std::max(0, r0); t < std::min(T, r1); ++t) lab |= p.tokenHallucinated[t];
        p.chunkLabel.push_back(lab);
    }
    return p;
}

} // namespace hs::detect
