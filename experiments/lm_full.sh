#!/usr/bin/env bash
# The language-model comparison (tasks/brown-full.json) on one GPU host, from the single-file
# task bundle (`deno task task:bundle` writes .task-bundle/task.js.gz and brown.txt.gz; copy the
# repository with .task-bundle/ to the host, nothing is downloaded there):
#   bash experiments/lm_full.sh        # on a GPU host set up as docs/gpu-hosts.md describes
# experiments/task_full.sh does the work, one job at a time (JOBS 1): per seed, the dense
# pretraining job, then one job fine-tuning the seven variants (six conversions and the dense
# control; FT_SPLIT "lm:1"). One process at a time because tfjs-backend-webgpu processes sharing
# one GPU slow each other far more than they gain: on an H200 a training step took 0.32 s in one
# process and 4-5 s with three. Training jobs skip the kernel path (SHARD_ARGS --no-kernels); then
# `task latency` checks every variant's seed-1 model through the kernels, scores its validation
# perplexity there, generates the fixed prompt's continuation and times prefill and KV-cached
# decode alone on the GPU; then the merge's report.
# Environment (defaults): OUT (/tmp/lm-full-out), JOBS (1), FT_SPLIT (lm:1), SHARD_ARGS
# (--no-kernels), SOFT (390), HARD (450),
# LATENCY_TIMEOUT (180), STEPS ("P/F": P pretraining and F fine-tune steps for every model of the
# suite instead of its own, e.g. 120/30 to fit a shorter slot; the suite is renamed "<name>-P-F"
# so its results are not mistaken for the full budget's), and task_full.sh's others.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
if [ -f .task-bundle/task.js.gz ] && [ ! -f .task-bundle/brown.txt.gz ]; then
  echo "lm_full: .task-bundle/brown.txt.gz is missing: rebuild with deno task task:bundle" >&2
  exit 2
fi
suite=${SUITE:-tasks/brown-full.json}
if [ -n "${STEPS:-}" ]; then
  if ! [[ "$STEPS" =~ ^[1-9][0-9]*/[1-9][0-9]*$ ]]; then
    echo "lm_full: STEPS must be P/F with whole numbers > 0 (e.g. 120/30), got '$STEPS'" >&2
    exit 2
  fi
  mkdir -p "${WORK:-/tmp/lm-full}"
  sized="${WORK:-/tmp/lm-full}-suite.json"
  IN="$suite" OUTFILE="$sized" deno eval --no-config '
    const s = JSON.parse(Deno.readTextFileSync(Deno.env.get("IN")));
    const [p, f] = Deno.env.get("STEPS").split("/").map(Number);
    s.name = `${s.name}-${p}-${f}`;
    for (const m of s.task.models) { m.train.steps = p; if (m.finetune) m.finetune.steps = f; }
    Deno.writeTextFileSync(Deno.env.get("OUTFILE"), JSON.stringify(s, null, 2));
  ' || exit 2
  suite=$sized
fi
SUITE=$suite OUT=${OUT:-/tmp/lm-full-out} WORK=${WORK:-/tmp/lm-full} \
  JOBS=${JOBS:-1} FT_SPLIT=${FT_SPLIT:-lm:1} SHARD_ARGS=${SHARD_ARGS---no-kernels} SOFT=${SOFT:-390} HARD=${HARD:-450} \
  LATENCY_TIMEOUT=${LATENCY_TIMEOUT:-180} exec bash experiments/task_full.sh
