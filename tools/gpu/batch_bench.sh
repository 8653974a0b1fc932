#!/usr/bin/env bash
# GPU machine, call 2 of 2 (after batch_tests.sh, same warm machine): the speed and memory
# benchmark on a Llama-2-7B-shaped model, HalluScope against the Python reference pipeline.
set -uo pipefail
R=$OUT/run; mkdir -p $R
M=/tmp/llama7b-random
[ -x build-cuda/app/halluscope-cli ] || bash tools/gpu/configure_cuda.sh build-cuda > $R/build.log 2>&1
echo "=== model tests without the info cases $(date +%T)"
(cd build-cuda && HS_SOURCE_DIR=$PWD/.. HS_BUILD_DIR=$PWD ./tests/test_model -tce="*info*" 2>&1 | tail -15)
echo "=== info on CUDA build"; build-cuda/app/halluscope-cli info tests/fixtures/models/tiny-gqa-llama3 --json; echo "rc=$?"
[ -d $M ] || python3 bench/make_random_llama7b.py --tokenizer-dir .deps/shared/data/models/llama2-tokenizer --out $M > $R/make7b.log 2>&1
echo "=== make7b rc=$? $(date +%T)"; tail -2 $R/make7b.log
bash bench/gpu_bench.sh $M build-cuda/app/halluscope-cli $R 2>&1 | tee $R/bench.txt
