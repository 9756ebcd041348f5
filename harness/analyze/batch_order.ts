/**
 * Whether a back-to-back figure can be trusted to be ordered: results from tilebench before
 * `batch.order: "chained"` timed plans of several dispatches over rotating buffer copies with only
 * their output writes ordered, so those figures may be too fast.
 *
 * @module
 */

import type { CaseResult } from "../types.ts";

/**
 * Whether a case's back-to-back figure, from tilebench before `batch.order: "chained"`, is of a plan
 * of several dispatches timed over rotating copies, whose earlier dispatches were not ordered after
 * the previous execution, so that it may be too fast. The dispatches an execution records come from
 * `batch.executionDispatches`, or in results older than it from the kernel's `notes.passes` where
 * it records one (int8, the W1.58A8 ternary GEMV, Monarch); else one is assumed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = (batch: object, notes = {}) => ({ batch: { copies: 8, ...batch }, notes }) as never;
 * assert.equal(unorderedBatch(r({ order: "serial", executionDispatches: 2 })), true);
 * assert.equal(unorderedBatch(r({ order: "serial" }, { passes: 2 })), true);
 * assert.equal(unorderedBatch(r({ order: "serial" })), false);
 * assert.equal(unorderedBatch(r({ order: "chained", executionDispatches: 2 })), false);
 * ```
 */
export function unorderedBatch(r: Pick<CaseResult, "batch" | "notes">): boolean {
  const b = r.batch;
  if (!b || b.order === "chained" || b.copies <= 1) return false;
  const passes = r.notes?.passes;
  return (b.executionDispatches ?? (typeof passes === "number" ? passes : 1)) > 1;
}
