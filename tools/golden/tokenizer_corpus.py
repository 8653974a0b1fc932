#!/usr/bin/env python3
"""Build the tokenizer test corpus (tests/fixtures/tokenizer/corpus.jsonl).

Stdlib only (python3.11). Deterministic: the same shared data gives the same file byte for byte.
Each line is {"id": str, "kind": str, "text": str}. The corpus mixes
  * RAGTruth prompts rebuilt from the FaithJudge source records (QA / Summary / Data2txt templates,
    see ../shared/data/README.md "Rebuilding prompts"),
  * RAGTruth responses (llama-2-7b-chat from redeep_format, other models from FaithJudge),
  * the same prompts wrapped in the Llama-2 / Mistral / Llama-3 chat templates with literal special tokens,
  * hand-written Unicode and whitespace edge cases.
RAGTruth is MIT (Copyright (c) 2023 Particle Media); this derived file is project test data.

usage: tokenizer_corpus.py --ragtruth /work/shared/data/ragtruth --out tests/fixtures/tokenizer/corpus.jsonl
"""
import argparse
import json
import os

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
SYSTEM = "You are a helpful assistant."

EDGE_CASES = [
    "", " ", "  ", "\n", "\t", "\r\n", "a", "Hello world", "Hello  world", " Hello world", "Hello world ",
    "   leading three", "trailing three   ", "tabs\tin\t\tthe\tmiddle\t", "line1\nline2\n\nline4\n",
    "windows\r\nline\r\nends\r\n", "mixed \n\t \r\n  whitespace \t\n", "spaces          run of ten",
    "\n\n\n\nfour newlines first", "  \n  ", "a\u00a0b non-breaking space", "thin\u2009space and\u3000ideographic space",
    "café naïve façade résumé coöperate", "Crème brûlée à la française", "Zürich Straße Ärger Öl Übermut",
    "e\u0301 combining acute, a\u0308 combining diaeresis, n\u0303", "\u0301 leading combining mark",
    "Ελληνικά κείμενα και ΚΕΦΑΛΑΙΑ", "Русский текст с цифрами 123", "עברית מימין לשמאל", "العربية النص ١٢٣٤٥",
    "हिन्दी पाठ देवनागरी", "ไทยภาษาไม่มีช่องว่าง", "日本語のテキストです。カタカナもあります。", "中文文本，包含标点符号。",
    "한국어 텍스트입니다", "混合English和中文mixed", "全角ＡＢＣ１２３", "Emoji 😀 smile", "👍🏽 skin tone",
    "👨‍👩‍👧‍👦 family ZWJ sequence", "🏳️‍🌈 flag with VS16", "🇺🇸🇫🇷 regional indicators", "❤️ heart with VS16",
    "math ∑ ∫ √ ∞ ≠ ≤ ≥ ±", "currency $ € £ ¥ ₹ ₿", "quotes “curly” ‘single’ «guillemets» „low“",
    "dashes - – — ‐ ‑", "ellipsis… and bullets • ·", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math alphanumerics 𝟘𝟙𝟚", "\U0001F600\U0001F601\U0001F602",
    "0", "7", "12", "123", "1234", "12345", "1234567890", "3.14159 2,718 1e-10 -42 +7", "$23.70 per hour or $49,400 per year",
    "phone 555-123-4567 and ZIP 90210", "v1.2.3-beta+build.45", "2023-04-07T12:34:56Z",
    "<s>", "</s>", "<unk>", "<s>Hello", "Hello<s>world", "Hello <s> world", " <s> ", "<s><s>", "text </s> more",
    "<s>[INST] hi [/INST]", "[INST] not special in llama2 [/INST]", "<<SYS>>\nsys\n<</SYS>>",
    "<|begin_of_text|>", "<|begin_of_text|>Hello", "a<|eot_id|>b", "<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>",
    "<|reserved_special_token_250|>", "<|notaspecialtoken|>", "<|end_of_text|> <|finetune_right_pad_id|>",
    "[TOOL_CALLS] [AVAILABLE_TOOLS] [control_8]",
    "I'm you're he's we've they'll she'd IT'S I'M WE'LL", "don't can't won't", "'s 'S 'quoted'",
    "don’t (curly apostrophe)", "UPPER lower MiXeD CamelCaseWords snake_case_words kebab-case-words",
    "punctuation!!! ??? ... ;;; ::: ,,, ((())) [[]] {{}}", "a.b,c;d:e!f?g", "#hashtag @mention http://example.com/path?q=1&r=2",
    "email: someone@example.org", "C:\\Windows\\Path", "code: def f(x):\n    return x ** 2\n",
    "{'name': 'Finch & Fork', 'stars': 4.5, 'open': True, 'hours': None}", '{"json": [1, 2, 3], "nested": {"k": "v"}}',
    "x" * 300, "ab" * 150, "🙂" * 40, " " * 50 + "end", "\u200b zero width space \u200b", "\u200d joiner alone",
    "\ufeffbyte order mark", "soft\u00adhyphen", "control \u0007 bell \u001b escape", "\u0085 next line \u2028 line sep",
    "the The THE tHe", "▁ literal metaspace ▁▁", "Ġ literal byte-level space char", "##suffix ##",
    "[CLS] [SEP] [MASK] [PAD] [UNK]", "a <mask> b", "a<mask>b", "  <mask>  x", "<|bos|>hi<|eos|>", "say hello world now", "hello worldly", "ÀÁÂÃÄÅ àáâãäå ǅ ǈ", "İstanbul ıi", "ﬁ ligature ﬂ", "Ⅻ roman numeral ½ ¾ ²",
]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def qa_prompt(src):
    passages = src["passages"]
    n = passages.count("passage ")
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return ("Briefly answer the following question:\n" + src["question"] +
            "\nBear in mind that your response should be strictly based on the following " + word +
            " passages:\n" + passages + "In case the passages do not contain the necessary information to answer "
            "the question, please reply with: \"Unable to answer based on given passages.\"\noutput:")


def summary_prompt(src):
    # N is not recoverable from the data; any plausible value serves a tokenizer test.
    words = len(src.split())
    return "Summarize the following news within %d words:\n" % max(50, min(200, words // 3)) + src + "output:"


def data2txt_prompt(src):
    return ("Instruction:\nWrite an objective overview about the following local business based only on the "
            "provided structured data in the JSON format. You should include details and cover the information "
            "mentioned in the customers' review. The overview should be 100 - 200 words. Don't make up information. "
            "Structured data:\n" + repr(src) + "\nOverview:")


def llama2_chat(user):
    return "<s>[INST] <<SYS>>\n" + SYSTEM + "\n<</SYS>>\n\n" + user.rstrip() + " [/INST]"


def mistral_chat(user):
    return "<s>[INST] " + SYSTEM + "\n\n" + user + "[/INST]"


def llama3_chat(user):
    return ("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n" + SYSTEM.strip() + "<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\n" + user.strip() + "<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n")


def every_kth(items, count):
    """Deterministic spread: count items evenly spaced over the list."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def build(ragtruth):
    out = []

    def add(kind, ident, text):
        out.append({"id": "%s/%s" % (kind, ident), "kind": kind, "text": text})

    for i, text in enumerate(EDGE_CASES):
        add("edge", i, text)

    prompts = {}
    makers = {"qa": qa_prompt, "summary": summary_prompt, "data2txt": data2txt_prompt}
    for task, make in makers.items():
        rows = sorted(read_jsonl(os.path.join(ragtruth, "faithjudge", "ragtruth_%s.jsonl" % task)),
                      key=lambda r: r["source_id"])
        for r in every_kth(rows, 30):
            prompts[(task, r["source_id"])] = make(r["source"])
            add("prompt", "%s-%d" % (task, r["source_id"]), prompts[(task, r["source_id"])])
        # Responses of models other than llama-2-7b-chat (mistral and gpt outputs differ in style).
        for r in every_kth(rows, 20):
            for resp in r["responses"]:
                if resp["model"] in ("mistral-7B-instruct", "gpt-4-0613"):
                    add("response", "%s-%d-%s" % (task, r["source_id"], resp["model"]), resp["response"])

    responses = sorted(read_jsonl(os.path.join(ragtruth, "redeep_format", "response_with_llama2_7b_spans.jsonl")),
                       key=lambda r: int(r["id"]))
    for r in every_kth(responses, 150):
        add("response", "llama2-7b-%s" % r["id"], r["response"])

    # Chat-wrapped prompts: the exact strings the detectors feed the tokenizers (literal special tokens).
    keys = sorted(prompts)
    for j, key in enumerate(every_kth(keys, 24)):
        wrap = (llama2_chat, mistral_chat, llama3_chat)[j % 3]
        add("chat", "%s-%s-%d" % (wrap.__name__, key[0], key[1]), wrap(prompts[key]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ragtruth", required=True, help="folder holding faithjudge/ and redeep_format/")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rows = build(args.ragtruth)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print("wrote %d texts, %d bytes to %s" % (len(rows), os.path.getsize(args.out), args.out))


if __name__ == "__main__":
    main()
