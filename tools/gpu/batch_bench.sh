#!/usr/bin/env bash
# GPU machine, call 2 of 2 (after batch_tests.sh, same warm machine): the speed and memory
# benchmark on a Llama-2-7B-shaped model, HalluScope against the Python reference pipeline.
set -uo pipefail
R=$OUT/run; mkdir -p $R
M=/tmp/llama7b-random
[ -d $M ] || python3 bench/make_random_llama7b.py --tokenizer-dir .deps/shared/data/models/llama2-tokenizer --out $M > $R/make7b.log 2>&1
echo "=== make7b rc=$? $(date +%T)"; tail -2 $R/make7b.log
bash bench/gpu_bench.sh $M build-cuda/app/halluscope-cli $R 2>&1 | tee $R/bench.txt
