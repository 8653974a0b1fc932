#!/usr/bin/env python3
"""Plain-Python transcription of ReDeEP's feature formulas (../shared/redeep/SPEC.md §1.3, §3, §4),
run with Hugging Face transformers on a model folder, to produce golden features for the C++ tests.

Reference mode, no chat template (the fixture models have none): the model input is
tok(prompt + response) with the tokenizer's own BOS; spans map to tokens by prefix token counts
(SPEC §1.3). Copy heads = all heads, knowledge layers = all layers. Computed in float32.
Chunk-level ECS uses the "llm-meanpool" embedder variant: the mean of the final normed hidden
states over a text's own positions in the same forward pass (no BGE in the fixtures).

Usage: python3 tools/golden/redeep_reference.py --model DIR --samples tests/fixtures/detect/golden_samples.json --out FILE.json
"""
import argparse
import json

import torch
import torch.nn.functional as F
from tokenizers import Tokenizer
from transformers import AutoModelForCausalLM


def js_terms(a, b):
    """Per-vocabulary terms of ReDeEP's divergence 1/2[KL(M||P)+KL(M||Q)] and of the textbook JSD."""
    lp, lq = F.log_softmax(a, -1), F.log_softmax(b, -1)
    p, q = lp.exp(), lq.exp()
    m = 0.5 * (p + q)
    ref = 0.5 * (F.kl_div(lp, m, reduction="none") + F.kl_div(lq, m, reduction="none"))
    lm = m.log()
    clean = 0.5 * (p * (lp - lm) + q * (lq - lm))
    return ref, clean


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--samples", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()

    tok = Tokenizer.from_file(args.model + "/tokenizer.json")  # encode() applies the post-processor
    model = AutoModelForCausalLM.from_pretrained(args.model, torch_dtype=torch.float32,
                                                 attn_implementation="eager").to(args.device).eval()
    L, H = model.config.num_hidden_layers, model.config.num_attention_heads
    mids = {}
    for i, layer in enumerate(model.model.layers):
        layer.post_attention_layernorm.register_forward_pre_hook(
            lambda mod, inp, i=i: mids.__setitem__(i, inp[0].detach()))

    def ntok(text):
        return len(tok.encode(text).ids)

    results = []
    for s in json.load(open(args.samples)):
        prompt, resp = s["prompt"], s["response"]
        ids = torch.tensor([tok.encode(prompt + resp).ids], device=args.device)
        T = ids.shape[1]
        prefix_len = ntok(prompt)
        with torch.no_grad():
            out = model(ids, output_attentions=True, output_hidden_states=True)
        hs_final = out.hidden_states[-1][0]          # final RMS-normed state (HF's last entry)
        norm, head = model.model.norm, model.lm_head

        def lens(l):
            x_out = out.hidden_states[l + 1][0]
            x_out = x_out if l == L - 1 else norm(x_out)  # HF's last entry is already normed
            return head(x_out), head(norm(mids[l][0]))

        hallu = [(ntok(prompt + resp[:h["start"]]), ntok(prompt + resp[:h["end"]])) for h in s["labels"]]
        lens_cache = [lens(l) for l in range(L)]
        terms = [js_terms(a, b) for a, b in lens_cache]   # each [T, V]

        # token level (SPEC §4)
        K = int(0.1 * prefix_len)
        token_rows = []
        for t in range(prefix_len - 1, T - 1):
            ecs = []
            for l in range(L):
                for h in range(H):
                    row = out.attentions[l][0, h, t, :prefix_len]
                    idx = torch.topk(row, K).indices
                    ecs.append(F.cosine_similarity(hs_final[idx].mean(0), hs_final[t], dim=0).item())
            pks = [(terms[l][0][t].mean() * 1e6).item() for l in range(L)]
            pks_clean = [terms[l][1][t].sum().item() for l in range(L)]
            label = int(any(h0 <= t <= h1 for h0, h1 in hallu))
            token_rows.append({"t": t, "label": label, "ecs": ecs, "pks": pks, "pks_clean": pks_clean})

        # chunk level (SPEC §3), llm-meanpool embeddings
        pchunks = [(ntok(prompt[:a]), ntok(prompt[:b])) for a, b in s["prompt_spans"]]
        chunk_rows = []
        for a, b in s["response_spans"]:
            r0, r1 = ntok(prompt + resp[:a]), ntok(prompt + resp[:b])
            remb = hs_final[r0:r1].mean(0)
            ecs, pstar = [], []
            for l in range(L):
                for h in range(H):
                    A = out.attentions[l][0, h]
                    sums = torch.stack([A[r0:r1, p0:p1].sum() for p0, p1 in pchunks])
                    j = int(torch.argmax(sums).item())   # first index on ties
                    p0, p1 = pchunks[j]
                    ecs.append(F.cosine_similarity(hs_final[p0:p1].mean(0), remb, dim=0).item())
                    pstar.append(j)
            pks = [terms[l][0][r0:r1].sum().item() for l in range(L)]
            pks_clean = [terms[l][1][r0:r1].sum(-1).mean().item() for l in range(L)]
            label = int(any(h0 <= t <= h1 for t in range(r0, r1) for h0, h1 in hallu))
            chunk_rows.append({"r_span": [r0, r1], "label": label, "p_star": pstar, "ecs": ecs,
                               "pks": pks, "pks_clean": pks_clean})
        results.append({"id": s["id"], "input_ids": ids[0].tolist(), "prefix_len": prefix_len,
                        "prompt_chunks": pchunks, "hallucination_tokens": hallu,
                        "token_rows": token_rows, "chunk_rows": chunk_rows})
    json.dump({"model": args.model, "layers": L, "heads": H, "samples": results}, open(args.out, "w"))
    print("wrote", args.out, sum(len(r["token_rows"]) for r in results), "token rows")


if __name__ == "__main__":
    main()
