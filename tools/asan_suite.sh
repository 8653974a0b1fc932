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
(cd "$out" && ctest --output-on-failure "$@") 2>&1 | tee "$logs/ctest.out" || true
grep -q "tests passed, 0 tests failed" "$logs/ctest.out" || status=1
# Reports land in the log files, or (UBSan in a test binary, seen with GCC 12) in the test's output.
reports=$(find "$logs" -type f -name 'asan.*' -o -type f -name 'ubsan.*' | wc -l)
inline=$(grep -c -E "runtime error:|ERROR: AddressSanitizer|ERROR: LeakSanitizer" "$logs/ctest.out" || true)
echo "asan_suite: $reports sanitizer report file(s) in $logs, $inline report line(s) in the CTest output"
[ "$reports" -eq 0 ] && [ "$inline" -eq 0 ] || { find "$logs" -name '*san.*' -exec head -n 60 {} + ; status=1; }
exit $status
