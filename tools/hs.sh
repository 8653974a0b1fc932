#!/usr/bin/env bash
# HalluScope set-up: installs what it needs (apt), builds, then runs the main job or the tests.
#   bash tools/hs.sh run [ARGS...]   build and start the GUI (the bundled demo when no ARGS);
#                                    without a display it runs the CLI demo instead
#   bash tools/hs.sh test            build and run the whole test suite (CTest), then every fuzz target
#                                    for 20 s (tools/fuzz.sh; HS_FUZZ_SECONDS=0 skips them)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}; shift || true

DEB_PACKAGES=(build-essential cmake ninja-build pkg-config libtorch-dev libopenblas0-pthread
  nlohmann-json3-dev doctest-dev libsqlite3-dev qt6-base-dev qt6-svg-dev libqcustomplot-dev
  libgl-dev xvfb xauth desktop-file-utils appstream clang-14 libclang-rt-14-dev)

install_deps() {
  local missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "== installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

build() {
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DHS_BUILD_GUI=ON >/dev/null
  cmake --build build -j "$(nproc)"
}

export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
install_deps
build
case "$mode" in
  run)
    if [ -x build/app/halluscope ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
      [ $# -eq 0 ] && set -- --run   # nothing given: the demo, detection started at once
      exec build/app/halluscope "$@"
    else
      echo "== no display: running the CLI demo (detect + regress on the bundled demo model)"
      exec build/app/halluscope-cli demo "$@"
    fi ;;
  test)
    (cd build && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j 2 --timeout 900)
    if [ "${HS_FUZZ_SECONDS:-20}" != 0 ]; then
      FUZZ_CXX=clang++-14 bash tools/fuzz.sh --time "${HS_FUZZ_SECONDS:-20}"
    fi ;;
  *) echo "usage: bash tools/hs.sh run|test" >&2; exit 2 ;;
esac
