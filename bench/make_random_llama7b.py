#!/usr/bin/env python3
"""A Llama-2-7B-shaped model with random fp16 weights (no 7B weights can be fetched on the GPU
machine), saved as a sharded Hugging Face folder with the shared Llama-2 tokenizer: the same
shapes, hence the same cost, as the model the published ReDeEP numbers were measured on.
Usage: python3 bench/make_random_llama7b.py --tokenizer-dir DIR --out DIR [--layers 32]"""
import argparse
import shutil

import torch
from transformers import LlamaConfig, LlamaForCausalLM


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokenizer-dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--layers", type=int, default=32)
    args = ap.parse_args()
    cfg = LlamaConfig(vocab_size=32000, hidden_size=4096, intermediate_size=11008, num_hidden_layers=args.layers,
                      num_attention_heads=32, num_key_value_heads=32, max_position_embeddings=4096,
                      rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False, bos_token_id=1, eos_token_id=2)
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float16)
    with torch.device("cuda"):
        model = LlamaForCausalLM(cfg)
        for p in model.parameters():
            torch.nn.init.normal_(p, 0.0, 0.02)
        for n, p in model.named_parameters():
            if "norm" in n:
                torch.nn.init.ones_(p)
    model.save_pretrained(args.out, safe_serialization=True, max_shard_size="5GB")
    shutil.copy(args.tokenizer_dir + "/tokenizer.json", args.out + "/tokenizer.json")
    print("saved", args.out)


if __name__ == "__main__":
    main()
