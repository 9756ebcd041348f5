/**
 * Is a case slower? Two sets of timing samples in, a decision out: `slower` only when the
 * difference is statistically significant **and** beyond the threshold.
 *
 * @module
 */

import { bootstrapMedianRatio } from "../analyze/bootstrap.ts";
import { mannWhitneyU } from "../analyze/mann_whitney.ts";
import { median } from "../analyze/quantile.ts";
import type { TimeSummary } from "../types.ts";
import type { TimeRules } from "../rules/config.ts";

/** What the time comparison concluded. */
export type TimeOutcome = "same" | "faster" | "slower" | "ambiguous";

/**
 * The comparison of one case's times.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c: TimeComparison = compareSamples([1, 1, 1], [1, 1, 1], {
 *   enabled: true, threshold: 0.05, alpha: 0.01, test: "auto", resamples: 200, seed: 1,
 * });
 * assert.equal(c.outcome, "same");
 * ```
 */
export interface TimeComparison {
  /** What the comparison concluded. */
  outcome: TimeOutcome;
  /** Median of the baseline samples (ms). */
  baselineMedian: number;
  /** Median of the current samples (ms). */
  currentMedian: number;
  /** currentMedian / baselineMedian: above 1 is slower. */
  ratio: number;
  /** Relative change that matters (0.05 = 5%). */
  threshold: number;
  /** Significance level. */
  alpha: number;
  /** The test that decided, or `none` (too few samples, or runs not comparable). */
  test: "mann-whitney" | "bootstrap" | "none";
  /** Sample counts, baseline then current. */
  n: [number, number];
  /** Mann-Whitney two-sided p-value. */
  pValue: number | null;
  /** Whether the Mann-Whitney p-value is exact or from the normal approximation. */
  pMethod: "exact" | "normal" | null;
  /** Bootstrap interval of the ratio of medians. */
  ci: { level: number; lo: number; hi: number } | null;
  /** Short description of the evidence, e.g. `mann-whitney p=0.0022 (exact, n=6/6)`. */
  decidedBy: string;
  /** One sentence explaining the outcome. */
  reason: string;
}

/** Formats a number with `digits` significant digits, without trailing noise. */
export function fmtSig(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined) return "–";
  if (!Number.isFinite(x)) return String(x);
  return Number(x.toPrecision(digits)).toString();
}

function fmtPct(x: number): string {
  return `${fmtSig(x * 100, 3)}%`;
}

/**
 * Smallest two-sided p-value the exact Mann-Whitney test can give for sample sizes n1 and n2
 * (no ties): 2 / C(n1 + n2, n1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(minMannWhitneyP(6, 6) - 2 / 924) < 1e-15);
 * ```
 */
export function minMannWhitneyP(n1: number, n2: number): number {
  let logC = 0;
  const k = Math.min(n1, n2);
  for (let i = 1; i <= k; i++) logC += Math.log((n1 + n2 - k + i) / i);
  return Math.min(1, 2 * Math.exp(-logC));
}

/**
 * Compares baseline and current timing samples under `rules`.
 *
 * - Mann-Whitney U (two-sided) on the raw samples when both samples are large enough for its
 *   exact p-value to reach `alpha` (n = 5 + 5 at α = 0.01); `slower` needs p < α, current
 *   values tending larger, and the ratio of medians above 1 + threshold.
 * - With fewer samples (or `test: "bootstrap"`), a percentile-bootstrap (1 − α) interval of the
 *   ratio of medians; `slower` needs the whole interval above 1 + threshold, because percentile
 *   intervals are too narrow on a handful of samples.
 * - `faster` mirrors `slower` below 1 / (1 + threshold); `ambiguous` is a ratio beyond the
 *   threshold that the test cannot confirm; anything else is `same`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const rules = {
 *   enabled: true, threshold: 0.05, alpha: 0.01, test: "auto" as const, resamples: 500, seed: 1,
 * };
 * const base = [1.0, 1.1, 0.9, 1.05, 0.95, 1.02];
 * const c = compareSamples(base, base.map((x) => 2 * x), rules);
 * assert.ok(c.outcome === "slower" && c.test === "mann-whitney");
 * ```
 */
export function compareSamples(
  baseline: readonly number[],
  current: readonly number[],
  rules: TimeRules,
): TimeComparison {
  const baselineMedian = median(baseline);
  const currentMedian = median(current);
  const ratio = currentMedian / baselineMedian;
  const t = rules.threshold;
  const up = ratio > 1 + t;
  const down = ratio < 1 / (1 + t);
  const n: [number, number] = [baseline.length, current.length];
  const out: TimeComparison = {
    outcome: "same",
    baselineMedian,
    currentMedian,
    ratio,
    threshold: t,
    alpha: rules.alpha,
    test: "none",
    n,
    pValue: null,
    pMethod: null,
    ci: null,
    decidedBy: "",
    reason: "",
  };
  const enough = n[0] >= 2 && n[1] >= 2;
  const mwCanDecide = minMannWhitneyP(n[0], n[1]) < rules.alpha;
  const test = !enough && rules.test !== "mann-whitney"
    ? "none"
    : rules.test === "auto"
    ? (mwCanDecide ? "mann-whitney" : "bootstrap")
    : rules.test;
  out.test = test;
  const ratioText = `×${fmtSig(ratio)}`;
  const limit = `threshold ${fmtPct(t)}`;
  let slower = false, faster = false, evidence = "";
  if (test === "mann-whitney") {
    const mw = mannWhitneyU(current, baseline);
    out.pValue = mw.pValue;
    out.pMethod = mw.method;
    out.decidedBy = `mann-whitney p=${fmtSig(mw.pValue, 2)} (${mw.method}, n=${n[0]}/${n[1]})`;
    const sig = mw.pValue < rules.alpha;
    slower = sig && mw.effect > 0.5 && up;
    faster = sig && mw.effect < 0.5 && down;
    evidence = sig
      ? `significant (p=${fmtSig(mw.pValue, 2)}, α=${rules.alpha})`
      : `not significant (p=${fmtSig(mw.pValue, 2)}, α=${rules.alpha}${
        mwCanDecide ? "" : `; n=${n[0]}/${n[1]} cannot reach it`
      })`;
  } else if (test === "bootstrap") {
    const b = bootstrapMedianRatio(baseline, current, {
      level: 1 - rules.alpha,
      resamples: rules.resamples,
      seed: rules.seed,
    });
    out.ci = { level: b.level, lo: b.lo, hi: b.hi };
    const lvl = `${fmtSig(b.level * 100, 4)}%`;
    out.decidedBy = `bootstrap ${lvl} CI [${fmtSig(b.lo)}, ${fmtSig(b.hi)}] (n=${n[0]}/${n[1]})`;
    slower = b.lo > 1 + t;
    faster = b.hi < 1 / (1 + t);
    evidence = slower || faster
      ? `the ${lvl} CI [${fmtSig(b.lo)}, ${fmtSig(b.hi)}] lies beyond the threshold`
      : `the ${lvl} CI [${fmtSig(b.lo)}, ${fmtSig(b.hi)}] reaches within the threshold`;
  } else {
    out.decidedBy = `too few samples (n=${n[0]}/${n[1]})`;
    evidence = `too few samples to test (n=${n[0]}/${n[1]})`;
  }
  if (slower) {
    out.outcome = "slower";
    out.reason = `${ratioText} slower, beyond the ${limit}; ${evidence}`;
  } else if (faster) {
    out.outcome = "faster";
    out.reason = `${ratioText}: faster beyond the ${limit}; ${evidence}`;
  } else if (up || down) {
    out.outcome = "ambiguous";
    out.reason = `${ratioText} is beyond the ${limit} but ${evidence}`;
  } else {
    out.outcome = "same";
    out.reason = `${ratioText} is within the ${limit}` +
      (test === "mann-whitney" && out.pValue! < rules.alpha
        ? `; the difference is ${evidence}`
        : "");
  }
  return out;
}

/**
 * Compares two cases' time summaries: like {@link compareSamples}, but runs timed differently
 * (GPU timestamps vs wall clock, warm vs cold L2) are `ambiguous` rather than compared.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * import { DEFAULT_RULES } from "../rules/config.ts";
 * const { baseline, current, slowerId } = baselinePair();
 * const base = baseline.results.find((c) => c.id === slowerId)!;
 * const cur = current.results.find((c) => c.id === slowerId)!;
 * const c = compareTime(base.time!, cur.time!, DEFAULT_RULES.time);
 * assert.equal(c.outcome, "slower");
 * assert.ok(Math.abs(c.ratio - 1.25) < 1e-9);
 * assert.match(c.decidedBy, /^(mann-whitney|bootstrap)/);
 * ```
 */
export function compareTime(
  baseline: TimeSummary,
  current: TimeSummary,
  rules: TimeRules,
): TimeComparison {
  const c = compareSamples(baseline.samples, current.samples, rules);
  const diff = baseline.method !== current.method
    ? `timing methods differ (${baseline.method} vs ${current.method})`
    : baseline.l2 !== current.l2
    ? `L2 modes differ (${baseline.l2} vs ${current.l2})`
    : null;
  if (diff) {
    return {
      ...c,
      outcome: "ambiguous",
      test: "none",
      pValue: null,
      pMethod: null,
      ci: null,
      decidedBy: diff,
      reason: `×${fmtSig(c.ratio)} not compared: ${diff}`,
    };
  }
  return c;
}
