#!/usr/bin/env bash
# Runs tilebench suites on a GPU host set up as docs/gpu-hosts.md describes,
# then the PyTorch anchors for the same shapes, writing everything under $OUT/<suite>/.
#   bash experiments/run_suites.sh "square llm-prefill" [extra bench flags...]
# Environment: ANCHOR_FLAGS (e.g. "--copy --sparse"), BENCH_TIMEOUT (s per suite, default 400).
# WRAP: an optional command prefix that puts Deno and the Vulkan loader in place (default none).
set -uo pipefail
suites=$1
shift
out=${OUT:-/tmp/tilebench-out}
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv 2>&1 | tail -2
for s in $suites; do
  dir="$out/$s"
  mkdir -p "$dir"
  echo "=== bench $s" >&2
  timeout "${BENCH_TIMEOUT:-400}" ${WRAP:-} deno run --no-config --allow-read --allow-write --allow-env --allow-run --allow-sys harness/run/main.ts --suite "$s" --out "$dir" --quiet "$@"
  echo "=== bench $s exit $?" >&2
  if [ -f "$dir/results.json" ] && [ "${NO_ANCHOR:-}" = "" ]; then
    timeout 300 python3 anchors/torch_anchor.py "$dir/results.json" ${ANCHOR_FLAGS:-} 2>&1 | tail -3
  fi
  [ -f "$dir/summary.md" ] && cut -c1-200 "$dir/summary.md" | head -60
done
