/**
 * A run against a baseline run: per-case time deltas and status changes computed here, plus
 * verdicts supplied from outside (the regression gate) when there are any.
 *
 * @module
 */

import { shardGroup } from "../shard.ts";
import { type CaseResult, matchesFilter, type RunResults, type Status } from "../types.ts";

/**
 * A verdict about one case, as produced by a regression gate. Only `id` and `verdict` are
 * required; `reason` (or the gate's `summary`) is shown next to it; other fields are kept but not
 * interpreted. The gate's own `CaseVerdict` objects (`gateRuns(…).cases`) fit this shape.
 *
 * Verdict names follow the gate (`same`, `faster`, `slower`, `ambiguous`, `new`, `missing`,
 * `accuracy-regressed`, `failed`); any other string is shown as is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const v: VerdictInput = { id: "dense/f32/64x64x64", verdict: "slower", reason: "+12% (U test)" };
 * assert.ok(REGRESSION_VERDICTS.includes(v.verdict));
 * ```
 */
export interface VerdictInput {
  /** The case id the verdict is for. */
  id: string;
  /** The gate's verdict (e.g. `slower`, `same`). */
  verdict: string;
  /** Why the gate gave the verdict. */
  reason?: string | null;
  /** The gate's one-line explanation, used when `reason` is absent. */
  summary?: string;
}

/**
 * Verdicts that count as regressions (listed first, shown in red).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(REGRESSION_VERDICTS.includes("slower"));
 * assert.ok(!REGRESSION_VERDICTS.includes("faster"));
 * ```
 */
export const REGRESSION_VERDICTS: readonly string[] = [
  "slower",
  "accuracy-regressed",
  "failed",
  "regressed",
  "regression",
];

/**
 * Whether a verdict name is a regression.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isRegressionVerdict } from "./compare.ts";
 * assert.ok(isRegressionVerdict("slower") && !isRegressionVerdict("faster"));
 * ```
 */
export function isRegressionVerdict(verdict: string | null | undefined): boolean {
  return verdict !== null && verdict !== undefined && REGRESSION_VERDICTS.includes(verdict);
}

/**
 * What changed for a case between the baseline and this run, from times and statuses alone (an
 * indication; the gate's statistical verdict, when given, is the authority):
 * `slower`/`faster` when the medians differ by at least the threshold and the medians'
 * confidence intervals do not overlap, `same` otherwise; `newly failed` (was ok or skipped, now
 * failed), `now ok`, `new` (no such case in the baseline), `not comparable` (no time on a side).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * const { baseline, current, slowerId } = baselinePair();
 * const c: DeltaChange = "slower";
 * assert.equal(compareRuns(current, baseline).deltas.find((d) => d.id === slowerId)!.change, c);
 * ```
 */
export type DeltaChange =
  | "slower"
  | "faster"
  | "same"
  | "newly failed"
  | "now ok"
  | "new"
  | "not comparable";

/**
 * One case of the current run next to its baseline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * const { baseline, current, slowerId } = baselinePair();
 * const d: CaseDelta = compareRuns(current, baseline).deltas.find((d) => d.id === slowerId)!;
 * assert.ok(d.regression);
 * assert.ok(Math.abs(d.delta! - 0.25) < 1e-9); // 25% slower
 * ```
 */
export interface CaseDelta {
  /** The case id. */
  id: string;
  /** The baseline case's status, null when the case is new. */
  baseStatus: Status | null;
  /** The current case's status. */
  status: Status;
  /** The baseline's median time in ms; null when new or not timed. */
  baseMedianMs: number | null;
  /** The current median time in ms; null when not timed. */
  medianMs: number | null;
  /** Current median / baseline median. */
  ratio: number | null;
  /** ratio − 1: +0.1 is 10% slower. */
  delta: number | null;
  /** Whether the 95% CIs of the two medians are disjoint. */
  ciDisjoint: boolean;
  /** What changed, from the statuses and the medians. */
  change: DeltaChange;
  /** The gate's verdict for this id, when verdicts were given. */
  verdict: string | null;
  /** The verdict's `reason` (else its `summary`); null without one. */
  verdictReason: string | null;
  /** A regression: a regression verdict, or (without verdicts) `slower` / `newly failed`. */
  regression: boolean;
}

/**
 * The comparison of a run with a baseline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * const { baseline, current, missingId } = baselinePair();
 * const cmp: Comparison = compareRuns(current, baseline);
 * assert.deepEqual(cmp.missing.map((c) => c.id), [missingId]);
 * ```
 */
export interface Comparison {
  /** Relative time change below which a case is `same` (default 0.05). */
  threshold: number;
  /** One entry per case of the current run, in its order. */
  deltas: CaseDelta[];
  /** Baseline cases absent from the current run, with the gate's verdict when given. */
  missing: { id: string; status: Status; medianMs: number | null; verdict: string | null }[];
  /** Set when the two runs were on different adapters (times are then not comparable). */
  adapterMismatch: string | null;
  /** Whether verdicts were given (`regression` and `counts` then follow them). */
  hasVerdicts: boolean;
  /** Verdicts whose id is in neither run. */
  unmatchedVerdicts: string[];
  /** Cases per verdict (with verdicts) or per change (without), and `missing`. */
  counts: Record<string, number>;
}

/**
 * Options of {@link compareRuns}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * const { baseline, current, slowerId } = baselinePair();
 * // the gate's verdict wins over the medians' indication
 * const opts: CompareOptions = { threshold: 0.1, verdicts: [{ id: slowerId, verdict: "same" }] };
 * const d = compareRuns(current, baseline, opts).deltas.find((d) => d.id === slowerId)!;
 * assert.equal(d.verdict, "same");
 * assert.ok(!d.regression);
 * ```
 */
export interface CompareOptions {
  /** Relative change in median time that counts as slower/faster (default 0.05). */
  threshold?: number;
  /** Verdicts from the gate, matched by id. */
  verdicts?: readonly VerdictInput[] | null;
}

function adapterName(r: RunResults): string {
  const a = r.meta.adapter;
  return [a.vendor, a.architecture, a.device, a.description].filter((s) => s).join(" / ");
}

function changeOf(base: CaseResult | undefined, cur: CaseResult, threshold: number) {
  if (!base) return { change: "new" as const, ratio: null, delta: null, disjoint: false };
  if (cur.status === "failed" && base.status !== "failed") {
    return { change: "newly failed" as const, ratio: null, delta: null, disjoint: false };
  }
  if (!cur.time || !base.time || cur.status !== "ok" || base.status !== "ok") {
    const change = cur.status === "ok" && base.status !== "ok" ? "now ok" : "not comparable";
    return { change: change as DeltaChange, ratio: null, delta: null, disjoint: false };
  }
  const ratio = cur.time.median / base.time.median;
  const delta = ratio - 1;
  const disjoint = cur.time.ci.lo > base.time.ci.hi || cur.time.ci.hi < base.time.ci.lo;
  let change: DeltaChange = "same";
  if (disjoint && delta >= threshold) change = "slower";
  else if (disjoint && delta <= -threshold) change = "faster";
  return { change, ratio, delta, disjoint };
}

/**
 * The baseline's cases that `current` was asked to cover: those within its `--filter`
 * (`meta.filter`) and, when `current` is one shard of a suite and the baseline is not sharded, the
 * comparison groups (shape and dtype) the shard ran. A shard holds whole groups, so a case of a
 * group it ran and did not report is missing; the groups are taken from the run itself, not from
 * the shard plan recomputed over the baseline's cases, which differs once the suite has gained or
 * lost a group.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * const { baseline, current } = baselinePair();
 * assert.equal(baselineScope(baseline, current).length, baseline.results.length);
 * // a shard that ran only the first case's group is judged on that group
 * const first = current.results[0]!;
 * const group = (r: typeof first) => `${r.shape.m}x${r.shape.k}x${r.shape.n}/${r.dtype}`;
 * const shard = {
 *   meta: { ...current.meta, shard: { index: 1, count: 2 } },
 *   results: current.results.filter((r) => group(r) === group(first)),
 * } as typeof current;
 * assert.ok(baselineScope(baseline, shard).every((r) => group(r) === group(first)));
 * ```
 */
export function baselineScope(baseline: RunResults, current: RunResults): CaseResult[] {
  const filtered = baseline.results.filter((r) => matchesFilter(r.id, current.meta.filter));
  if (!current.meta.shard || baseline.meta.shard) return filtered;
  const ran = new Set(current.results.map(shardGroup));
  return filtered.filter((r) => ran.has(shardGroup(r)));
}

/**
 * Compares `current` with `baseline` case by case (matched by `id`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * const { baseline, current, slowerId, failedId } = baselinePair();
 * const cmp = compareRuns(current, baseline);
 * const regressions = cmp.deltas.filter((d) => d.regression).map((d) => d.id);
 * assert.deepEqual(regressions.sort(), [failedId, slowerId].sort());
 * ```
 */
export function compareRuns(
  current: RunResults,
  baseline: RunResults,
  options: CompareOptions = {},
): Comparison {
  const threshold = options.threshold ?? 0.05;
  const verdicts = new Map<string, VerdictInput>();
  for (const v of options.verdicts ?? []) verdicts.set(v.id, v);
  const hasVerdicts = options.verdicts !== undefined && options.verdicts !== null;
  const baseById = new Map(baseline.results.map((r) => [r.id, r]));
  const curIds = new Set(current.results.map((r) => r.id));
  const counts: Record<string, number> = {};
  const deltas = current.results.map((cur): CaseDelta => {
    const base = baseById.get(cur.id);
    const { change, ratio, delta, disjoint } = changeOf(base, cur, threshold);
    const v = verdicts.get(cur.id) ?? null;
    const regression = hasVerdicts
      ? isRegressionVerdict(v?.verdict)
      : change === "slower" || change === "newly failed";
    const key = hasVerdicts ? (v?.verdict ?? "no verdict") : change;
    counts[key] = (counts[key] ?? 0) + 1;
    return {
      id: cur.id,
      baseStatus: base?.status ?? null,
      status: cur.status,
      baseMedianMs: base?.time?.median ?? null,
      medianMs: cur.time?.median ?? null,
      ratio,
      delta,
      ciDisjoint: disjoint,
      change,
      verdict: v?.verdict ?? null,
      verdictReason: v?.reason ?? v?.summary ?? null,
      regression,
    };
  });
  // as the gate: a filtered run, or a shard, is not missing the cases it was not asked to run
  const scope = new Set(baselineScope(baseline, current).map((r) => r.id));
  const missing = baseline.results.filter((r) => !curIds.has(r.id) && scope.has(r.id)).map((r) => ({
    id: r.id,
    status: r.status,
    medianMs: r.time?.median ?? null,
    verdict: verdicts.get(r.id)?.verdict ?? null,
  }));
  if (missing.length) counts["missing"] = (counts["missing"] ?? 0) + missing.length;
  const a = adapterName(current);
  const b = adapterName(baseline);
  return {
    threshold,
    deltas,
    missing,
    adapterMismatch: a === b ? null : `baseline ran on "${b}", this run on "${a}"`,
    hasVerdicts,
    unmatchedVerdicts: [...verdicts.keys()].filter((id) => !curIds.has(id) && !baseById.has(id)),
    counts,
  };
}
