#!/usr/bin/env python3
"""A small Llama with random f32 weights and a real tokenizer (e.g. ../shared's Llama-2 tokenizer.json), in
pure Python (no torch, no numpy), for CPU measurements that need real prompts: its vocabulary and context
are the real model's (32,000 tokens, 4,096 positions), its width is tiny, so a CPU runs thousands of samples.
Usage: python3 bench/make_small_random_llama.py --tokenizer-dir DIR --out DIR [--hidden 64 --layers 2]"""
import argparse
import json
import os
import random
import shutil
import struct


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokenizer-dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--vocab", type=int, default=32000)
    args = ap.parse_args()
    D, L, H, V, I = args.hidden, args.layers, args.heads, args.vocab, args.hidden * 3
    rng = random.Random(0)
    shapes = {"model.embed_tokens.weight": [V, D], "model.norm.weight": [D], "lm_head.weight": [V, D]}
    for l in range(L):
        p = f"model.layers.{l}."
        shapes.update({p + "input_layernorm.weight": [D], p + "post_attention_layernorm.weight": [D],
                       p + "self_attn.q_proj.weight": [D, D], p + "self_attn.k_proj.weight": [D, D],
                       p + "self_attn.v_proj.weight": [D, D], p + "self_attn.o_proj.weight": [D, D],
                       p + "mlp.gate_proj.weight": [I, D], p + "mlp.up_proj.weight": [I, D],
                       p + "mlp.down_proj.weight": [D, I]})
    header, blobs, offset = {}, [], 0
    for name in sorted(shapes):
        n = 1
        for s in shapes[name]:
            n *= s
        if "norm" in name:
            values = [1.0] * n
        else:
            std = 0.5 if "embed" in name else 1.0 / D ** 0.5
            values = [rng.gauss(0.0, std) for _ in range(n)]
        blob = struct.pack(f"<{n}f", *values)
        header[name] = {"dtype": "F32", "shape": shapes[name], "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": V, "hidden_size": D,
              "intermediate_size": I, "num_hidden_layers": L, "num_attention_heads": H, "num_key_value_heads": H,
              "max_position_embeddings": 4096, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
              "tie_word_embeddings": False, "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "float32"}
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        src = os.path.join(args.tokenizer_dir, name)
        if os.path.exists(src):
            shutil.copy(src, os.path.join(args.out, name))
    print("saved", args.out)


if __name__ == "__main__":
    main()
