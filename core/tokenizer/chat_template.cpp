#include "core/tokenizer/chat_template.h"

#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/unicode.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "core/util/json_util.h"

#include <nlohmann/json.hpp>

#include <cstring>

namespace hs::tok {

namespace {

// Python str.isspace (what Jinja's strip/trim remove): White_Space plus the separators U+001C..U+001F.
bool pythonSpace(char32_t c) { return isWhitespace(c) || (c >= 0x1C && c <= 0x1F); }

std::size_t stripBegin(const std::string& s)
{
    std::size_t i = 0, n = 0;
    while (i < s.size() && pythonSpace(decodeUtf8(s, i, n))) i += n;
    return i;
}

std::size_t stripEnd(const std::string& s, std::size_t floor)
{
    std::size_t e = s.size();
    while (e > floor) {
        std::size_t b = e - 1;
        while (b > floor && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
        std::size_t n = 0;
        if (!pythonSpace(decodeUtf8(s, b, n))) break;
        e = b;
    }
    return e;
}

std::string strip(const std::string& s)
{
    const std::size_t b = stripBegin(s);
    return s.substr(b, stripEnd(s, b) - b);
}

ChatFormat fromConfigText(const std::string& text)
{
    if (text.find("<|start_header_id|>") != std::string::npos) return ChatFormat::Llama3;
    if (text.find("<<SYS>>") != std::string::npos) return ChatFormat::Llama2;
    if (text.find("[INST]") != std::string::npos) return ChatFormat::Mistral;
    try {
        const auto j = parseJson(text, "tokenizer_config.json");
        const std::string type = j.value("model_type", "");
        const int vocab = j.contains("vocab_size") && isInt32(j["vocab_size"]) ? j["vocab_size"].get<int>() : 0;
        if (type == "mistral") return ChatFormat::Mistral;
        // Only the real vocabularies: a small test model of type "llama" was not trained on a chat template.
        if (type == "llama" && vocab >= 128000) return ChatFormat::Llama3;
        if (type == "llama" && (vocab == 32000 || vocab == 32001)) return ChatFormat::Llama2;
    } catch (const nlohmann::json::exception&) {
    } catch (const InputError&) { // not JSON or too deep: no template to recognise
    }
    return ChatFormat::None;
}

} // namespace

const char* chatFormatName(ChatFormat format)
{
    switch (format) {
    case ChatFormat::Llama2: return "llama2";
    case ChatFormat::Llama3: return "llama3";
    case ChatFormat::Mistral: return "mistral";
    case ChatFormat::None: break;
    }
    return "none";
}

ChatFormat chatFormatFor(const std::string& modelDirOrConfigText)
{
    if (!isDirectory(modelDirOrConfigText)) return fromConfigText(modelDirOrConfigText);
    const std::string& dir = modelDirOrConfigText;
    for (const char* name : {"tokenizer_config.json", "config.json"}) {
        const std::string path = joinPath(dir, name);
        if (!fileExists(path)) continue;
        const ChatFormat f = fromConfigText(readTextFile(path));
        if (f != ChatFormat::None) return f;
    }
    // Only tokenizer files: a tiktoken model is Llama-3; otherwise tell Mistral (has [INST]) from Llama-2.
    const std::string model = joinPath(dir, "tokenizer.model");
    if (!fileExists(joinPath(dir, "tokenizer.json")) && fileExists(model) && isTiktokenFile(model))
        return ChatFormat::Llama3;
    if (fileExists(joinPath(dir, "tokenizer.json"))) {
        const Tokenizer tok = Tokenizer::fromDir(dir);
        if (tok.tokenToId("<|start_header_id|>")) return ChatFormat::Llama3;
        if (tok.tokenToId("[INST]")) return ChatFormat::Mistral;
        if (tok.vocabSize() == 32000 && tok.tokenToId("<s>")) return ChatFormat::Llama2;
    }
    return ChatFormat::None;
}

ChatText applyChatTemplate(ChatFormat format, const std::string& system, const std::string& user,
                           bool referenceDoubleBos)
{
    ChatText out;
    std::string& t = out.text;
    switch (format) {
    case ChatFormat::Llama2: {
        // The template strips the whole "<<SYS>>...<</SYS>>\n\n{user}" block, i.e. the user's trailing space
        // (and the "\n\n" itself when the user text is blank).
        std::string content = system.empty() ? user : "<<SYS>>\n" + system + "\n<</SYS>>\n\n" + user;
        const std::size_t userAt = content.size() - user.size();
        const std::size_t contentBegin = stripBegin(content);
        content = strip(content);
        t = "<s>[INST] ";
        out.userBegin = t.size() + std::min(content.size(), userAt >= contentBegin ? userAt - contentBegin : 0);
        t += content;
        out.userEnd = std::max(out.userBegin, t.size());
        t += " [/INST]";
        break;
    }
    case ChatFormat::Llama3: {
        t = "<|begin_of_text|>";
        if (!system.empty())
            t += "<|start_header_id|>system<|end_header_id|>\n\n" + strip(system) + "<|eot_id|>";
        t += "<|start_header_id|>user<|end_header_id|>\n\n";
        out.userBegin = t.size();
        t += strip(user);
        out.userEnd = t.size();
        t += "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
        break;
    }
    case ChatFormat::Mistral:
        t = "<s>[INST] ";
        if (!system.empty()) t += system + "\n\n";
        out.userBegin = t.size();
        t += user;
        out.userEnd = t.size();
        t += "[/INST]";
        break;
    case ChatFormat::None:
        t = user;
        out.userBegin = 0;
        out.userEnd = t.size();
        return out;
    }
    if (!referenceDoubleBos) {
        // Clean form: the tokenizer's own BOS is the only one.
        const std::size_t bos = format == ChatFormat::Llama3 ? std::strlen("<|begin_of_text|>") : std::strlen("<s>");
        t.erase(0, bos);
        out.userBegin -= bos;
        out.userEnd -= bos;
    }
    return out;
}

} // namespace hs::tok
