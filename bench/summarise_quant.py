#!/usr/bin/env python3
"""Turns bench/gpu_bench_quant.sh's outputs into one JSON per configuration under bench/results/.

    python3 bench/summarise_quant.py RUN_DIR RESULTS_DIR COMMAND

Each result holds date, GPU, commit ($HS_COMMIT), command, samples/min (whole command, model load
included, and steady state), load seconds, peak allocated memory, the ratio to bf16 measured in the same
run, and the fidelity against bf16 (7B random model: a floor) and against f32 (demo model, real weights).
The T4 entry adds a labelled *estimate* of throughput on a real T4 from FLOP and byte counts.
"""
import datetime
import json
import os
import subprocess
import sys

run, out, command = sys.argv[1], sys.argv[2], sys.argv[3]


def load(name):
    try:
        with open(os.path.join(run, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def gpu_name():
    try:
        return subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True,
                              text=True, check=True).stdout.strip().splitlines()[0]
    except Exception:
        return "unknown"


def steady(hs):
    t = hs.get("time_breakdown_s", {})
    busy = t.get("forward", 0) + t.get("extract", 0) + t.get("save", 0)
    return 60.0 * hs["processed"] / busy if busy > 0 else None


def fidelity(f):
    if not f or f.get("failed"):
        return None
    return {"ecs_min_pearson": f["ecs"]["min_pearson"], "ecs_mean_pearson": f["ecs"]["mean_pearson"],
            "pks_min_pearson": f["pks"]["min_pearson"], "pks_mean_pearson": f["pks"]["mean_pearson"],
            "units": f["units"]}


def demo_auc(fmt):
    a = load(f"auc_demo_{fmt}.json")
    try:
        return {"auc_mean": a["cv"]["pooled_auc"]["mean"], "auc_sd": a["cv"]["pooled_auc"]["sd"], "scorer": "ensemble, 5-fold grouped CV, seeds 0-2, held out"}
    except (TypeError, KeyError):
        return None


# Llama-2-7B shape over the 373 RAGTruth samples (mean 986 tokens): forward 13.3 TFLOP per sample plus
# ~3.4 TFLOP of logit lens (issue 12's count). A T4: 65 TFLOP/s f16 tensor cores, 320 GB/s.
def t4_estimate(hs):
    samples = hs.get("processed", 373) or 373
    flop = samples * (13.3e12 + 3.4e12)
    batches = samples * 986 * 1.1 / 2048          # the t4 profile's 2,048-token batches, ~10 % padding
    params = 6.48e9                               # projection weights
    per_forward = params * (0.5 + 2 + 2)          # read NF4, write the f16 scratch, the GEMM reads it
    seconds = flop / 65e12 + batches * per_forward / 320e9
    return {"estimate": True, "samples_per_min_upper_bound": 60.0 * samples / seconds,
            "assumptions": "roofline: every GEMM at the T4's 65 TFLOP/s f16 peak, every dequantisation at "
                           "320 GB/s; real kernels reach perhaps half of that"}


date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
base = load("hs_bf16.json")
os.makedirs(out, exist_ok=True)
configs = ["bf16", "int8", "nf4", "nf4dq", "fp8", "fp8head", "t4", "chunk_bf16", "chunk_fp8"]
demo_fmt = {"int8": "int8", "nf4": "nf4", "fp8": "fp8"}
for c in configs:
    hs = load(f"hs_{c}.json")
    if not hs or hs.get("failed"):
        print(f"{c}: failed (see {run}/bench.txt)")
        continue
    ref = load("hs_chunk_bf16.json") if c.startswith("chunk") else base
    r = {
        "date": date, "gpu": gpu_name(), "commit": os.environ.get("HS_COMMIT", "unknown"), "command": command,
        "config": c, "model": "Llama-2-7B shape, random bf16 weights (bench/make_random_llama7b.py)",
        "samples": hs["processed"], "samples_per_min_whole": hs["samples_per_minute"],
        "samples_per_min_steady": steady(hs), "load_s": hs["time_breakdown_s"]["load"],
        "peak_allocated_mb": hs.get("peak_allocated_mb"), "time_breakdown_s": hs["time_breakdown_s"],
    }
    if ref and not ref.get("failed") and steady(ref):
        r["steady_ratio_to_bf16_same_run"] = (steady(hs) or 0) / steady(ref)
    r["fidelity_vs_bf16_7b_random"] = fidelity(load(f"fid_{c}.json"))
    if c in demo_fmt:
        r["fidelity_vs_f32_demo_model"] = fidelity(load(f"fid_demo_{demo_fmt[c]}.json"))
        r["demo_held_out_auc"] = demo_auc(demo_fmt[c])
        r["demo_held_out_auc_f32"] = demo_auc("none")
    if c == "t4":
        r["t4_throughput"] = t4_estimate(hs)
    path = os.path.join(out, f"{date}-quant-{c}.json")
    with open(path, "w") as f:
        json.dump(r, f, indent=1)
    print(f"{c}: {r['samples_per_min_steady'] or 0:.0f} samples/min steady, {r['samples_per_min_whole']:.0f} whole, "
          f"peak {(r['peak_allocated_mb'] or 0) / 1024:.1f} GiB, ratio {r.get('steady_ratio_to_bf16_same_run', 0):.2f} -> {path}")
