/**
 * The int8 GEMV for M ≤ 8: each workgroup owns COLS columns of W; the SLICES threads of a
 * column stream its packed codes (contiguous along K), each keeping M i32 partial dot products,
 * summed by a tree in workgroup memory, then dequantised (plus the outlier dimensions in f32).
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { computeMain, type WgslCode, wgslCode } from "../wgsl/mod.ts";
import { dotFn, outlierBindings, outlierSum } from "./gemm_wgsl.ts";

/** Largest M the GEMV serves. */
export const INT8_GEMV_MAX_M = 8;

/** What the GEMV generator needs. */
export interface Int8GemvOptions {
  dtype: DType;
  m: number;
  k: number;
  n: number;
  /** Columns per workgroup. */
  cols: number;
  /** Threads per column (a power of two). */
  slices: number;
  dot: "packed" | "unpacked";
  outliers: boolean;
}

/**
 * Whether the GEMV reads the codes as `vec4<u32>` (16 codes a load): when K is a multiple of 16.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(int8GemvVec4(4096), true);
 * assert.equal(int8GemvVec4(100), false);
 * ```
 */
export function int8GemvVec4(k: number): boolean {
  return k % 16 === 0;
}

/**
 * Workgroups of the GEMV: [⌈N/cols⌉, 1, 1].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f32", m: 1, k: 8, n: 10, cols: 4, slices: 64, dot: "packed", outliers: false } as const;
 * assert.deepEqual(int8GemvDispatch(o), [3, 1, 1]);
 * ```
 */
export function int8GemvDispatch(o: Int8GemvOptions): [number, number, number] {
  return [Math.ceil(o.n / o.cols), 1, 1];
}

/**
 * The int8 GEMV shader.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = int8GemvWgsl({
 *   dtype: "f32", m: 2, k: 100, n: 7, cols: 4, slices: 64, dot: "unpacked", outliers: false,
 * });
 * assert.deepEqual(s.bindings, ["XQ", "SX", "WQ", "SW", "Y"]);
 * assert.match(s.code, /var acc1 = 0;/);
 * ```
 */
export function int8GemvWgsl(o: Int8GemvOptions): WgslCode {
  const { dtype, m, k, n, cols, slices } = o;
  const t = dtype === "f16" ? "f16" : "f32";
  const threads = cols * slices;
  const rows = Array.from({ length: m }, (_, i) => i);
  const vec = int8GemvVec4(k);
  const word = vec ? "vec4<u32>" : "u32";
  const dotRow = (i: number) =>
    vec
      ? `      let x${i} = XQ[${i}u * KW + kw];\n` +
        `      acc${i} += dot4(x${i}.x, w.x) + dot4(x${i}.y, w.y) + dot4(x${i}.z, w.z) + dot4(x${i}.w, w.w);`
      : `      acc${i} += dot4(XQ[${i}u * KW + kw], w);`;
  const tree: string[] = [];
  for (let s = slices / 2; s >= 1; s /= 2) {
    tree.push(`  if (s < ${s}u) {`);
    for (const i of rows) {
      tree.push(`    red[(c * M + ${i}u) * S + s] += red[(c * M + ${i}u) * S + s + ${s}u];`);
    }
    tree.push("  }", "  workgroupBarrier();");
  }
  return wgslCode(
    [
      { name: "XQ", elem: word },
      { name: "SX", elem: "f32" },
      { name: "WQ", elem: word },
      { name: "SW", elem: "f32" },
      ...(o.outliers ? outlierBindings(t) : []),
      { name: "Y", elem: t, write: true },
    ],
    [
      `const M = ${m}u;`,
      `const K = ${k}u;`,
      `const N = ${n}u;`,
      `const KW = ${vec ? Math.ceil(k / 4) / 4 : Math.ceil(k / 4)}u; // ${word} words a row`,
      `const COLS = ${cols}u;`,
      `const S = ${slices}u;`,
      `var<workgroup> red: array<i32, ${cols * m * slices}>;`,
      "",
      ...dotFn(o.dot),
      "",
      ...computeMain(threads),
      "  let c = lid / S;",
      "  let s = lid % S;",
      "  let col = wid.x * COLS + c;",
      ...rows.map((i) => `  var acc${i} = 0;`),
      "  if (col < N) {",
      "    for (var kw = s; kw < KW; kw += S) {",
      "      let w = WQ[col * KW + kw];",
      ...rows.map(dotRow),
      "    }",
      "  }",
      ...rows.map((i) => `  red[(c * M + ${i}u) * S + s] = acc${i};`),
      "  workgroupBarrier();",
      ...tree,
      "  if (lid < COLS * M) {",
      "    let cc = lid / M;",
      "    let r = lid % M;",
      "    let c = wid.x * COLS + cc;",
      "    if (c < N) {",
      "      var y = f32(red[lid * S]) * SX[r] * SW[c];",
      ...(o.outliers ? outlierSum("      ") : []),
      `      Y[r * N + c] = ${t}(y);`,
      "    }",
      "  }",
      "}",
    ],
    {
      f16: dtype === "f16",
      header: `// int8 W8A8 GEMV: ${dtype}, ${m}x${k}x${n}, ${cols} columns x ${slices} slices, ` +
        `${word} loads, ` +
        `dot ${o.dot}` + (o.outliers ? ", outlier dimensions in f32" : ""),
    },
  );
}
