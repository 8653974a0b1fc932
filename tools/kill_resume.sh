#!/usr/bin/env bash
# Kill-and-resume soak test: SIGKILL `detect` at random moments KILLS times, resuming each time, then compare
# the session with an uninterrupted run of the same command. Prints the figures; exits 1 on any difference.
#   bash tools/kill_resume.sh [KILLS=50] [MODEL=resources/demo/model] [DATASET=resources/demo/data]
# Needs build/app/halluscope-cli. CI runs the short version (tests/detect/test_detect_cli.cpp, 3 kills).
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
model=${2:-resources/demo/model}
dataset=${3:-resources/demo/data}
cli=build/app/halluscope-cli
work=$(mktemp -d /tmp/hs_kill_XXXXXX)
trap 'rm -rf "$work"' EXIT
args=(detect --model "$model" --dataset "$dataset" --level token --quiet)

start=$(date +%s.%N)
"$cli" "${args[@]}" --session "$work/reference.hsession" >/dev/null
full=$(python3 -c "import time,sys; print(time.time() - float(sys.argv[1]))" "$start")

session=$work/killed.hsession
done_kills=0 attempts=0 integrity_bad=0 finished=0
while [ "$finished" = 0 ]; do
  attempts=$((attempts + 1))
  "$cli" "${args[@]}" --session "$session" >/dev/null 2>&1 &
  pid=$!
  if [ "$done_kills" -lt "$kills" ]; then
    # A random moment within the uninterrupted run's duration (model load included).
    sleep "$(python3 -c "import random,sys; print(random.uniform(0.05, float(sys.argv[1])))" "$full")"
    # A process that already exited is a zombie until waited for: kill would "succeed" on it.
    if [ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ] && kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      done_kills=$((done_kills + 1))
      ok=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])" \
             "$session" 2>/dev/null || echo missing)
      [ "$ok" = ok ] || [ "$ok" = missing ] || integrity_bad=$((integrity_bad + 1))
      continue
    fi
  fi
  wait "$pid" && finished=1
done

"$cli" export --session "$work/reference.hsession" --level unit --format csv --out "$work/reference.csv"
"$cli" export --session "$session" --level unit --format csv --out "$work/killed.csv"
ids() { cut -d, -f1 "$1" | tail -n +2 | sort -u; }
lost=$(comm -23 <(ids "$work/reference.csv") <(ids "$work/killed.csv") | wc -l)
extra=$(comm -13 <(ids "$work/reference.csv") <(ids "$work/killed.csv") | wc -l)
dup=$(( $(tail -n +2 "$work/killed.csv" | wc -l) - $(tail -n +2 "$work/reference.csv" | wc -l) ))
differ=$(diff <(sort "$work/reference.csv") <(sort "$work/killed.csv") | grep -c '^>' || true)
samples=$(ids "$work/reference.csv" | wc -l)
echo "kill_resume: $done_kills kills over $attempts starts; uninterrupted run ${full%.*} s, $samples samples"
echo "kill_resume: lost $lost, extra $extra, duplicated rows $dup, differing rows $differ, failed integrity checks $integrity_bad"
[ "$lost" = 0 ] && [ "$extra" = 0 ] && [ "$dup" = 0 ] && [ "$differ" = 0 ] && [ "$integrity_bad" = 0 ]
