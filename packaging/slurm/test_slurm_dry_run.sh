#!/usr/bin/env bash
# The Slurm dry run (CTest `slurm_dry_run`): renders the scripts for N = 4 shards, checks them with
# `bash -n` and their directives, submits them to a stand-in `sbatch` that records the calls (the
# merge must depend on the array), then runs the rendered scripts here as Slurm would (each array
# task, then the merge) on the bundled demo and compares the merged session with a single-process
# run, unit by unit; the GUI, where built, must open the merged session.
# Usage: test_slurm_dry_run.sh CLI DEMO_DIR
set -euo pipefail
cli=$(readlink -f "${1:?usage: test_slurm_dry_run.sh CLI DEMO_DIR}")
demo=$(readlink -f "${2:?usage: test_slurm_dry_run.sh CLI DEMO_DIR}")
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
scratch=$(mktemp -d /tmp/hs-slurm-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
out="$scratch/run"
detect_args="--mode clean --copy-heads $demo/copy_heads.json --limit 40"
# --profile cpu for the shards and the single run alike: on a GPU machine `auto` would put the shards on
# the GPU and the comparison would be between devices, not between one process and four.

# A stand-in sbatch: records its arguments, answers job ids 1001, 1002, ...
mkdir -p "$scratch/bin"
cat >"$scratch/bin/sbatch" <<'FAKE'
#!/usr/bin/env bash
echo "$*" >>"$SBATCH_LOG"
n=$(wc -l <"$SBATCH_LOG"); echo "$((1000 + n));testcluster"
FAKE
chmod +x "$scratch/bin/sbatch"
export SBATCH_LOG="$scratch/sbatch.log"
PATH="$scratch/bin:$PATH" bash "$here/submit.sh" --model "$demo/model" --dataset "$demo/data" --out "$out" \
  --shards 4 --profile cpu --cli "$cli" --detect-args "$detect_args" --regress-args "--method ensemble --cv 3 --seeds 0" \
  --partition gpu >"$scratch/submit.txt"
cat "$scratch/submit.txt"

for s in "$out/detect.sbatch" "$out/merge.sbatch"; do bash -n "$s" || fail "$s does not parse"; done
grep -qx '#SBATCH --array=1-4' "$out/detect.sbatch" || fail "the array is not 1-4"
grep -qx '#SBATCH --gres=gpu:1' "$out/detect.sbatch" || fail "a task does not ask for one GPU"
grep -qx '#SBATCH --partition=gpu' "$out/merge.sbatch" || fail "the partition is not passed on"
grep -q -- '--gres' "$out/merge.sbatch" && fail "the merge job asks for a GPU"
[ "$(sed -n 1p "$SBATCH_LOG")" = "--parsable $out/detect.sbatch" ] || fail "array submission: $(sed -n 1p "$SBATCH_LOG")"
[ "$(sed -n 2p "$SBATCH_LOG")" = "--parsable --dependency=afterok:1001 $out/merge.sbatch" ] ||
  fail "the merge does not depend on the array: $(sed -n 2p "$SBATCH_LOG")"
bash "$here/submit.sh" --model m --dataset d --out "$scratch/dry" --shards 4 --dry-run | grep -q afterok || fail "--dry-run"
rc=0; bash "$here/submit.sh" --model m --dataset d --out "$scratch/bad" --shards four 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "--shards four exits with $rc, not 2"

# Run the rendered jobs as Slurm would, then compare with one process.
for i in 1 2 3 4; do SLURM_ARRAY_TASK_ID=$i bash "$out/detect.sbatch" >"$out/logs/detect-$i.log" 2>&1 ||
  { cat "$out/logs/detect-$i.log"; fail "array task $i"; }; done
bash "$out/merge.sbatch" >"$out/logs/merge.log" 2>&1 || { cat "$out/logs/merge.log"; fail "merge job"; }
grep -q '"complete":true' "$out/logs/merge.log" || fail "the merge is incomplete: $(cat "$out/logs/merge.log")"
grep -q '"pooled_auc"' "$out/regress.json" || fail "regress.json holds no held-out AUC"
# shellcheck disable=SC2086 # detect_args is a list of options
"$cli" detect --model "$demo/model" --dataset "$demo/data" --session "$scratch/single.hs" --profile cpu \
  $detect_args --quiet >/dev/null
"$cli" export --session "$scratch/single.hs" --level unit --format csv --out "$scratch/single.csv" >/dev/null
"$cli" export --session "$out/merged.hs" --level unit --format csv --out "$scratch/merged.csv" >/dev/null
cmp -s "$scratch/single.csv" "$scratch/merged.csv" || fail "the merged session differs from a single-process run"
gui="$(dirname "$cli")/halluscope"
if [ -x "$gui" ]; then   # the GUI opens the merged session like any other
  QT_QPA_PLATFORM=offscreen HOME="$scratch" XDG_CONFIG_HOME="$scratch/config" \
    timeout 120 "$gui" "$out/merged.hs" --screenshot "$scratch/merged.png" >/dev/null 2>&1 || fail "the GUI on the merged session"
  [ -s "$scratch/merged.png" ] || fail "the GUI rendered nothing for the merged session"
fi
echo "slurm dry run passed: $(($(wc -l <"$scratch/merged.csv") - 1)) units, 4 shards merged equal one process"
