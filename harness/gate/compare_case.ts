/**
 * The verdict on one case: status, deterministic metrics (accuracy, FLOPs) within tolerances,
 * then time.
 *
 * @module
 */

import type { CaseResult, Status } from "../types.ts";
import type { GateRules, ToleranceRules } from "../rules/config.ts";
import { compareTime, fmtSig } from "./compare_time.ts";
import type { CaseVerdict, MetricCheck } from "./verdict.ts";

/** Finite number or null (JSON writes Infinity and NaN as null). */
function finite(v: number | null | undefined): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/**
 * Compares a deterministic metric where larger is worse: `worse` when the current value exceeds
 * `baseline × (1 + rel) + abs` (or became non-finite), `better` when the reverse holds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const tol = { enabled: true, rel: 0.01, abs: 0 };
 * assert.equal(checkMetric("flops.total", 100, 102, tol).outcome, "worse");
 * assert.equal(checkMetric("flops.total", 100, 100.5, tol).outcome, "same");
 * assert.equal(checkMetric("flops.total", 100, 50, tol).outcome, "better");
 * ```
 */
export function checkMetric(
  metric: MetricCheck["metric"],
  baseline: number | null | undefined,
  current: number | null | undefined,
  tol: ToleranceRules,
): MetricCheck {
  const b = finite(baseline), c = finite(current);
  const limit = b === null ? null : b * (1 + tol.rel) + tol.abs;
  const check: MetricCheck = { metric, baseline: b, current: c, limit, outcome: "same" };
  if (!tol.enabled || baseline === undefined || current === undefined) {
    check.outcome = "not-compared";
  } else if (b === null) check.outcome = c === null ? "same" : "better";
  else if (c === null) check.outcome = "worse";
  else if (c > limit!) check.outcome = "worse";
  else if (b > c * (1 + tol.rel) + tol.abs) check.outcome = "better";
  return check;
}

const RANK: Record<Status, number> = { failed: 0, skipped: 1, ok: 2 };

function describe(c: MetricCheck): string {
  return `${c.metric} ${fmtSig(c.baseline)} → ${fmtSig(c.current)}` +
    (c.outcome === "worse" ? ` (limit ${fmtSig(c.limit)})` : "");
}

function statusText(r: CaseResult): string {
  return r.reason ? `${r.status} (${r.reason})` : r.status;
}

/**
 * Gates one case. `baseline` or `current` may be absent (`new` / `missing`); `rules` are the
 * case's resolved rules; `missingFails` makes a missing case a regression.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * import { rulesFor } from "../rules/config.ts";
 * const { baseline, current, newId, missingId } = baselinePair();
 * const cur = current.results.find((c) => c.id === newId)!;
 * assert.equal(gateCase(undefined, cur, rulesFor(cur, {})).verdict, "new");
 * const base = baseline.results.find((c) => c.id === missingId)!;
 * assert.equal(gateCase(base, undefined, rulesFor(base, {}), true).verdict, "missing");
 * assert.equal(gateCase(base, undefined, rulesFor(base, {}), true).regression, true);
 * ```
 */
export function gateCase(
  baseline: CaseResult | undefined,
  current: CaseResult | undefined,
  rules: GateRules,
  missingFails = false,
): CaseVerdict {
  const any = (current ?? baseline)!;
  const v: CaseVerdict = {
    id: any.id,
    verdict: "same",
    regression: false,
    summary: "",
    kernel: any.kernel,
    family: any.family,
    baselineStatus: baseline?.status ?? null,
    currentStatus: current?.status ?? null,
    time: null,
    checks: [],
    notes: [],
    rules,
  };
  if (!baseline) {
    v.verdict = "new";
    v.summary = `new case, ${statusText(current!)}`;
    return v;
  }
  if (!current) {
    v.verdict = "missing";
    v.regression = missingFails;
    v.summary = `in the baseline (${baseline.status}), not in the current run`;
    return v;
  }
  const rb = RANK[baseline.status], rc = RANK[current.status];
  if (rc < rb) {
    v.verdict = "failed";
    v.regression = true;
    v.summary = `was ${statusText(baseline)}, now ${statusText(current)}`;
    return v;
  }
  if (rc > rb) {
    v.verdict = "fixed";
    v.summary = `was ${statusText(baseline)}, now ${statusText(current)}`;
    return v;
  }
  if (current.status !== "ok") {
    v.summary = `${current.status} in both runs${current.reason ? `: ${current.reason}` : ""}`;
    return v;
  }

  // Both ok: deterministic metrics first (same seed only), then time.
  if (baseline.seed !== current.seed) {
    v.notes.push(
      `seeds differ (${baseline.seed} vs ${current.seed}): accuracy and FLOPs not compared`,
    );
  } else {
    v.checks.push(
      checkMetric(
        "approximation.relError",
        baseline.approximation?.relError,
        current.approximation?.relError,
        rules.accuracy,
      ),
      checkMetric(
        "correctness.relError",
        baseline.correctness?.relError,
        current.correctness?.relError,
        rules.correctness,
      ),
      checkMetric("flops.total", baseline.flops.total, current.flops.total, rules.flops),
    );
  }
  for (const c of v.checks) {
    if (c.outcome === "better") v.notes.push(`improved: ${describe(c)}`);
  }
  if (rules.time.enabled && baseline.time && current.time) {
    v.time = compareTime(baseline.time, current.time, rules.time);
  } else if (rules.time.enabled) {
    v.notes.push("time not compared: no samples in one of the runs");
  }
  const worse = v.checks.filter((c) => c.outcome === "worse");
  const accuracy = worse.filter((c) => c.metric !== "flops.total");
  const flops = worse.filter((c) => c.metric === "flops.total");
  const timeText = v.time ? `${v.time.reason}` : "time not compared";
  if (accuracy.length > 0) {
    v.verdict = "accuracy-regressed";
    v.summary = accuracy.map(describe).join("; ");
  } else if (flops.length > 0) {
    v.verdict = "flops-regressed";
    v.summary = flops.map(describe).join("; ");
  } else if (v.time && v.time.outcome !== "same") {
    v.verdict = v.time.outcome;
    v.summary = timeText;
  } else {
    v.summary = timeText;
  }
  v.regression = v.verdict === "accuracy-regressed" || v.verdict === "flops-regressed" ||
    v.verdict === "slower";
  if ((accuracy.length > 0 || flops.length > 0) && v.time) {
    v.notes.push(`time: ${v.time.reason}`);
  }
  return v;
}
