#pragma once
// The 256 special tokens Meta appends to Llama-3's 128,000 BPE ranks (ids 128000-128255).
//   Llama 3.1 (meta-llama/llama-models models/llama3/tokenizer.py, and HF Llama-3.1 tokenizer.json):
//     128000 <|begin_of_text|>  128001 <|end_of_text|>  128002-3 <|reserved_special_token_0/1|>
//     128004 <|finetune_right_pad_id|>  128005 <|reserved_special_token_2|>  128006 <|start_header_id|>
//     128007 <|end_header_id|>  128008 <|eom_id|>  128009 <|eot_id|>  128010 <|python_tag|>
//     128011-128255 <|reserved_special_token_3|> ... <|reserved_special_token_247|>
//   Llama 3.0 (meta-llama/llama3 tokenizer.py, HF Meta-Llama-3-8B tokenizer.json): the same ids for
//     begin/end_of_text, start/end_header_id and eot_id; 128002-128005 and 128008 are reserved_0..4, and
//     128010-128255 reserved_5 ... reserved_250.
// The tokenizer.model file is the same for both; only these names differ. We default to 3.1, a superset in
// practice (chat templates use only the ids that agree).
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace hs::tok {

enum class Llama3Naming { Llama30, Llama31 };
constexpr std::size_t kLlama3SpecialCount = 256;

std::vector<std::string> llama3SpecialTokens(Llama3Naming naming);

struct TokenizerImpl;
std::shared_ptr<TokenizerImpl> loadTiktokenModel(const std::string& path, Llama3Naming naming);

} // namespace hs::tok
