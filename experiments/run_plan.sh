#!/usr/bin/env bash
# Runs a plan of tilebench benches on a GPU host set up as docs/gpu-hosts.md describes, each
# followed by its PyTorch anchors, and packs everything into $OUT/<name>.tgz.
#   bash experiments/run_plan.sh NAME 'suite;filter;anchor flags;extra bench flags' ...
# An empty filter runs the whole suite. Steps run in order; each has its own time limit
# (STEP_TIMEOUT, default 300 s), and all steps together end before DEADLINE seconds (default
# 560) so a slow step cannot take the archive down with it; the archive is rewritten after every
# step, so a job its host stops keeps what finished.
# WRAP: an optional command prefix that puts Deno and the Vulkan loader in place (default none).
# BENCH: the bench command (default `deno run … harness/run/main.ts`; a bench bundle, for a host
# without the dependency cache: `deno run --no-config -A .bench-bundle/run/bench.js`).
set -uo pipefail
bench=${BENCH:-deno run --no-config --allow-read --allow-write --allow-env --allow-run --allow-sys harness/run/main.ts}
name=$1
shift
work=/tmp/tilebench-$name
mkdir -p "$work"
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv,noheader 2>&1 | tee "$work/nvidia-smi.txt"
start=$(date +%s)
left() { echo $((${DEADLINE:-560} - ($(date +%s) - start) - 15)); }
limit() { local l; l=$(left); [ "$l" -lt "$1" ] && echo "$l" || echo "$1"; }
i=0
for step in "$@"; do
  [ "$(left)" -lt 30 ] && { echo "=== out of time: skipping $step" >&2; continue; }
  IFS=';' read -r suite filter anchors extra <<<"$step"
  i=$((i + 1))
  dir="$work/$i-$(basename "$suite" .json)"
  mkdir -p "$dir"
  echo "=== [$i] $suite filter='$filter' $extra" >&2
  # shellcheck disable=SC2086
  timeout "$(limit "${STEP_TIMEOUT:-300}")" ${WRAP:-} $bench --suite "$suite" --out "$dir" --quiet \
    ${filter:+--filter "$filter"} $extra 2>&1 | grep -v XDG_RUNTIME | tail -8
  if [ -f "$dir/results.json" ] && [ "$anchors" != "none" ] && [ "$(left)" -gt 40 ]; then
    # shellcheck disable=SC2086
    timeout "$(limit 120)" python3 anchors/torch_anchor.py "$dir/results.json" $anchors 2>&1 | tail -4
  fi
  # packed after every step: a job stopped by its host's time limit keeps the steps that finished
  tar czf "$OUT/$name.tgz" -C /tmp "tilebench-$name"
done
tar czf "$OUT/$name.tgz" -C /tmp "tilebench-$name"
ls -la "$OUT"
