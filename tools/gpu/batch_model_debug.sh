#!/usr/bin/env bash
# GPU machine: details of the model-test failures seen only in the CUDA build.
set -uo pipefail
ln -sfn $PWD/.deps/shared ../shared 2>/dev/null || true
[ -x build-cuda/tests/test_model ] || bash tools/gpu/configure_cuda.sh build-cuda test_model halluscope-cli > /tmp/build.log 2>&1
cd build-cuda
export HS_SOURCE_DIR=$PWD/.. HS_BUILD_DIR=$PWD
for c in "pickle checkpoints are refused*" "SafetensorsFile maps a file*" "bad inputs are refused" "a right-padded batch*" "bf16 compute stays close to f32"; do
  echo "##### $c"; timeout 120 ./tests/test_model -tc="$c" 2>&1 | grep -vE "^\[doctest\] (doctest version|run with)" | head -30
done
echo "##### full run under cuda-gdb"
timeout 200 cuda-gdb -batch -ex run -ex bt --args ./tests/test_model 2>&1 | grep -vE "^\[New Thread|^\[Thread|Thread .* exited" | tail -30
