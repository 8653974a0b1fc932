#!/usr/bin/env bash
set -uo pipefail
R=$OUT/run; mkdir -p $R
[ -x build-cuda/app/halluscope-cli ] || bash tools/gpu/configure_cuda.sh build-cuda halluscope-cli > /tmp/build.log 2>&1
M=/tmp/llama7b-random
[ -d $M ] || python3 bench/make_random_llama7b.py --tokenizer-dir .deps/shared/data/models/llama2-tokenizer --out $M > /tmp/make7b.log 2>&1
bash bench/gpu_bench_selected.sh $M build-cuda/app/halluscope-cli $R 2>&1 | tee $R/bench_selected.txt
