#!/usr/bin/env bash
# GPU machine, one call: the speed benchmark (bench/gpu_bench.sh: token, chunk, T4-profile token runs
# and the Python reference) plus one token-level run with --timing for the forward/extract split.
# Results come back as $OUT/speed.tgz.
set -uo pipefail
R=/tmp/speed/run; rm -rf /tmp/speed; mkdir -p $R
M=/tmp/llama7b-random
echo "=== build $(date +%T)"; bash tools/gpu/configure_cuda.sh build-cuda halluscope-cli > $R/build.log 2>&1; echo rc=$?
[ -d $M ] || python3 bench/make_random_llama7b.py --tokenizer-dir .deps/shared/data/models/llama2-tokenizer --out $M > $R/make7b.log 2>&1
echo "=== model ready $(date +%T)"
bash bench/gpu_bench.sh $M build-cuda/app/halluscope-cli $R > $R/bench.txt 2>&1; tail -3 $R/bench.txt
echo "=== token level with --timing $(date +%T)"
build-cuda/app/halluscope-cli detect --model $M --dataset .deps/shared/data/ragtruth --session $R/tim.hs --level token \
  --copy-heads .deps/shared/data/ragtruth/redeep_official/topk_heads_llama2_7B.json --profile h200 --timing --json --quiet | tee $R/hs_token_timing.json
rm -f $R/*.hs*
tar czf $OUT/speed.tgz -C /tmp/speed run
