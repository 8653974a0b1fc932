#!/usr/bin/env bash
# GPU machine: the CUDA package (CLI only: that machine has no Qt). Builds against the pip CUDA
# libtorch, bundles libtorch and the CUDA libraries it loads into /usr/lib/halluscope
# (HS_PACKAGE_BUNDLE_TORCH, packaging/CMakeLists.txt), makes halluscope-cuda_VERSION_amd64.deb with
# CPack and, where dpkg exists, runs the package test on it. Prints the package's size and
# Depends for the closing note of issue 16 (docs/packaging.md has the recipe).
#   bash tools/gpu/batch_package.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build-cuda-pkg}
bash tools/gpu/configure_cuda.sh "$build" halluscope-cli >/tmp/package-build.log 2>&1 ||
  { tail -40 /tmp/package-build.log; exit 1; }
cmake -S . -B "$build" -DHS_PACKAGE_BUNDLE_TORCH=ON -DHS_BUILD_TESTS=OFF -DHS_BUILD_BENCH=OFF >>/tmp/package-build.log
cmake --build "$build" -j 16 >>/tmp/package-build.log
(cd "$build" && cpack -G DEB)
deb=$(ls "$build"/halluscope-cuda_*.deb)
echo "command: bash tools/gpu/batch_package.sh $build"
echo "package: $deb, $(du -h "$deb" | cut -f1) ($(dpkg-deb -f "$deb" Installed-Size 2>/dev/null || echo '?') KiB installed)"
if command -v dpkg >/dev/null; then
  echo "Depends: $(dpkg-deb -f "$deb" Depends)"
  bash packaging/test_package.sh "$build"
  nvidia-smi --query-gpu=name --format=csv,noheader
  root=$(mktemp -d); dpkg -x "$deb" "$root"
  "$root/usr/bin/halluscope-cli" info resources/demo/model | tail -3   # the installed CLI sees the GPU
  rm -rf "$root"
fi
