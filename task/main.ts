/**
 * `deno task task --suite tasks/<name>.json --out DIR [--backend wasm|cpu|webgpu]
 * [--max-minutes M]`: trains,
 * converts, fine-tunes and scores the task suite's models (task/experiment.ts), scores and times
 * every export through the WGSL kernels (task/kernel_path.ts; `--no-kernels` skips it,
 * `--latency-batches` sets the timed batch sizes), writing DIR/results.json, DIR/report.html,
 * DIR/summary.md and DIR/models/*.json; `--max-minutes` starts no new (variant, seed) after M
 * minutes (they are listed as skipped). Exit 2 on a bad suite or argument,
 * 1 when any (variant, seed) failed, 0 otherwise.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { parseTaskSuite, TaskSuiteError } from "./suite.ts";
import { type BackendName, BACKENDS } from "./backends.ts";
import { head, loadMnist } from "./data/mnist.ts";
import { type KernelPathSession, parseLatencyBatches, startKernelPath } from "./kernel_cli.ts";
import { writeTaskReport } from "../harness/report/task_write.ts";

const USAGE = "usage: deno task task --suite FILE --out DIR [--backend wasm|cpu|webgpu]\n" +
  "  [--max-minutes M] [--latency-batches 1,1024|none] [--no-kernels] [--quiet]";

function fail(message: string): never {
  console.error(message);
  Deno.exit(2);
}

async function main() {
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
  if (!values.out) fail(`--out: missing\n${USAGE}`);
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
  // tfjs loads only now, once the suite and arguments are known to be good.
  const { useBackend } = await import("./train/tf.ts");
  const { runTask } = await import("./experiment.ts");
  try {
    await useBackend(values.backend as BackendName);
  } catch (e) {
    fail((e as Error).message);
  }
  let deadline: number | undefined;
  if (values["max-minutes"] !== undefined) {
    const m = Number(values["max-minutes"]);
    if (!(m > 0)) fail(`--max-minutes: must be a number > 0; got ${values["max-minutes"]}`);
    deadline = performance.now() + m * 60_000;
  }
  const log = values.quiet ? () => {} : (l: string) => console.log(l);
  let latencyBatches: number[] = [];
  try {
    latencyBatches = parseLatencyBatches(values["latency-batches"]!);
  } catch (e) {
    fail((e as Error).message);
  }
  // The kernel path: every export scored through the WGSL kernels and timed (task/kernel_path.ts).
  let kernels: KernelPathSession | null = null;
  if (!values["no-kernels"]) {
    try {
      kernels = await startKernelPath(
        head(loadMnist().test, suite.testSamples),
        latencyBatches,
        log,
      );
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
