#!/usr/bin/env python3
"""The speed floor for bench/gpu_bench.sh: a bare Hugging Face forward (SDPA, bf16, no captures, no logit
lens, no attention maps, use_cache=False) over the same prompt+response texts that a HalluScope session
scored, at batch 1 and at batch B (samples sorted by length, right-padded with an attention mask).
It extracts nothing, so HalluScope's steady state is compared against it.

Usage: python3 bench/hf_bare_forward.py --model DIR --session FILE [--batch 8] [--limit N]
Prints one JSON line per batch size: batch, samples, seconds, samples_per_minute, peak_allocated_gb, tokens."""
import argparse
import json
import sqlite3
import time

import torch
from tokenizers import Tokenizer
from transformers import AutoModelForCausalLM

TEMPLATE = "<s>[INST] <<SYS>>\nYou are a helpful assistant.\n<</SYS>>\n\n{} [/INST]"


def run(model, seqs, batch):
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    t0 = time.time()
    with torch.no_grad():
        for s in range(0, len(order), batch):
            group = [seqs[i] for i in order[s:s + batch]]
            T = max(len(x) for x in group)
            ids = torch.zeros((len(group), T), dtype=torch.long)
            mask = torch.zeros((len(group), T), dtype=torch.long)
            for b, x in enumerate(group):
                ids[b, :len(x)] = torch.tensor(x)
                mask[b, :len(x)] = 1
            out = model(ids.cuda(), attention_mask=mask.cuda() if batch > 1 else None, use_cache=False)
            out.logits[0, 0, 0].item()  # one sync per batch, as a consumer of the logits would
    torch.cuda.synchronize()
    sec = time.time() - t0
    return {"what": "hugging face bare forward", "batch": batch, "samples": len(seqs), "seconds": sec,
            "samples_per_minute": 60 * len(seqs) / sec, "tokens": sum(map(len, seqs)),
            "peak_allocated_gb": torch.cuda.max_memory_allocated() / 2**30}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--session", required=True)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--limit", type=int, default=100000)
    a = ap.parse_args()
    tok = Tokenizer.from_file(a.model + "/tokenizer.json")
    t0 = time.time()
    model = AutoModelForCausalLM.from_pretrained(a.model, dtype=torch.bfloat16, attn_implementation="sdpa", device_map="cuda").eval()
    torch.cuda.synchronize()
    load = time.time() - t0
    rows = sqlite3.connect(a.session).execute("SELECT prompt, response FROM samples ORDER BY seq LIMIT ?", (a.limit,)).fetchall()
    seqs = [tok.encode(TEMPLATE.format(p[:12000].rstrip()) + r).ids for p, r in rows]
    run(model, seqs[:8], 1)  # warm-up: cuBLAS handles, SDPA kernel choice
    for b in (1, a.batch):
        print(json.dumps({**run(model, seqs, b), "load_s": load}), flush=True)


if __name__ == "__main__":
    main()
