/**
 * The task results: one `task` block per (model, experiment, variant), aggregated over seeds.
 * Written as `results.json` by `deno task task` (task/main.ts).
 *
 * @module
 */

import type { KernelPathResult } from "./kernel_path.ts";
import type { OperatorSpec } from "./operators.ts";

/** Version of the task results schema. */
export const TASK_SCHEMA_VERSION = 1;

/**
 * A value measured once per seed: the per-seed values in seed order and their summary.
 *
 * @example
 * ```ts
 * const s: SeedStats = { mean: 97.5, std: 0.5, min: 97, max: 98, values: [97, 98] };
 * ```
 */
export interface SeedStats {
  mean: number;
  /** Sample standard deviation (0 for one seed). */
  std: number;
  min: number;
  max: number;
  values: number[];
}

/**
 * FLOPs or parameters of a model for one sample, split into its linear layers (the operator's
 * core products plus encode/decode or dequantisation overhead) and the rest (attention scores,
 * norms, activations, pooling, embeddings added).
 *
 * @example
 * ```ts
 * const f: ModelCount = { linears: 1e6, linearsCore: 9e5, linearsOverhead: 1e5, rest: 2e4, total: 1.02e6 };
 * ```
 */
export interface ModelCount {
  linears: number;
  linearsCore: number;
  linearsOverhead: number;
  rest: number;
  total: number;
}

/**
 * The loss curve of a variant: the mean over seeds of each window's mean training loss.
 *
 * @example
 * ```ts
 * const l: LossSummary = { first: 2.3, last: 0.1, min: 0.09, every: 10, steps: 100, curve: [2.3, 0.1] };
 * ```
 */
export interface LossSummary {
  first: number;
  last: number;
  min: number;
  /** Steps per curve point. */
  every: number;
  steps: number;
  /** At most 50 points (windows merged evenly when there are more). */
  curve: number[];
}

/**
 * One variant's task block.
 *
 * @example
 * ```ts ignore
 * const v: TaskVariantResult = results.variants[0]!;
 * console.log(v.id, v.value.mean);
 * ```
 */
export interface TaskVariantResult {
  /** `<model>/<experiment>/<label>`, unique in the results. */
  id: string;
  model: string;
  config: Record<string, number | string>;
  experiment: "scratch" | "finetune";
  /** operatorLabel of the operator. */
  variant: string;
  operator: OperatorSpec;
  metric: "top1";
  /** Top-1 (%) on the test split after training (scratch) or after fine-tuning, by tfjs. */
  value: SeedStats;
  /** Fine-tune only: top-1 of the converted model before fine-tuning. */
  before?: SeedStats;
  /** Top-1 of the same exported weights through the CPU forward (forward_cpu.ts), if run. */
  cpuTop1?: SeedStats;
  /** Top-1 through the WGSL kernels (filled by the kernel path). */
  kernelTop1?: SeedStats;
  loss: LossSummary;
  /** Training (or fine-tuning) wall time per seed, ms. */
  trainMs: SeedStats;
  /** Per sample. */
  flops: ModelCount;
  /** Stored values (2:4: kept weights; int4: 4-bit codes counted as values, plus scales/zeros). */
  params: ModelCount;
  /** Paths of the exported models (ModelExport files), one per seed, relative to results.json. */
  exports: string[];
  /** Top-1, checks and forward latency through the WGSL kernels (filled by the kernel path). */
  kernel?: KernelPathResult;
}

/**
 * A failure of one (variant, seed): recorded, the run goes on.
 *
 * @example
 * ```ts
 * const f: TaskFailure = { id: "vit/scratch/dense", seed: 1, error: "training diverged" };
 * ```
 */
export interface TaskFailure {
  id: string;
  seed: number;
  error: string;
}

/**
 * The task results file.
 *
 * @example
 * ```ts ignore
 * const r: TaskResults = JSON.parse(await Deno.readTextFile("out/results.json"));
 * ```
 */
export interface TaskResults {
  schemaVersion: number;
  kind: "task";
  suite: string;
  dataset: { name: "mnist"; train: number; test: number; splitSeed: number };
  backend: string;
  seeds: number[];
  startedAt: string;
  finishedAt?: string;
  variants: TaskVariantResult[];
  failures: TaskFailure[];
  /** (variant, seed) pairs not started because the time limit (`--max-minutes`) was reached. */
  skipped: { id: string; seed: number }[];
}
