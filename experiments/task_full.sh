#!/usr/bin/env bash
# The full task comparison of a task suite (default tasks/mnist-full.json) on one GPU host in one
# command: training shards in parallel processes, then the latency pass alone on the GPU, then the
# merge. docs/task-accuracy.md ("The full comparison on a GPU host") explains the plan.
#   bash experiments/task_full.sh      # on a GPU host set up as docs/gpu-hosts.md describes
# Jobs, per (model, seed) of the suite: the dense model from scratch; its fine-tuned conversions
# split over FT_SPLIT jobs (--dense-from the dense job, so they wait for it); the other scratch
# variants split over SCRATCH_SPLIT jobs. A split is "model:N …" (round-robin over the model's
# variants in the suite's order; 1 for a model not named), so any task suite runs; only the default
# split is tuned to mnist-full. At most JOBS jobs run at once (one process each, launch-bound on one
# core), picked in priority order: dense models, then ready fine-tune jobs (the longest chains),
# then scratch jobs seed by seed, so a run cut short still holds whole early seeds.
# Every job runs with --latency-batches none and --max-minutes (no new variant after SOFT s); none
# starts after SOFT s, and anything still running at HARD s is killed (its finished variants are
# kept). Then `task merge` combines the jobs' results (missing (variant, seed) pairs are listed as
# failures) and `task latency` times every variant's seed-1 model alone on the GPU.
# Writes $OUT/{results.json,summary.md,report.html,shards.tsv,logs.tar.gz,suite.json} and each
# shard's own results as $OUT/shards/<shard>/results.json (kept when the merge refuses them).
# Environment (defaults): OUT (/tmp/task-full-out), WORK (/tmp/task-full), SUITE
# (tasks/mnist-full.json), JOBS (nproc), SOFT (360), HARD (420), LATENCY_TIMEOUT (100),
# LATENCY_BATCHES (1,1024), FT_SPLIT ("vit:4 mlp:2"), SCRATCH_SPLIT ("vit:5 mlp:3"), BACKEND
# (webgpu), SEEDS (none: all the suite's seeds; e.g. "2,3" to run those only, as one call of several,
# whose $OUT/shards/*/results.json `task merge --suite` combines), SHARD_ARGS (none: more arguments
# for every training job, e.g. --no-kernels), TASK
# (the command: the bundle .task-bundle/task.js when present, else "deno task task"), DRY (set:
# print the jobs and stop).
set -uo pipefail
out=${OUT:-/tmp/task-full-out}
work=${WORK:-/tmp/task-full}
suite=${SUITE:-tasks/mnist-full.json}
soft=${SOFT:-360}
hard=${HARD:-420}
jobs_max=${JOBS:-$(nproc)}
ft_split=${FT_SPLIT:-vit:4 mlp:2}
scratch_split=${SCRATCH_SPLIT:-vit:5 mlp:3}
backend=${BACKEND:-webgpu}
if [ -z "${TASK:-}" ]; then
  if [ -f .task-bundle/task.js.gz ]; then gunzip -kf .task-bundle/task.js.gz; fi
  # --no-config: the bundle needs nothing from deno.json, whose npm imports an offline host lacks.
  if [ -f .task-bundle/task.js ]; then TASK="deno run -A --no-config .task-bundle/task.js"; else TASK="deno task task"; fi
fi
rm -rf "$work"
mkdir -p "$work" "$out"
# the suite as run (lm_full.sh's STEPS writes a sized copy): what `task merge --suite` checks parts against
cp "$suite" "$out/suite.json" 2>/dev/null
t0=$(date +%s)
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -2
echo "task_full: $suite with '$TASK', $(nproc) CPUs; $jobs_max jobs at once; none starts after ${soft}s, kill at ${hard}s"

# The suite's (seed, variant id) pairs, checked before anything starts.
if ! $TASK --suite "$suite" --list >"$work/list.tsv" 2>"$work/list.err"; then
  cat "$work/list.err"
  exit 2
fi

# split_of "model:N …" MODEL: N for MODEL, else 1.
split_of() {
  local kv
  for kv in $1; do
    if [ "${kv%%:*}" = "$2" ]; then
      echo "${kv#*:}"
      return
    fi
  done
  echo 1
}

# groups_of N ID…: the ids round-robin into N comma-joined patterns, one per line.
groups_of() {
  local n=$1 i
  shift
  local -a g=()
  local -a ids=("$@")
  for i in "${!ids[@]}"; do
    g[i % n]="${g[i % n]:+${g[i % n]},}${ids[i]}"
  done
  printf '%s\n' "${g[@]}"
}

# run_shard NAME ARGS...: one training process; appends "name rc wall_s" to shards.tsv.
run_shard() {
  local name=$1
  shift
  local now soft_left hard_left start rc wall
  now=$(date +%s)
  soft_left=$((t0 + soft - now))
  hard_left=$((t0 + hard - now))
  if ((soft_left < 10)); then
    printf '%s\tnot-started\t0\n' "$name" >>"$work/shards.tsv"
    echo "shard $name: not started (time limit)"
    return 0
  fi
  start=$(date +%s.%N)
  timeout -k 10 "$hard_left" $TASK --suite "$suite" --out "$work/$name" --force --backend "$backend" \
    --latency-batches none --max-minutes "$(awk "BEGIN{printf \"%.2f\", $soft_left/60}")" ${SHARD_ARGS:-} "$@" \
    >"$work/$name.log" 2>&1
  rc=$?
  wall=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $start}")
  printf '%s\t%s\t%s\n' "$name" "$rc" "$wall" >>"$work/shards.tsv"
  echo "shard $name: exit $rc after ${wall}s ($(tail -1 "$work/$name.log" | cut -c1-160))"
}

# The jobs, in priority order: name, the job it waits for, its task arguments (one per line).
declare -a job_name=() job_dep=() job_args=()
add_job() {
  job_name+=("$1")
  job_dep+=("$2")
  shift 2
  job_args+=("$(printf '%s\n' "$@")")
}
ids_of() { # SEED PREFIX [EXCEPT]: the listed ids of SEED starting with PREFIX
  awk -F'\t' -v s="$1" -v p="$2" -v x="${3:-}" '$1 == s && index($2, p) == 1 && $2 != x { print $2 }' \
    "$work/list.tsv"
}
seeds=$(cut -f1 "$work/list.tsv" | sort -nu)
# SEEDS: run only these of the suite's seeds (another call runs the rest; merge the calls' shards)
if [ -n "${SEEDS:-}" ]; then
  want=$(echo "$SEEDS" | tr ',' ' ')
  for s in $want; do
    if ! grep -qx -- "$s" <<<"$seeds"; then
      echo "task_full: SEEDS: $s is not a seed of $suite (its seeds: $(echo $seeds))" >&2
      exit 2
    fi
  done
  seeds=$want
fi
models=$(cut -f2 "$work/list.tsv" | cut -d/ -f1 | awk '!seen[$0]++')
for seed in $seeds; do
  for model in $models; do
    if [ -n "$(ids_of "$seed" "$model/scratch/dense")" ]; then
      add_job "$model-s$seed-dense" "" --seeds "$seed" --only "$model/scratch/dense"
    fi
  done
done
for seed in $seeds; do
  for model in $models; do
    mapfile -t ids < <(ids_of "$seed" "$model/finetune/")
    [ "${#ids[@]}" -gt 0 ] || continue
    mapfile -t groups < <(groups_of "$(split_of "$ft_split" "$model")" "${ids[@]}")
    for i in "${!groups[@]}"; do
      add_job "$model-s$seed-ft$((i + 1))" "$model-s$seed-dense" --seeds "$seed" \
        --only "${groups[i]}" --dense-from "$work/$model-s$seed-dense"
    done
  done
done
for seed in $seeds; do
  for model in $models; do
    mapfile -t ids < <(ids_of "$seed" "$model/scratch/" "$model/scratch/dense")
    [ "${#ids[@]}" -gt 0 ] || continue
    mapfile -t groups < <(groups_of "$(split_of "$scratch_split" "$model")" "${ids[@]}")
    for i in "${!groups[@]}"; do
      add_job "$model-s$seed-scratch$((i + 1))" "" --seeds "$seed" --only "${groups[i]}"
    done
  done
done

if [ -n "${DRY:-}" ]; then # DRY=1: print the jobs in priority order and stop
  for j in "${!job_name[@]}"; do
    printf '%s\t%s\t%s\n' "${job_name[j]}" "${job_dep[j]:--}" "$(echo "${job_args[j]}" | paste -sd' ')"
  done
  exit 0
fi

# job J: runs job J (in the background), then marks it done.
job() {
  local j=$1 dep=${job_dep[$1]}
  local -a args=()
  mapfile -t args <<<"${job_args[j]}"
  if [ -n "$dep" ] && [ ! -f "$work/$dep/results.json" ]; then
    printf '%s\tno-dense\t0\n' "${job_name[j]}" >>"$work/shards.tsv"
    echo "shard ${job_name[j]}: not started ($dep wrote no results)"
  else
    run_shard "${job_name[j]}" "${args[@]}"
  fi
  touch "$work/${job_name[j]}.done"
}

# The pool: start ready jobs in order while fewer than JOBS run; look again every second.
declare -a state=()
pending=${#job_name[@]}
while ((pending > 0)); do
  running=$(jobs -rp | wc -l)
  for j in "${!job_name[@]}"; do
    ((running < jobs_max)) || break
    [ -z "${state[j]:-}" ] || continue
    dep=${job_dep[j]}
    if [ -n "$dep" ] && [ ! -f "$work/$dep.done" ]; then continue; fi
    state[j]=started
    job "$j" &
    running=$((running + 1))
    pending=$((pending - 1))
  done
  ((pending > 0)) || break
  # Every job a job waits for comes before it and always ends marked done; this is only a guard.
  if (($(date +%s) > t0 + hard + 60)); then
    echo "task_full: $pending jobs never started" >&2
    break
  fi
  sleep 1
done
wait
echo "task_full: shards done at $(($(date +%s) - t0))s"

# Merge every shard that wrote results (a crashed one is listed by the merge as missing work).
mapfile -t parts < <(ls -d "$work"/*/results.json 2>/dev/null)
# Every shard's own results travel too, so a refused merge loses nothing.
rm -rf "$out/shards"
for p in "${parts[@]}"; do
  s=$(basename "$(dirname "$p")")
  mkdir -p "$out/shards/$s" && cp "$p" "$out/shards/$s/results.json"
done
merged="$work/merged"
# with SEEDS the suite's other seeds are not expected (no --suite: they are not missing work)
merge_suite=(--suite "$suite")
[ -n "${SEEDS:-}" ] && merge_suite=()
$TASK merge "${merge_suite[@]}" --out "$merged" --force --quiet "${parts[@]}" 2>&1 | tee "$work/merge.log"
merge_rc=${PIPESTATUS[0]}
echo "task_full: merge exit $merge_rc at $(($(date +%s) - t0))s"
if [ -f "$merged/results.json" ]; then
  cp "$merged/results.json" "$merged/summary.md" "$merged/report.html" "$out/" 2>/dev/null
  # Latency alone on the GPU: nothing trains any more.
  timeout -k 10 "${LATENCY_TIMEOUT:-130}" $TASK latency "$merged" \
    --latency-batches "${LATENCY_BATCHES:-1,1024}" >"$work/latency.log" 2>&1
  echo "task_full: latency exit $? at $(($(date +%s) - t0))s ($(tail -1 "$work/latency.log" | cut -c1-200))"
  cp "$merged/results.json" "$merged/summary.md" "$merged/report.html" "$out/" 2>/dev/null
fi
sort "$work/shards.tsv" | awk -F'\t' 'BEGIN { printf "%-40s %-12s %s\n", "shard", "exit", "wall s" }
  { printf "%-40s %-12s %s\n", $1, $2, $3 }' | tee "$out/shards.tsv"
tar -czf "$out/logs.tar.gz" -C "$work" $(cd "$work" && ls ./*.log ./*.tsv 2>/dev/null)
[ -f "$out/summary.md" ] && cut -c1-220 "$out/summary.md"
echo "task_full: total $(($(date +%s) - t0))s; wrote $out"
