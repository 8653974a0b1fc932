#!/usr/bin/env python3
"""Write small hand-built tokenizer.json files for tests (stdlib only, deterministic).

They exercise the tokenizer kinds that ../shared has no file for, and HF `tokenizers` encodes the corpus
with them too (make_tokenizer_golden.py), so the C++ is golden-tested on:
  tiny-wordpiece/       BERT-style: BertNormalizer (lowercase, strip accents, Chinese chars, clean text),
                        BertPreTokenizer, WordPiece with "##", [CLS] $A [SEP]  (the BGE embedder layout)
  tiny-bytelevel-llama3/ Split(Llama-3 regex) + ByteLevel(use_regex=false), ignore_merges, merges as [a, b] lists,
                        an lstrip/rstrip added token, <|bos|> template (the Llama-3 tokenizer.json layout)
  tiny-bytelevel-gpt2/  ByteLevel(use_regex=true) GPT-2 regex, trim_offsets, merges as "a b" strings

usage: make_tiny_tokenizers.py --corpus tests/fixtures/tokenizer/corpus.jsonl --out tests/fixtures/tokenizer
"""
import argparse
import collections
import json
import os
import re
import unicodedata

LLAMA3_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def bytes_to_unicode():
    """GPT-2's byte -> printable character map."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def added(id_, content, special=True, lstrip=False, rstrip=False, normalized=False):
    return {"id": id_, "content": content, "single_word": False, "lstrip": lstrip, "rstrip": rstrip,
            "normalized": normalized, "special": special}


def template(cls_tok, cls_id, sep_tok=None, sep_id=None):
    single = [{"SpecialToken": {"id": cls_tok, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}]
    pair = single + [{"Sequence": {"id": "B", "type_id": 1}}]
    specials = {cls_tok: {"id": cls_tok, "ids": [cls_id], "tokens": [cls_tok]}}
    if sep_tok:
        single = single + [{"SpecialToken": {"id": sep_tok, "type_id": 0}}]
        pair = single + [{"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": sep_tok, "type_id": 1}}]
        specials[sep_tok] = {"id": sep_tok, "ids": [sep_id], "tokens": [sep_tok]}
    return {"type": "TemplateProcessing", "single": single, "pair": pair, "special_tokens": specials}


def bert_clean(text):
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def wordpiece(texts):
    words = collections.Counter()
    chars = set()
    for t in texts:
        for w in re.findall(r"\w+|[^\w\s]", bert_clean(t)):
            words[w] += 1
            chars.update(w)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = sorted(c for c in chars if not c.isspace())
    vocab += chars + ["##" + c for c in chars if c.isalnum()]
    vocab += ["##" + s for s in ("s", "es", "ed", "ing", "ly", "er", "ers", "tion", "ment", "al", "ness", "est")]
    vocab += [w for w, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:1500] if len(w) > 1]
    seen, ordered = set(), []
    for v in vocab:
        if v not in seen:
            seen.add(v)
            ordered.append(v)
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [added(i, t) for i, t in enumerate(ordered[:5])],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": template("[CLS]", 2, "[SEP]", 3),
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": {t: i for i, t in enumerate(ordered)}},
    }


def train_bpe(texts, merges_wanted):
    b2u = bytes_to_unicode()
    words = collections.Counter()
    for t in texts:
        # Only to pick merges: an approximation of the regex is fine here.
        for w in re.findall(r" ?[^\W\d_]+| ?\d{1,3}| ?[^\s\w]+|\s+", t):
            words[tuple(b2u[b] for b in w.encode("utf-8"))] += 1
    words = dict(words)
    merges = []
    for _ in range(merges_wanted):
        pairs = collections.Counter()
        for w, n in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += n
        if not pairs:
            break
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        merges.append(best)
        joined = best[0] + best[1]
        new_words = {}
        for w, n in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(joined)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new_words[tuple(out)] = new_words.get(tuple(out), 0) + n
        words = new_words
    vocab = {}
    for b in range(256):
        vocab[b2u[b]] = b
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    return vocab, merges


def bytelevel(vocab, merges, gpt2_style):
    n = len(vocab)
    specials = [added(n, "<|bos|>"), added(n + 1, "<|eos|>"),
                added(n + 2, "<mask>", lstrip=True, rstrip=True), added(n + 3, "hello world", special=False)]
    if gpt2_style:
        pre = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
        post = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
        merge_list = ["%s %s" % m for m in merges]
    else:
        pre = {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": LLAMA3_REGEX}, "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]}
        post = {"type": "Sequence", "processors": [
            {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
            template("<|bos|>", n)]}
        merge_list = [list(m) for m in merges]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": specials,
        "normalizer": None, "pre_tokenizer": pre, "post_processor": post,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                  "ignore_merges": not gpt2_style, "vocab": vocab, "merges": merge_list},
    }


def write(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with open(args.corpus, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    texts = [r["text"] for r in rows if r["kind"] == "response"]
    write(os.path.join(args.out, "tiny-wordpiece", "tokenizer.json"), wordpiece(texts))
    vocab, merges = train_bpe(texts[:120], 700)
    write(os.path.join(args.out, "tiny-bytelevel-llama3", "tokenizer.json"), bytelevel(vocab, merges, False))
    write(os.path.join(args.out, "tiny-bytelevel-gpt2", "tokenizer.json"), bytelevel(vocab, merges, True))
    print("wrote tiny tokenizers under", args.out)


if __name__ == "__main__":
    main()
