#!/usr/bin/env bash
# GPU machine, one call (carry .deps): build with CUDA, the CUDA suites named in $HS_CTEST (a ctest -R
# regex; "" runs all), then where the time of a token-level run goes: the whole run with --timing (373
# RAGTruth samples, 7B shape, bf16), a traced run of its first 48 samples summed by kernel
# (bench/summarise_trace.py), and the bare Hugging Face forward on the same texts; then, with
# HS_WITH_HW=1, tools/gpu/batch_hw.sh. Everything lands in $OUT (logs, JSON).
set -uo pipefail
R=$OUT; M=/tmp/llama7b-random-32 SH=.deps/shared/data CLI=build-cuda/app/halluscope-cli
H=$SH/ragtruth/redeep_official/topk_heads_llama2_7B.json
ln -sfn $PWD/.deps/shared ../shared 2>/dev/null || true
(python3 bench/make_random_llama7b.py --tokenizer-dir $SH/models/llama2-tokenizer --out $M > /tmp/make7b.log 2>&1 &)
echo "=== build $(date +%T)"; bash tools/gpu/configure_cuda.sh build-cuda > /tmp/build.log 2>&1; echo "build rc=$?"
grep -E " error|FAILED" /tmp/build.log | head -20
echo "=== ctest -R '${HS_CTEST-}' $(date +%T)"
(cd build-cuda && timeout 300 ctest --output-on-failure -j 6 --timeout 250 -R "${HS_CTEST-}" > $R/ctest.log 2>&1; echo "ctest rc=$?")
grep -E "tests passed|tests failed|Failed|\*\*\*|Not Run|Skipped|ERROR" $R/ctest.log | head -20
while [ ! -f $M/model.safetensors.index.json ] && pgrep -f make_random_llama7b > /dev/null; do sleep 2; done
echo "=== token run --timing $(date +%T)"
rm -f /tmp/tok.hs*; timeout 150 $CLI detect --model $M --dataset $SH/ragtruth --session /tmp/tok.hs --level token --copy-heads $H \
  --profile h200 --timing --json --quiet > $R/hs_token_timing.json 2>&1; echo "rc=$?"; cat $R/hs_token_timing.json
echo "=== traced 48 samples $(date +%T)"
rm -f /tmp/tr.hs*; timeout 90 $CLI detect --model $M --dataset $SH/ragtruth --session /tmp/tr.hs --level token --copy-heads $H \
  --profile h200 --limit 48 --json --quiet --trace /tmp/trace.json > /tmp/hs_trace.json 2>&1; echo "rc=$?"; tail -2 /tmp/hs_trace.json
python3 bench/summarise_trace.py /tmp/trace.json --top 30 --json $R/trace_summary.json
echo "=== hf bare forward $(date +%T)"
timeout 120 python3 bench/hf_bare_forward.py --model $M --session /tmp/tok.hs --batch 8 > $R/hf_bare.json 2> /tmp/hf_bare.err
cat $R/hf_bare.json; tail -3 /tmp/hf_bare.err
if [ "${HS_WITH_HW-}" = 1 ]; then
  echo "=== hardware figures $(date +%T)"; timeout 330 bash tools/gpu/batch_hw.sh
  (cd $OUT && tar czf hw.tgz --exclude='*.hs*' --exclude='*.units.json' hw && rm -rf hw)
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; echo "end $(date +%T)"
