/**
 * The activation pass of the int8 operator: per row of X, x' = x·invS, s = max|x'| / 127,
 * codes round(x' / s) packed four per u32 (lowest byte first) and the row scale s.
 *
 * One workgroup a row. Each thread loads its words of the row (four values each: w = lid, lid +
 * T, …, at most `QUANT_HELD` a thread) all at once and keeps them in registers: the absmax and
 * the codes read X once, and the loads are in flight together instead of one after another. Rows
 * longer than that (K > 4·1024·`QUANT_HELD`) walk their words in a loop, reading X twice.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { computeMain, type WgslCode, wgslCode } from "../wgsl/mod.ts";

/**
 * WGSL `codesOf(x, sx)`: the codes clamp(round(x / sx), ±127) of four values, packed lowest
 * first (0 when sx ≤ 0, as `int8Code`), rounded by adding 1.5·2^23 (f32 addition rounds half to
 * even, as round() does), whose low byte is then the code's two's complement: no float-to-int
 * conversion. The activation pass and the one-pass GEMV both quantise with it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(CODES_OF_WGSL[0]!, /fn codesOf\(x: vec4<f32>, sx: f32\) -> u32/);
 * ```
 */
export const CODES_OF_WGSL: readonly string[] = [
  "fn codesOf(x: vec4<f32>, sx: f32) -> u32 {",
  "  if (sx <= 0.0) { return 0u; }",
  "  let v = clamp(x / sx, vec4<f32>(-127.0), vec4<f32>(127.0)) + vec4<f32>(12582912.0);",
  "  let q = bitcast<vec4<u32>>(v) & vec4<u32>(0xffu);",
  "  return q.x | (q.y << 8u) | (q.z << 16u) | (q.w << 24u);",
  "}",
];

/**
 * WGSL `bytesSum(c)`: the sum of the four signed bytes of a packed code word (the row sums the
 * activation pass writes with `sums`, and the ternary dp4a GEMV's inline quantisation).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(BYTES_SUM_WGSL[0], "fn bytesSum(c: u32) -> i32 {");
 * ```
 */
export const BYTES_SUM_WGSL: readonly string[] = [
  "fn bytesSum(c: u32) -> i32 {",
  "  let v = bitcast<i32>(c);",
  "  return extractBits(v, 0u, 8u) + extractBits(v, 8u, 8u) + extractBits(v, 16u, 8u) + " +
  "extractBits(v, 24u, 8u);",
  "}",
];

/**
 * The WGSL functions both quantisers share: `xs4(r, w)`, x·invS of the four values of row r, word
 * w (0 past K; `vec4` loads when K is a multiple of 4; no IS without `scaled`), and
 * {@link CODES_OF_WGSL}. X, IS and the constants K and K4 are the shader's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(activationFns(true, false).includes("  return vec4<f32>(X[r * K4 + w]);"));
 * ```
 */
export function activationFns(xVec: boolean, scaled: boolean): string[] {
  return [
    "fn xs4(r: u32, w: u32) -> vec4<f32> {",
    ...(xVec ? [`  return vec4<f32>(X[r * K4 + w])${scaled ? " * IS[w]" : ""};`] : [
      "  var v = vec4<f32>(0.0);",
      "  for (var i = 0u; i < 4u; i++) {",
      "    let j = 4u * w + i;",
      `    if (j < K) { v[i] = f32(X[r * K + j])${scaled ? " * IS[j]" : ""}; }`,
      "  }",
      "  return v;",
    ]),
    "}",
    "",
    ...CODES_OF_WGSL,
    "",
  ];
}

/**
 * Lines that fold each thread's `value` over a workgroup of `t` threads (a power of two) into
 * `arr[0]` with `combine`, fan-in 8 through the workgroup array `arr`, a barrier after each step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l = foldRow("red", "v", 16, (a, b) => `max(${a}, ${b})`);
 * assert.deepEqual(l.slice(0, 3), ["  red[lid] = v;", "  workgroupBarrier();",
 *   "  if (lid < 2u) { red[lid] = max(max(max(max(max(max(max(red[lid], red[lid + 2u]), red[lid + 4u]), red[lid + 6u]), red[lid + 8u]), red[lid + 10u]), red[lid + 12u]), red[lid + 14u]); }"]);
 * ```
 */
export function foldRow(
  arr: string,
  value: string,
  t: number,
  combine: (a: string, b: string) => string,
): string[] {
  const out = [`  ${arr}[lid] = ${value};`, "  workgroupBarrier();"];
  for (let live = t; live > 1;) {
    const next = live / Math.min(8, live);
    let m = `${arr}[lid]`;
    for (let i = 1; i < live / next; i++) m = combine(m, `${arr}[lid + ${i * next}u]`);
    out.push(`  if (lid < ${next}u) { ${arr}[lid] = ${m}; }`, "  workgroupBarrier();");
    live = next;
  }
  return out;
}

/** Most words of four values a thread of the activation pass holds in registers. */
export const QUANT_HELD = 16;

/**
 * Threads of the activation pass's workgroup for rows of K values, a power of two: the fewest
 * from 32 up that give at most 4 words a thread, up to 256 (32 threads up to K = 512, 256 from
 * K = 2049 to 16384); beyond that the fewest, up to `most` (the device's limit, at most 1024), that
 * give at most `QUANT_HELD` words a thread. Longer rows walk a loop.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(quantThreads(4096), 256); // 4 words a thread
 * assert.equal(quantThreads(14336), 256); // 14
 * assert.equal(quantThreads(32768), 512); // 16
 * assert.equal(quantThreads(131072), 1024); // 32: a loop
 * assert.equal(quantThreads(10), 32);
 * assert.equal(quantThreads(32768, 256), 256); // the device's limit: 32 words, a loop
 * ```
 */
export function quantThreads(k: number, most = 1024): number {
  const k4 = Math.ceil(k / 4);
  const cap = Math.min(1024, most);
  let t = 32;
  while (t < 256 && t * 2 <= cap && t * 4 < k4) t *= 2;
  while (t * 2 <= cap && t * QUANT_HELD < k4) t *= 2;
  return t;
}

/**
 * The activation quantisation shader: one workgroup of `quantThreads(k, maxThreads)` threads per
 * row of X;
 * dispatch M workgroups. The codes are `clamp(round(x' / s), ±127)` in f32 (round half to even),
 * as `quant.ts` computes them and as the one-pass GEMV does. With `scaled: false` (no SmoothQuant,
 * no outlier dimensions: every factor is 1) the shader neither binds nor reads IS. With `sums` it
 * also writes each row's sum of codes (i32) to SQ (the ternary dp4a GEMV subtracts it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = quantWgsl({ dtype: "f32", m: 3, k: 10 });
 * assert.deepEqual(s.bindings, ["X", "IS", "XQ", "SX"]);
 * assert.match(s.code, /@workgroup_size\(32\)/);
 * assert.match(s.code, /x0 = xs4\(r, w0\);/);
 * assert.deepEqual(quantWgsl({ dtype: "f16", m: 1, k: 64, scaled: false }).bindings, ["X", "XQ", "SX"]);
 * const q = quantWgsl({ dtype: "f16", m: 1, k: 64, scaled: false, sums: true });
 * assert.deepEqual(q.bindings, ["X", "XQ", "SX", "SQ"]);
 * ```
 */
export function quantWgsl(
  o: { dtype: DType; m: number; k: number; scaled?: boolean; maxThreads?: number; sums?: boolean },
): WgslCode {
  const sums = o.sums ?? false;
  const { dtype, k } = o;
  const scaled = o.scaled ?? true;
  const t = dtype === "f16" ? "f16" : "f32";
  const k4 = Math.ceil(k / 4);
  const xVec = k % 4 === 0;
  const T = quantThreads(k, o.maxThreads);
  const held = Math.ceil(k4 / T);
  const looped = held > QUANT_HELD;
  const words = Array.from({ length: looped ? 0 : held }, (_, j) => j);
  const L: string[] = [
    `const K = ${k}u;`,
    `const K4 = ${k4}u;`,
    `var<workgroup> red: array<f32, ${T}>;`,
    ...(sums ? [`var<workgroup> redi: array<i32, ${T}>;`] : []),
    "",
    ...(sums
      ? [
        ...BYTES_SUM_WGSL,
        "",
      ]
      : []),
    ...activationFns(xVec, scaled),
    ...computeMain(T),
    "  let r = wid.x;",
    "  var amax = 0.0;",
  ];
  if (looped) {
    L.push(
      `  for (var w = lid; w < K4; w += ${T}u) {`,
      "    let v = abs(xs4(r, w));",
      "    amax = max(amax, max(max(v.x, v.y), max(v.z, v.w)));",
      "  }",
    );
  } else {
    for (const j of words) {
      L.push(
        `  let w${j} = lid + ${j * T}u;`,
        `  var x${j} = vec4<f32>(0.0);`,
        `  if (w${j} < K4) { x${j} = xs4(r, w${j}); }`,
      );
    }
    for (const j of words) {
      L.push(
        `  { let v = abs(x${j}); amax = max(amax, max(max(v.x, v.y), max(v.z, v.w))); }`,
      );
    }
  }
  // the row's maximum
  L.push(...foldRow("red", "amax", T, (a, b) => `max(${a}, ${b})`));
  L.push("  let sx = red[0] / 127.0;", "  if (lid == 0u) { SX[r] = sx; }");
  if (sums) L.push("  var cs = 0i;");
  if (looped) {
    L.push(
      `  for (var w = lid; w < K4; w += ${T}u) {`,
      "    let c = codesOf(xs4(r, w), sx);",
      "    XQ[r * K4 + w] = c;",
      ...(sums ? ["    cs += bytesSum(c);"] : []),
      "  }",
    );
  } else {
    for (const j of words) {
      L.push(
        sums
          ? `  if (w${j} < K4) { let c = codesOf(x${j}, sx); XQ[r * K4 + w${j}] = c; cs += bytesSum(c); }`
          : `  if (w${j} < K4) { XQ[r * K4 + w${j}] = codesOf(x${j}, sx); }`,
      );
    }
  }
  if (sums) {
    // the row's sum of codes
    L.push(...foldRow("redi", "cs", T, (a, b) => `${a} + ${b}`));
    L.push("  if (lid == 0u) { SQ[r] = redi[0]; }");
  }
  L.push("}");
  return wgslCode(
    [
      { name: "X", elem: xVec ? `vec4<${t}>` : t },
      ...(scaled ? [{ name: "IS", elem: xVec ? "vec4<f32>" : "f32" }] : []),
      { name: "XQ", elem: "u32", write: true },
      { name: "SX", elem: "f32", write: true },
      ...(sums ? [{ name: "SQ", elem: "i32", write: true }] : []),
    ],
    L,
    {
      f16: dtype === "f16",
      header: `// int8 activation quantisation: ${dtype}, K = ${k}, ${T} threads a row, ` +
        (looped
          ? "words walked in a loop"
          : `${held} word${held === 1 ? "" : "s"} of four a thread held`),
    },
  );
}
