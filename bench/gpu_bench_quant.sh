#!/usr/bin/env bash
# Quantised formats on a GPU, each measured in the same run as the bf16 path on the same samples:
# Llama-2-7B shape (random weights), token level, the published 32 copy heads x all 32 layers, the
# RAGTruth samples of ../shared. Then fidelity: every format's features against bf16 (compare --json) on
# the 7B model (a floor: random weights) and on the demo model (real trained weights, f32 reference).
#   bash bench/gpu_bench_quant.sh MODEL_DIR HALLUSCOPE_CLI OUT_DIR [SHARED_DATA]
# Writes OUT_DIR/hs_<config>.json (detect --json), OUT_DIR/fid_<config>.json (compare --json); then
# bench/summarise_quant.py turns them into bench/results/quant-*.json.
set -uo pipefail
M=$1 CLI=$2 R=$3 SH=${4:-.deps/shared/data}
H=$SH/ragtruth/redeep_official/topk_heads_llama2_7B.json
D=resources/demo
detect() {  # NAME ARGS... : one timed run into its own session
  local name=$1; shift
  rm -f $R/$name.hs*
  echo "=== $name: $* $(date +%T)" >&2
  $CLI detect --model $M --dataset $SH/ragtruth --session $R/$name.hs --level token --copy-heads $H --json --quiet "$@" \
    > $R/hs_$name.json || echo "{\"failed\": true}" > $R/hs_$name.json
  cat $R/hs_$name.json
}
detect bf16 --profile h200 --quant none
detect int8 --profile h200 --quant int8
detect nf4 --profile h200 --quant nf4
detect nf4dq --profile h200 --quant nf4 --double-quant
detect fp8 --profile h200 --quant fp8
detect fp8head --profile h200 --quant fp8 --quant-lm-head
detect t4 --profile t4                       # the T4 profile's own choice: NF4 weights, f16 compute
detect chunk_bf16 --profile h200 --quant none --level chunk
detect chunk_fp8 --profile h200 --quant fp8 --level chunk
for f in int8 nf4 nf4dq fp8 fp8head t4; do
  $CLI compare --session $R/$f.hs --against $R/bf16.hs --json > $R/fid_$f.json || echo '{"failed": true}' > $R/fid_$f.json
done
# Demo model (real trained weights): every format against f32 on the GPU, and the held-out AUC per format.
for f in none int8 nf4 fp8; do
  dt=f32; [ $f = fp8 ] && dt=bf16
  rm -f $R/demo_$f.hs*
  $CLI detect --model $D/model --dataset $D/data --session $R/demo_$f.hs --mode clean --copy-heads $D/copy_heads.json \
    --device cuda --dtype $dt --quant $f --json --quiet > $R/hs_demo_$f.json || echo '{"failed": true}' > $R/hs_demo_$f.json
  $CLI regress --session $R/demo_$f.hs --method ensemble --cv 5 --seeds 0,1,2 --json > $R/auc_demo_$f.json 2>/dev/null || true
done
for f in int8 nf4 fp8; do
  $CLI compare --session $R/demo_$f.hs --against $R/demo_none.hs --json > $R/fid_demo_$f.json || echo '{"failed": true}' > $R/fid_demo_$f.json
done
rm -f $R/*.hs*
