#!/usr/bin/env python3
"""A tiny random BERT (BGE-base-en-v1.5 layout) and its sentence embeddings, for the C++ embedder test.

Usage (GPU machine, transformers 5.x): python3 tools/golden/make_bert_fixture.py --tokenizer tests/fixtures/tokenizer/tiny-wordpiece/tokenizer.json --out DIR
Writes DIR/tiny-bert/{config.json, model.safetensors, tokenizer.json} and DIR/bert_embeddings.json:
CLS pooling of the last hidden state, L2-normalised (what sentence-transformers does for BGE with
normalize_embeddings=True), float32 on the CPU.
"""
import argparse
import json
import os
import shutil

import torch
from tokenizers import Tokenizer
from transformers import BertConfig, BertModel

TEXTS = [
    "The Harbor Museum was founded by Maria Costa in 1987.",
    "It is located in Porto.",
    "Nordic Steel earned 42 million euros in March.",
    "Blue Fern Cafe is a cafe in Dallas rated 3 stars.",
    "Unable to answer based on given passages.",
    "",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    tok = Tokenizer.from_file(args.tokenizer)
    torch.manual_seed(7)
    cfg = BertConfig(vocab_size=tok.get_vocab_size(), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=64, max_position_embeddings=128, type_vocab_size=2, layer_norm_eps=1e-12,
                     hidden_act="gelu")
    model = BertModel(cfg, add_pooling_layer=True).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 0.2)
    folder = os.path.join(args.out, "tiny-bert")
    os.makedirs(folder, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)
    shutil.copy(args.tokenizer, os.path.join(folder, "tokenizer.json"))
    rows = []
    for t in TEXTS:
        enc = tok.encode(t)
        ids = torch.tensor([enc.ids])
        with torch.no_grad():
            out = model(input_ids=ids, attention_mask=torch.ones_like(ids), token_type_ids=torch.zeros_like(ids))
        cls = out.last_hidden_state[0, 0]
        rows.append({"text": t, "ids": enc.ids, "embedding": torch.nn.functional.normalize(cls, dim=0).tolist()})
    json.dump({"texts": rows}, open(os.path.join(args.out, "bert_embeddings.json"), "w"))
    print("wrote", folder)


if __name__ == "__main__":
    main()
