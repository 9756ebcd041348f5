/**
 * The accuracy budget of a report: a case whose approximation error exceeds it is not crowned
 * "best" however fast it is, and does not count in the fast_p aggregate.
 *
 * @module
 */

/** The default budget: relative Frobenius error against the exact product of at most 0.1. */
export const DEFAULT_ACCURACY_BUDGET = 0.1;

/** The speedups the fast_p aggregate is taken at. */
export const FAST_P_LEVELS: readonly number[] = [0, 1, 1.25, 1.5, 2, 3];

/** What the budget reads of a case (a subset of the report's `ModelCase`). */
export interface BudgetCase {
  /** The kernel family (dense cases are the reference, not counted in fast_p). */
  family: string;
  /** The case's status. */
  status: string;
  /** Whether it passed its correctness check (null: not checked). */
  corrPassed: boolean | null;
  /** Approximation error against the exact product; null for an exact kernel. */
  approx: number | null;
  /** Isolated speedup vs dense. */
  speedup: number | null;
  /** Back-to-back speedup vs dense, when the case has one. */
  batchSpeedup: number | null;
}

/**
 * Whether a case ran, passed its correctness check and stays within `budget` (an exact kernel,
 * whose approximation error is null or 0, always does).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = { family: "stl", status: "ok", corrPassed: true, approx: 0.79, speedup: 2.6, batchSpeedup: null };
 * assert.equal(withinBudget(c, 0.1), false);
 * assert.equal(withinBudget({ ...c, approx: 0.05 }, 0.1), true);
 * ```
 */
export function withinBudget(c: BudgetCase, budget: number): boolean {
  return c.status === "ok" && c.corrPassed !== false && (c.approx === null || c.approx <= budget);
}

/** One level of the fast_p aggregate. */
export interface FastP {
  /** The speedup level p (× dense). */
  p: number;
  /** Cases correct, within the budget and at least p× dense. */
  count: number;
  /** Cases counted: every non-dense case (failed and skipped ones included). */
  total: number;
  /** count / total (0 when there is no case). */
  share: number;
}

/**
 * fast_p (after KernelBench): for each p, the share of the run's non-dense cases that are
 * correct, within the accuracy budget and at least p× as fast as dense of their shape and dtype.
 * The speedup is the back-to-back one where a case has it (short kernels), else the isolated one;
 * fast_0 is the share that is correct and within budget.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const base = { family: "int4", status: "ok", corrPassed: true, approx: 0.05, batchSpeedup: null };
 * const f = fastP([{ ...base, speedup: 3 }, { ...base, speedup: 0.8 }, { ...base, speedup: 5, approx: 0.8 }], 0.1, [0, 1, 2]);
 * assert.deepEqual(f.map((x) => x.count), [2, 1, 1]);
 * assert.equal(f[0]!.total, 3);
 * ```
 */
export function fastP(
  cases: readonly BudgetCase[],
  budget: number,
  levels: readonly number[] = FAST_P_LEVELS,
): FastP[] {
  const pool = cases.filter((c) => c.family !== "dense");
  return levels.map((p) => {
    const count = pool.filter((c) => {
      if (!withinBudget(c, budget)) return false;
      const s = c.batchSpeedup ?? c.speedup;
      return p === 0 || (s !== null && s >= p);
    }).length;
    return { p, count, total: pool.length, share: pool.length ? count / pool.length : 0 };
  });
}
