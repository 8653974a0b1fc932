#pragma once
// Chat templates for the detector's prompts: one system message, one user message, generation prompt open.
//
// Which text + addSpecialTokens gives which token sequence:
//   ChatText t = applyChatTemplate(fmt, system, user, referenceDoubleBos);
//   tokenizer.encode(t.text, t.addSpecialTokens)        // t.addSpecialTokens is always true
//   * referenceDoubleBos = true  -> t.text starts with the literal BOS string ("<s>", "<|begin_of_text|>") and the
//     tokenizer adds a second BOS: [BOS, BOS, ...]. This is ReDeEP's input (docs/detect.md; the published code does
//     tokenizer.apply_chat_template(tokenize=False), then tokenizer(text)).
//   * referenceDoubleBos = false -> the same text without the literal BOS; the tokenizer adds the only BOS:
//     [BOS, ...]. For Llama-3 and Mistral ([INST] is a special token there) and for Meta's own Llama-2-chat
//     tokenizer.json this is exactly the reference sequence without its first token. With ../shared's huggyllama
//     Llama-2 file (<s> declared normalized=true) the first "[" differs: "<s>[INST]" gives [1, 29961 "[", ...]
//     after the literal <s>, "[INST]" alone gives [518 "▁[", ...].
//   (HF apply_chat_template(tokenize=True) = encode(reference text, addSpecialTokens=false): one BOS, the reference
//   tail; use that combination when you need it.)
// userBegin/userEnd locate the user message in whichever text was returned.
//
// Templates (the published chat templates, rendered for [system?, user] + generation prompt):
//   Llama2:  "<s>[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user}" stripped at the end, then " [/INST]"
//            (no system: "<s>[INST] {user stripped} [/INST]")
//   Llama3:  "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n{system stripped}<|eot_id|>"
//            "<|start_header_id|>user<|end_header_id|>\n\n{user stripped}<|eot_id|>"
//            "<|start_header_id|>assistant<|end_header_id|>\n\n"   (the Llama-3.0 template; 3.1's adds a
//            "Cutting Knowledge Date" preamble to the system message, not reproduced here)
//   Mistral: v0.3: "<s>[INST] {system}\n\n{user}[/INST]" (no system: "<s>[INST] {user}[/INST]"), no stripping
//   None:    the user text alone; addSpecialTokens = true in both forms.
// An empty system string means "no system message". "Stripped" is Python's str.strip() (Jinja's trim/strip).
#include <cstddef>
#include <string>

namespace hs::tok {

enum class ChatFormat { Llama2, Llama3, Mistral, None };

struct ChatText {
    std::string text;
    std::size_t userBegin = 0, userEnd = 0; // byte range of the (stripped) user message inside text
    bool addSpecialTokens = true;           // pass to Tokenizer::encode (true for every format and form)
};

// From a model folder (tokenizer_config.json chat_template, else config.json, else the tokenizer files) or from the
// text of a tokenizer_config.json / config.json. None when nothing matches.
ChatFormat chatFormatFor(const std::string& modelDirOrConfigText);

ChatText applyChatTemplate(ChatFormat format, const std::string& system, const std::string& user,
                           bool referenceDoubleBos);

const char* chatFormatName(ChatFormat format); // "llama2", "llama3", "mistral", "none"

} // namespace hs::tok
