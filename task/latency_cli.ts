/**
 * `deno task task latency DIR [--latency-batches 1,1024] [--seed S]`: times the forward pass of
 * every variant of the run in DIR (a run or a merged run) through the kernels, alone on the GPU
 * (task/latency_pass.ts; a brown run's LMs: checks, perplexity, generation and prefill/decode
 * tokens/s through task/lm_kernel_path.ts `timeLmRun`), and writes the figures into
 * DIR/results.json, report.html and summary.md. Exit 2 on a bad argument or results file, 1 when a variant could not be timed, 0
 * otherwise.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { TASK_MEASURE } from "./task_measure.ts";
import { writeTaskReport } from "../harness/report/task_write.ts";
import { head, loadMnist } from "./data/mnist.ts";
import { DEFAULT_LATENCY_BATCHES, openKernelEnv, parseLatencyBatches } from "./kernel_cli.ts";
import { timeRunLatency } from "./latency_pass.ts";
import { timeLmRun } from "./lm_kernel_path.ts";
import { loadBrown } from "./data/brown.ts";
import type { TaskResults } from "./types.ts";

const USAGE = "usage: deno task task latency DIR [--latency-batches 1,1024] [--seed S] [--quiet]";

function fail(message: string): never {
  console.error(message);
  Deno.exit(2);
}

/**
 * Runs `task latency` with `args` (the arguments after `latency`).
 *
 * @example
 * ```ts ignore
 * await latencyMain(["reports/full", "--latency-batches", "1,1024"]);
 * ```
 */
export async function latencyMain(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        "latency-batches": { type: "string", default: DEFAULT_LATENCY_BATCHES.join(",") },
        seed: { type: "string" },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    fail(`task latency: ${(e as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1) fail(`task latency: give one run folder\n${USAGE}`);
  const dir = positionals[0]!;
  let batches: number[] = [];
  try {
    batches = parseLatencyBatches(values["latency-batches"]!);
  } catch (e) {
    fail((e as Error).message);
  }
  if (batches.length === 0) fail(`--latency-batches: none leaves nothing to time`);
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isInteger(seed)) fail(`--seed: must be an integer; got ${values.seed}`);
  }
  const file = join(dir, "results.json");
  let results: TaskResults;
  try {
    results = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    fail(`${file}: cannot read (${(e as Error).message.split("\n")[0]})`);
  }
  if (results.kind !== "task" || !Array.isArray(results.variants)) {
    fail(`${file}: kind: must be "task" (a task run)`);
  }
  if (seed !== undefined && !results.seeds.includes(seed)) {
    fail(`--seed: ${seed} is not a seed of ${file} (its seeds: ${results.seeds.join(", ")})`);
  }
  const log = values.quiet ? () => {} : (l: string) => console.log(l);
  let gpu;
  try {
    gpu = await openKernelEnv();
  } catch (e) {
    fail(`task latency: no GPU (${(e as Error).message})`);
  }
  const save = async () => {
    await Deno.writeTextFile(`${file}.tmp`, JSON.stringify(results, null, 2) + "\n");
    await Deno.rename(`${file}.tmp`, file);
    writeTaskReport(results, dir, true);
  };
  const before = results.failures.length;
  const t0 = performance.now();
  try {
    if (results.dataset.name === "brown") {
      await timeLmRun(results, dir, {
        env: gpu.env,
        validation: (await loadBrown()).validation,
        windows: results.dataset.test,
        measure: TASK_MEASURE,
        device: gpu.adapter,
        log,
        onTimed: save,
        ...(seed !== undefined ? { seed } : {}),
      });
    } else {
      await timeRunLatency(results, {
        env: gpu.env,
        dir,
        batches,
        measure: TASK_MEASURE,
        images: head(loadMnist().test, Math.max(...batches)).images,
        device: gpu.adapter,
        log,
        // Saved after every variant: a pass cut short keeps what it timed.
        onTimed: save,
        ...(seed !== undefined ? { seed } : {}),
      });
    }
  } finally {
    await gpu.release();
  }
  await save();
  const failed = results.failures.length - before;
  console.log(
    `timed ${results.variants.length - failed} variants at batch ${
      batches.join(", ")
    } on ${gpu.adapter} in ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s; ${failed} failed; wrote ${file}`,
  );
  if (failed > 0) Deno.exit(1);
}
