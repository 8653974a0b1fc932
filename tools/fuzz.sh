#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each one, from its seed corpus.
#   bash tools/fuzz.sh [--time S] [--runs N] [TARGET...]
#     --time S   run each target S seconds (default 20: what CI does)
#     --runs N   run each target for N executions (the long run: --runs 10000000); with --time too, each
#                target stops at whichever comes first (a time box for targets too slow to reach N)
# New inputs go to build-fuzz/corpus/<name>, crashes to build-fuzz/findings/<name>/; the seed corpora in
# fuzz/corpus are only read. Runs FUZZ_JOBS targets at a time (default: one per core). Prints one line per
# target (executions, seconds, result); exits 1 on a finding.
set -euo pipefail
cd "$(dirname "$0")/.."
time_limit='' runs_limit=''
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) time_limit=$2; shift 2 ;;
    --runs) runs_limit=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
limit=()
[ -n "$runs_limit" ] && limit+=(-runs="$runs_limit")
[ -n "$time_limit" ] && limit+=(-max_total_time="$time_limit")
[ ${#limit[@]} -eq 0 ] && limit=(-max_total_time=20)

out=build-fuzz
if [ ! -f "$out/build.ninja" ]; then
  CXX=${FUZZ_CXX:-clang++} cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=None -DHS_BUILD_FUZZ=ON \
    -DHS_BUILD_GUI=OFF -DHS_BUILD_TESTS=OFF -DHS_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$out" --target fuzz_all -j "$(nproc)"
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/fuzz_*.cpp; do
    name=$(basename "$f" .cpp)
    [ "$name" = fuzz_dataset ] && targets+=(fuzz_dataset_ragtruth fuzz_dataset_dolly fuzz_dataset_faithjudge) \
                               || targets+=("$name")
  done
fi

# One target: its result line goes to $out/<target>.result.
run_one() {
  local t=$1 seeds=fuzz/corpus/${1#fuzz_} work=$out/corpus/${1#fuzz_} findings=$out/findings/${1#fuzz_}
  local log=$out/$1.log start result runs
  mkdir -p "$work" "$findings"
  start=$(date +%s)
  # -rss_limit_mb: a reader that allocates in proportion to a claimed size shows up as a finding.
  if "$out/fuzz/$t" "${limit[@]}" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
       -artifact_prefix="$findings/" "$work" "$seeds" >"$log" 2>&1; then
    result=ok
  else
    result="FINDING (see $log and $findings/)"
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  printf '%-26s %12s %8s  %s\n' "$t" "${runs:-?}" "$(( $(date +%s) - start ))" "$result" >"$out/$t.result"
}

for t in "${targets[@]}"; do
  [ -d "fuzz/corpus/${t#fuzz_}" ] || { echo "$t: no seed corpus fuzz/corpus/${t#fuzz_}" >&2; exit 2; }
done
# One target per core at a time: libFuzzer is single-threaded, and CI has two cores.
jobs=${FUZZ_JOBS:-$(nproc)}
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_one "$t" &
done
wait
printf '%-26s %12s %8s  %s\n' target executions seconds result
failed=0
for t in "${targets[@]}"; do
  cat "$out/$t.result"
  grep -q ' ok$' "$out/$t.result" || failed=1
done
exit $failed
