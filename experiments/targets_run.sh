#!/usr/bin/env bash
# The performance-target run (issues 18 and 21) on a GPU host: the targets suites with the WebGPU
# peers, then the PyTorch anchors on the same shapes, then the target table over every results file
# under $OUT (experiments/targets.ts; docs/gpu-hosts.md sets up the host):
#   bash experiments/targets_run.sh                       # both suites, into $OUT
#   SUITES=targets_decode FILTER=/1x TAG=m1 bash experiments/targets_run.sh   # one shard
# Shards of one job go to the same $OUT (each suite and TAG its own folder) and the table covers
# them all; extra arguments go to every bench.
# Environment: OUT (default /tmp/tilebench-targets), SUITES (default "targets_prefill
# targets_decode"), FILTER (a case filter for every suite), TAG (a suffix of the folders), TUNE
# (default off), PEERS (default tfjs,ort; empty: none), BENCH (the bench command, default
# `deno run --no-config -A harness/run/main.ts`; a bench bundle: `deno run --no-config -A
# .bench-bundle/run/bench.js`), WRAP (a command prefix that puts Deno and the Vulkan loader in
# place), BENCH_TIMEOUT (s per suite, default 560), ANCHOR_TIMEOUT (s, default 300), NO_ANCHOR=1.
set -uo pipefail
out=${OUT:-/tmp/tilebench-targets}
peers=${PEERS-tfjs,ort}
bench=${BENCH:-deno run --no-config -A harness/run/main.ts}
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv 2>&1 | tail -2
for s in ${SUITES:-targets_prefill targets_decode}; do
  dir="$out/$s${TAG:+-$TAG}"
  echo "=== bench $s ${FILTER:+(filter $FILTER)}" >&2
  # shellcheck disable=SC2086
  timeout "${BENCH_TIMEOUT:-560}" ${WRAP:-} $bench --suite "experiments/suites/$s.json" \
    --out "$dir" --force --quiet --tune "${TUNE:-off}" ${FILTER:+--filter "$FILTER"} \
    ${peers:+--peers "$peers"} "$@"
  echo "=== bench $s exit $?" >&2
  if [ -f "$dir/results.json" ] && [ "${NO_ANCHOR:-}" = "" ]; then
    timeout "${ANCHOR_TIMEOUT:-300}" python3 anchors/torch_anchor.py "$dir/results.json" \
      --copy --int4 --sparse 2>&1 | tail -3
  fi
done
files=$(ls "$out"/*/results.json 2>/dev/null)
# shellcheck disable=SC2086
[ -n "$files" ] && ${WRAP:-} deno run --no-config --allow-read experiments/targets.ts $files |
  tee "$out/targets.md"
