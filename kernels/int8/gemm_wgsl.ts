/**
 * The int8 GEMM: packed int8 X codes (M×K4 words) times packed int8 W codes (N×K4 words), i32
 * accumulation by 4-wide dot products, dequantised by the row and column scales, plus the
 * outlier dimensions' product in f32 from X and the outlier rows of W.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { computeMain, type WgslCode, wgslCode } from "../wgsl/mod.ts";

/** Rows and columns of Y per thread. */
export const INT8_TM = 4;
/** K words (4 codes each) per workgroup step. */
export const INT8_BK4 = 8;

/** What the GEMM generator needs. */
export interface Int8GemmOptions {
  dtype: DType;
  m: number;
  k: number;
  n: number;
  bm: number;
  bn: number;
  dot: "packed" | "unpacked";
  outliers: boolean;
}

/**
 * Workgroups of the GEMM: [⌈N/BN⌉, ⌈M/BM⌉, 1].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f32", m: 65, k: 8, n: 10, bm: 64, bn: 64, dot: "packed", outliers: false } as const;
 * assert.deepEqual(int8GemmDispatch(o), [1, 2, 1]);
 * ```
 */
export function int8GemmDispatch(o: Int8GemmOptions): [number, number, number] {
  return [Math.ceil(o.n / o.bn), Math.ceil(o.m / o.bm), 1];
}

/**
 * The `dot4(a, b) -> i32` helper: `dot4I8Packed`, or four sign-extended byte products.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(dotFn("unpacked").join("\n"), /extractBits/);
 * ```
 */
export function dotFn(dot: "packed" | "unpacked"): string[] {
  if (dot === "packed") {
    return ["fn dot4(a: u32, b: u32) -> i32 {", "  return dot4I8Packed(a, b);", "}"];
  }
  const terms = [0, 8, 16, 24].map((s) => `extractBits(x, ${s}u, 8u) * extractBits(y, ${s}u, 8u)`);
  return [
    "fn dot4(a: u32, b: u32) -> i32 {",
    "  let x = bitcast<i32>(a);",
    "  let y = bitcast<i32>(b);",
    `  return ${terms.join("\n    + ")};`,
    "}",
  ];
}

/**
 * The outlier path's bindings: X in the dtype, [count, index…], and the outlier rows of W.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(outlierBindings("f32").map((b) => b.name), ["X", "OI", "WO"]);
 * ```
 */
export function outlierBindings(t: string): { name: string; elem: string }[] {
  return [{ name: "X", elem: t }, { name: "OI", elem: "u32" }, { name: "WO", elem: t }];
}

/**
 * Adds the outlier dimensions' products to `y` for row `r`, column `c` (f32 accumulation).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(outlierSum("  ")[0], "  let count = OI[0];");
 * ```
 */
export function outlierSum(indent: string): string[] {
  return [
    "let count = OI[0];",
    "for (var o = 0u; o < count; o++) {",
    "  y += f32(X[r * K + OI[1u + o]]) * f32(WO[o * N + c]);",
    "}",
  ].map((l) => indent + l);
}

/**
 * The int8 GEMM shader. Each of (BM/4)·(BN/4) threads holds a 4×4 block of i32 accumulators.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = int8GemmWgsl({
 *   dtype: "f16", m: 5, k: 9, n: 7, bm: 32, bn: 32, dot: "packed", outliers: true,
 * });
 * assert.deepEqual(s.bindings, ["XQ", "SX", "WQ", "SW", "X", "OI", "WO", "Y"]);
 * assert.match(s.code, /dot4I8Packed/);
 * ```
 */
export function int8GemmWgsl(o: Int8GemmOptions): WgslCode {
  const { dtype, m, k, n, bm, bn } = o;
  const t = dtype === "f16" ? "f16" : "f32";
  const TM = INT8_TM;
  const tx = bn / TM;
  const threads = (bm / TM) * tx;
  const BK4 = INT8_BK4;
  const acc: string[] = [];
  const fma: string[] = [];
  const store: string[] = [];
  for (let i = 0; i < TM; i++) {
    acc.push(`  var acc${i} = vec4<i32>(0);`);
    fma.push(`      let a${i} = As[(ty * ${TM}u + ${i}u) * BK4 + kk];`);
  }
  for (let i = 0; i < TM; i++) {
    fma.push(
      `      acc${i} += vec4<i32>(dot4(a${i}, b.x), dot4(a${i}, b.y), dot4(a${i}, b.z), dot4(a${i}, b.w));`,
    );
  }
  for (let i = 0; i < TM; i++) {
    store.push(
      `  store_row(row0 + ty * ${TM}u + ${i}u, col0 + tx * ${TM}u, acc${i});`,
    );
  }
  const bindings = [
    { name: "XQ", elem: "u32" },
    { name: "SX", elem: "f32" },
    { name: "WQ", elem: "u32" },
    { name: "SW", elem: "f32" },
    ...(o.outliers ? outlierBindings(t) : []),
    { name: "Y", elem: t, write: true },
  ];
  return wgslCode(bindings, [
    `const M = ${m}u;`,
    `const K = ${k}u;`,
    `const N = ${n}u;`,
    `const K4 = ${Math.ceil(k / 4)}u;`,
    `const BM = ${bm}u;`,
    `const BN = ${bn}u;`,
    `const BK4 = ${BK4}u;`,
    `const THREADS = ${threads}u;`,
    `var<workgroup> As: array<u32, ${bm * BK4}>;`,
    `var<workgroup> Bs: array<u32, ${bn * BK4}>;`,
    "",
    ...dotFn(o.dot),
    "",
    "fn store_row(r: u32, c0: u32, acc: vec4<i32>) {",
    "  if (r >= M) { return; }",
    "  for (var j = 0u; j < 4u; j++) {",
    "    let c = c0 + j;",
    "    if (c >= N) { return; }",
    "    var y = f32(acc[j]) * SX[r] * SW[c];",
    ...(o.outliers ? outlierSum("    ") : []),
    `    Y[r * N + c] = ${t}(y);`,
    "  }",
    "}",
    "",
    ...computeMain(threads),
    `  let tx = lid % ${tx}u;`,
    `  let ty = lid / ${tx}u;`,
    "  let col0 = wid.x * BN;",
    "  let row0 = wid.y * BM;",
    ...acc,
    "  for (var k0 = 0u; k0 < K4; k0 += BK4) {",
    "    for (var i = lid; i < BM * BK4; i += THREADS) {",
    "      let r = row0 + i / BK4;",
    "      let kw = k0 + i % BK4;",
    "      var v = 0u;",
    "      if (r < M && kw < K4) { v = XQ[r * K4 + kw]; }",
    "      As[i] = v;",
    "    }",
    "    for (var i = lid; i < BN * BK4; i += THREADS) {",
    "      let c = col0 + i / BK4;",
    "      let kw = k0 + i % BK4;",
    "      var v = 0u;",
    "      if (c < N && kw < K4) { v = WQ[c * K4 + kw]; }",
    "      Bs[i] = v;",
    "    }",
    "    workgroupBarrier();",
    "    for (var kk = 0u; kk < BK4; kk++) {",
    `      let b = vec4<u32>(${
      [0, 1, 2, 3].map((j) => `Bs[(tx * ${TM}u + ${j}u) * BK4 + kk]`).join(", ")
    });`,
    ...fma,
    "    }",
    "    workgroupBarrier();",
    "  }",
    ...store,
    "}",
  ], {
    f16: dtype === "f16",
    header: `// int8 W8A8 GEMM: ${dtype}, ${m}x${k}x${n}, tile ${bm}x${bn}, dot ${o.dot}` +
      (o.outliers ? ", outlier dimensions in f32" : ""),
  });
}
