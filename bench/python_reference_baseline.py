#!/usr/bin/env python3
"""The baseline for bench/gpu_bench.sh: ReDeEP's token-level detection as the published code runs it
(SPEC §2, §4): Hugging Face eager forward with output_attentions and output_hidden_states, pre-MLP
residuals, two logit-lens views [T, V] for every knowledge layer, ECS for every copy head, fp16,
batch 1. It reads the prompts and responses that a HalluScope session scored, so both sides see the
same inputs.

Usage: python3 bench/python_reference_baseline.py --model DIR --session FILE --copy-heads FILE --limit N
Prints one JSON line: samples, seconds, samples_per_minute, peak_memory_gb.
"""
import argparse
import json
import sqlite3
import time

import torch
import torch.nn.functional as F
from tokenizers import Tokenizer
from transformers import AutoModelForCausalLM

TEMPLATE = "<s>[INST] <<SYS>>\nYou are a helpful assistant.\n<</SYS>>\n\n{} [/INST]"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--session", required=True)
    ap.add_argument("--copy-heads", required=True)
    ap.add_argument("--limit", type=int, default=20)
    args = ap.parse_args()
    tok = Tokenizer.from_file(args.model + "/tokenizer.json")
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float16, attn_implementation="eager").cuda().eval()
    heads = json.load(open(args.copy_heads))
    L = model.config.num_hidden_layers
    mids = {}
    for i, layer in enumerate(model.model.layers):
        layer.post_attention_layernorm.register_forward_pre_hook(lambda m, a, i=i: mids.__setitem__(i, a[0]))
    rows = sqlite3.connect(args.session).execute("SELECT prompt, response FROM samples ORDER BY seq LIMIT ?", (args.limit,)).fetchall()
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    t0 = time.time()
    checksum = 0.0
    for prompt, resp in rows:
        templ = TEMPLATE.format(prompt[:12000].rstrip())
        ids = torch.tensor([tok.encode(templ + resp).ids], device="cuda")
        prefix = len(tok.encode(templ).ids)
        T = ids.shape[1]
        with torch.no_grad():
            out = model(ids, output_attentions=True, output_hidden_states=True, use_cache=True)
            hs = out.hidden_states[-1][0]
            norm, head = model.model.norm, model.lm_head
            pks = []
            for l in range(L):  # the reference's logits_dict: two [T, V] views per layer
                a = head(out.hidden_states[l + 1][0] if l == L - 1 else norm(out.hidden_states[l + 1][0]))
                b = head(norm(mids[l][0]))
                lp, lq = F.log_softmax(a.float(), -1), F.log_softmax(b.float(), -1)
                m = 0.5 * (lp.exp() + lq.exp())
                js = 0.5 * (F.kl_div(lp, m, reduction="none") + F.kl_div(lq, m, reduction="none"))
                pks.append(js[prefix - 1:T - 1].mean(-1) * 1e6)
            K = int(0.1 * prefix)
            ecs = []
            for l, h in heads:
                A = out.attentions[l][0, h, prefix - 1:T - 1, :prefix]
                idx = torch.topk(A, K, dim=-1).indices
                ecs.append(F.cosine_similarity(hs[idx].mean(1), hs[prefix - 1:T - 1], dim=-1))
            checksum += float(torch.stack(pks).sum() + torch.stack(ecs).sum())
    torch.cuda.synchronize()
    sec = time.time() - t0
    print(json.dumps({"samples": len(rows), "seconds": sec, "samples_per_minute": 60 * len(rows) / sec,
                      "peak_memory_gb": torch.cuda.max_memory_allocated() / 2**30, "checksum": checksum}))


if __name__ == "__main__":
    main()
