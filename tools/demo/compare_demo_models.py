#!/usr/bin/env python3
"""Compare two demo-model HF folders (e.g. the shipped one and a re-training) tensor by tensor.

  python3 tools/demo/compare_demo_models.py resources/demo/model /tmp/demo-model [--tol 1e-4] [--json OUT]

Exit 0 when every tensor has the same name, shape and dtype and max |a - b| <= tol (relative to the
tensor's max |a|, floored at 1), the tokenizer files are identical, and the copy-head lists agree;
1 otherwise. Pure Python (reads the safetensors layout itself; F32 tensors only, as the demo model has),
so it runs on the CPU machine too.
"""
import array
import struct
import argparse
import hashlib
import json
import os
import sys


def load(folder):
    """name -> (dtype, shape, array('f')) for every tensor of folder/model.safetensors."""
    with open(os.path.join(folder, "model.safetensors"), "rb") as f:
        blob = f.read()
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + n])
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        if t["dtype"] != "F32":
            sys.exit(f"compare_demo_models: {name} is {t['dtype']}; only F32 is supported")
        a, b = t["data_offsets"]
        v = array.array("f")
        v.frombytes(blob[8 + n + a:8 + n + b])
        if sys.byteorder != "little":
            v.byteswap()
        out[name] = (t["dtype"], tuple(t["shape"]), v)
    return out


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def copy_heads(folder):
    p = os.path.join(folder, "training_summary.json")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f).get("copy_heads")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--json", help="write the per-tensor report here")
    o = ap.parse_args()
    ta, tb = load(o.a), load(o.b)
    rep = {"tensors": {}, "ok": True, "problems": []}
    if sorted(ta) != sorted(tb):
        rep["ok"] = False
        rep["problems"].append(f"tensor names differ: {sorted(set(ta) ^ set(tb))}")
    worst = 0.0
    for k in sorted(set(ta) & set(tb)):
        (da, sa, x), (db, sb, y) = ta[k], tb[k]
        if sa != sb or da != db:
            rep["ok"] = False
            rep["problems"].append(f"{k}: shape/dtype {sa}/{da} vs {sb}/{db}")
            continue
        d = max((abs(p - q) for p, q in zip(x, y)), default=0.0)
        rel = d / max(1.0, max((abs(p) for p in x), default=0.0))
        worst = max(worst, rel)
        rep["tensors"][k] = {"max_abs_diff": d, "rel": rel, "bit_identical": x.tobytes() == y.tobytes()}
        if rel > o.tol:
            rep["ok"] = False
            rep["problems"].append(f"{k}: max |diff| {d:.3g} (relative {rel:.3g}) > {o.tol}")
    rep["worst_relative_diff"] = worst
    rep["bit_identical"] = all(t["bit_identical"] for t in rep["tensors"].values()) and rep["ok"]
    for f in ("tokenizer.json", "config.json"):
        same = sha(os.path.join(o.a, f)) == sha(os.path.join(o.b, f))
        rep[f + "_identical"] = same
        if not same:
            rep["ok"] = False
            rep["problems"].append(f"{f} differs")
    ha, hb = copy_heads(o.a), copy_heads(o.b)
    rep["copy_heads"] = [ha, hb]
    if ha is not None and hb is not None and ha != hb:
        rep["ok"] = False
        rep["problems"].append(f"copy heads differ: {ha} vs {hb}")
    if o.json:
        with open(o.json, "w") as f:
            json.dump(rep, f, indent=1)
    print(json.dumps({k: v for k, v in rep.items() if k != "tensors"}))
    sys.exit(0 if rep["ok"] else 1)


if __name__ == "__main__":
    main()
