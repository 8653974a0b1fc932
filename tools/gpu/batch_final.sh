#!/usr/bin/env bash
# GPU machine, one call (carry .deps), the figures of issues 11 and 12 and the CUDA CTest suite:
#  1. build with CUDA (a 7B-shaped random model of 32 layers is written meanwhile, then one of 8);
#  2. speed, measured side by side on the same 373 RAGTruth samples: HalluScope token and chunk level in
#     bf16, token level in FP8, the bare Hugging Face forward at batch 1 and 8, the Python reference
#     pipeline (first 30 samples); a traced token run of 48 samples summed by kernel; FP8 vs bf16 fidelity;
#  3. the whole CTest suite on the CUDA build;
#  4. while time is left: the planner's prediction on 8 layers, and one GPU as two replicas / a split.
# Results: $OUT/final.tgz (JSON and logs, no sessions) and $OUT/ctest.log.
set -uo pipefail
start=$(date +%s); left() { echo $((${1} - ($(date +%s) - start))); }
W=/tmp/final; rm -rf $W; mkdir -p $W
SH=.deps/shared/data CLI=build-cuda/app/halluscope-cli M=/tmp/llama7b-random-32 M8=/tmp/llama7b-random-8
H=$SH/ragtruth/redeep_official/topk_heads_llama2_7B.json
ln -sfn $PWD/.deps/shared ../shared 2>/dev/null || true
(python3 bench/make_random_llama7b.py --tokenizer-dir $SH/models/llama2-tokenizer --out $M > $W/make32.log 2>&1;
 python3 bench/make_random_llama7b.py --tokenizer-dir $SH/models/llama2-tokenizer --out $M8 --layers 8 > $W/make8.log 2>&1) &
echo "=== build $(date +%T)"; bash tools/gpu/configure_cuda.sh build-cuda > $W/build.log 2>&1; echo "build rc=$?"
grep -E " error|FAILED" $W/build.log | head -20
while [ ! -f $M/model.safetensors.index.json ]; do sleep 2; done; sleep 3
run() {  # NAME ARGS...: one detect run, its JSON summary in $W/hs_NAME.json
  local n=$1; shift; rm -f /tmp/$n.hs*
  env ${RUN_ENV:-HS_FUSED_KERNELS=1} timeout 150 $CLI detect --model $M --dataset $SH/ragtruth --session /tmp/$n.hs --copy-heads $H --profile h200 \
    --json --quiet "$@" > $W/hs_$n.json 2> $W/hs_$n.err; echo "$n rc=$? $(date +%T) $(head -c 400 $W/hs_$n.json | grep -o '"samples_per_minute":[0-9.]*')"
}
echo "=== speed $(date +%T)"
run token --level token
run chunk --level chunk
run token_fp8 --level token --quant fp8
RUN_ENV=HS_FUSED_KERNELS=0 run token_aten --level token   # the same run through the plain ATen expressions
run trace --level token --limit 48 --trace /tmp/trace.json
python3 bench/summarise_trace.py /tmp/trace.json --top 40 --json $W/trace_summary.json > /dev/null
$CLI compare --session /tmp/token_fp8.hs --against /tmp/token.hs --json > $W/fid_fp8.json 2>&1
$CLI compare --session /tmp/token.hs --against /tmp/token_aten.hs --json > $W/fid_fused_vs_aten.json 2>&1
timeout 150 python3 bench/hf_bare_forward.py --model $M --session /tmp/token.hs --batch 8 > $W/hf_bare.json 2> $W/hf_bare.err; cat $W/hf_bare.json
timeout 120 python3 bench/python_reference_baseline.py --model $M --session /tmp/token.hs --copy-heads $H --limit 30 > $W/py_ref.json 2> $W/py_ref.err; cat $W/py_ref.json
echo "=== ctest $(date +%T), $(left 580) s left"
(cd build-cuda && timeout $(( $(left 560) > 60 ? $(left 560) : 60 )) ctest --output-on-failure -j 8 --timeout 300 > $OUT/ctest.log 2>&1; echo "ctest rc=$?")
grep -E "tests passed|tests failed|\*\*\*Failed|Not Run|Skipped" $OUT/ctest.log | head -20
if [ "$(left 560)" -gt 60 ] && [ -f $M8/model.safetensors.index.json ]; then
  echo "=== 8 layers: prediction, replicas, split $(date +%T)"
  python3 -c "import json,sys; h=json.load(open('$H')); json.dump([x for x in h if x[0] < 8], open('/tmp/heads8.json','w'))"
  for cfg in "pred8:--profile h200" "single8:--profile h200" "replicas8:--profile h200 --devices cuda:0,cuda:0" \
             "split8:--profile h200 --devices cuda:0,cuda:0 --placement split"; do
    n=${cfg%%:*}; a=${cfg#*:}; [ "$(left 570)" -gt 15 ] || break; rm -f /tmp/$n.hs*
    timeout $(left 570) $CLI detect --model $M8 --dataset $SH/ragtruth --session /tmp/$n.hs --copy-heads /tmp/heads8.json --limit 120 \
      --json --quiet $a > $W/hs_$n.json 2> $W/hs_$n.err; echo "$n rc=$?"
    $CLI export --session /tmp/$n.hs --format json --level unit --out $W/units_$n.json > /dev/null 2>&1
  done
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > $W/gpu.txt
# HS_COMMIT first: the device's copy of .git need not be the working tree's commit
echo "${HS_COMMIT:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}" > $W/commit.txt
tar czf $OUT/final.tgz --exclude='*.hs*' -C /tmp final; ls -la $OUT; echo "end $(date +%T)"
