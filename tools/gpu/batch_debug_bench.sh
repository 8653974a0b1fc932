#!/usr/bin/env bash
# GPU machine: rebuild, locate the CUDA-build crash in the model tests, then rerun the benchmark.
set -uo pipefail
R=$OUT/run; mkdir -p $R
ln -sfn $PWD/.deps/shared ../shared 2>/dev/null || true
echo "=== build $(date +%T)"; bash tools/gpu/configure_cuda.sh build-cuda > $R/build.log 2>&1; echo rc=$?
cd build-cuda
export HS_SOURCE_DIR=$PWD/.. HS_BUILD_DIR=$PWD
echo "=== backtrace"
timeout 120 cuda-gdb -batch -ex run -ex bt --args ./tests/test_model -tc="forward matches a float64 reference: multi-head, untied" 2>&1 | grep -vE "^\[New Thread|^\[Thread" | tail -40
echo "=== each model test case"
./tests/test_model -ltc 2>/dev/null | sed -n 's/^\(.*\)$/\1/p' | grep -vE "^\[doctest\]|^=+$|^$" > /tmp/cases.txt
while IFS= read -r c; do out=$(timeout 120 ./tests/test_model -tc="$c" 2>&1 | tail -1); echo "$c :: $out"; done < /tmp/cases.txt
cd ..
M=/tmp/llama7b-random
[ -d $M ] || python3 bench/make_random_llama7b.py --tokenizer-dir .deps/shared/data/models/llama2-tokenizer --out $M > $R/make7b.log 2>&1
bash bench/gpu_bench.sh $M build-cuda/app/halluscope-cli $R 2>&1 | tee $R/bench.txt
rm -f $R/*.hs*
