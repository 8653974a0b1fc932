#!/usr/bin/env python3
"""Turns tools/gpu/batch_final.sh's outputs (final.tgz, unpacked) into one JSON per configuration under
bench/results/, each measured in the same job on the same 373 RAGTruth samples:

    python3 bench/summarise_speed.py RUN_DIR RESULTS_DIR

Each result holds date, GPU, commit, command, samples/min (whole command with the model load, and steady
state = forward + extract + save), load seconds, peak allocated memory, the per-phase breakdown, the ratio
to the bare Hugging Face batch-8 forward of the same job, and the feature check that belongs to it.
"""
import datetime
import json
import os
import sys

run, out = sys.argv[1], sys.argv[2]
COMMAND = "bash tools/gpu/batch_final.sh (device: nvidia-h200; carry .deps)"


def load(name):
    try:
        with open(os.path.join(run, name)) as f:
            text = f.read()
    except OSError:
        return None
    try:
        return json.loads(text)
    except ValueError:  # several JSON lines (hf_bare.json)
        rows = [json.loads(l) for l in text.splitlines() if l.strip().startswith("{")]
        return rows or None


def read(name, default="unknown"):
    try:
        return open(os.path.join(run, name)).read().strip() or default
    except OSError:
        return default


def steady(hs):
    t = hs.get("time_breakdown_s", {})
    busy = t.get("forward", 0) + t.get("extract", 0) + t.get("save", 0)
    return 60.0 * hs["processed"] / busy if busy > 0 else None


base = {"date": datetime.date.today().isoformat(), "gpu": read("gpu.txt"), "commit": read("commit.txt"),
        "command": COMMAND, "samples": "373 RAGTruth samples of ../shared (data/ragtruth), Llama-2-7B shape, random bf16 weights, "
        "32 copy heads x 32 layers"}
hf = {r["batch"]: r for r in (load("hf_bare.json") or [])}
hf8 = hf.get(8, {}).get("samples_per_minute")
written = []


def write(name, body):
    path = os.path.join(out, f"{base['date']}-h200-{name}.json")
    with open(path, "w") as f:
        json.dump({**base, "configuration": name, **body}, f, indent=1)
    written.append(path)


checks = {"token": "fid_fused_vs_aten.json", "token_fp8": "fid_fp8.json"}
for name, label in (("token", "HalluScope token level, bf16, fused kernels"), ("chunk", "HalluScope chunk level, bf16"),
                    ("token_fp8", "HalluScope token level, FP8 weights"),
                    ("token_aten", "HalluScope token level, bf16, ATen expressions (HS_FUSED_KERNELS=0)")):
    hs = load(f"hs_{name}.json")
    if not hs or "processed" not in hs:
        write(name, {"what": label, "failed": True, "stderr": read(f"hs_{name}.err", "")[-2000:]})
        continue
    s = steady(hs)
    write(name, {"what": label, "samples_per_minute_whole": hs["samples_per_minute"], "samples_per_minute_steady": s,
                 "load_s": hs["time_breakdown_s"]["load"], "time_breakdown_s": hs["time_breakdown_s"],
                 "peak_allocated_mb": hs.get("peak_allocated_mb"), "peak_reserved_mb": hs.get("peak_memory_mb"),
                 "processed": hs["processed"], "steady_vs_hf_bare_batch8": (s / hf8) if (s and hf8) else None,
                 "feature_check": load(checks[name]) if name in checks else None})
for b, r in hf.items():
    write(f"hf_bare_batch{b}", {"what": "bare Hugging Face forward (SDPA bf16, no captures)", **r})
py = load("py_ref.json")
if py:
    write("python_reference", {"what": "bench/python_reference_baseline.py (vectorised Python, same features)", **py})
trace = load("trace_summary.json")
if trace:
    write("trace_token_48", {"what": "kernel time of a traced token-level run of 48 samples (detect --trace)", **trace})
print("\n".join(written))
