/**
 * The gate's verdicts: per case and for the whole comparison (the `gate.json` format).
 *
 * @module
 */

import type { AdapterMeta, Status } from "../types.ts";
import type { GateRules } from "../rules/config.ts";
import type { TimeComparison } from "./compare_time.ts";

/**
 * A case's verdict.
 *
 * - `failed`: the status got worse (ok → failed or skipped, skipped → failed).
 * - `accuracy-regressed`: approximation or correctness error grew beyond its tolerance.
 * - `flops-regressed`: the kernel executes more FLOPs than before.
 * - `slower`: significantly slower and beyond the time threshold.
 * - `missing`: in the baseline, not in the current run (a regression when it was ok there,
 *   unless missing cases are allowed).
 * - `ambiguous`: the medians differ by more than the threshold, but the test cannot confirm it,
 *   the difference is within the between-run spread, the sentinel moved while the case was
 *   timed, no re-measurement confirmed it yet (or the runs were timed differently).
 * - `new`: in the current run only.
 * - `fixed`: the status got better (failed or skipped → ok; skipped → … is `failed` if worse).
 * - `faster`: significantly faster and beyond the threshold.
 * - `same`: nothing above.
 */
export type Verdict =
  | "failed"
  | "accuracy-regressed"
  | "flops-regressed"
  | "slower"
  | "missing"
  | "ambiguous"
  | "new"
  | "fixed"
  | "faster"
  | "same";

/** Every verdict, in report order (regressions first). */
export const VERDICTS: readonly Verdict[] = [
  "failed",
  "accuracy-regressed",
  "flops-regressed",
  "slower",
  "missing",
  "ambiguous",
  "new",
  "fixed",
  "faster",
  "same",
];

/** Verdicts that fail the gate (exit code 1). `missing` joins them for cases ok in the
 * baseline unless `--allow-missing` (or the config's `"missing": "warn"`). */
export const REGRESSIONS: readonly Verdict[] = [
  "failed",
  "accuracy-regressed",
  "flops-regressed",
  "slower",
];

/**
 * One deterministic metric compared with its tolerance (larger is worse).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c: MetricCheck = {
 *   metric: "approximation.relError", baseline: 0.01, current: 0.02, limit: 0.0101,
 *   outcome: "worse",
 * };
 * // worse: current above baseline × (1 + rel) + abs
 * assert.ok(c.current! > c.limit! && c.limit === 0.01 * (1 + 0.01));
 * ```
 */
export interface MetricCheck {
  /** The metric compared. */
  metric: "approximation.relError" | "correctness.relError" | "flops.total";
  /** Baseline value; null when absent or not finite. */
  baseline: number | null;
  /** Current value; null when absent or not finite. */
  current: number | null;
  /** Largest current value that passes: baseline × (1 + rel) + abs. */
  limit: number | null;
  /** `worse`: above the limit; `better`: below the baseline by more than the tolerance. */
  outcome: "same" | "better" | "worse" | "not-compared";
}

/**
 * The gate's verdict on one case.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * import { gateRuns } from "./gate.ts";
 * const { baseline, current, fasterId } = baselinePair();
 * const c: CaseVerdict = gateRuns(baseline, current).cases.find((c) => c.id === fasterId)!;
 * assert.equal(c.verdict, "faster");
 * assert.equal(c.regression, false);
 * assert.ok(c.time!.ratio < 1);
 * ```
 */
export interface CaseVerdict {
  /** Case id. */
  id: string;
  /** The verdict. */
  verdict: Verdict;
  /** Whether this verdict fails the gate. */
  regression: boolean;
  /** One line: why this verdict (the deciding test, the metric that moved, the new status). */
  summary: string;
  /** Kernel name. */
  kernel: string;
  /** Kernel family. */
  family: string;
  /** Status in the baseline (null: not there). */
  baselineStatus: Status | null;
  /** Status in the current run (null: not there). */
  currentStatus: Status | null;
  /** The time comparison, when both runs timed the case. */
  time: TimeComparison | null;
  /** Deterministic metrics compared. */
  checks: MetricCheck[];
  /** Other observations (improvements, reasons, skipped comparisons). */
  notes: string[];
  /** The rules applied to this case. */
  rules: GateRules | null;
  /** True when the case measured slower beyond every allowance but no re-measurement confirmed
   * it yet (`bench --baseline` re-times these cases). */
  needsConfirmation?: boolean;
}

/** Identity of one side of the comparison. */
export interface RunRef {
  /** File it was read from, when it came from a file. */
  file: string | null;
  /** Suite name. */
  suite: string;
  /** Suite seed. */
  seed: number;
  /** The adapter that ran it. */
  adapter: AdapterMeta;
  /** When it started. */
  startedAt: string | null;
  /** Its commit, when known. */
  commit: string | null;
  /** Whether every case finished. */
  complete: boolean;
}

/**
 * The result of gating a run against a baseline (written as `gate.json`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * import { gateRuns } from "./gate.ts";
 * const { baseline } = baselinePair();
 * const report: GateReport = gateRuns(baseline, structuredClone(baseline));
 * assert.equal(report.passed, true);
 * assert.equal(report.exitCode, 0);
 * ```
 */
export interface GateReport {
  /** Version of this format. */
  gateVersion: 1;
  /** True when no case regressed. */
  passed: boolean;
  /** 0 pass, 1 regression. */
  exitCode: 0 | 1;
  /** The baseline run. */
  baseline: RunRef;
  /** The current run. */
  current: RunRef;
  /** Differences between the two adapters, when the comparison was allowed anyway. */
  deviceMismatch: string | null;
  /**
   * Run-level reasons the gate failed, apart from case verdicts: an incomplete current run, no
   * case in common, fewer ok cases than the baseline.
   */
  failures: string[];
  /** The between-run spread of the comparison and the ratios it allows (null: no timed case). */
  timeSpread: {
    cases: number;
    medianRatio: number;
    sigma: number;
    /** A case is slower beyond this ratio. */
    caseAllowance: number;
    /** The whole run is slower beyond this median ratio. */
    runAllowance: number;
    /** Cases slower beyond the allowance, waiting for a re-measurement. */
    unconfirmed: string[];
  } | null;
  /** Run-level observations: incomplete runs, different seeds, a device mismatch. */
  warnings: string[];
  /** Number of cases per verdict. */
  counts: Record<Verdict, number>;
  /** Every case, regressions first. */
  cases: CaseVerdict[];
}
