#!/usr/bin/env bash
# GPU machine, one call (carry .deps): build with CUDA, the CUDA CTest suite, then where the time of a
# token-level run goes: the whole run with --timing (373 RAGTruth samples, 7B shape, bf16), a traced
# run of its first 48 samples summed by kernel (bench/summarise_trace.py), and the bare Hugging Face
# forward on the same texts. Everything lands in $OUT (logs, JSON).
set -uo pipefail
R=$OUT; M=/tmp/llama7b-random SH=.deps/shared/data CLI=build-cuda/app/halluscope-cli
H=$SH/ragtruth/redeep_official/topk_heads_llama2_7B.json
ln -sfn $PWD/.deps/shared ../shared 2>/dev/null || true
echo "=== build $(date +%T)"; bash tools/gpu/configure_cuda.sh build-cuda > $R/build.log 2>&1; echo "build rc=$?"
grep -E " error|FAILED" $R/build.log | head -20
(python3 bench/make_random_llama7b.py --tokenizer-dir $SH/models/llama2-tokenizer --out $M > $R/make7b.log 2>&1 &)
echo "=== ctest $(date +%T)"
(cd build-cuda && timeout 240 ctest --output-on-failure -j 6 --timeout 200 > $R/ctest.log 2>&1; echo "ctest rc=$?")
grep -E "tests passed|tests failed|Failed|\*\*\*|Not Run|Skipped" $R/ctest.log | head -20
while [ ! -f $M/model.safetensors.index.json ] && pgrep -f make_random_llama7b > /dev/null; do sleep 2; done
echo "=== token run --timing $(date +%T)"
rm -f /tmp/tok.hs*; timeout 150 $CLI detect --model $M --dataset $SH/ragtruth --session /tmp/tok.hs --level token --copy-heads $H \
  --profile h200 --timing --json --quiet > $R/hs_token_timing.json 2> $R/hs_token_timing.err; echo "rc=$?"; cat $R/hs_token_timing.json
echo "=== traced 48 samples $(date +%T)"
rm -f /tmp/tr.hs*; timeout 90 $CLI detect --model $M --dataset $SH/ragtruth --session /tmp/tr.hs --level token --copy-heads $H \
  --profile h200 --limit 48 --json --quiet --trace /tmp/trace.json > $R/hs_trace.json 2> $R/hs_trace.err; echo "rc=$?"
python3 bench/summarise_trace.py /tmp/trace.json --top 30 --json $R/trace_summary.json | head -60
echo "=== hf bare forward $(date +%T)"
timeout 120 python3 bench/hf_bare_forward.py --model $M --session /tmp/tok.hs --batch 8 > $R/hf_bare.json 2> $R/hf_bare.err; cat $R/hf_bare.json
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; echo "end $(date +%T)"
