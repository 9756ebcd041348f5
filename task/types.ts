/**
 * The task results: one `task` block per (model, experiment, variant), aggregated over seeds.
 * Written as `results.json` by `deno task task` (task/main.ts).
 *
 * @module
 */

import type { SentinelFigures } from "../harness/types.ts";
import type { KernelPathResult } from "./kernel_path.ts";
import type { OperatorSpec } from "./operators.ts";
import type { TaskSelection } from "./select.ts";

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
  /** `top1` (%, higher is better) or, for the LM, validation `perplexity` (lower is better). */
  metric: "top1" | "perplexity";
  /** The seeds of every per-seed list of this variant (`value.values`, `trainMs`, …), in order. */
  seeds: number[];
  /** Top-1 (%) on the test split after training (scratch) or after fine-tuning, by tfjs. */
  value: SeedStats;
  /** Fine-tune only: top-1 of the converted model before fine-tuning. */
  before?: SeedStats;
  /** LM: the perplexity of the same exported weights through lmForwardCpu, if run. */
  cpuValue?: SeedStats;
  /** LM: checks, generation, perplexity and speed through the WGSL kernels. */
  lmKernel?: LmKernelRecord;
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
 * One shard of a merged run: where it came from and what it held.
 *
 * @example
 * ```ts
 * const s: TaskShardInfo = { file: "shards/vit-s1/results.json", seeds: [1], only: ["vit/*"], variants: 11, failures: 0, skipped: 0, startedAt: "", finishedAt: null };
 * ```
 */
export interface TaskShardInfo {
  file: string;
  seeds: number[];
  only: string[] | null;
  /** (variant, seed) results it contributed. */
  variants: number;
  failures: number;
  skipped: number;
  startedAt: string;
  /** Null when the shard did not finish (killed, or still running when merged). */
  finishedAt: string | null;
}

/**
 * The latency pass of a run (`task latency`): every variant's exported model timed through the
 * kernels, one process, nothing else on the GPU.
 *
 * @example
 * ```ts
 * const l: TaskLatencyPass = { device: "NVIDIA H200", method: "timestamp", batches: [1, 1024], seedRule: "first", at: "" };
 * ```
 */
export interface TaskLatencyPass {
  device: string;
  method: string;
  batches: number[];
  /** Which seed's export was timed: `first` (each variant's first seed with one) or a seed. */
  seedRule: "first" | number;
  at: string;
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
  /** Fingerprint of the suite's declaration (task/select.ts `suiteHash`): shards must agree. */
  suiteHash?: string;
  /**
   * mnist: training and test digits. brown: training tokens and validation windows (of each
   * model's ctx tokens), and where the text came from.
   */
  dataset: {
    name: "mnist" | "brown";
    train: number;
    test: number;
    splitSeed: number;
    source?: string;
  };
  backend: string;
  /** The seeds this run covers (a selection's or merged shards' seeds, in the suite's order). */
  seeds: number[];
  /** The part of the suite this run was asked for (`--seeds`, `--only`), when not all of it. */
  selection?: TaskSelection;
  /** `--dense-from`: the run whose trained dense models the fine-tune variants converted. */
  denseFrom?: string;
  /** A merged run (`task merge`): the shards it was merged from. */
  shards?: TaskShardInfo[];
  /** A separate latency pass (`task latency`): how, where and which seed's models were timed. */
  latencyPass?: TaskLatencyPass;
  startedAt: string;
  finishedAt?: string;
  variants: TaskVariantResult[];
  failures: TaskFailure[];
  /** (variant, seed) pairs not started because the time limit (`--max-minutes`) was reached. */
  skipped: { id: string; seed: number }[];
}

/**
 * One timed pass kind of the LM through the kernels (the measurement layer's summary).
 *
 * @example
 * ```ts
 * const t: LmTiming = { medianMs: 1.2, ciMs: [1.19, 1.21], noise: 0.008, samples: 120 };
 * ```
 */
export interface LmTiming {
  /** Median of one execution, ms. */
  medianMs: number;
  /** 95% confidence interval of the median, ms. */
  ciMs: [number, number];
  /** Relative half-width of that interval. */
  noise: number;
  samples: number;
  /**
   * The sentinel readings around the measurement (prefill and decode): a short reference
   * workload timed before and after it; re-measured when a reading was off the pass's
   * reference by more than 30%, `flagged` when every attempt was.
   */
  sentinel?: SentinelFigures;
}

/**
 * The LM's prefill, KV-cached greedy decode and speed through the WGSL kernels, for one
 * exported model (task/gpu/lm_evaluate.ts `lmOnKernels`).
 *
 * @example
 * ```ts ignore
 * const r: LmKernelResult = await lmOnKernels(env, model, { prompt, tokens: 64, sequences, len: 128 });
 * console.log(r.decodeTokensPerS, r.outsideLinearsShare);
 * ```
 */
export interface LmKernelResult {
  /** The adapter the kernels ran on. */
  device: string;
  dtype: "f32" | "f16";
  /** How passes were timed (gpu-timestamp or wall), "not timed" when not timed. */
  method: string;
  /**
   * Largest relative error ‖gpu − cpu‖/‖cpu‖ of the prefill logits (every position of a
   * sequence) against lmForwardCpu, over the checked sequences.
   */
  logitsMaxRelErr: number;
  /** The bound logitsMaxRelErr is held to. */
  logitsTolerance: number;
  /** Every linear's kernel output matched its family's f64 reference (first sequence). */
  checked: boolean;
  /** The linear check closest to its tolerance. */
  worstCheck: { layer: string; op: string; relError: number; tolerance: number } | null;
  /**
   * Largest relative error of teacher-forced decode-step logits (after a prefill of the
   * sequence's first half) against the full prefill's logits at the same positions.
   */
  cacheMaxRelErr: number;
  /** cacheMaxRelErr within its tolerance (decode through the KV cache = prefill). */
  cacheConsistent: boolean;
  /** Perplexity of the sequences' next tokens through the kernels (null without sequences). */
  kernelPerplexity: number | null;
  /** The same through lmForwardCpu on the checked sequences (null without sequences). */
  cpuPerplexity: number | null;
  /** The prompt's ids and the greedy continuation generated on the device. */
  promptIds: number[];
  generatedIds: number[];
  /** Generation stopped because prompt + generated filled the context. */
  stoppedAtCtx: boolean;
  /** Decode steps timed (from the end of the prompt). */
  decodeSteps: number;
  /** Dispatches one decode step records (all of them, linears' included). */
  dispatchesPerToken: number;
  /** Prompt tokens / prefill median. */
  prefillTokensPerS: number | null;
  /** Decode steps / median of the decode loop (batch 1). */
  decodeTokensPerS: number | null;
  /**
   * 1 − (the decode loop with only its linears) / (the whole decode loop), medians; not
   * clipped (slightly negative within noise when the other kernels cost next to nothing).
   */
  outsideLinearsShare: number | null;
  /** Speeds over the dense model's, when its result was given. */
  prefillSpeedupVsDense: number | null;
  decodeSpeedupVsDense: number | null;
  prefill: LmTiming | null;
  decode: LmTiming | null;
  /** The decode loop with only the linears' dispatches, and with only the other ones. */
  decodeLinears: LmTiming | null;
  decodeOther: LmTiming | null;
  /**
   * Wall clock of a whole greedy generation (prefill + decode steps recorded into one command
   * buffer, submitted, waited for): includes the CPU's encoding.
   */
  generateWall: LmTiming | null;
}

/**
 * An LM variant's kernel-path record: {@link LmKernelResult} of one seed's export (the timed
 * one), the prompt and generated text, and the perplexity through the kernels of every seed run.
 *
 * @example
 * ```ts ignore
 * const k: LmKernelRecord = variant.lmKernel!;
 * console.log(k.generatedText, k.decodeTokensPerS);
 * ```
 */
export interface LmKernelRecord extends LmKernelResult {
  /** The seed whose export this result is of. */
  seed: number;
  promptText: string;
  generatedText: string;
  /** Perplexity through the kernels per seed, in seed order (the validation windows scored). */
  kernelPerplexities: number[];
}
