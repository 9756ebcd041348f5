#!/usr/bin/env bash
# The full task comparison of a task suite (default tasks/mnist-full.json) on one GPU host in one
# command: training shards in parallel processes, then the latency pass alone on the GPU, then the
# merge. docs/task-accuracy.md ("The full comparison on a GPU host") explains the plan.
#   bash .gpu-host/enter.sh bash experiments/task_full.sh
# Per (model, seed) of the suite:
#   - a chain: the dense model from scratch, then its fine-tuned conversions split over FT_SPLIT
#     processes started together (--dense-from the dense shard);
#   - the other scratch variants, split over SCRATCH_SPLIT processes.
# A split is "model:N …" (round-robin over the model's variants in the suite's order; 1 for a model
# not named), so any task suite runs: only the default split is tuned to mnist-full.
# Every shard runs with --latency-batches none and --max-minutes (no new variant after SOFT s);
# anything still running at HARD s is killed (its finished variants are kept). Then
# `task latency` times every variant's seed-1 model alone, and `task merge` combines the shards;
# a shard that failed or was killed leaves its missing (variant, seed) pairs listed as failures.
# Writes $OUT/{results.json,summary.md,report.html,shards.tsv,logs.tar.gz}.
# Environment (defaults): OUT (/tmp/task-full-out), WORK (/tmp/task-full), SUITE
# (tasks/mnist-full.json), SOFT (330), HARD (390), LATENCY_TIMEOUT (130), LATENCY_BATCHES (1,1024),
# FT_SPLIT ("vit:3 mlp:2"), SCRATCH_SPLIT ("vit:5 mlp:3"), BACKEND (webgpu), TASK (the command: the
# bundle .task-bundle/task.js when present, else "deno task task").
set -uo pipefail
out=${OUT:-/tmp/task-full-out}
work=${WORK:-/tmp/task-full}
suite=${SUITE:-tasks/mnist-full.json}
soft=${SOFT:-330}
hard=${HARD:-390}
ft_split=${FT_SPLIT:-vit:3 mlp:2}
scratch_split=${SCRATCH_SPLIT:-vit:5 mlp:3}
backend=${BACKEND:-webgpu}
if [ -z "${TASK:-}" ]; then
  if [ -f .task-bundle/task.js.gz ]; then gunzip -kf .task-bundle/task.js.gz; fi
  # --no-config: the bundle needs nothing from deno.json, whose npm imports an offline host lacks.
  if [ -f .task-bundle/task.js ]; then TASK="deno run -A --no-config .task-bundle/task.js"; else TASK="deno task task"; fi
fi
rm -rf "$work"
mkdir -p "$work" "$out"
t0=$(date +%s)
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -2
echo "task_full: $suite with '$TASK', $(nproc) CPUs; no new variant after ${soft}s, kill at ${hard}s"

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
  timeout -k 10 "$hard_left" $TASK --suite "$suite" --out "$work/$name" --backend "$backend" \
    --latency-batches none --max-minutes "$(awk "BEGIN{printf \"%.2f\", $soft_left/60}")" "$@" \
    >"$work/$name.log" 2>&1
  rc=$?
  wall=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $start}")
  printf '%s\t%s\t%s\n' "$name" "$rc" "$wall" >>"$work/shards.tsv"
  echo "shard $name: exit $rc after ${wall}s ($(tail -1 "$work/$name.log" | cut -c1-160))"
}

# chain SEED MODEL: the dense model, then its fine-tuned conversions in FT_SPLIT processes.
chain() {
  local seed=$1 model=$2 i
  run_shard "$model-s$seed-dense" --seeds "$seed" --only "$model/scratch/dense"
  [ -f "$work/$model-s$seed-dense/results.json" ] || return 0
  local -a groups=() ft=()
  mapfile -t ft < <(awk -F'\t' -v s="$seed" -v p="$model/finetune/" \
    '$1 == s && index($2, p) == 1 { print $2 }' "$work/list.tsv")
  [ "${#ft[@]}" -gt 0 ] || return 0
  mapfile -t groups < <(groups_of "$(split_of "$ft_split" "$model")" "${ft[@]}")
  for i in "${!groups[@]}"; do
    run_shard "$model-s$seed-ft$((i + 1))" --seeds "$seed" --only "${groups[i]}" \
      --dense-from "$work/$model-s$seed-dense" &
  done
  wait
}

seeds=$(cut -f1 "$work/list.tsv" | sort -nu)
models=$(cut -f2 "$work/list.tsv" | cut -d/ -f1 | awk '!seen[$0]++')
for seed in $seeds; do
  for model in $models; do
    chain "$seed" "$model" &
    mapfile -t scratch < <(awk -F'\t' -v s="$seed" -v m="$model/scratch/dense" -v p="$model/scratch/" \
      '$1 == s && index($2, p) == 1 && $2 != m { print $2 }' "$work/list.tsv")
    if [ "${#scratch[@]}" -eq 0 ]; then continue; fi
    mapfile -t groups < <(groups_of "$(split_of "$scratch_split" "$model")" "${scratch[@]}")
    for i in "${!groups[@]}"; do
      run_shard "$model-s$seed-scratch$((i + 1))" --seeds "$seed" --only "${groups[i]}" &
    done
  done
done
wait
echo "task_full: shards done at $(($(date +%s) - t0))s"

# Merge every shard that wrote results (a crashed one is listed by the merge as missing work).
mapfile -t parts < <(ls -d "$work"/*/results.json 2>/dev/null)
merged="$work/merged"
$TASK merge --suite "$suite" --out "$merged" --quiet "${parts[@]}" 2>&1 | tee "$work/merge.log"
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
