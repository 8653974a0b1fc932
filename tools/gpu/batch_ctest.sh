#!/usr/bin/env bash
# GPU machine: the whole CTest suite (no GUI) on the CUDA build.
set -uo pipefail
ln -sfn $PWD/.deps/shared ../shared 2>/dev/null || true
bash tools/gpu/configure_cuda.sh build-cuda > /tmp/build.log 2>&1; echo "build rc=$?"; grep -E " error|FAILED" /tmp/build.log | head
cd build-cuda && ctest --output-on-failure -j 8 --timeout 600 2>&1 | tail -30
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
