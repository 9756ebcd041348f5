/**
 * `deno task task --suite tasks/<name>.json --out DIR [--backend wasm|cpu|webgpu]
 * [--max-minutes M] [--seeds S,…] [--only PATTERN,…] [--dense-from DIR]`: trains,
 * converts, fine-tunes and scores the task suite's models (task/experiment.ts), scores and times
 * every export through the WGSL kernels (task/kernel_path.ts, the LM's task/lm_kernel_path.ts;
 * `--no-kernels` skips it, `--latency-batches` sets the timed batch sizes, `none` also leaves the
 * LM's prefill and decode untimed), writing DIR/results.json, DIR/report.html,
 * DIR/summary.md and DIR/models/*.json; `--max-minutes` starts no new (variant, seed) after M
 * minutes (they are listed as skipped). `--seeds` and `--only` run part of the suite
 * (task/select.ts), `--dense-from` fine-tunes the dense models of an earlier run. Exit 2 on a bad
 * suite or argument, 1 when any (variant, seed) failed, 0 otherwise. `--list` prints the
 * selection's (seed, variant id) pairs, one per line, and runs nothing.
 *
 * `deno task task merge …` merges runs of parts of one suite (task/merge_cli.ts);
 * `deno task task latency DIR` times a finished run's models alone on the GPU
 * (task/latency_cli.ts).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { parseTaskSuite, TaskSuiteError } from "./suite.ts";
import { type BackendName, BACKENDS } from "./backends.ts";
import { head, loadMnist } from "./data/mnist.ts";
import { type KernelPathSession, parseLatencyBatches, startKernelPath } from "./kernel_cli.ts";
import { writeTaskReport } from "../harness/report/task_write.ts";
import { parseSelection, SelectionError, suiteHash } from "./select.ts";
import { denseFrom } from "./dense_from.ts";
import { mergeMain } from "./merge_cli.ts";
import { UsageError } from "../harness/cli_args.ts";
import { checkOutDir, clearPreviousRun } from "../harness/run/out_dir.ts";
import { startLmKernelPath } from "./lm_kernel_path.ts";
import { latencyMain } from "./latency_cli.ts";

const USAGE = "usage: deno task task --suite FILE --out DIR [--backend wasm|cpu|webgpu]\n" +
  "  [--max-minutes M] [--latency-batches 1,1024|none] [--no-kernels] [--quiet]\n" +
  "  [--seeds S,...] [--only MODEL/EXPERIMENT/VARIANT-GLOB,...] [--dense-from DIR] [--list]\n" +
  "  [--force: replace a previous run in --out]\n" +
  "       deno task task merge --out DIR [--suite FILE] SHARD...\n" +
  "       deno task task latency DIR [--latency-batches 1,1024] [--seed S]";

function fail(message: string): never {
  console.error(message);
  Deno.exit(2);
}

/** What a task run writes into its folder (`--force` removes them first). */
const TASK_RUN_FILES = ["results.json", "summary.md", "report.html", "models"];

/** Whether two paths name the same run folder (resolved, a trailing `results.json` left out). */
function samePath(a: string, b: string): boolean {
  const norm = (p: string) => resolve(p.replace(/\/results\.json$/, ""));
  return norm(a) === norm(b);
}

async function main() {
  if (Deno.args[0] === "merge") return await mergeMain(Deno.args.slice(1));
  if (Deno.args[0] === "latency") return await latencyMain(Deno.args.slice(1));
  let values;
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      options: {
        suite: { type: "string" },
        out: { type: "string" },
        backend: { type: "string", default: "wasm" },
        quiet: { type: "boolean", default: false },
        "no-kernels": { type: "boolean", default: false },
        "latency-batches": { type: "string", default: "1,1024" },
        "max-minutes": { type: "string" },
        seeds: { type: "string" },
        only: { type: "string" },
        "dense-from": { type: "string" },
        list: { type: "boolean", default: false },
        force: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.suite) fail(`--suite: missing\n${USAGE}`);
  if (!(BACKENDS as readonly string[]).includes(values.backend!)) {
    fail(`--backend: must be one of ${BACKENDS.join(", ")}; got ${values.backend}`);
  }
  let text: string;
  try {
    text = await Deno.readTextFile(values.suite);
  } catch (e) {
    fail(`${values.suite}: cannot read (${(e as Error).message})`);
  }
  let suite;
  try {
    suite = parseTaskSuite(text, values.suite);
  } catch (e) {
    if (e instanceof TaskSuiteError) fail(e.message);
    throw e;
  }
  let selection;
  let from;
  try {
    selection = parseSelection(
      suite,
      values.seeds,
      values.only,
      values["dense-from"] !== undefined,
    );
    if (values["dense-from"] !== undefined) {
      from = await denseFrom(values["dense-from"], suiteHash(suite));
    }
  } catch (e) {
    if (e instanceof SelectionError) fail(e.message);
    throw e;
  }
  if (values.list) {
    // What this selection would run: one "seed<TAB>variant id" line per (variant, seed).
    for (const seed of selection.seeds) {
      for (const id of selection.variants) console.log(`${seed}\t${id}`);
    }
    return;
  }
  if (!values.out) fail(`--out: missing\n${USAGE}`);
  let minutes: number | undefined;
  if (values["max-minutes"] !== undefined) {
    minutes = Number(values["max-minutes"]);
    if (!(minutes > 0)) fail(`--max-minutes: must be a number > 0; got ${values["max-minutes"]}`);
  }
  let latencyBatches: number[] = [];
  try {
    latencyBatches = parseLatencyBatches(values["latency-batches"]!);
  } catch (e) {
    fail((e as Error).message);
  }
  // last of the checks: with --force the previous run is removed
  if (values["dense-from"] !== undefined && samePath(values["dense-from"], values.out)) {
    fail(
      `--dense-from ${values["dense-from"]} is --out: the new run would replace the models it ` +
        "fine-tunes; give another --out",
    );
  }
  try {
    checkOutDir(values.out, values.force!, TASK_RUN_FILES);
  } catch (e) {
    if (e instanceof UsageError) fail(e.message);
    throw e;
  }
  if (values.force) clearPreviousRun(values.out, TASK_RUN_FILES);
  // tfjs loads only now, once the suite and arguments are known to be good.
  const { useBackend } = await import("./train/tf.ts");
  const { runTask } = await import("./experiment.ts");
  try {
    await useBackend(values.backend as BackendName);
  } catch (e) {
    fail((e as Error).message);
  }
  const deadline = minutes === undefined ? undefined : performance.now() + minutes * 60_000;
  const log = values.quiet ? () => {} : (l: string) => console.log(l);
  // The kernel path: every export scored through the WGSL kernels and timed (task/kernel_path.ts).
  let kernels: KernelPathSession | null = null;
  if (!values["no-kernels"]) {
    try {
      kernels = suite.dataset === "brown"
        ? await startLmKernelPath(suite.testSamples, latencyBatches.length > 0, log)
        : await startKernelPath(head(loadMnist().test, suite.testSamples), latencyBatches, log);
    } catch (e) {
      fail(`kernel path: ${(e as Error).message} (--no-kernels runs without it)`);
    }
    log(
      `kernel path on ${kernels.adapter}, forward timed at batch ${
        latencyBatches.join(", ") || "none"
      }`,
    );
  }
  const t0 = performance.now();
  const results = await runTask(suite, {
    outDir: values.out,
    backend: values.backend!,
    log,
    ...(kernels ? { onExport: kernels.onExport } : {}),
    ...(deadline !== undefined ? { deadline } : {}),
    ...(values.seeds !== undefined || values.only !== undefined ? { selection } : {}),
    ...(from ? { denseFrom: from } : {}),
  });
  await kernels?.release();
  writeTaskReport(results, values.out, true);
  console.log(
    `${results.variants.length} variants, ${results.failures.length} failures, ` +
      `${results.skipped.length} skipped (time limit) in ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s; wrote ${
        join(values.out, "results.json")
      }`,
  );
  if (results.failures.length > 0) Deno.exit(1);
}

if (import.meta.main) await main();
