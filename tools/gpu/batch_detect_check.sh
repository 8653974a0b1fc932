#!/usr/bin/env bash
# GPU machine, short: rebuild the detect tests and run them (CUDA golden features included).
set -uo pipefail
ln -sfn $PWD/.deps/shared ../shared 2>/dev/null || true
bash tools/gpu/configure_cuda.sh build-cuda test_detect > /tmp/build.log 2>&1; echo "build rc=$?"; grep -E " error" /tmp/build.log | head -5
cd build-cuda && HS_SOURCE_DIR=$PWD/.. HS_BUILD_DIR=$PWD ./tests/test_detect -tc="*CUDA*,*BERT*,*math*,*grounding*,*lens*,*most attended*" 2>&1 | tail -4
