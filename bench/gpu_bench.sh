#!/usr/bin/env bash
# Detection speed and memory on a GPU: HalluScope (token and chunk level, the published 32 copy
# heads, all 32 layers) against the Python reference pipeline (bench/python_reference_baseline.py)
# on the same model and the same RAGTruth samples, measured in the same run.
#   bash bench/gpu_bench.sh MODEL_DIR HALLUSCOPE_CLI OUT_DIR [SHARED_DATA]
set -uo pipefail
M=$1 CLI=$2 R=$3 SH=${4:-.deps/shared/data}
H=$SH/ragtruth/redeep_official/topk_heads_llama2_7B.json
run() { echo "--- $*" >&2; time "$@"; }
rm -f $R/tok.hs* $R/chunk.hs*
echo "=== halluscope token level $(date +%T)"
run $CLI detect --model $M --dataset $SH/ragtruth --session $R/tok.hs --level token --copy-heads $H --profile h200 --json --quiet | tee $R/hs_token.json
echo "=== halluscope chunk level $(date +%T)"
run $CLI detect --model $M --dataset $SH/ragtruth --session $R/chunk.hs --level chunk --copy-heads $H --profile h200 --json --quiet | tee $R/hs_chunk.json
echo "=== halluscope token level, T4 profile (f16, 4,096-token batches: the memory a 16 GB card would see) $(date +%T)"
rm -f $R/tok_t4.hs*
run $CLI detect --model $M --dataset $SH/ragtruth --session $R/tok_t4.hs --level token --copy-heads $H --profile t4 --json --quiet | tee $R/hs_token_t4.json
echo "=== python reference (token level) $(date +%T)"
python3 bench/python_reference_baseline.py --model $M --session $R/tok.hs --copy-heads $H --limit 120 | tee $R/py_token.json
python3 - "$R" <<'PY'
import json, sys
r = sys.argv[1]
hs, py = json.load(open(r + "/hs_token.json")), json.load(open(r + "/py_token.json"))
print(f"token level: HalluScope {hs['samples_per_minute']:.1f} samples/min, peak {hs['peak_memory_mb']/1024:.1f} GiB reserved, "
      f"{hs.get('peak_allocated_mb', 0)/1024:.1f} GiB allocated; "
      f"Python reference {py['samples_per_minute']:.1f} samples/min, peak {py['peak_memory_gb']:.1f} GiB allocated; "
      f"speed-up x{hs['samples_per_minute']/py['samples_per_minute']:.1f}")
t4 = json.load(open(r + "/hs_token_t4.json"))
print(f"token level, T4 profile (f16): HalluScope {t4['samples_per_minute']:.1f} samples/min, peak "
      f"{t4.get('peak_allocated_mb', 0)/1024:.1f} GiB allocated ({t4['peak_memory_mb']/1024:.1f} GiB reserved) "
      f"vs the reference's {py['peak_memory_gb']:.1f} GiB allocated (f16, batch 1)")
PY
