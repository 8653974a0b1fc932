#!/usr/bin/env bash
# Configure and build core + CLI on the GPU machine (libtorch 2.x from pip, CUDA, no Qt).
# Header-only and SQLite dependencies come from Debian .deb files unpacked into .deps/root
# (apt-get download nlohmann-json3-dev doctest-dev libsqlite3-dev libsqlite3-0; dpkg -x each).
#   bash tools/gpu/configure_cuda.sh BUILD_DIR [TARGETS...]
set -euo pipefail
build=${1:-build-cuda}; shift || true
deps=$PWD/.deps/root/usr
torch_prefix=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHS_BUILD_GUI=OFF -DHS_BUILD_BENCH=ON \
  -DCMAKE_PREFIX_PATH="$torch_prefix;$deps" -DHS_DEPS_PREFIX="$deps" \
  -DSQLite3_INCLUDE_DIR="$deps/include" -DSQLite3_LIBRARY="$deps/lib/x86_64-linux-gnu/libsqlite3.so.0" \
  -DCMAKE_CUDA_ARCHITECTURES=90 -DTORCH_CUDA_ARCH_LIST=9.0
cmake --build "$build" -j 16 ${1:+--target "$@"} -- -k 0
