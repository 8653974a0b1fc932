#pragma once
// A port of LangChain's RecursiveCharacterTextSplitter as ReDeEP used it to make `response_spans`
// (chunk_size 512, chunk_overlap 20, separators "\n\n", "\n", " ", ""), with its defaults:
// lengths are Python len() (code points), a separator is kept at the START of the piece that
// follows it, chunks are whitespace-stripped (Python str.strip()), and each chunk is mapped back
// to the text with create_documents(add_start_index=True)'s forward search. It reproduces the
// published response_spans of all 450 llama-2-7b RAGTruth test responses.
#include "core/data/sample.h"

#include <string>
#include <vector>

namespace hs::data {

const std::vector<std::string>& defaultSplitSeparators(); // {"\n\n", "\n", " ", ""}

// The chunks of `text` (UTF-8) as BYTE spans [start, end) into `text`, in order.
// Throws hs::InputError on invalid UTF-8 or when overlap >= chunkSize or chunkSize < 1.
std::vector<CharSpan> recursiveCharacterSplit(const std::string& text, int chunkSize = 512, int overlap = 20,
                                              const std::vector<std::string>& separators = defaultSplitSeparators());

// The same in code points: spans are indices into `text` (what the dataset files store).
std::vector<CharSpan> recursiveCharacterSplitCodepoints(const std::u32string& text, int chunkSize = 512,
                                                        int overlap = 20,
                                                        const std::vector<std::string>& separators = defaultSplitSeparators());

// The chunk strings themselves (LangChain's split_text), code points.
std::vector<std::u32string> recursiveCharacterSplitText(const std::u32string& text, int chunkSize = 512,
                                                        int overlap = 20,
                                                        const std::vector<std::string>& separators = defaultSplitSeparators());

// Python's str.isspace() for one code point (what str.strip() removes).
bool isPythonWhitespace(char32_t c);

} // namespace hs::data
