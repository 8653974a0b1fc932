#!/usr/bin/env bash
# Kill-and-resume soak test: SIGKILL `detect` at random moments, resume, and compare each finished session
# with an uninterrupted run of the same command, until KILLS kills have landed. A cycle starts from a new
# session and resumes after every kill until a run finishes; then its session is compared (lost, extra,
# duplicated and differing unit rows) and `PRAGMA integrity_check` has been run after every kill. The last
# line says where the kills landed (how many samples the session held at each kill).
#   bash tools/kill_resume.sh [KILLS=50] [MODEL=resources/demo/model] [DATASET=resources/demo/data]
# Needs build/app/halluscope-cli. Exits 1 on any difference. CI runs the short version
# (tests/detect/test_detect_cli.cpp).
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
"$cli" export --session "$work/reference.hsession" --level unit --format csv --out "$work/reference.csv" >/dev/null 2>&1
ids() { cut -d, -f1 "$1" | tail -n +2 | sort -u; }

done_kills=0 starts=0 cycles=0 integrity_bad=0 lost=0 extra=0 dup=0 differ=0 saved_at_kill=() progress_kills=0
while [ "$done_kills" -lt "$kills" ]; do
  cycles=$((cycles + 1))
  session=$work/cycle$cycles.hsession saved_before=0
  while :; do
    starts=$((starts + 1))
    "$cli" "${args[@]}" --session "$session" >/dev/null 2>&1 &
    pid=$!
    # A random moment within half the uninterrupted run (model load included).
    sleep "$(python3 -c "import random,sys; print(random.uniform(0.05, float(sys.argv[1]) / 2))" "$full")"
    # A process that already exited is a zombie until waited for: kill would "succeed" on it.
    if [ "$done_kills" -lt "$kills" ] && [ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ] && kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      done_kills=$((done_kills + 1))
      # The integrity check, and how many samples the session held when the kill landed.
      read -r ok saved < <(python3 -c "
import os, sqlite3, sys
if not os.path.exists(sys.argv[1]): print('missing 0'); sys.exit()
db = sqlite3.connect(sys.argv[1])
ok = db.execute('PRAGMA integrity_check').fetchone()[0]
try: n = db.execute('SELECT count(*) FROM samples').fetchone()[0]
except sqlite3.Error: n = 0
print(ok.replace(' ', '_'), n)" "$session" 2>/dev/null || echo error 0)
      [ "$ok" = ok ] || [ "$ok" = missing ] || integrity_bad=$((integrity_bad + 1))
      saved_at_kill+=("$saved")
      # A kill after this start had saved samples of its own (not while loading the model or a first batch).
      [ "$saved" -gt "$saved_before" ] && progress_kills=$((progress_kills + 1))
      saved_before=$saved
      continue
    fi
    wait "$pid"
    break
  done
  "$cli" export --session "$session" --level unit --format csv --out "$work/killed.csv" >/dev/null 2>&1
  lost=$((lost + $(comm -23 <(ids "$work/reference.csv") <(ids "$work/killed.csv") | wc -l)))
  extra=$((extra + $(comm -13 <(ids "$work/reference.csv") <(ids "$work/killed.csv") | wc -l)))
  dup=$((dup + $(tail -n +2 "$work/killed.csv" | sort | uniq -d | wc -l)))
  differ=$((differ + $(diff <(sort "$work/reference.csv") <(sort "$work/killed.csv") | grep -c '^>' || true)))
done
samples=$(ids "$work/reference.csv" | wc -l)
echo "kill_resume: $done_kills kills in $cycles cycles ($starts starts); uninterrupted run ${full%.*} s, $samples samples"
echo "kill_resume: samples lost $lost, extra $extra; duplicated rows $dup, differing rows $differ; failed integrity checks $integrity_bad"
# Where the kills landed: how many samples the session held at each kill, and how many kills came after
# that start had saved samples of its own (the rest landed while loading or in a start's first batch).
echo "kill_resume: kills after the start had saved samples $progress_kills of $done_kills; samples in the session at each kill: $(printf '%s\n' "${saved_at_kill[@]}" | sort -n | tr '\n' ' ' | sed 's/ $//')"
[ "$lost" = 0 ] && [ "$extra" = 0 ] && [ "$dup" = 0 ] && [ "$differ" = 0 ] && [ "$integrity_bad" = 0 ]
