#!/usr/bin/env bash
# Issue 18's figures on a GPU host in one command (docs/tuning.md, "The GPU-host experiment"):
#   bash experiments/portable_speed.sh            # writes $OUT (default /tmp/tilebench-portable)
# 1. peaks (copy variants) and a full tuning pass over the prefill and decode suites, each case
#    run with its fastest candidate, the trials kept (notes.tuneTrials), the cache written;
# 2. the PyTorch anchors on the same shapes (cuBLAS, cuSPARSELt, tinygemm, torch copy);
# 3. each tuned case's default against its best candidate (experiments/tune_gap.ts).
# Extra arguments go to every bench.
# Environment: SUITES (default "portable_prefill portable_decode"; the dense candidates alone:
# "portable_dense_prefill portable_dense_decode"), OUT, BENCH_TIMEOUT (s per suite, default 580),
# WRAP (a command prefix that puts Deno and the Vulkan loader in place, see docs/gpu-hosts.md),
# PEERS (default tfjs,ort; empty: no WebGPU peers), ANCHOR_ARGS (default "--copy --sparse --int4"),
# ANCHOR_TIMEOUT (s, default 400), NO_ANCHOR=1 to skip PyTorch.
# Every Deno command runs with --no-config, so a host without network needs no npm package
# (docs/gpu-hosts.md); the WebGPU peers are npm packages: there, leave PEERS empty and time them
# with the bench bundle.
set -uo pipefail
out=${OUT:-/tmp/tilebench-portable}
peers=${PEERS-tfjs,ort}
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv 2>&1 | tail -2
for s in ${SUITES:-portable_prefill portable_decode}; do
  dir="$out/$s"
  echo "=== bench $s (--tune full)" >&2
  timeout "${BENCH_TIMEOUT:-580}" ${WRAP:-} deno run --no-config --allow-read --allow-write --allow-env \
    --allow-run --allow-sys harness/run/main.ts --suite "experiments/suites/$s.json" \
    --out "$dir" --force --quiet --tune full --tune-cache "$out/tune-cache.json" \
    ${peers:+--peers "$peers"} "$@"
  echo "=== bench $s exit $?" >&2
  if [ -f "$dir/results.json" ] && [ "${NO_ANCHOR:-}" = "" ]; then
    # shellcheck disable=SC2086
    timeout "${ANCHOR_TIMEOUT:-400}" python3 anchors/torch_anchor.py "$dir/results.json" ${ANCHOR_ARGS---copy --sparse --int4} 2>&1 |
      tail -5
    ${WRAP:-} deno run --no-config --allow-read --allow-write --allow-env --allow-run --allow-sys \
      harness/report/main.ts "$dir/results.json" --out "$dir" >/dev/null 2>&1 || true
  fi
  [ -f "$dir/results.json" ] &&
    ${WRAP:-} deno run --no-config --allow-read experiments/tune_gap.ts "$dir/results.json" >"$dir/tune_gap.txt"
  [ -f "$dir/tune_gap.txt" ] && tail -40 "$dir/tune_gap.txt"
  [ -f "$dir/summary.md" ] && cut -c1-200 "$dir/summary.md" | head -80
done
