#!/usr/bin/env python3
"""Build the tiny Llama fixtures and their Hugging Face golden outputs.

Run on a machine with torch + transformers + tokenizers + safetensors (the GPU machine):

    python3 tools/golden/make_model_fixtures.py --out tests/fixtures/models

Everything runs on the CPU with fixed seeds, so two runs give the same files. What it writes:

  tiny-mha/              2 layers, hidden 64, 4 heads / 4 kv heads, tied embeddings, plain RoPE, fp32
  tiny-gqa-llama3/       3 layers, hidden 64, 4 heads / 2 kv heads, untied, llama3 rope scaling, fp32
  tiny-mha-sharded/      tiny-mha's tensors split over two shards + model.safetensors.index.json
  tiny-mha-bf16/         tiny-mha's tensors rounded to bf16
  tiny-gqa-llama3-f16/   tiny-gqa-llama3's tensors rounded to fp16
  golden/<model>.<case>.safetensors   reference forward outputs (see GOLDEN KEYS below)
  MANIFEST.json          versions, files, sizes, sha256

Each model folder holds config.json, model.safetensors (or shards), tokenizer.json (a small byte-level BPE
trained here on a fixed text) and, when transformers can write it, tokenizer_config.json.

GOLDEN KEYS (float32 unless said; B = batch, T = padded length, D = hidden, H = heads, V = vocab, L = layers)
  input_ids [B,T] I64, attention_mask [B,T] I64, lengths [B] I64 (right padding, pad id = <pad>)
  logits [B,T,V]
  hidden_states.i [B,T,D] for i = 0..L, exactly as HF returns them (i = 0 is the embedding output; for i = L
                  HF has applied the final norm); left out of the -bf16 / -f16 copies' goldens
  resid_mid.l [B,T,D]         input of layer l's post_attention_layernorm = x + attn(x)  (hook)
  resid_out.l [B,T,D]         output of decoder layer l (hook)
  final_norm [B,T,D]          output of model.norm (hook)
  attn.l [B,H,T,T]            eager attention probabilities (HF output_attentions)
  rope.inv_freq [head_dim/2]  the inverse frequencies HF actually used (after llama3 scaling)
Only positions < lengths[b] (rows and columns) are meaningful for padded sequences.

The reference forward runs in float64 on a copy of the model and is stored as float32, so a float32 C++
forward can be held to 1e-4. The script checks itself: reloading each saved folder with from_pretrained
must give the same logits, and HF's rotary inverse frequencies must match the llama3 formula.
"""
import argparse
import copy
import hashlib
import inspect
import json
import math
import os
import shutil
import sys

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402
import transformers  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers  # noqa: E402
from transformers import LlamaConfig, LlamaForCausalLM  # noqa: E402

SPECIALS = ["<s>", "</s>", "<pad>"]  # ids 0, 1, 2 (trainer puts special tokens first)

# A fixed, small text for the tokenizers: enough repetition to learn a few hundred merges.
CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "Retrieval-augmented generation answers questions from a set of passages.",
    "A hallucination is a statement that the passages do not support.",
    "According to the passage, the bridge opened in 1932 and carries six lanes of traffic.",
    "The museum is open from nine to five, except on Mondays and public holidays.",
    "Summarise the following news article in three sentences.",
    "Write an overview of the restaurant based on the structured data below.",
    "Answer the question using only the information in the documents.",
    "Paris is the capital of France; Berlin is the capital of Germany.",
    "The river flows north for two hundred kilometres before reaching the sea.",
    "Prices rose by 3.5 percent in March, the statistics office said on Tuesday.",
    "Caf\u00e9, na\u00efve, r\u00e9sum\u00e9: accents are bytes too. \u6771\u4eac and emoji \U0001F600 as well.",
    "Tabs\tand  double  spaces\nand new lines are kept.",
] * 4

PROMPTS = {
    # one sequence, no padding
    "single": ["According to the passage, the museum opened in 1932 and the bridge carries six lanes."],
    # two sequences of different lengths, right-padded, with an attention mask
    "batch": [
        "Short answer: Paris.",
        "Summarise the article: prices rose by 3.5 percent in March, the office said on Tuesday.",
    ],
}
MAX_TOKENS = 32

EMBED_STD = 0.5
WEIGHT_STD = 0.15  # larger than HF's 0.02 so attention is peaked and the test can tell heads apart

MODEL_SPECS = {
    "tiny-mha": dict(
        seed=1234, vocab=320, hidden=64, intermediate=96, layers=2, heads=4, kv_heads=4, head_dim=16,
        tie=True, rope_theta=10000.0, rope_scaling=None, max_pos=2048, eps=1e-6,
    ),
    "tiny-gqa-llama3": dict(
        seed=4321, vocab=288, hidden=64, intermediate=96, layers=3, heads=4, kv_heads=2, head_dim=16,
        tie=False, rope_theta=10000.0, max_pos=2048, eps=1e-5,
        # with head_dim 16 and theta 1e4 the wavelengths are 6.3, 19.9, 62.8, 199, ... so an original
        # context of 64 puts one frequency in each llama3 branch: kept, smoothed, divided by factor
        rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                          original_max_position_embeddings=64),
    ),
}


def log(msg):
    print(msg, flush=True)


def fail(msg):
    print("make_model_fixtures: ERROR: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


# ---------------------------------------------------------------------------------------------- tokenizer

def train_tokenizer(vocab_size):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=1, special_tokens=SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(CORPUS, trainer=trainer)
    for i, s in enumerate(SPECIALS):
        if tok.token_to_id(s) != i:
            fail(f"special token {s} got id {tok.token_to_id(s)}, expected {i}")
    if tok.get_vocab_size() > vocab_size:
        fail(f"tokenizer vocabulary {tok.get_vocab_size()} exceeds the model's {vocab_size}")
    return tok


def save_tokenizer(tok, folder):
    tok.save(os.path.join(folder, "tokenizer.json"))
    try:  # tokenizer_config.json for AutoTokenizer; optional
        from transformers import PreTrainedTokenizerFast
        fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>")
        fast.save_pretrained(folder)
        tok.save(os.path.join(folder, "tokenizer.json"))  # keep our exact file
    except Exception as e:  # noqa: BLE001
        log(f"  note: tokenizer_config.json not written ({e})")


def encode_batch(tok, texts):
    seqs = []
    for t in texts:
        ids = [SPECIALS.index("<s>")] + tok.encode(t, add_special_tokens=False).ids
        seqs.append(ids[:MAX_TOKENS])
    T = max(len(s) for s in seqs)
    pad = SPECIALS.index("<pad>")
    input_ids = torch.full((len(seqs), T), pad, dtype=torch.int64)
    mask = torch.zeros((len(seqs), T), dtype=torch.int64)
    for b, s in enumerate(seqs):
        input_ids[b, :len(s)] = torch.tensor(s, dtype=torch.int64)
        mask[b, :len(s)] = 1
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.int64)
    return input_ids, mask, lengths


# ------------------------------------------------------------------------------------------------- model

def make_config(spec):
    kw = dict(
        vocab_size=spec["vocab"], hidden_size=spec["hidden"], intermediate_size=spec["intermediate"],
        num_hidden_layers=spec["layers"], num_attention_heads=spec["heads"],
        num_key_value_heads=spec["kv_heads"], head_dim=spec["head_dim"], hidden_act="silu",
        max_position_embeddings=spec["max_pos"], rms_norm_eps=spec["eps"], initializer_range=0.02,
        tie_word_embeddings=spec["tie"], attention_bias=False, mlp_bias=False, use_cache=False,
        bos_token_id=0, eos_token_id=1, pad_token_id=2,
    )
    params = inspect.signature(LlamaConfig.__init__).parameters
    scaling = spec["rope_scaling"]
    if "rope_parameters" in params:  # transformers >= 5
        rp = {"rope_type": "default", "rope_theta": spec["rope_theta"]}
        if scaling:
            rp = dict(scaling)
            rp["rope_theta"] = spec["rope_theta"]
        kw["rope_parameters"] = rp
    else:  # transformers 4.x
        kw["rope_theta"] = spec["rope_theta"]
        kw["rope_scaling"] = dict(scaling) if scaling else None
    return LlamaConfig(**kw)


def build_model(config):
    try:
        model = LlamaForCausalLM._from_config(config, attn_implementation="eager")
    except Exception:  # noqa: BLE001
        config._attn_implementation = "eager"
        model = LlamaForCausalLM(config)
    if hasattr(model, "set_attn_implementation"):
        try:
            model.set_attn_implementation("eager")
        except Exception:  # noqa: BLE001
            pass
    impl = getattr(model.config, "_attn_implementation", None)
    if impl != "eager":
        fail(f"could not select eager attention (got {impl!r}); attention probabilities would be missing")
    return model.float().eval()


def randomize(model, seed):
    """Overwrite HF's init with a fixed, larger-scale one (named_parameters skips the tied lm_head)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters(), key=lambda kv: kv[0]):
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g, dtype=torch.float32))
            elif "embed_tokens" in name:
                p.copy_(EMBED_STD * torch.randn(p.shape, generator=g, dtype=torch.float32))
            else:
                p.copy_(WEIGHT_STD * torch.randn(p.shape, generator=g, dtype=torch.float32))


def expected_inv_freq(spec):
    """The llama3 formula written out independently of transformers (float64)."""
    d = spec["head_dim"]
    inv = [1.0 / (spec["rope_theta"] ** (i / d)) for i in range(0, d, 2)]
    s = spec["rope_scaling"]
    if not s:
        return inv
    factor, lo, hi, old = s["factor"], s["low_freq_factor"], s["high_freq_factor"], s["original_max_position_embeddings"]
    lo_wl, hi_wl = old / lo, old / hi
    out = []
    for f in inv:
        wl = 2 * math.pi / f
        if wl < hi_wl:
            out.append(f)
        elif wl > lo_wl:
            out.append(f / factor)
        else:
            smooth = (old / wl - lo) / (hi - lo)
            out.append((1 - smooth) * f / factor + smooth * f)
    return out


def rotary_inv_freq(model):
    rot = getattr(model.model, "rotary_emb", None)
    if rot is None or not hasattr(rot, "inv_freq"):
        rot = getattr(model.model.layers[0].self_attn, "rotary_emb", None)
    if rot is None or not hasattr(rot, "inv_freq"):
        fail("cannot find the rotary embedding's inv_freq buffer")
    return rot.inv_freq.detach().to(torch.float64).cpu()


def check_rope(model, spec, name):
    got = rotary_inv_freq(model)
    want = torch.tensor(expected_inv_freq(spec), dtype=torch.float64)
    if got.shape != want.shape or not torch.allclose(got, want, rtol=1e-5, atol=1e-9):
        fail(f"{name}: HF inv_freq {got.tolist()} differs from the llama3 formula {want.tolist()}")
    if spec["rope_scaling"]:
        plain = torch.tensor(expected_inv_freq(dict(spec, rope_scaling=None)), dtype=torch.float64)
        n_changed = int((~torch.isclose(got, plain, rtol=1e-6)).sum())
        if n_changed < 2:
            fail(f"{name}: llama3 scaling changed only {n_changed} frequencies; the fixture would not test it")
    log(f"  rope ok: inv_freq = {[round(x, 6) for x in got.tolist()]}")


# ----------------------------------------------------------------------------------------------- forward

def first(x):
    return x[0] if isinstance(x, (tuple, list)) else x


def run_forward(model, input_ids, mask):
    caps, hooks = {}, []
    try:
        for i, layer in enumerate(model.model.layers):
            hooks.append(layer.post_attention_layernorm.register_forward_pre_hook(
                lambda m, a, i=i: caps.__setitem__(f"resid_mid.{i}", first(a).detach().clone())))
            hooks.append(layer.register_forward_hook(
                lambda m, a, o, i=i: caps.__setitem__(f"resid_out.{i}", first(o).detach().clone())))
        hooks.append(model.model.norm.register_forward_hook(
            lambda m, a, o: caps.__setitem__("final_norm", first(o).detach().clone())))
        with torch.no_grad():
            out = model(input_ids=input_ids, attention_mask=mask, output_attentions=True,
                        output_hidden_states=True, use_cache=False, return_dict=True)
    finally:
        for h in hooks:
            h.remove()
    L = len(model.model.layers)
    if out.attentions is None or len(out.attentions) != L or any(a is None for a in out.attentions):
        fail("the forward returned no attention probabilities (is eager attention active?)")
    if out.hidden_states is None or len(out.hidden_states) != L + 1:
        fail("the forward returned no hidden states")
    res = {"logits": out.logits.detach()}
    for i, h in enumerate(out.hidden_states):
        res[f"hidden_states.{i}"] = h.detach()
    for i, a in enumerate(out.attentions):
        res[f"attn.{i}"] = a.detach()
    for k in ["final_norm"] + [f"resid_mid.{i}" for i in range(L)] + [f"resid_out.{i}" for i in range(L)]:
        if k not in caps:
            fail(f"hook for {k} did not fire")
        res[k] = caps[k]
    return res


def golden_for(model, name, case, tok, spec, out_dir, full=True):
    input_ids, mask, lengths = encode_batch(tok, PROMPTS[case])
    r32 = run_forward(model, input_ids, mask)
    compute = "float64"
    try:
        m64 = copy.deepcopy(model).double()
        ref = run_forward(m64, input_ids, mask)
        diff = max(float((ref[k].float() - r32[k].float()).abs().max()) for k in ("logits", "final_norm"))
        log(f"  {case}: float32 vs float64 max |diff| = {diff:.2e}")
    except Exception as e:  # noqa: BLE001
        log(f"  {case}: float64 forward failed ({e}); using float32 as the reference")
        ref, compute = r32, "float32"
    # sanity: attention rows over valid keys sum to 1
    for k, a in ref.items():
        if k.startswith("attn."):
            for b in range(a.shape[0]):
                n = int(lengths[b])
                s = a[b, :, :n, :n].sum(-1).double()
                if not torch.allclose(s, torch.ones_like(s), atol=1e-4):
                    fail(f"{name}/{case}: {k} rows do not sum to 1 over valid keys")
    # the cast copies' goldens leave out HF's hidden_states (the hooks' captures cover them) to stay small
    # clone: HF may return one tensor under two names, and save_file refuses shared storage
    tensors = {k: v.detach().to(torch.float32).contiguous().clone() for k, v in ref.items()
               if full or not k.startswith("hidden_states.")}
    tensors["input_ids"] = input_ids.contiguous()
    tensors["attention_mask"] = mask.contiguous()
    tensors["lengths"] = lengths.contiguous()
    tensors["rope.inv_freq"] = rotary_inv_freq(model).to(torch.float32).contiguous()
    meta = {"model": name, "case": case, "compute_dtype": compute, "torch": torch.__version__,
            "transformers": transformers.__version__, "prompts": json.dumps(PROMPTS[case])}
    path = os.path.join(out_dir, "golden", f"{name}.{case}.safetensors")
    save_file(tensors, path, metadata=meta)
    log(f"  wrote {path} (B={input_ids.shape[0]}, T={input_ids.shape[1]}, lengths={lengths.tolist()})")
    return r32["logits"]


# ----------------------------------------------------------------------------------------------- folders

def read_folder_tensors(folder):
    single = os.path.join(folder, "model.safetensors")
    if os.path.exists(single):
        return load_file(single)
    index = os.path.join(folder, "model.safetensors.index.json")
    if not os.path.exists(index):
        fail(f"{folder}: save_pretrained wrote no safetensors file")
    with open(index) as f:
        wm = json.load(f)["weight_map"]
    out = {}
    for shard in sorted(set(wm.values())):
        out.update(load_file(os.path.join(folder, shard)))
    return out


def copy_side_files(src, dst):
    for fn in ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
               "special_tokens_map.json"):
        if os.path.exists(os.path.join(src, fn)):
            shutil.copyfile(os.path.join(src, fn), os.path.join(dst, fn))


def set_config_dtype(folder, dtype_name):
    path = os.path.join(folder, "config.json")
    with open(path) as f:
        cfg = json.load(f)
    keys = [k for k in ("torch_dtype", "dtype") if k in cfg] or ["torch_dtype"]
    for k in keys:
        cfg[k] = dtype_name
    with open(path, "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")


def write_sharded(src, dst):
    os.makedirs(dst, exist_ok=True)
    copy_side_files(src, dst)
    tensors = read_folder_tensors(src)
    names = sorted(tensors)
    half = len(names) // 2
    parts = [names[:half], names[half:]]
    weight_map, total = {}, 0
    for i, part in enumerate(parts):
        fn = f"model-{i + 1:05d}-of-{len(parts):05d}.safetensors"
        save_file({n: tensors[n].contiguous() for n in part}, os.path.join(dst, fn), metadata={"format": "pt"})
        for n in part:
            weight_map[n] = fn
            total += tensors[n].numel() * tensors[n].element_size()
    with open(os.path.join(dst, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2, sort_keys=True)
        f.write("\n")
    log(f"  wrote {dst} ({len(parts)} shards)")


def write_cast_copy(src, dst, dtype, dtype_name):
    os.makedirs(dst, exist_ok=True)
    copy_side_files(src, dst)
    set_config_dtype(dst, dtype_name)
    tensors = {n: t.to(dtype).contiguous() for n, t in read_folder_tensors(src).items()}
    save_file(tensors, os.path.join(dst, "model.safetensors"), metadata={"format": "pt"})
    log(f"  wrote {dst} ({dtype_name})")


def rounded_copy(model, dtype):
    """The float32 model whose weights equal the cast copy's, upcast: its forward is the cast file's golden."""
    m = copy.deepcopy(model)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(p.to(dtype).to(torch.float32))
    return m


def check_reload(folder, logits, tok, name):
    """config.json must describe the model the golden came from (rope settings above all)."""
    try:
        m = LlamaForCausalLM.from_pretrained(folder, attn_implementation="eager").float().eval()
    except TypeError:
        m = LlamaForCausalLM.from_pretrained(folder).float().eval()
    ids, mask, _ = encode_batch(tok, PROMPTS["single"])
    with torch.no_grad():
        got = m(input_ids=ids, attention_mask=mask, use_cache=False).logits
    d = float((got - logits).abs().max())
    if d > 1e-5:
        fail(f"{name}: reloading {folder} changes the logits by {d:.2e}; config.json does not round-trip")
    log(f"  reload ok ({d:.1e})")


# -------------------------------------------------------------------------------------------------- main

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="tests/fixtures/models", help="output folder (replaced files only)")
    args = ap.parse_args()
    out = args.out
    os.makedirs(os.path.join(out, "golden"), exist_ok=True)
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float32)
    torch.use_deterministic_algorithms(True, warn_only=True)
    log(f"torch {torch.__version__}, transformers {transformers.__version__}")

    for name, spec in MODEL_SPECS.items():
        log(f"{name}:")
        folder = os.path.join(out, name)
        if os.path.isdir(folder):
            shutil.rmtree(folder)
        os.makedirs(folder)
        tok = train_tokenizer(spec["vocab"])
        torch.manual_seed(spec["seed"])
        model = build_model(make_config(spec))
        randomize(model, spec["seed"])
        check_rope(model, spec, name)
        model.save_pretrained(folder)
        save_tokenizer(tok, folder)
        single_logits = None
        for case in PROMPTS:
            lg = golden_for(model, name, case, tok, spec, out)
            if case == "single":
                single_logits = lg
        check_reload(folder, single_logits, tok, name)

        if name == "tiny-mha":
            d = os.path.join(out, "tiny-mha-sharded")
            shutil.rmtree(d, ignore_errors=True)
            write_sharded(folder, d)
            check_reload(d, single_logits, tok, "tiny-mha-sharded")
            d = os.path.join(out, "tiny-mha-bf16")
            shutil.rmtree(d, ignore_errors=True)
            write_cast_copy(folder, d, torch.bfloat16, "bfloat16")
            golden_for(rounded_copy(model, torch.bfloat16), "tiny-mha-bf16", "single", tok, spec, out, full=False)
        else:
            d = os.path.join(out, name + "-f16")
            shutil.rmtree(d, ignore_errors=True)
            write_cast_copy(folder, d, torch.float16, "float16")
            golden_for(rounded_copy(model, torch.float16), name + "-f16", "single", tok, spec, out, full=False)

    files, total = [], 0
    for root, _, fns in os.walk(out):
        for fn in sorted(fns):
            p = os.path.join(root, fn)
            if fn == "MANIFEST.json":
                continue
            size = os.path.getsize(p)
            total += size
            files.append({"path": os.path.relpath(p, out), "bytes": size, "sha256": sha256(p)})
    files.sort(key=lambda f: f["path"])
    manifest = {"generator": "tools/golden/make_model_fixtures.py", "torch": torch.__version__,
                "transformers": transformers.__version__, "total_bytes": total, "files": files}
    with open(os.path.join(out, "MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    log(f"total {total / 1e6:.2f} MB in {len(files)} files")
    if total > 3e6:
        log("WARNING: fixtures exceed 3 MB")


if __name__ == "__main__":
    main()
