#!/usr/bin/env bash
# GPU machine, one call (carry .deps): build with CUDA, the CUDA CTest run (kernels against the CPU
# reference, quantised models on the GPU), then bench/gpu_bench_quant.sh and its summary into
# bench/results/ (copied back as $OUT/quant.tgz: unpack at the repository root).
set -uo pipefail
R=/tmp/quant/run; rm -rf /tmp/quant; mkdir -p $R
M=/tmp/llama7b-random
echo "=== build $(date +%T)"; bash tools/gpu/configure_cuda.sh build-cuda > $R/build.log 2>&1; echo rc=$?; tail -3 $R/build.log
echo "=== CUDA ctest $(date +%T)"
(cd build-cuda && ctest --output-on-failure -j 4 > $R/ctest.log 2>&1; echo "ctest rc=$?"); tail -5 $R/ctest.log
[ -d $M ] || python3 bench/make_random_llama7b.py --tokenizer-dir .deps/shared/data/models/llama2-tokenizer --out $M > $R/make7b.log 2>&1
echo "=== bench $(date +%T)"
bash bench/gpu_bench_quant.sh $M build-cuda/app/halluscope-cli $R > $R/bench.txt 2>&1
python3 bench/summarise_quant.py $R bench/results "bash tools/gpu/batch_quant.sh" | tee $R/summary.txt
mkdir -p /tmp/quant/results && cp bench/results/quant-*.json /tmp/quant/results/ 2>/dev/null
tar czf $OUT/quant.tgz -C /tmp/quant run results
