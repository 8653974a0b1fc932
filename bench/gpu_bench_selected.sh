#!/usr/bin/env bash
# Detection cost when only what the final ReDeEP detector uses is captured (the published
# selections for Llama-2-7B: token level head (25,0) + 10 layers, chunk level 3 heads + 4 layers),
# against the Python reference pipeline, which always computes every head and layer.
#   bash bench/gpu_bench_selected.sh MODEL_DIR HALLUSCOPE_CLI OUT_DIR [SHARED_DATA]
set -uo pipefail
M=$1 CLI=$2 R=$3 SH=${4:-.deps/shared/data}
echo '[[25, 0]]' > $R/heads_token.json
echo '[[31, 18], [20, 15], [31, 24]]' > $R/heads_chunk.json
rm -f $R/sel_tok.hs* $R/sel_chunk.hs*
echo "=== halluscope token level, published selection $(date +%T)"
$CLI detect --model $M --dataset $SH/ragtruth --session $R/sel_tok.hs --level token --copy-heads $R/heads_token.json \
  --layers 16,17,18,20,21,23,24,25,28,29 --profile h200 --json --quiet | tee $R/hs_sel_token.json
echo "=== halluscope chunk level, published selection $(date +%T)"
$CLI detect --model $M --dataset $SH/ragtruth --session $R/sel_chunk.hs --level chunk --copy-heads $R/heads_chunk.json \
  --layers 18,20,29,30 --profile h200 --json --quiet | tee $R/hs_sel_chunk.json
echo "=== python reference (token level, everything) $(date +%T)"
python3 bench/python_reference_baseline.py --model $M --session $R/sel_tok.hs --copy-heads $SH/ragtruth/redeep_official/topk_heads_llama2_7B.json --limit 120 | tee $R/py_token.json
rm -f $R/*.hs*
