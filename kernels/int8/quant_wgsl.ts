/**
 * The activation pass of the int8 operator: per row of X, x' = x·invS, s = max|x'| / 127,
 * codes round(x' / s) packed four per u32 (lowest byte first) and the row scale s.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { computeMain, type WgslCode, wgslCode } from "../wgsl/mod.ts";

/** Threads of the activation pass's workgroup (one workgroup per row). */
export const QUANT_THREADS = 64;

/**
 * The activation quantisation shader: one workgroup per row of X.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = quantWgsl({ dtype: "f32", m: 3, k: 10 });
 * assert.deepEqual(s.bindings, ["X", "IS", "XQ", "SX"]);
 * assert.match(s.code, /round\(xs \/ sx\)/);
 * ```
 */
export function quantWgsl(o: { dtype: DType; m: number; k: number }): WgslCode {
  const { dtype, k } = o;
  const t = dtype === "f16" ? "f16" : "f32";
  const k4 = Math.ceil(k / 4);
  const T = QUANT_THREADS;
  const reduce: string[] = [];
  for (let s = T / 2; s >= 1; s /= 2) {
    reduce.push(
      `  if (lid < ${s}u) { red[lid] = max(red[lid], red[lid + ${s}u]); }`,
      "  workgroupBarrier();",
    );
  }
  return wgslCode(
    [
      { name: "X", elem: t },
      { name: "IS", elem: "f32" },
      { name: "XQ", elem: "u32", write: true },
      { name: "SX", elem: "f32", write: true },
    ],
    [
      `const K = ${k}u;`,
      `const K4 = ${k4}u;`,
      `var<workgroup> red: array<f32, ${T}>;`,
      "",
      ...computeMain(T),
      "  let r = wid.x;",
      "  var amax = 0.0;",
      `  for (var j = lid; j < K; j += ${T}u) {`,
      "    amax = max(amax, abs(f32(X[r * K + j]) * IS[j]));",
      "  }",
      "  red[lid] = amax;",
      "  workgroupBarrier();",
      ...reduce,
      "  let a = red[0];",
      "  let sx = a / 127.0;",
      "  if (lid == 0u) { SX[r] = sx; }",
      `  for (var w = lid; w < K4; w += ${T}u) {`,
      "    var word = 0u;",
      "    for (var t = 0u; t < 4u; t++) {",
      "      let j = 4u * w + t;",
      "      if (j < K && a > 0.0) {",
      "        let xs = f32(X[r * K + j]) * IS[j];",
      "        let q = clamp(i32(round(xs / sx)), -127, 127);",
      "        word |= (bitcast<u32>(q) & 0xffu) << (8u * t);",
      "      }",
      "    }",
      "    XQ[r * K4 + w] = word;",
      "  }",
      "}",
    ],
    { f16: dtype === "f16", header: `// int8 activation quantisation: ${dtype}, K = ${k}` },
  );
}
