/**
 * How the int4 GEMV reads X and the group scales and zeros: one load per value the shader uses
 * (X as `vec4` halves of a packed row's 8 values, scales and zeros a column at a time).
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";

/**
 * The binding element types of X, the scale table S and the zero table Z.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t = gemvInputTypes({ dtype: "f16", scaleDtype: "f16" });
 * assert.ok(t.x === "vec4<f16>" && t.s === "u32");
 * ```
 */
export function gemvInputTypes(o: { dtype: DType; scaleDtype: DType }): { x: string; s: string } {
  return { x: `vec4<${o.dtype}>`, s: o.scaleDtype === "f16" ? "u32" : "f32" };
}

/**
 * The two `vec4` halves (k = 8r … 8r+3 and 8r+4 … 8r+7) of X's packed row `pr` (a WGSL u32
 * expression counting packed rows over all M rows: `mi · kPadded/8 + r`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(xRowHalves("r").a === "X[(r) * 2u]");
 * ```
 */
export function xRowHalves(pr: string): { a: string; b: string } {
  return { a: `X[(${pr}) * 2u]`, b: `X[(${pr}) * 2u + 1u]` };
}
