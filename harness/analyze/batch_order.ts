/**
 * Whether a back-to-back figure can be trusted to be ordered: results from tilebench before
 * `batch.order: "chained"` timed plans of several dispatches over rotating buffer copies with only
 * their output writes ordered, so those figures may be too fast.
 *
 * @module
 */

import type { CaseResult } from "../types.ts";

/**
 * The dispatches one execution of a case's plan records: `batch.executionDispatches`, or in
 * results older than it what the kernel's notes and family say: `notes.passes` where the kernel
 * records it (int8, the W1.58A8 ternary GEMV, Monarch); 2 for int8 without it (every int8 plan then
 * ran the activation pass before its product); 3 for STL's unfused pipeline (encode X, the batched
 * GEMM, decode), 2 for its fused one (encode X, then the GEMM with the decode in its epilogue); 2
 * for a split-K GEMM (`notes.splitK` above 1: partial products, then their sum); else 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = (batch: object, notes = {}, family = "dense", params = {}) =>
 *   ({ batch: { copies: 8, ...batch }, notes, family, params }) as never;
 * assert.equal(executionDispatches(r({ executionDispatches: 2 })), 2);
 * assert.equal(executionDispatches(r({}, { passes: 2 }, "int8")), 2);
 * assert.equal(executionDispatches(r({}, { splitK: 4, variant: "gemm" })), 2);
 * assert.equal(executionDispatches(r({}, { splitK: 1, variant: "gemm" })), 1);
 * assert.equal(executionDispatches(r({}, { variant: "gemv" }, "int8")), 2);
 * assert.equal(executionDispatches(r({}, {}, "stl")), 3);
 * assert.equal(executionDispatches(r({}, {}, "stl", { fused: true })), 2);
 * assert.equal(executionDispatches(r({}, { variant: "gemv" })), 1);
 * ```
 */
export function executionDispatches(
  r: Pick<CaseResult, "batch" | "notes" | "family" | "params">,
): number {
  const recorded = r.batch?.executionDispatches;
  if (typeof recorded === "number") return recorded;
  const notes = r.notes ?? {};
  if (typeof notes.passes === "number") return notes.passes;
  if (r.family === "int8") return 2;
  if (r.family === "stl") return r.params?.fused === true ? 2 : 3;
  if (typeof notes.splitK === "number" && notes.splitK > 1) return 2;
  return 1;
}

/**
 * Whether a case's back-to-back figure, from tilebench before `batch.order: "chained"`, is of a plan
 * of several dispatches (`executionDispatches`) timed over rotating copies, whose earlier
 * dispatches were not ordered after the previous execution, so that it may be too fast.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = (batch: object, notes = {}) =>
 *   ({ batch: { copies: 8, ...batch }, notes, family: "dense", params: {} }) as never;
 * assert.equal(unorderedBatch(r({ order: "serial", executionDispatches: 2 })), true);
 * assert.equal(unorderedBatch(r({ order: "serial" }, { passes: 2 })), true);
 * assert.equal(unorderedBatch(r({ order: "serial" }, { splitK: 8 })), true);
 * assert.equal(unorderedBatch(r({ order: "serial" })), false);
 * assert.equal(unorderedBatch(r({ order: "serial", copies: 1 }, { splitK: 8 })), false);
 * assert.equal(unorderedBatch(r({ order: "chained", executionDispatches: 2 })), false);
 * ```
 */
export function unorderedBatch(
  r: Pick<CaseResult, "batch" | "notes" | "family" | "params">,
): boolean {
  const b = r.batch;
  if (!b || b.order === "chained" || b.copies <= 1) return false;
  return executionDispatches(r) > 1;
}
