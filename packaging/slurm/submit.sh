#!/usr/bin/env bash
# Splits one HalluScope run over a Slurm cluster: renders detect.sbatch (an array job, one shard per
# task, one GPU each) and merge.sbatch (merge + regress) into OUT, then submits the array and the
# merge with --dependency=afterok on it. --dry-run renders and prints the sbatch commands only.
#
#   packaging/slurm/submit.sh --model DIR --dataset PATH --out DIR --shards N [options] [--dry-run]
#     --profile NAME      hardware profile for every task, or auto (default): chosen on each node
#     --partition P       Slurm partition (default: the cluster's)
#     --time T            per-shard time limit (default 04:00:00); --cpus C (default 8)
#     --detect-args "..." extra detect options, e.g. "--mode clean --copy-heads heads.json"
#     --regress-args "..." regress options (default "--method ensemble --cv 5 --seeds 0,1,2")
#     --cli PATH          halluscope-cli to run (default: the one on PATH)
# Paths must be on a file system that every node sees.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "submit.sh: $*" >&2; exit 2; }

model= dataset= out= shards= profile=auto partition= time=04:00:00 cpus=8 dry=0
detect_args= regress_args="--method ensemble --cv 5 --seeds 0,1,2" cli=halluscope-cli
while [ $# -gt 0 ]; do
  case "$1" in --dry-run|-h|--help) ;; *) [ $# -ge 2 ] || die "$1 expects a value" ;; esac
  case "$1" in
    --model) model=$2; shift ;;
    --dataset) dataset=$2; shift ;;
    --out) out=$2; shift ;;
    --shards) shards=$2; shift ;;
    --profile) profile=$2; shift ;;
    --partition) partition=$2; shift ;;
    --time) time=$2; shift ;;
    --cpus) cpus=$2; shift ;;
    --detect-args) detect_args=$2; shift ;;
    --regress-args) regress_args=$2; shift ;;
    --cli) cli=$2; shift ;;
    --dry-run) dry=1 ;;
    -h|--help) usage ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
  shift
done
[ -n "$model" ] && [ -n "$dataset" ] && [ -n "$out" ] && [ -n "$shards" ] || usage
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || die "--shards expects a whole number >= 1, got '$shards'"
[[ "$cpus" =~ ^[1-9][0-9]*$ ]] || die "--cpus expects a whole number >= 1, got '$cpus'"
[[ "$out" =~ [[:space:]] ]] && die "--out must not contain spaces (Slurm's #SBATCH --output cannot hold them)"
abspath() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
mkdir -p "$out/logs"

# Values go into the scripts shell-quoted, so paths with spaces or quotes stay one word, and
# escaped for sed's replacement text.
q() { printf '%q' "$1" | sed -e 's/[\\&|]/\\&/g'; }
raw() { printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g'; }
render() {
  local partition_line=""
  [ -n "$partition" ] && partition_line="#SBATCH --partition=$(raw "$partition")"
  sed -e "s|@JOB@|halluscope|g" -e "s|@SHARDS@|$shards|g" -e "s|@CPUS@|$cpus|g" -e "s|@TIME@|$(raw "$time")|g" \
      -e "s|@MERGE_TIME@|01:00:00|g" -e "s|@PARTITION_LINE@|$partition_line|g" \
      -e "s|@OUT@|$(q "$(abspath "$out")")|g" -e "s|@MODEL@|$(q "$(abspath "$model")")|g" \
      -e "s|@DATASET@|$(q "$(abspath "$dataset")")|g" -e "s|@CLI@|$(q "$cli")|g" -e "s|@PROFILE@|$(q "$profile")|g" \
      -e "s|@DETECT_ARGS@|$(raw "$detect_args")|g" -e "s|@REGRESS_ARGS@|$(raw "$regress_args")|g" "$1"
}
render "$here/detect.sbatch.in" >"$out/detect.sbatch"
render "$here/merge.sbatch.in" >"$out/merge.sbatch"
for s in "$out/detect.sbatch" "$out/merge.sbatch"; do bash -n "$s" || die "rendered $s does not parse"; done

if [ "$dry" = 1 ]; then
  echo "sbatch --parsable $out/detect.sbatch"
  echo "sbatch --dependency=afterok:<array job id> $out/merge.sbatch"
  exit 0
fi
command -v sbatch >/dev/null || die "sbatch not found (use --dry-run to only render the scripts)"
array=$(sbatch --parsable "$out/detect.sbatch")
array=${array%%;*}   # "jobid;cluster" on federated clusters
merge=$(sbatch --parsable --dependency=afterok:"$array" "$out/merge.sbatch")
echo "submitted: detect array $array ($shards shards), merge + regress ${merge%%;*} after it"
echo "watch: squeue -j $array,${merge%%;*}; results: $out/merged.hs, $out/regress.json"
