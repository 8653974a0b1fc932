#!/usr/bin/env bash
# GPU machine, call 1 of 2: build core + CLI + tests against libtorch 2.x with CUDA, run the whole
# CTest suite (the CUDA cases run here), and make the scikit-learn / tokenizer golden files.
set -uo pipefail
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
R=$OUT/run; mkdir -p $R
SH=.deps/shared/data
ln -sfn $PWD/.deps/shared ../shared 2>/dev/null || true
echo "=== build $(date +%T)"; bash tools/gpu/configure_cuda.sh build-cuda > $R/build.log 2>&1; echo rc=$?; grep -E "error|FAILED" $R/build.log | head -20
echo "=== ctest $(date +%T)"; (cd build-cuda && ctest --output-on-failure -j 8 --timeout 600 -E ui) > $R/ctest.log 2>&1; echo rc=$?; tail -25 $R/ctest.log
echo "=== mi $(date +%T)"; python3 tools/golden/mi_sklearn.py $SH/ragtruth/redeep_official/official_llama2_7B_response_chunk.json $R/mi_sklearn.json > $R/mi.log 2>&1; echo rc=$?; tail -3 $R/mi.log
echo "=== tokgolden $(date +%T)"; python3 tools/golden/make_tokenizer_golden.py --models $SH/models --corpus tests/fixtures/tokenizer/corpus.jsonl --out /tmp/tokgolden > $R/tokgolden.log 2>&1; echo rc=$?; tail -3 $R/tokgolden.log
tar czf $R/tokgolden.tgz -C /tmp/tokgolden . 2>/dev/null
echo "=== done $(date +%T)"
