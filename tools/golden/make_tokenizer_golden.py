#!/usr/bin/env python3
"""Golden encodings for the C++ tokenizer tests (tests/tokenizer/).

Runs where Hugging Face `tokenizers` (0.23), `tiktoken` (0.14) and `transformers` (5.x) are installed:

  python3 tools/golden/make_tokenizer_golden.py --models /work/shared/data/models \
      --corpus tests/fixtures/tokenizer/corpus.jsonl --out $OUT/tokgolden

then copy $OUT/tokgolden/*.json to tests/fixtures/tokenizer/golden/. "subset": true marks a tokenizer encoded on
part of the corpus only (the tiny fixtures). --extra NAME=PATH adds any other tokenizer.json.

For every tokenizer it writes <name>.json:
  {"name", "source", "generator", "corpus_lines", "subset", "special_pre", "special_post",
   "cases": [{"id", "ids", "off", ["ids_sp", "off_sp"], ["dec", "dec_skip"]}]}
  * ids/off: encode(text, add_special_tokens=False).
  * off: BYTE offsets into the UTF-8 text, delta-coded to keep the file small: for token i,
    off[2i] = begin_i - end_{i-1} (end_{-1} = 0) and off[2i+1] = end_i - begin_i.
    HF reports offsets in code points; they are converted to UTF-8 bytes here.
  * With add_special_tokens=True the encoding is normally special_pre + ids + special_post, the added tokens
    having offsets (0,0); the script checks that for every case and stores ids_sp/off_sp only where it differs.
  * dec / dec_skip: decode(ids with specials, skip_special_tokens=False / True), for texts under 400 chars.
Llama-3 ships only Meta's tiktoken file (no tokenizer.json), so it is encoded with `tiktoken`, the Llama-3 regex and
Meta's Llama-3.1 special tokens (allowed_special="all", which is what HF's tokenizer.json does with its added tokens).
Its offsets are made the HF ByteLevel way: a token that covers part of a character spans the whole character.

chat.json holds chat-template golden: for each format and (system, user) pair, the template text rendered by
transformers' apply_chat_template (Mistral: the tokenizer_config.json template; Llama-2 / Llama-3: the official
templates written out below), ids of tokenizer(text) (the ReDeEP reference form: the literal BOS in the text plus the
BOS the tokenizer adds) and ids of apply_chat_template(tokenize=True) (the clean form: one BOS).
"""
import argparse
import base64
import json
import os
import sys

SYSTEM = "You are a helpful assistant."
LLAMA3_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                r"|\s*[\r\n]+|\s+(?!\S)|\s+")

# meta-llama/llama-models, models/llama3/tokenizer.py (Llama 3.1 naming; Llama 3.0 differs only in the names of
# ids 128002-128010 and 128011+, see core/tokenizer/llama3_specials.cpp).
LLAMA31_SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>",
                    "<|reserved_special_token_1|>", "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>",
                    "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>", "<|eot_id|>", "<|python_tag|>"]
LLAMA31_SPECIALS += ["<|reserved_special_token_%d|>" % (3 + i) for i in range(256 - len(LLAMA31_SPECIALS))]

# The Llama-2 chat template as in meta-llama/Llama-2-7b-chat-hf tokenizer_config.json (SPEC 1.2).
LLAMA2_TEMPLATE = (
    "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
    "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
    "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
    "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if loop.index0 == 0 and system_message != false %}"
    "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
    "{% else %}{% set content = message['content'] %}{% endif %}"
    "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}")

# The Llama-3(-8B-Instruct) chat template (Llama 3.1's adds a "Cutting Knowledge Date" system preamble).
LLAMA3_TEMPLATE = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
    "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}"
    "{% endif %}{{ content }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}")

CHAT_USERS = ["Hello world", "  padded user text \n\n", "", "Question with <s> and [INST] inside?",
              "Multi\nline\n\nuser\tmessage with emoji 😀 and café"]


def utf8_prefix(text):
    """byte offset of every code point boundary: prefix[i] = len(text[:i].encode())."""
    prefix = [0]
    for ch in text:
        prefix.append(prefix[-1] + len(ch.encode("utf-8")))
    return prefix


def delta_offsets(pairs):
    out, prev = [], 0
    for b, e in pairs:
        out += [b - prev, e - b]
        prev = e
    return out


def split_specials(base_ids, base_off, sp_ids, sp_off):
    """(pre, post) when sp == pre + base + post with (0,0) offsets on pre/post, else None."""
    n = len(base_ids)
    for k in range(len(sp_ids) - n + 1):
        if sp_ids[k:k + n] == base_ids and sp_off[k:k + n] == base_off:
            pre, post = sp_ids[:k], sp_ids[k + n:]
            extra = sp_off[:k] + sp_off[k + n:]
            if all(o == (0, 0) for o in extra):
                return pre, post
    return None


def finish(name, source, generator, rows, encodings, decoder):
    """encodings: list of (ids, byte_offsets, ids_sp, byte_offsets_sp)."""
    patterns = {}
    for ids, off, ids_sp, off_sp in encodings:
        split = split_specials(ids, off, ids_sp, off_sp) if ids else None  # empty text: ambiguous
        if split is not None:
            key = json.dumps(split)
            patterns[key] = patterns.get(key, 0) + 1
    common = json.loads(max(patterns, key=patterns.get)) if patterns else [[], []]
    cases = []
    for row, (ids, off, ids_sp, off_sp) in zip(rows, encodings):
        case = {"id": row["id"], "ids": ids, "off": delta_offsets(off)}
        pre, post = common
        expected_off = [(0, 0)] * len(pre) + off + [(0, 0)] * len(post)
        if ids_sp != pre + ids + post or off_sp != expected_off:
            case["ids_sp"] = ids_sp
            case["off_sp"] = delta_offsets(off_sp)
        if len(row["text"]) < 400:
            case["dec"] = decoder(ids_sp, False)
            case["dec_skip"] = decoder(ids_sp, True)
        cases.append(case)
    return {"name": name, "source": os.path.basename(os.path.dirname(source)) + "/" + os.path.basename(source), "generator": generator, "corpus_lines": len(rows),
            "special_pre": common[0], "special_post": common[1], "cases": cases}


def golden_hf(name, path, rows):
    import tokenizers
    tok = tokenizers.Tokenizer.from_file(path)
    texts = [r["text"] for r in rows]
    encodings = []
    plain = tok.encode_batch(texts, add_special_tokens=False)
    special = tok.encode_batch(texts, add_special_tokens=True)
    for text, a, b in zip(texts, plain, special):
        pre = utf8_prefix(text)
        encodings.append((list(a.ids), [(pre[s], pre[e]) for s, e in a.offsets],
                          list(b.ids), [(pre[s], pre[e]) for s, e in b.offsets]))
    decoder = lambda ids, skip: tok.decode(ids, skip_special_tokens=skip)
    return finish(name, path, "tokenizers " + tokenizers.__version__, rows, encodings, decoder)


def llama3_encoding(path):
    import tiktoken
    ranks = {}
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                token, rank = line.split()
                ranks[base64.b64decode(token)] = int(rank)
    specials = {t: len(ranks) + i for i, t in enumerate(LLAMA31_SPECIALS)}
    return tiktoken.Encoding(name="llama3", pat_str=LLAMA3_REGEX, mergeable_ranks=ranks, special_tokens=specials)


def char_aligned_offsets(text, token_bytes):
    """HF ByteLevel offsets: each token's byte range widened to whole characters."""
    starts = []  # byte -> start/end byte of its character
    ends = []
    for ch in text:
        n = len(ch.encode("utf-8"))
        b = len(starts)
        starts += [b] * n
        ends += [b + n] * n
    out, pos = [], 0
    for tb in token_bytes:
        if not tb:
            out.append((pos, pos))
            continue
        out.append((starts[pos], ends[pos + len(tb) - 1]))
        pos += len(tb)
    return out


def golden_tiktoken(name, path, rows):
    import tiktoken
    enc = llama3_encoding(path)
    bos = enc._special_tokens["<|begin_of_text|>"]
    encodings = []
    for row in rows:
        text = row["text"]
        ids = enc.encode(text, allowed_special="all", disallowed_special=())
        assert b"".join(enc.decode_single_token_bytes(i) for i in ids) == text.encode("utf-8")
        off = char_aligned_offsets(text, [enc.decode_single_token_bytes(i) for i in ids])
        # HF's Llama-3 post-processor: <|begin_of_text|> $A.
        encodings.append((ids, off, [bos] + ids, [(0, 0)] + off))
    specials = set(enc._special_tokens.values())
    decoder = lambda ids, skip: enc.decode([i for i in ids if not (skip and i in specials)])
    return finish(name, path, "tiktoken " + tiktoken.__version__, rows, encodings, decoder)


class JinjaChat:
    """Just enough of a transformers tokenizer for chat_golden: apply_chat_template and __call__."""

    def __init__(self, template, bos, eos, raw):
        import jinja2
        env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)

        def raise_exception(message):
            raise jinja2.exceptions.TemplateError(message)
        env.globals["raise_exception"] = raise_exception
        self.template, self.bos, self.eos, self.raw = env.from_string(template), bos, eos, raw

    def apply_chat_template(self, messages, tokenize, add_generation_prompt):
        text = self.template.render(messages=messages, bos_token=self.bos, eos_token=self.eos,
                                    add_generation_prompt=add_generation_prompt)
        return self.raw.encode(text, add_special_tokens=False).ids if tokenize else text

    def __call__(self, text):
        return {"input_ids": self.raw.encode(text, add_special_tokens=True).ids}


def chat_golden(models, rows, llama3_path):
    import tokenizers
    import transformers
    prompts = [r["text"] for r in rows if r["kind"] == "prompt"][:4]
    users = CHAT_USERS + prompts
    out = {"generator": "transformers " + transformers.__version__, "system": SYSTEM, "cases": [], "errors": []}

    def messages(user):
        return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]

    def ids_of(x):
        return list(x["input_ids"]) if hasattr(x, "keys") else list(x)

    def load_mistral():
        from transformers import AutoTokenizer
        return AutoTokenizer.from_pretrained(os.path.join(models, "mistral-7b-instruct-v0.3"))

    def load_llama2():
        try:
            from transformers import PreTrainedTokenizerFast
            tok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(models, "llama2-tokenizer", "tokenizer.json"),
                                          bos_token="<s>", eos_token="</s>", unk_token="<unk>")
            tok.chat_template = LLAMA2_TEMPLATE
            return tok
        except Exception as e:  # transformers API drift: render the same template with jinja2 instead
            print("llama2 chat: transformers route failed (%r); using jinja2" % (e,), file=sys.stderr)
            return JinjaChat(LLAMA2_TEMPLATE, "<s>", "</s>",
                             tokenizers.Tokenizer.from_file(os.path.join(models, "llama2-tokenizer", "tokenizer.json")))

    files = {"mistral": os.path.join(models, "mistral-7b-instruct-v0.3", "tokenizer.json"),
             "llama2": os.path.join(models, "llama2-tokenizer", "tokenizer.json")}
    for fmt, load in (("llama2", load_llama2), ("mistral", load_mistral)):
        if not os.path.exists(files[fmt]):
            continue
        try:
            tok = load()
            raw = tokenizers.Tokenizer.from_file(files[fmt])
            for user in users:
                text = tok.apply_chat_template(messages(user), tokenize=False, add_generation_prompt=True)
                clean = ids_of(tok.apply_chat_template(messages(user), tokenize=True, add_generation_prompt=True))
                out["cases"].append({
                    "format": fmt, "user": user, "text": text,
                    # what the C++ must reproduce: tokenizer.json through HF tokenizers
                    "ids_reference": raw.encode(text, add_special_tokens=True).ids,
                    "ids_clean": raw.encode(text, add_special_tokens=False).ids,
                    # what transformers itself does (may differ if it rebuilt the tokenizer from tokenizer.model)
                    "ids_transformers_reference": ids_of(tok(text)),
                    "ids_transformers_clean": clean})
        except Exception as e:
            out["errors"].append("%s: %r" % (fmt, e))
            print("FAILED chat", fmt, repr(e), file=sys.stderr)
    if llama3_path and os.path.exists(llama3_path):
        try:
            import jinja2
            env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
            template = env.from_string(LLAMA3_TEMPLATE)
            enc = llama3_encoding(llama3_path)
            bos = enc._special_tokens["<|begin_of_text|>"]
            for user in users:
                text = template.render(messages=messages(user), bos_token="<|begin_of_text|>",
                                       add_generation_prompt=True)
                clean = enc.encode(text, allowed_special="all", disallowed_special=())
                out["cases"].append({"format": "llama3", "user": user, "text": text,
                                     "ids_reference": [bos] + clean, "ids_clean": clean})
        except Exception as e:
            out["errors"].append("llama3: %r" % (e,))
            print("FAILED chat llama3", repr(e), file=sys.stderr)
    return out


def write(path, obj):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, os.path.getsize(path), "bytes")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", required=True, help="../shared/data/models")
    ap.add_argument("--corpus", required=True, help="tests/fixtures/tokenizer/corpus.jsonl")
    ap.add_argument("--out", required=True)
    ap.add_argument("--fixtures", default=os.path.join(here, "..", "..", "tests", "fixtures", "tokenizer"),
                    help="folder holding the tiny-* tokenizer.json fixtures")
    ap.add_argument("--extra", action="append", default=[], metavar="NAME=TOKENIZER_JSON",
                    help="more tokenizer.json files to encode (e.g. an embedder or a test model's own)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(args.corpus, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]

    jobs = [("llama2", os.path.join(args.models, "llama2-tokenizer", "tokenizer.json")),
            ("mistral-v0.3", os.path.join(args.models, "mistral-7b-instruct-v0.3", "tokenizer.json"))]
    jobs = [(name, path, False) for name, path in jobs]
    # The tiny vocabularies give many tokens per text: a subset (edge cases, every other response) keeps them small.
    responses = [r for r in rows if r["kind"] == "response"]
    small = [r for r in rows if r["kind"] == "edge"] + responses[::2]
    for sub in ("tiny-wordpiece", "tiny-bytelevel-llama3", "tiny-bytelevel-gpt2"):
        jobs.append((sub, os.path.join(args.fixtures, sub, "tokenizer.json"), True))
    # The test models' and the demo model's own tokenizers (made by other golden scripts), when present.
    repo = os.path.join(here, "..", "..")
    for name, rel in (("model-tiny-mha", "tests/fixtures/models/tiny-mha"),
                      ("model-tiny-gqa-llama3", "tests/fixtures/models/tiny-gqa-llama3"),
                      ("model-tiny-bert", "tests/fixtures/models/tiny-bert"),
                      ("demo-model", "resources/demo/model")):
        jobs.append((name, os.path.join(repo, rel, "tokenizer.json"), True))
    jobs += [tuple(e.split("=", 1)) + (False,) for e in args.extra]
    failures = 0
    for name, path, subset in jobs:
        if not os.path.exists(path):
            print("skip", name, "(no", path + ")")
            continue
        try:
            golden = golden_hf(name, path, small if subset else rows)
            golden["subset"] = subset
            write(os.path.join(args.out, name + ".json"), golden)
        except Exception as e:  # keep going: one broken tokenizer must not cost the others
            failures += 1
            print("FAILED", name, repr(e), file=sys.stderr)
    llama3 = os.path.join(args.models, "llama3-tokenizer", "tokenizer.model")
    if os.path.exists(llama3):
        try:
            golden = golden_tiktoken("llama3", llama3, rows)
            golden["subset"] = False
            write(os.path.join(args.out, "llama3.json"), golden)
        except Exception as e:
            failures += 1
            print("FAILED llama3", repr(e), file=sys.stderr)
    try:
        write(os.path.join(args.out, "chat.json"), chat_golden(args.models, rows, llama3))
    except Exception as e:
        failures += 1
        print("FAILED chat", repr(e), file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
