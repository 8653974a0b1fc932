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
echo "=== python reference (token level) $(date +%T)"
python3 bench/python_reference_baseline.py --model $M --session $R/tok.hs --copy-heads $H --limit 120 | tee $R/py_token.json
python3 - "$R" <<'PY'
import json, sys
r = sys.argv[1]
hs, py = json.load(open(r + "/hs_token.json")), json.load(open(r + "/py_token.json"))
print(f"token level: HalluScope {hs['samples_per_minute']:.1f} samples/min, peak {hs['peak_memory_mb']/1024:.1f} GiB; "
      f"Python reference {py['samples_per_minute']:.1f} samples/min, peak {py['peak_memory_gb']:.1f} GiB; "
      f"speed-up x{hs['samples_per_minute']/py['samples_per_minute']:.1f}")
PY
