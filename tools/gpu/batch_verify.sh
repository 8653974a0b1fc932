#!/usr/bin/env bash
# GPU machine, one call: the whole non-GUI CTest suite on the CUDA build, then token-level detection on a
# Llama-2-7B-shaped model with the T4 and H200 profiles (speed and peak allocated memory).
set -uo pipefail
ln -sfn $PWD/.deps/shared ../shared 2>/dev/null || true
if [ -z "${SKIP_CTEST:-}" ]; then
  echo "=== build $(date +%T)"; bash tools/gpu/configure_cuda.sh build-cuda > /tmp/build.log 2>&1; echo "build rc=$?"; grep -E " error|FAILED" /tmp/build.log | head
  (cd build-cuda && ctest -j 8 --timeout 600 2>&1 | tail -12)
fi
[ -x build-cuda/app/halluscope-cli ] || bash tools/gpu/configure_cuda.sh build-cuda halluscope-cli > /tmp/build.log 2>&1
M=/tmp/llama7b-random
[ -d $M ] || python3 bench/make_random_llama7b.py --tokenizer-dir .deps/shared/data/models/llama2-tokenizer --out $M > /tmp/make7b.log 2>&1
H=.deps/shared/data/ragtruth/redeep_official/topk_heads_llama2_7B.json
for prof in t4 h200; do
  echo "=== token level, profile $prof $(date +%T)"; rm -f /tmp/v_$prof.hs*
  build-cuda/app/halluscope-cli detect --model $M --dataset .deps/shared/data/ragtruth --session /tmp/v_$prof.hs --level token \
    --copy-heads $H --profile $prof --json --quiet | python3 tools/gpu/summarise_detect.py
done
