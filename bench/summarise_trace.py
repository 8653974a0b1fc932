#!/usr/bin/env python3
"""Where a run's time goes, from the Chrome trace that `halluscope-cli detect --trace FILE` writes:
GPU kernel time summed by kernel name (and by coarse family: GEMM, attention, elementwise, ...),
the named spans (forward, extract, attention, copy_head_probabilities), and the GPU's busy share
of the traced wall time.
Usage: python3 bench/summarise_trace.py TRACE.json [--top 25] [--json OUT.json]"""
import argparse
import collections
import json


def family(name):
    n = name.lower()
    for key, fam in (("gemm", "gemm"), ("cutlass", "gemm"), ("sm90_xmma", "gemm"), ("cublas", "gemm"),
                     ("flash", "attention"), ("fmha", "attention"), ("attention", "attention"),
                     ("softmax", "softmax"), ("reduce", "reduction"), ("cat", "copy"), ("copy", "copy"),
                     ("index", "index"), ("elementwise", "elementwise")):
        if key in n:
            return fam
    return "other"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--json")
    a = ap.parse_args()
    events = json.load(open(a.trace))
    events = events.get("traceEvents", events) if isinstance(events, dict) else events
    kernels, spans, fams = collections.Counter(), collections.Counter(), collections.Counter()
    counts = collections.Counter()
    t0, t1, busy = float("inf"), 0.0, 0.0
    for e in events:
        if e.get("ph") != "X":
            continue
        cat, dur = e.get("cat", ""), float(e.get("dur", 0))
        t0, t1 = min(t0, e["ts"]), max(t1, e["ts"] + dur)
        if cat == "kernel":
            kernels[e["name"]] += dur
            counts[e["name"]] += 1
            fams[family(e["name"])] += dur
            busy += dur
        elif cat in ("user_annotation", "gpu_user_annotation"):
            spans[(cat, e["name"])] += dur
    wall = (t1 - t0) if t1 > t0 else 0.0
    out = {"wall_s": wall / 1e6, "gpu_kernel_s": busy / 1e6, "gpu_busy_share": busy / wall if wall else None,
           "families_s": {k: v / 1e6 for k, v in fams.most_common()},
           "spans_s": {f"{c}:{n}": v / 1e6 for (c, n), v in spans.most_common()},
           "top_kernels": [{"name": k[:160], "s": v / 1e6, "launches": counts[k]} for k, v in kernels.most_common(a.top)]}
    print(json.dumps(out, indent=1))
    if a.json:
        json.dump(out, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
