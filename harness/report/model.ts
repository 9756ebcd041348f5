/**
 * The report's view model: what the page's script needs, computed (and tested) here, compact
 * enough to embed thousands of cases (no raw samples).
 *
 * @module
 */

import type { CaseResult, Peaks, RunResults } from "../types.ts";
import { compareRuns, type Comparison, type VerdictInput } from "./compare.ts";
import { familyPalette } from "./families.ts";
import { anchorList } from "./header.ts";
import { groupKey, groupTitle, shapeDims } from "./format.ts";
import { paretoFront } from "./pareto.ts";
import { DEFAULT_ACCURACY_BUDGET, type FastP, fastP, withinBudget } from "./budget.ts";

/**
 * One case as the page sees it. Numbers are null when not measured.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair, syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const results = syntheticResults();
 * const c: ModelCase = buildModel(results).cases[0]!;
 * assert.equal(c.id, results.results[0]!.id);
 * assert.equal(c.ms, results.results[0]!.time?.median ?? null);
 * ```
 */
export interface ModelCase {
  /** Case id. */
  id: string;
  /** Kernel name. */
  kernel: string;
  /** Kernel family. */
  family: string;
  /** Element type. */
  dtype: string;
  /** `M×K×N`. */
  dims: string;
  /** Shape label, if any. */
  label: string | null;
  /** Index into {@link ReportModel.groups}. */
  group: number;
  /** Non-default parameters, `k=v` joined by commas. */
  params: string;
  /** ok, failed or skipped. */
  status: string;
  /** Why it failed or was skipped. */
  reason: string | null;
  /** Isolated median time (ms). */
  ms: number | null;
  /** Lower end of the median's 95% CI (ms). */
  ciLo: number | null;
  /** Upper end of the median's 95% CI (ms). */
  ciHi: number | null;
  /** Relative standard deviation of the samples. */
  noise: number | null;
  /** Samples taken. */
  samples: number | null;
  /** Timing method. */
  method: string | null;
  /** warm or cold L2. */
  l2: string | null;
  /** Effective TFLOP/s (2·M·K·N / time). */
  eff: number | null;
  /** Executed TFLOP/s. */
  exec: number | null;
  /** GB/s of the minimum traffic model. */
  gbps: number | null;
  /** Isolated speedup vs dense. */
  speedup: number | null;
  /** Back-to-back (batch) per-dispatch median, its GB/s and speedup vs dense batch. */
  batchMs: number | null;
  /** Back-to-back GB/s. */
  batchGbps: number | null;
  /** Back-to-back speedup vs dense. */
  batchSpeedup: number | null;
  /** Back-to-back GB/s as % of the read stream of the same bytes (`batch.pctStream`). */
  batchPctStream: number | null;
  /** Same-shape, same-dtype torch.matmul median on the same machine (meta.anchors), and
   * anchor time / this case's time (above 1: faster than the anchor). */
  anchorMs: number | null;
  /** torch.matmul anchor time / this case's time. */
  vsAnchor: number | null;
  /** flopsDense / flops.total: how many times fewer FLOPs than dense the kernel executes. */
  flopRed: number | null;
  /** flops.total / bytes. */
  intensity: number | null;
  /** % of the measured FMA peak. */
  pctFlops: number | null;
  /** % of the measured copy bandwidth. */
  pctBw: number | null;
  /** Bytes of weight storage relative to dense f32/f16 storage of K×N. */
  storage: number | null;
  /** Whether the correctness check passed. */
  corrPassed: boolean | null;
  /** Error against the f64 reference of the same operator. */
  corrErr: number | null;
  /** The tolerance of that check. */
  corrTol: number | null;
  /** Approximation error against the exact X·W. */
  approx: number | null;
  /** Cosine similarity with X·W. */
  cosine: number | null;
  /** SNR against X·W (dB). */
  snrDb: number | null;
  /** On its shape's speed/accuracy Pareto front. */
  pareto: boolean;
  /** Baseline median (ms), relative time change, change and gate verdict. */
  baseMs: number | null;
  /** Relative median-time change vs the baseline. */
  delta: number | null;
  /** The indicated change without verdicts. */
  change: string | null;
  /** The gate's verdict, when given. */
  verdict: string | null;
  /** The verdict's reason. */
  verdictReason: string | null;
  /** Whether the verdict or change is a regression. */
  regression: boolean;
}

/**
 * A shape (dimensions, label, dtype) and its cases.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair, syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const g: ModelGroup = buildModel(syntheticResults()).groups[0]!;
 * assert.ok(g.title.length > 0);
 * assert.ok(g.pareto.length >= 1); // the fastest case is always on the front
 * ```
 */
export interface ModelGroup {
  /** Shape and dtype key. */
  key: string;
  /** Readable title of the group. */
  title: string;
  /** Indices into {@link ReportModel.cases}. */
  cases: number[];
  /** Pareto front (indices into cases), by increasing approximation error. */
  pareto: number[];
  /** Whether speedups vs dense exist for this shape. */
  hasDense: boolean;
  /** The fastest case (isolated median) within the accuracy budget; null when none is. */
  best: number | null;
  /** The fastest ok case when it is over the budget (so not `best`); else null. */
  fastestOverBudget: number | null;
}

/**
 * Everything the page's script reads (embedded as JSON).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair, syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const { baseline, current } = baselinePair();
 * const model: ReportModel = buildModel(current, { baseline });
 * assert.equal(model.cases.length, current.results.length);
 * ```
 */
export interface ReportModel {
  /** Version of this model. */
  schema: 1;
  /** Suite name. */
  suite: string;
  /** Families and their colours. */
  families: { name: string; color: string }[];
  /** Measured peaks, when measured. */
  peaks: Peaks | null;
  /** Every case. */
  cases: ModelCase[];
  /** Cases grouped by shape and dtype. */
  groups: ModelGroup[];
  /** Approximation error above which a case is neither `best` nor counted in `fastP`. */
  accuracyBudget: number;
  /** The fast_p aggregate (see `fastP`). */
  fastP: FastP[];
  /** The comparison with a baseline, when given. */
  baseline: {
    threshold: number;
    hasVerdicts: boolean;
    adapterMismatch: string | null;
    counts: Record<string, number>;
    missing: Comparison["missing"];
    unmatchedVerdicts: string[];
  } | null;
}

/**
 * Options of {@link buildModel} and the renderers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair, syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const { baseline, current, fasterId } = baselinePair();
 * const opts: ReportOptions = { baseline, verdicts: [{ id: fasterId, verdict: "slower" }] };
 * // the given verdict wins over the medians' indication
 * assert.equal(buildModel(current, opts).cases.find((c) => c.id === fasterId)!.verdict, "slower");
 * ```
 */
export interface ReportOptions {
  /** A baseline run to compare with (per-case deltas). */
  baseline?: RunResults | null;
  /** Gate verdicts, matched by case id. */
  verdicts?: readonly VerdictInput[] | null;
  /** Relative time change counted as slower/faster without verdicts (default 0.05). */
  threshold?: number;
  /** Approximation error a case may have to be crowned best (default `DEFAULT_ACCURACY_BUDGET`). */
  accuracyBudget?: number;
}

function finite(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

function paramsText(r: CaseResult): string {
  const text = Object.entries({ ...r.params, ...r.tune }).map(([k, v]) => `${k}=${v}`).join(", ");
  // Say where measured tuning chose the knobs (the shipped defaults and a suite's own say nothing).
  return r.tuneSource === "tuned" || r.tuneSource === "cached" ? `${text} (${r.tuneSource})` : text;
}

function storageRatio(r: CaseResult): number | null {
  const denseBytes = r.shape.k * r.shape.n * (r.dtype === "f16" ? 2 : 4);
  return r.storedBytes > 0 && denseBytes > 0 ? r.storedBytes / denseBytes : null;
}

/**
 * Builds the view model of a run (and its comparison with a baseline).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair, syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const results = syntheticResults();
 * const model = buildModel(results);
 * const groups = new Set(results.results.map((r) => `${r.shape.m}x${r.shape.k}x${r.shape.n}/${r.dtype}`));
 * assert.equal(model.groups.length, groups.size);
 * assert.ok(model.cases.some((c) => c.pareto));
 * ```
 */
export function buildModel(results: RunResults, options: ReportOptions = {}): ReportModel {
  const cmp = options.baseline
    ? compareRuns(results, options.baseline, {
      threshold: options.threshold,
      verdicts: options.verdicts,
    })
    : null;
  const budget = options.accuracyBudget ?? DEFAULT_ACCURACY_BUDGET;
  const anchorMs = new Map<string, number>();
  for (const a of anchorList(results.meta.anchors)) {
    if (a.anchor.startsWith("torch.matmul") && a.m !== null && a.medianMs !== null) {
      anchorMs.set(`${a.m}x${a.k}x${a.n}/${a.dtype}`, a.medianMs);
    }
  }
  const groups: ModelGroup[] = [];
  const groupIndex = new Map<string, number>();
  const cases = results.results.map((r, i): ModelCase => {
    const key = groupKey(r);
    let g = groupIndex.get(key);
    if (g === undefined) {
      g = groups.length;
      groupIndex.set(key, g);
      groups.push({
        key,
        title: groupTitle(r),
        cases: [],
        pareto: [],
        hasDense: false,
        best: null,
        fastestOverBudget: null,
      });
    }
    groups[g]!.cases.push(i);
    const d = cmp?.deltas[i] ?? null;
    const ok = r.status === "ok";
    const total = r.flops?.total ?? 0;
    return {
      id: r.id,
      kernel: r.kernel,
      family: r.family,
      dtype: r.dtype,
      dims: shapeDims(r.shape),
      label: r.shape.label ?? null,
      group: g,
      params: paramsText(r),
      status: r.status,
      reason: r.reason ?? null,
      ms: ok ? finite(r.time?.median) : null,
      ciLo: ok ? finite(r.time?.ci.lo) : null,
      ciHi: ok ? finite(r.time?.ci.hi) : null,
      noise: ok ? finite(r.time?.noise) : null,
      samples: r.time?.n ?? null,
      method: r.time?.method ?? null,
      l2: r.time?.l2 ?? null,
      eff: ok ? finite(r.throughput?.effectiveTflops) : null,
      exec: ok ? finite(r.throughput?.executedTflops) : null,
      gbps: ok ? finite(r.throughput?.gbps) : null,
      speedup: ok ? finite(r.speedupVsDense) : null,
      batchMs: ok ? finite(r.batch?.median) : null,
      batchGbps: ok ? finite(r.batch?.gbps) : null,
      batchSpeedup: ok ? finite(r.batch?.speedupVsDense) : null,
      batchPctStream: ok ? finite(r.batch?.pctStream) : null,
      anchorMs: anchorMs.get(`${r.shape.m}x${r.shape.k}x${r.shape.n}/${r.dtype}`) ?? null,
      vsAnchor: null,
      flopRed: total > 0 ? finite(r.flopsDense / total) : null,
      intensity: r.bytes > 0 && total > 0 ? total / r.bytes : finite(r.roofline?.intensity),
      pctFlops: ok ? finite(r.roofline?.pctPeakFlops) : null,
      pctBw: ok ? finite(r.roofline?.pctPeakBandwidth) : null,
      storage: storageRatio(r),
      corrPassed: r.correctness?.passed ?? null,
      corrErr: finite(r.correctness?.relError),
      corrTol: finite(r.correctness?.tolerance),
      approx: finite(r.approximation?.relError),
      cosine: finite(r.approximation?.cosine),
      snrDb: finite(r.approximation?.snrDb),
      pareto: false,
      baseMs: d?.baseMedianMs ?? null,
      delta: d?.delta ?? null,
      change: d?.change ?? null,
      verdict: d?.verdict ?? null,
      verdictReason: d?.verdictReason ?? null,
      regression: d?.regression ?? false,
    };
  });
  for (const c of cases) {
    if (c.anchorMs !== null && c.ms !== null) c.vsAnchor = c.anchorMs / c.ms;
  }
  for (const g of groups) {
    const plotted = g.cases.filter((i) => cases[i]!.ms !== null && cases[i]!.approx !== null);
    const front = paretoFront(
      plotted.map((i) => ({ time: cases[i]!.ms!, error: cases[i]!.approx! })),
    );
    g.pareto = front.map((j) => plotted[j]!);
    for (const i of g.pareto) cases[i]!.pareto = true;
    g.hasDense = g.cases.some((i) => cases[i]!.speedup !== null);
    const timed = g.cases.filter((i) => cases[i]!.ms !== null);
    const fastest = (ids: number[]) =>
      ids.reduce<number | null>(
        (b, i) => (b === null || cases[i]!.ms! < cases[b]!.ms! ? i : b),
        null,
      );
    g.best = fastest(timed.filter((i) => withinBudget(cases[i]!, budget)));
    const overall = fastest(timed);
    g.fastestOverBudget = overall !== null && overall !== g.best ? overall : null;
  }
  return {
    schema: 1,
    suite: results.meta.suite,
    families: familyPalette(results.results.map((r) => r.family)),
    peaks: results.meta.peaks ?? null,
    cases,
    groups,
    accuracyBudget: budget,
    fastP: fastP(cases, budget),
    baseline: cmp
      ? {
        threshold: cmp.threshold,
        hasVerdicts: cmp.hasVerdicts,
        adapterMismatch: cmp.adapterMismatch,
        counts: cmp.counts,
        missing: cmp.missing,
        unmatchedVerdicts: cmp.unmatchedVerdicts,
      }
      : null,
  };
}
