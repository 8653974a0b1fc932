#!/usr/bin/env bash
# The whole CPU test suite (every CTest suite, GUI ones offscreen) under ASan + UBSan.
#   bash tools/asan_suite.sh [CTEST_ARGS...]      e.g. -R detect, or -E package
# Builds build-asan/ (-DHS_SANITIZE=ON: our code instrumented with -fsanitize=address,undefined, -O1;
# libtorch and Qt are not), then runs CTest with every sanitizer report (tests and the CLI processes they
# start) written to build-asan/sanitizer-logs/. Leaks are checked, but leaks whose allocation stack goes
# through uninstrumented libraries (libtorch, Qt, fontconfig...) are suppressed: tools/lsan.supp.
# CXX=clang++ picks the compiler (default: the system's c++). Exits 1 on a failed test or any report.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build-asan
if [ ! -f "$out/build.ninja" ]; then
  cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHS_SANITIZE=ON -DHS_BUILD_GUI=ON \
    -DHS_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$out" -j "$(nproc)"
logs=$PWD/$out/sanitizer-logs
rm -rf "$logs" && mkdir -p "$logs"
export ASAN_OPTIONS="detect_leaks=1:log_path=$logs/asan:abort_on_error=0:detect_stack_use_after_return=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$PWD/tools/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export QT_QPA_PLATFORM=offscreen
status=0
(cd "$out" && ctest --output-on-failure "$@") || status=1
reports=$(find "$logs" -type f | wc -l)
echo "asan_suite: $reports sanitizer report file(s) in $logs"
[ "$reports" -eq 0 ] || { head -n 60 "$logs"/* ; status=1; }
exit $status
