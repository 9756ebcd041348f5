/**
 * Core types shared by every layer: shapes, dtypes and the `results.json` contract.
 *
 * @module
 */

/** Element type of activations, weights and outputs in device memory. */
export type DType = "f32" | "f16";

/** All dtypes tilebench knows. */
export const DTYPES: readonly DType[] = ["f32", "f16"];

/** Version of the `results.json` schema written by this tool. Bumped on breaking changes. */
export const SCHEMA_VERSION = 1;

/**
 * A matrix-product shape: `X` is M×K, `W` is K×N, `Y = X·W` is M×N.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s: Shape = { m: 2048, k: 2048, n: 5632, label: "tinyllama.mlp.up" };
 * // X is M×K, W is K×N: a dense product executes 2·M·K·N FLOPs
 * assert.equal(2 * s.m * s.k * s.n, 47_244_640_256);
 * ```
 */
export interface Shape {
  /** Rows of X and Y. */
  m: number;
  /** Columns of X, rows of W (the reduction length). */
  k: number;
  /** Columns of W and Y. */
  n: number;
  /** A name for the shape (e.g. the model layer it comes from). */
  label?: string;
}

/** A kernel parameter value as written in a suite. */
export type ParamValue = string | number | boolean;

/** A kernel's parameters after expansion: one scalar per name. */
export type Params = Record<string, ParamValue>;

/** Outcome of a case. */
export type Status = "ok" | "failed" | "skipped";

/** How kernel time was taken. */
export type TimeMethod = "gpu-timestamp" | "wall";

/**
 * FLOPs a case executes, split into the core products and the overhead around them
 * (encode/decode, dequantisation, ...).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const f: Flops = { total: 2e9, core: 2e9, overhead: 0 };
 * assert.equal(f.total, f.core + f.overhead);
 * ```
 */
export interface Flops {
  /** All FLOPs executed. */
  total: number;
  /** FLOPs of the core products. */
  core: number;
  /** FLOPs around them (encode/decode, dequantisation, ...). */
  overhead: number;
}

/**
 * Summary of a case's kernel time. All times in milliseconds.
 *
 * `noise` is the relative standard deviation (stddev / mean); `ci` is a distribution-free
 * confidence interval of the median from order statistics.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t: TimeSummary = {
 *   unit: "ms", method: "gpu-timestamp", l2: "warm", samples: [1, 1.1, 0.9], n: 3,
 *   median: 1, min: 0.9, max: 1.1, p10: 0.92, p90: 1.08, mean: 1, stddev: 0.1, noise: 0.1,
 *   ci: { level: 0.95, lo: 0.9, hi: 1.1 }, outliers: 0, warmupMs: 10, totalMs: 50,
 * };
 * assert.equal(t.n, t.samples.length);
 * assert.ok(t.ci.lo <= t.median && t.median <= t.ci.hi);
 * ```
 */
export interface TimeSummary {
  /** Always milliseconds. */
  unit: "ms";
  /** How the time was taken. */
  method: TimeMethod;
  /** Whether caches were flushed between samples ("cold") or not ("warm"). */
  l2: "warm" | "cold";
  /** Raw per-dispatch samples in ms, in the order taken. */
  samples: number[];
  /** Number of samples kept. */
  n: number;
  /** Median sample (ms). */
  median: number;
  /** Fastest sample (ms). */
  min: number;
  /** Slowest sample (ms). */
  max: number;
  /** 10th percentile (ms). */
  p10: number;
  /** 90th percentile (ms). */
  p90: number;
  /** Mean of the samples (ms). */
  mean: number;
  /** Standard deviation of the samples (ms). */
  stddev: number;
  /** Relative standard deviation: stddev / mean. */
  noise: number;
  /** Confidence interval of the median. */
  ci: { level: number; lo: number; hi: number };
  /** Samples outside Tukey's fences (1.5 IQR). Kept in `samples`, only counted here. */
  outliers: number;
  /** Time spent warming up before the first sample. */
  warmupMs: number;
  /** Executions run during warm-up. */
  warmupRuns?: number;
  /**
   * Whether warm-up ended because per-execution times had settled (GPU clocks ramped, caches
   * and pipelines warm) rather than because its time cap ran out.
   */
  warmupSettled?: boolean;
  /**
   * Times sampling started over because a batch sat at another level than the samples before it
   * (more than 10% off their median: typically a GPU clock change). Samples before the last
   * restart are discarded.
   */
  restarts?: number;
  /** Wall time spent in the measurement loop, warm-up included. */
  totalMs: number;
  /** Why sampling stopped. */
  stoppedBy?: "noise" | "time" | "max-samples";
  /**
   * Present when the isolated median was suspect: more than `TRANSIENT_RATIO` times the case's
   * back-to-back figure (pass cost subtracted), so it was measured once more. The lower median
   * is kept in this summary, and both are recorded.
   */
  recheck?: {
    /** (first isolated median − pass cost) / back-to-back median. */
    ratio: number;
    firstMedian: number;
    secondMedian: number;
    kept: "first" | "second";
  };
  /**
   * The measurement sentinel around this case: a short reference workload timed before and
   * after it. A case whose sentinel moved beyond the threshold was measured again; `flagged`
   * when it stayed off (the device ran at another speed while the case was timed).
   */
  sentinel?: SentinelFigures;
  /**
   * A re-measurement taken for the gate (`bench --baseline`) because the first measurement was
   * `slower` than the baseline; the case is slower only when this one is too.
   */
  confirm?: { median: number; samples: number[]; sentinel?: SentinelFigures };
}

/**
 * Back-to-back ("batch") timing of a short kernel: many dispatches recorded into one timed pass,
 * the pass time divided by their number, so the per-pass fixed cost (timestamps, barriers,
 * launch) is amortised, as when a model runs layer after layer. With `copies` > 1 the dispatches
 * rotate over that many copies of the case's input buffers, together larger than the L2, so each
 * dispatch reads its weights from memory; the copies share one output buffer, so each
 * execution waits for the previous one's output (`order`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const b: BatchSummary = {
 *   median: 0.012, min: 0.0118, p10: 0.0119, p90: 0.0121, noise: 0.01, n: 20,
 *   dispatchesPerSample: 80, copies: 5, l2: "rotating", order: "chained",
 *   effectiveTflops: 9.8, executedTflops: 9.8, gbps: 2600, speedupVsDense: 5.1,
 * };
 * assert.ok(b.min <= b.p10 && b.p10 <= b.median && b.median <= b.p90);
 * ```
 */
export interface BatchSummary {
  /** Per-dispatch time in ms (pass time / dispatchesPerSample). */
  median: number;
  /** Fastest per-dispatch time (ms). */
  min: number;
  /** 10th percentile (ms). */
  p10: number;
  /** 90th percentile (ms). */
  p90: number;
  /** Relative standard deviation of the pass times. */
  noise: number;
  /** Timed passes. */
  n: number;
  /** Dispatches recorded into one timed pass. */
  dispatchesPerSample: number;
  /** Copies of the input buffers the dispatches rotate over. */
  copies: number;
  /** `rotating`: the copies exceed the L2, so weights come from memory; `warm`: one copy. */
  l2: "warm" | "rotating";
  /**
   * `chained`: every execution waits for the previous one's output write, as in a chain of
   * dependent layers (the copies share one output buffer, and a plan of several dispatches is
   * fenced on it between executions). `serial`, from tilebench before `chained`: the output writes
   * were in order, but over rotating copies the earlier dispatches of a plan of several could
   * overlap the previous execution, so such figures may be too fast. Absent, from tilebench before
   * both: executions on different copies could overlap, by an amount that depended on
   * `dispatchesPerSample` and `copies`, so their batch figures compare only loosely.
   */
  order?: "serial" | "chained";
  /** Dispatches one execution records (absent in results of tilebench before it). */
  executionDispatches?: number;
  /** 2·M·K·N / per-dispatch time, in TFLOP/s. */
  effectiveTflops: number;
  /** Executed FLOPs / per-dispatch time, in TFLOP/s. */
  executedTflops: number;
  /** Minimum traffic / per-dispatch time, in GB/s. */
  gbps: number;
  /** Batch median of the dense case `denseId` refers to / this batch median. */
  speedupVsDense: number | null;
  /**
   * `gbps` as % of the read stream of the same bytes (`Peaks.stream`, interpolated in log size):
   * how close the case gets to what any kernel moving that many bytes reaches. Absent without
   * the stream figures.
   */
  pctStream?: number | null;
  /**
   * The measurement sentinel around the batch, on a GPU (not a software adapter): a batch whose
   * sentinel moved beyond the threshold was timed again; `flagged` when it stayed off.
   */
  sentinel?: SentinelFigures;
  /**
   * Present when the first back-to-back median was more than `BATCH_OVER_RATIO` times the
   * isolated median (a device that slowed down while it was timed), so it was measured once
   * more. The lower median is kept in this summary, and both are recorded.
   */
  recheck?: {
    /** First back-to-back median / isolated median. */
    ratio: number;
    firstMedian: number;
    /** null when the second batch failed (the first is kept). */
    secondMedian: number | null;
    kept: "first" | "second";
  };
}

/** Derived throughput figures from the median time. */
export interface Throughput {
  /** 2·M·K·N / median time: what a dense product would need to reach. */
  effectiveTflops: number;
  /** flops.total / median time: what the kernel actually executed. */
  executedTflops: number;
  /** bytes / median time. */
  gbps: number;
}

/** GPU output vs the f64 CPU reference of the same operator. */
export interface Correctness {
  /** Whether `relError` is within `tolerance` and every output is finite. */
  passed: boolean;
  /** Relative Frobenius error ‖out − ref‖ / ‖ref‖. */
  relError: number;
  /** Largest absolute difference from the reference. */
  maxAbsError: number;
  /** The relative-error tolerance the case had to meet. */
  tolerance: number;
  /** Rows of Y compared with the reference (all rows, or a seeded sample). */
  rowsChecked: number;
  /** Number of non-finite outputs (whole output scanned). */
  nonFinite: number;
}

/** Output vs the exact X·W in f64 (what the approximation costs). */
export interface Approximation {
  /** Relative Frobenius error ‖out − XW‖ / ‖XW‖. */
  relError: number;
  /** Largest absolute difference from XW. */
  maxAbsError: number;
  /** Cosine similarity of the output with XW. */
  cosine: number;
  /** Signal-to-noise ratio of the output against XW, in dB. */
  snrDb: number;
  /** Rows compared; equals M when every row was compared. */
  rowsSampled: number;
}

/** Wall-clock costs kept out of kernel time. */
export interface SetupTimes {
  /** Offline preparation (encode / prune / quantize) in ms; 0 when cached from an earlier case. */
  prepareMs: number;
  /** Whether the preparation was reused from an earlier case of this run. */
  prepareCached: boolean;
  /** Pipeline creation (shader compilation) in ms. */
  compileMs: number;
  /** Buffer creation and uploads in ms. */
  uploadMs: number;
}

/** Percent of the device's measured peaks reached by the case, when peaks were measured. */
export interface Roofline {
  /** executed FLOP/s as % of the measured FMA peak of the case's arithmetic (`fmaPeak`). */
  pctPeakFlops: number | null;
  /**
   * Which measured FMA peak `pctPeakFlops` divides by: `f16` (`meta.peaks.fmaF16Tflops`) for
   * packed-half arithmetic, `f32` otherwise; absent in older results and without peaks.
   */
  fmaPeak?: "f32" | "f16";
  /** bytes/s as % of the measured copy bandwidth. */
  pctPeakBandwidth: number | null;
  /** flops.total / bytes. */
  intensity: number;
}

/**
 * One case of a run: a kernel with its parameters on one shape and dtype.
 *
 * `time`, `throughput` and `speedupVsDense` are `null` unless the case ran and passed correctness.
 */
export interface CaseResult {
  /** Stable identity used to match cases between runs. */
  id: string;
  /** The suite the case belongs to. */
  suite: string;
  /** The kernel name. */
  kernel: string;
  /** The kernel family (dense, stl, sparse24, int4, ...). */
  family: string;
  /** Public parameters, defaults included. */
  params: Params;
  /**
   * Tuning knobs that ran, defaults included (absent in results written before knobs were split
   * out); with tuning on, the tuner's choice.
   */
  tune?: Params;
  /**
   * Why these knobs ran: `suite` (the suite entry set them), `tuned` (timed this run, fastest of
   * the candidates), `cached` (a choice from the tune cache), `default` (the shipped defaults).
   * Absent in results written before tuning existed.
   */
  tuneSource?: TuneSource;
  /** The product's shape. */
  shape: Shape;
  /** Element type of activations, weights and output. */
  dtype: DType;
  /** Seed of the case's inputs. */
  seed: number;
  /** Outcome of the case. */
  status: Status;
  /** Why it failed or was skipped; null when ok. */
  reason: string | null;
  /** FLOPs the case executes. */
  flops: Flops;
  /** 2·M·K·N: what a dense product executes. */
  flopsDense: number;
  /** Minimum traffic model in bytes (inputs read once, output written once). */
  bytes: number;
  /** Number of weight parameters the kernel stores. */
  paramsStored: number;
  /** Bytes of weight storage (values + metadata). */
  storedBytes: number;
  /** Kernel time; null unless the case ran and passed correctness. */
  time: TimeSummary | null;
  /** Throughput from the median time; null unless timed. */
  throughput: Throughput | null;
  /** Back-to-back timing, for kernels shorter than `measure.batchBelowMs`; else null. */
  batch: BatchSummary | null;
  /** Median dense time / median time of this case, same shape and dtype, same run. */
  speedupVsDense: number | null;
  /** Id of the dense case `speedupVsDense` refers to. */
  denseId: string | null;
  /** GPU output against the f64 reference of the same operator. */
  correctness: Correctness | null;
  /** Output against the exact X·W (what the approximation costs). */
  approximation: Approximation | null;
  /** Percent of the measured peaks, when peaks were measured. */
  roofline: Roofline | null;
  /** Preparation, compilation and upload times. */
  setup: SetupTimes | null;
  /** Kernel-specific facts: variant chosen, padding, fitted residuals, chosen scales... */
  notes: Record<string, unknown>;
}

/** Adapter identity as reported by WebGPU. */
export interface AdapterMeta {
  /** Vendor string. */
  vendor: string;
  /** Architecture string. */
  architecture: string;
  /** Device string. */
  device: string;
  /** Human-readable adapter name. */
  description: string;
  /** Whether it is a fallback (software) adapter. */
  isFallbackAdapter: boolean;
  /**
   * The graphics API WebGPU most likely runs on (Linux: `vulkan` or the `gl` fallback, which
   * nothing in the adapter's info states), with the evidence; absent in older results.
   */
  backend?: { guess: "vulkan" | "gl" | "other"; evidence: string };
}

/** Device peaks measured by built-in microbenchmarks. */
export interface Peaks {
  /** f32 FMA throughput in TFLOP/s (2 FLOPs per FMA). */
  fmaTflops: number;
  /** f16 FMA throughput in TFLOP/s, when `shader-f16` exists. */
  fmaF16Tflops: number | null;
  /**
   * Device-to-device copy bandwidth in GB/s, counting bytes read plus bytes written: the best of
   * the copy variants (the roofline denominator).
   */
  copyGbps: number;
  /** The copy variant that gave `copyGbps` (`vec4xP`: P vec4 words in flight per thread). */
  copyVariant?: string;
  /** Every copy variant's figure in GB/s, by name. */
  copyVariants?: Record<string, number>;
  /**
   * Time of a pass holding one trivial dispatch, in µs: the fixed cost inside every isolated
   * sample (timestamps, barriers, launch). Short kernels' `batch` figures amortise it.
   */
  passOverheadUs?: number | null;
  /**
   * The read stream at several sizes, timed back to back as short cases are: what reading that
   * many bytes once can reach (absent in older results; empty when not measured).
   */
  stream?: StreamPoint[];
  /** How the peaks were timed. */
  method: TimeMethod;
}

/** One size of the read-stream microbenchmark (`Peaks.stream`). */
export interface StreamPoint {
  /** Bytes read by one execution. */
  bytes: number;
  /** Bytes read / back-to-back per-execution time, in GB/s: the best variant's. */
  gbps: number;
  /** The variant that gave it (`wgTxP`: workgroups of T threads, P vec4 words a thread). */
  variant: string;
  /** Buffer copies the executions rotated over (as a case moving `bytes` would). */
  copies: number;
}

/** Why a case ran the tuning knobs it ran (see {@link CaseResult.tuneSource}). */
export type TuneSource = "suite" | "tuned" | "cached" | "default";

/** Run metadata. */
export interface RunMeta {
  /**
   * `commit`: the code's commit; `dirty`: uncommitted changes to tracked files then (null:
   * unknown); `bundle`: the run was a bench bundle, and `commit` is the one it was built from.
   */
  tool: {
    name: string;
    version: string;
    commit: string | null;
    dirty?: boolean | null;
    bundle?: boolean;
  };
  /** Deno, V8 and TypeScript versions. */
  deno: { deno: string; v8: string; typescript: string };
  /** Operating system, architecture and host name. */
  os: { os: string; arch: string; hostname: string | null };
  /** The adapter that ran the cases. */
  adapter: AdapterMeta;
  /** The power preference asked for. */
  powerPreference: string;
  /** WebGPU features of the device. */
  features: string[];
  /** WebGPU limits of the device. */
  limits: Record<string, number>;
  /** Suite name. */
  suite: string;
  /** The suite file, when the suite came from one. */
  suiteFile: string | null;
  /** Suite seed. */
  seed: number;
  /** The `--filter` text, if any. */
  filter: string | null;
  /** When the run started (ISO 8601). */
  startedAt: string;
  /** When it finished; null while running or when interrupted. */
  finishedAt: string | null;
  /** False while the run is in progress or when it was interrupted. */
  complete: boolean;
  /** Whether it was stopped (Ctrl-C, SIGTERM) before the end. */
  interrupted: boolean;
  /** Measured device peaks, when measured. */
  peaks: Peaks | null;
  /** The measurement settings used. */
  measure: Record<string, unknown>;
  /** Side-by-side anchors (e.g. cuBLAS through torch) merged in by `--anchor`. */
  anchors?: unknown[];
  /** SM clocks and throttle reasons from `nvidia-smi` at the start and end of the run, where
   * that tool exists. */
  gpuClocks?: { start: GpuClockReading[] | null; end: GpuClockReading[] | null };
  /** Measured tuning: the mode and the cache file read (and written by `full`). */
  tune?: { mode: "off" | "cached" | "full"; file: string | null; adapterKey: string | null };
  /** The suite's `gate` object (its regression-gate thresholds), when it has one. */
  gate?: Record<string, unknown>;
  /** The shard of the suite this run covered (`--shard I/N`), when it covered one. */
  shard?: { index: number; count: number };
  /** Set by `deno task merge`: the shards merged into this run, with who ran them. */
  shards?: ShardRecord[];
}

/** One shard of a merged run: where it came from and which adapter ran it. */
export interface ShardRecord {
  /** `I/N`, or null for a merged run that was not a shard. */
  shard: string | null;
  /** The results file merged. */
  file: string;
  /** The adapter that ran the shard. */
  adapter: AdapterMeta;
  /** The host that ran it. */
  hostname: string | null;
  /** When it started. */
  startedAt: string;
  /** When it finished. */
  finishedAt: string | null;
  /** Whether every case of the shard finished. */
  complete: boolean;
  /** The peaks measured by that shard. */
  peaks: Peaks | null;
  /** Ids of the cases this shard ran. */
  cases: string[];
}

/** Counts of case statuses. */
export interface RunTotals {
  /** Cases in the run. */
  cases: number;
  /** Cases that ran and passed correctness. */
  ok: number;
  /** Cases that failed. */
  failed: number;
  /** Cases skipped with a reason. */
  skipped: number;
  /** Cases not run (yet). */
  pending: number;
}

/** The whole `results.json` document. */
export interface RunResults {
  /** Version of this format (`SCHEMA_VERSION`). */
  schemaVersion: number;
  /** Run metadata. */
  meta: RunMeta;
  /** Counts of case statuses. */
  totals: RunTotals;
  /** One entry per case, in run order. */
  results: CaseResult[];
}

/**
 * Sentinel figures recorded with a case's time (`time.sentinel` in results.json).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s: SentinelFigures = {
 *   referenceMs: 1, beforeMs: 1.02, afterMs: 0.99, ratio: 1.02, attempts: 1, flagged: false,
 * };
 * assert.equal(s.ratio, Math.max(s.beforeMs, s.afterMs) / s.referenceMs);
 * ```
 */
export interface SentinelFigures {
  /** The run's reference: median of every sentinel reading before this case (ms). */
  referenceMs: number;
  /** Reading just before the kept measurement (ms). */
  beforeMs: number;
  /** Reading just after the kept measurement (ms). */
  afterMs: number;
  /** The larger of before and after, over the reference: above 1 the device ran slower. */
  ratio: number;
  /** Measurements of the case taken (1: no re-measurement). */
  attempts: number;
  /** True when every attempt's sentinel moved beyond the threshold: the time is suspect. */
  flagged: boolean;
  /** The error of a re-measurement that failed (its buffers may not fit again); the attempts
   * before it stand, and `attempts` counts only those. */
  retryError?: string;
}

/** One GPU's clocks at one moment, as `nvidia-smi` reports them. */
export interface GpuClockReading {
  /** GPU index. */
  index: number;
  /** GPU name. */
  name: string;
  /** Current SM clock (MHz); null when not reported. */
  smMhz: number | null;
  /** Maximum SM clock (MHz); null when not reported. */
  smMaxMhz: number | null;
  /** Active clock-event (throttle) reasons as nvidia-smi's bit mask, e.g. `0x0000000000000004`. */
  throttleReasons: string | null;
  /** Temperature (°C); null when not reported. */
  temperatureC: number | null;
  /** Power draw (W); null when not reported. */
  powerW: number | null;
}

/**
 * Whether a case id passes a `--filter`: it contains the filter (case-insensitive), or one of
 * its `|`-separated alternatives. An empty or absent filter keeps every case.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(matchesFilter("dense/f32/8x8x8", "DENSE|int4"));
 * assert.ok(!matchesFilter("stl/f32/8x8x8", "dense|int4"));
 * assert.ok(matchesFilter("stl/f32/8x8x8", null));
 * ```
 */
export function matchesFilter(id: string, filter: string | null | undefined): boolean {
  const alternatives = (filter ?? "").toLowerCase().split("|").filter((f) => f.length > 0);
  return alternatives.length === 0 || alternatives.some((f) => id.toLowerCase().includes(f));
}

/**
 * A glob pattern as a regular expression over a whole id: `*` matches anything, every other
 * character itself (the task commands' `--only` patterns).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(globRegExp("vit/scratch/*").test("vit/scratch/stl t4 r24"));
 * assert.ok(!globRegExp("vit/*").test("mlp/vit/x") && !globRegExp("a.b").test("axb"));
 * ```
 */
export function globRegExp(pattern: string): RegExp {
  const body = pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${body}$`);
}

/**
 * Describes a `JSON.parse` failure without quoting the text: where it failed (line and column
 * when the engine says, else the offset of the first character JSON cannot start with), never
 * the file's content, which may be anything (a key, a token, a password) and would otherwise
 * reach error messages, reports and CI logs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const why = (text: string) => {
 *   try {
 *     JSON.parse(text);
 *   } catch (e) {
 *     return jsonSyntaxProblem(e, text);
 *   }
 *   return "";
 * };
 * assert.equal(why("secret-token 123"), "not valid JSON (line 1, column 1)");
 * assert.equal(why('{"a": 1,}'), "not valid JSON (line 1, column 9)");
 * assert.equal(why('{"a": '), "not valid JSON (the text ends early)");
 * assert.ok(!why("hello secret").includes("secret"));
 * ```
 */
export function jsonSyntaxProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : "";
  const at = /line (\d+) column (\d+)/.exec(message);
  if (at) return `not valid JSON (line ${at[1]}, column ${at[2]})`;
  if (/end of JSON input/.test(message)) return "not valid JSON (the text ends early)";
  const pos = /at position (\d+)/.exec(message);
  let offset = pos ? Number(pos[1]) : text.search(/[^\s]/);
  if (offset < 0) return "not valid JSON (empty)";
  offset = Math.min(offset, text.length);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `not valid JSON (line ${line}, column ${column})`;
}
