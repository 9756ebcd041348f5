/**
 * Task results (`kind: "task"`, written by `deno task task`) as the report and the gate read
 * them: the fields they use, validated with errors that name the file and field, and the derived
 * rows (accuracy through the kernels, speedup against dense, FLOP ratios, Pareto front).
 *
 * @module
 */

import { paretoFront } from "./pareto.ts";

/** Mean, spread and per-seed values of a measured quantity. */
export interface TaskSeedStats {
  /** Mean over seeds. */
  mean: number;
  /** Sample standard deviation over seeds (0 for one seed). */
  std: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** One value per seed, in seed order. */
  values: number[];
}

/** One batch size's forward latency through the kernels. */
export interface TaskLatencyView {
  /** Batch size (samples a forward pass). */
  batch: number;
  /** Median time of one forward pass, ms. */
  medianMs: number;
  /** 95% confidence interval of the median, ms. */
  ciMs?: [number, number];
  /** Relative half-width of that interval. */
  noise?: number;
  /** Throughput: batch / median. */
  samplesPerSecond?: number;
  /** The dense model's median at this batch in the same run (null without one). */
  denseMedianMs: number | null;
  /** Dense's median over this variant's (null without a dense model). */
  speedupVsDense: number | null;
  /** The sentinel around the measurement; `flagged` when the GPU's speed stayed off. */
  sentinel?: { flagged: boolean };
}

/** An LM variant's kernel path: its checks, generation, perplexity and speeds through the kernels. */
export interface TaskLmKernelView {
  /** The seed whose model was timed and generated with. */
  seed: number;
  /** Whether every linear and the logits passed their checks against the CPU forward. */
  checked: boolean;
  /** Whether the KV-cached decode's logits matched the prefill's. */
  cacheConsistent: boolean;
  /** Largest relative error of the kernel path's logits against the CPU forward. */
  logitsMaxRelErr: number;
  /** Validation perplexity through the kernels (mean over seeds; null when not scored). */
  kernelPerplexity: number | null;
  /** Per seed, in seed order. */
  kernelPerplexities: number[];
  /** The prompt of the greedy generation. */
  promptText: string;
  /** What the model generated from it through the kernels. */
  generatedText: string;
  /** Prefill speed through the kernels, tokens/s (null when not timed). */
  prefillTokensPerS: number | null;
  /** KV-cached greedy decode speed at batch 1, tokens/s (null when not timed). */
  decodeTokensPerS: number | null;
  /** Share of decode time spent outside the linear layers. */
  outsideLinearsShare: number | null;
  /** This variant's prefill speed over the dense model's. */
  prefillSpeedupVsDense: number | null;
  /** This variant's decode speed over the dense model's. */
  decodeSpeedupVsDense: number | null;
  /** Prefill timing; `sentinel.flagged` when the GPU's speed stayed off while timed. */
  prefill?: { sentinel?: { flagged: boolean } } | null;
  /** Decode timing, as `prefill`. */
  decode?: { sentinel?: { flagged: boolean } } | null;
  /** How it was timed (GPU timestamps or wall clock). */
  method?: string;
  /** The adapter it ran on. */
  device?: string;
}

/** One variant (model, experiment, operator) of a task run. */
export interface TaskVariantView {
  /** `model/experiment/variant`. */
  id: string;
  /** The model's name in the suite. */
  model: string;
  /** `scratch`, `convert` or `finetune` (how the variant's weights came to be). */
  experiment: string;
  /** The operator variant's label. */
  variant: string;
  /** The operator and its parameters (`op`: dense, stl, sparse24, int4, int8, ternary, monarch). */
  operator: { op: string };
  /** `top1` (%, higher is better) or `perplexity` (the LM's, lower is better). */
  metric: string;
  /** The metric by the training library after training (or fine-tuning). */
  value: TaskSeedStats;
  /** The metric before fine-tuning (converted variants). */
  before?: TaskSeedStats;
  /** Top-1 through the CPU forward of the exported model. */
  cpuTop1?: TaskSeedStats;
  /** The LM: its perplexity through the CPU forward. */
  cpuValue?: TaskSeedStats;
  /** The LM's kernel path. */
  lmKernel?: TaskLmKernelView;
  /** Top-1 through the WGSL kernels that are timed. */
  kernelTop1?: TaskSeedStats;
  /** The training loss: first, last and smallest values, and the curve sampled every `every` steps. */
  loss: { first: number; last: number; min: number; every: number; steps: number; curve: number[] };
  /** FLOPs of one forward pass a sample: the linears (core and overhead), the rest, the total. */
  flops: {
    linears: number;
    linearsCore: number;
    linearsOverhead: number;
    rest: number;
    total: number;
  };
  /** Stored parameters: in total, in the linears and elsewhere. */
  params: { total: number; linears?: number; rest?: number };
  /** The classification kernel path: its checks against the CPU forward and its latencies. */
  kernel?: {
    dtype?: string;
    method?: string;
    maxTop1Gap: number | null;
    logitsRelError?: number[];
    worstCheck?: { layer: string; op: string; relError: number; tolerance: number } | null;
    checked?: boolean;
    latency: TaskLatencyView[];
  };
}

/** A task results file as the report and gate read it. */
export interface TaskResultsView {
  /** Always "task". */
  kind: "task";
  /** Format version. */
  schemaVersion: number;
  /** The task suite's name. */
  suite: string;
  /** The data: its name, training and test sizes, split seed and source. */
  dataset: { name: string; train: number; test: number; splitSeed?: number; source?: string };
  /** The training backend (wasm, cpu or webgpu). */
  backend: string;
  /** The seeds run. */
  seeds: number[];
  /** When the run started (ISO 8601). */
  startedAt: string;
  /** When it finished; absent when it was interrupted. */
  finishedAt?: string;
  /** Every variant's results. */
  variants: TaskVariantView[];
  /** (variant, seed) pairs that failed, with the error. */
  failures: { id: string; seed: number; error: string }[];
  /** (variant, seed) pairs not started because a time limit was reached. */
  skipped?: { id: string; seed: number }[];
  /** The part of the suite the run was asked for (`--seeds`, `--only`), when not all of it. */
  selection?: { seeds: number[]; only: string[] | null; variants: string[] };
  /** A merged run: the runs it was merged from. */
  shards?: {
    file: string;
    seeds: number[];
    only: string[] | null;
    variants: number;
    finishedAt: string | null;
  }[];
  /** Latency timed in a separate pass: where, and which seed's models. */
  latencyPass?: { device: string; method: string; seedRule: "first" | number };
}

/** A malformed task results file: names the file and the field. */
export class TaskResultsError extends Error {
  /** Creates the error for `file`'s `field`. */
  constructor(file: string, field: string, message: string) {
    super(`${file}: ${field}: ${message}`);
    this.name = "TaskResultsError";
  }
}

/**
 * Whether parsed JSON is a task results file (`kind: "task"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(isTaskResults({ kind: "task" }) && !isTaskResults({ schemaVersion: 3 }));
 * ```
 */
export function isTaskResults(raw: unknown): boolean {
  return typeof raw === "object" && raw !== null && (raw as { kind?: unknown }).kind === "task";
}

function isNum(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function checkStats(file: string, field: string, v: unknown): void {
  const s = v as TaskSeedStats;
  if (typeof s !== "object" || s === null || !isNum(s.mean) || !Array.isArray(s.values)) {
    throw new TaskResultsError(file, field, "must be {mean, std, min, max, values}");
  }
}

/**
 * Checks the fields the report and gate read; returns the file typed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.throws(() => validateTaskResults({ kind: "task", variants: 3 }, "r.json"), /r.json: variants:/);
 * ```
 */
export function validateTaskResults(raw: unknown, file: string): TaskResultsView {
  const r = raw as TaskResultsView;
  if (!isTaskResults(raw)) throw new TaskResultsError(file, "kind", 'must be "task"');
  if (!Array.isArray(r.variants)) throw new TaskResultsError(file, "variants", "must be a list");
  if (!Array.isArray(r.failures)) throw new TaskResultsError(file, "failures", "must be a list");
  if (typeof r.suite !== "string") throw new TaskResultsError(file, "suite", "must be a string");
  r.variants.forEach((v, i) => {
    const at = `variants[${i}]`;
    for (const f of ["id", "model", "experiment", "variant"] as const) {
      if (typeof v[f] !== "string") {
        throw new TaskResultsError(file, `${at}.${f}`, "must be a string");
      }
    }
    checkStats(file, `${at}.value`, v.value);
    if (v.before !== undefined) checkStats(file, `${at}.before`, v.before);
    if (v.kernelTop1 !== undefined) checkStats(file, `${at}.kernelTop1`, v.kernelTop1);
    if (!v.loss || !Array.isArray(v.loss.curve)) {
      throw new TaskResultsError(file, `${at}.loss.curve`, "must be a list of numbers");
    }
    if (!v.flops || !isNum(v.flops.total)) {
      throw new TaskResultsError(file, `${at}.flops.total`, "must be a number");
    }
    if (v.kernel !== undefined && !Array.isArray(v.kernel.latency)) {
      throw new TaskResultsError(file, `${at}.kernel.latency`, "must be a list");
    }
  });
  return r;
}

/**
 * Whether a variant's metric is lower-is-better (the LM's perplexity).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(lowerIsBetter({ metric: "perplexity" }) && !lowerIsBetter({ metric: "top1" }));
 * ```
 */
export function lowerIsBetter(v: { metric: string }): boolean {
  return v.metric === "perplexity";
}

/**
 * A variant's error, what the Pareto front and the gate minimise: 100 − top-1 (points), or the
 * perplexity itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(taskError({ metric: "top1" }, 97.5), 2.5);
 * assert.equal(taskError({ metric: "perplexity" }, 4.2), 4.2);
 * ```
 */
export function taskError(v: { metric: string }, score: number): number {
  return lowerIsBetter(v) ? score : 100 - score;
}

function statsOf(values: number[]): TaskSeedStats {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, min: Math.min(...values), max: Math.max(...values), values };
}

/**
 * The accuracy a variant is judged by: top-1 through the kernels when the kernel path ran (the
 * number computed by the kernels that are timed), else the training library's. The LM's
 * perplexity through the kernels counts when it was computed for every seed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typicalTaskRun } from "../../tests/fixtures/task_runs.ts";
 * const v = typicalTaskRun().variants[0]!;
 * const { top1, source } = taskAccuracy(v);
 * assert.equal(source, "kernels"); // scored through the WGSL kernels, not the training library
 * assert.equal(top1, v.kernelTop1);
 * ```
 */
export function taskAccuracy(
  v: TaskVariantView,
): { top1: TaskSeedStats; source: "kernels" | "library" } {
  if (v.kernelTop1) return { top1: v.kernelTop1, source: "kernels" };
  const kp = v.lmKernel?.kernelPerplexities ?? [];
  if (kp.length > 0 && kp.length === v.value.values.length && kp.every(Number.isFinite)) {
    return { top1: statsOf(kp), source: "kernels" };
  }
  return { top1: v.value, source: "library" };
}

/**
 * One variant's speedup at `batch` (null when not timed). The LM's is its decode speedup at
 * batch 1 (tokens/s over the dense model's, KV-cached greedy decode).
 */
export function speedupAt(v: TaskVariantView, batch: number): number | null {
  if (v.lmKernel) return batch === 1 ? v.lmKernel.decodeSpeedupVsDense : null;
  return v.kernel?.latency.find((l) => l.batch === batch)?.speedupVsDense ?? null;
}

/** The latency batch sizes of a run, ascending (the LM's decode counts as batch 1). */
export function latencyBatches(r: TaskResultsView): number[] {
  const s = new Set<number>();
  for (const v of r.variants) for (const l of v.kernel?.latency ?? []) s.add(l.batch);
  if (r.variants.some((v) => v.lmKernel?.decodeSpeedupVsDense != null)) s.add(1);
  return [...s].sort((a, b) => a - b);
}

/**
 * Ids of the variants of one model (both experiments) on the Pareto front of accuracy against
 * speedup at `batch`: no other variant is at least as accurate and as fast, and better on one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typicalTaskRun } from "../../tests/fixtures/task_runs.ts";
 * const front = taskPareto(typicalTaskRun(), "vit", 1);
 * // INT4 is slower than dense and less accurate: dominated
 * assert.deepEqual(front.sort(), ["vit/scratch/2:4 magnitude", "vit/scratch/dense", "vit/scratch/stl t4 r24"]);
 * ```
 */
export function taskPareto(r: TaskResultsView, model: string, batch: number): string[] {
  const vs = r.variants.filter((v) => v.model === model && speedupAt(v, batch) !== null);
  const pts = vs.map((v) => ({
    time: 1 / speedupAt(v, batch)!,
    error: taskError(v, taskAccuracy(v).top1.mean),
  }));
  return paretoFront(pts).map((i) => vs[i]!.id);
}

/** The dense variant of the same model and experiment (what ratios are taken against). */
export function denseOf(r: TaskResultsView, v: TaskVariantView): TaskVariantView | null {
  return r.variants.find((d) =>
    d.model === v.model && d.experiment === v.experiment && d.operator.op === "dense"
  ) ?? r.variants.find((d) => d.model === v.model && d.operator.op === "dense") ?? null;
}

/**
 * Reads `file` and returns it as task results when it is one (`kind: "task"`), else null (a bench
 * results.json: the caller reads it its own way). Unreadable or malformed JSON is left to the
 * caller's loader too (null), so its error message is the usual one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typicalTaskRun } from "../../tests/fixtures/task_runs.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/task.json`, JSON.stringify(typicalTaskRun()));
 * assert.equal(readTaskResults(`${dir}/task.json`)!.variants.length, 5);
 * assert.equal(readTaskResults("baselines/smoke-llvmpipe.json"), null); // a benchmark run, not a task run
 * ```
 */
export function readTaskResults(file: string): TaskResultsView | null {
  let raw: unknown;
  try {
    raw = JSON.parse(Deno.readTextFileSync(file));
  } catch {
    return null;
  }
  return isTaskResults(raw) ? validateTaskResults(raw, file) : null;
}
