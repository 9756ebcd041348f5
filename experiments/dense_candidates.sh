#!/usr/bin/env bash
# The dense GEMM/GEMV candidates in one GPU call of under 9 minutes on an H200 (docs/tuning.md,
# "Dense candidates"): a full tuning pass over the dense-only portable suites (f32 and packed-half
# f16, prefill and decode shapes), torch.matmul and torch copy anchors, and tune_gap.txt per suite
# (each default against its best candidate, each candidate's record across cases).
#   OUT=/tmp/dense bash experiments/dense_candidates.sh   # WRAP: a command prefix that puts Deno
#   and the Vulkan loader in place on a bare host (docs/gpu-hosts.md)
# Writes $OUT/<suite>/{results.json,summary.md,tune_gap.txt}, $OUT/tune-cache.json, $OUT/log.txt
# and, with TAR=FILE, one archive of it all (report.html files left out).
set -uo pipefail
out=${OUT:-/tmp/tilebench-dense}
mkdir -p "$out"
SUITES="portable_dense_prefill portable_dense_decode" PEERS="" ANCHOR_ARGS=--copy \
  ANCHOR_TIMEOUT=${ANCHOR_TIMEOUT:-45} BENCH_TIMEOUT=${BENCH_TIMEOUT:-220} OUT="$out" \
  bash "$(dirname "$0")/portable_speed.sh" --max-time-ms 100 --min-samples 5 "$@" 2>&1 |
  tee "$out/log.txt" | grep -v XDG | tail -120
if [ -n "${TAR:-}" ]; then
  tar czf "$TAR" --exclude=report.html -C "$out" .
  ls -la "$TAR"
fi
