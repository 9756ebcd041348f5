/**
 * The W1.58A8 GEMV (`method: "dp4a"`): BitNet b1.58's inference form, X quantised to int8 per
 * row (absmax, inside the workgroups or by the int8 family's activation pass; the weights keep
 * this family's per-column scales where BitNet has one a tensor) and the ternary codes multiplied by packed
 * 8-bit dot products. Laid out as the add/subtract GEMV (gemv_addsub.ts: column-threads of `cpt`
 * adjacent columns × contiguous K slices, blocks of ≤ 16 rows, the next word requested before the
 * current one is used, slices summed in workgroup memory).
 *
 * The codes are offset binary, t + 1 ∈ {0, 1, 2}, in the `bytes` order of `offsetCodes`: for a
 * word of 16 rows, `(q >> 2b) & 0x03030303` holds rows 4b … 4b + 3 in its bytes, as X's packed
 * word 4w + b does. So one word of a column costs three shifts and four masks (shared by the rows)
 * and four `dot4` a row: Σ(t + 1)·x. The row's Σx, which the activation pass sums once (SQ), is
 * subtracted after the slice reduction. The integer sums (|Σ| ≤ 254·K) are exact in i32, and in
 * f32 while below 2^24 (K up to 66,000): a thread's sum is converted to f32 for the slice
 * reduction, and each output is scaled once by its row's and its column's scale.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { dotFn } from "../int8/gemm_wgsl.ts";
import { activationFns, BYTES_SUM_WGSL, foldRow } from "../int8/quant_wgsl.ts";
import { type Binding, computeMain, sumPartials, type WgslCode, wgslCode } from "../wgsl/mod.ts";
import { ROWS_PER_WORD } from "./format.ts";
import {
  addsubRowBlock,
  columnThreadLets,
  sliceReduction,
  WORD_WALK_CLOSE,
  WORD_WALK_FROM_FIRST,
  wordWalkFirst,
} from "./gemv_addsub.ts";

/**
 * What changes the dp4a GEMV's text: the add/subtract GEMV's geometry (per-channel scales only,
 * K a multiple of 16) and the dot product's form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: Dp4aGemvOptions = { dtype: "f16", m: 1, k: 4096, n: 4096, cols: 4, cpt: 4, slices: 128, dot: "packed" };
 * assert.match(dp4aGemvWgsl(o).code, /dot4I8Packed/);
 * ```
 */
export interface Dp4aGemvOptions {
  /** X's and Y's storage dtype (X is read as int8 codes: the activation pass's, or inline). */
  dtype: DType;
  /** Rows of X. */
  m: number;
  /** K, a multiple of 16. */
  k: number;
  /** Columns of W and Y. */
  n: number;
  /** Column-threads a workgroup. */
  cols: number;
  /** Adjacent columns a thread reads as one `u32`/`vec2`/`vec4` word. */
  cpt: 1 | 2 | 4;
  /** K slices a workgroup (a power of two). */
  slices: number;
  /** `dot4I8Packed`, or four sign-extended byte products where WGSL lacks it. */
  dot: "packed" | "unpacked";
  /**
   * Where X is quantised: `pass`, the int8 activation pass before this shader (bindings XQ, SX,
   * SQ), or `inline`, by every workgroup itself into workgroup memory (binding X; one dispatch).
   */
  quantX?: "pass" | "inline";
}

/**
 * Workgroup memory of a dp4a GEMV: the slice reduction (`vec<cpt>` of f32 per row and thread),
 * and inline also the rows' codes (M-block × K bytes) and the row folds (8 bytes a thread).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f16", m: 1, k: 4096, n: 4096, cols: 4, cpt: 4, slices: 128, dot: "packed" } as const;
 * assert.equal(dp4aWorkgroupBytes(o), 512 * 16);
 * assert.equal(dp4aWorkgroupBytes({ ...o, quantX: "inline" }), 512 * 16 + 4096 + 512 * 8);
 * ```
 */
export function dp4aWorkgroupBytes(o: Dp4aGemvOptions): number {
  const mb = addsubRowBlock(o.m);
  const threads = o.cols * o.slices;
  const red = mb * threads * o.cpt * 4;
  return o.quantX === "inline" ? red + mb * o.k + threads * 8 : red;
}

/**
 * Generates the shader. Bindings: XQ (M × K/16 `vec4<u32>`: the activation pass's codes, four
 * values a word), SX (M row scales, f32), SQ (M rows' sums of codes, i32), or with `quantX:
 * inline` X (M×K, `vec4` of dtype) in their place; Q (offset codes in `bytes` order, over `cpt`
 * columns),
 * S (per-column scales, dtype), Y (M×N, dtype). Dispatch as the add/subtract GEMV
 * (`addsubDispatch`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f32", m: 3, k: 256, n: 52, cols: 4, cpt: 4, slices: 8, dot: "unpacked" } as const;
 * const { code, bindings } = dp4aGemvWgsl(o);
 * assert.deepEqual(bindings, ["XQ", "SX", "SQ", "Q", "S", "Y"]);
 * assert.ok(!code.includes("dot4I8Packed") && code.includes("extractBits"));
 * assert.throws(() => dp4aGemvWgsl({ ...o, k: 100 }), /multiple of 16/);
 * const inline = dp4aGemvWgsl({ ...o, quantX: "inline" });
 * assert.deepEqual(inline.bindings, ["X", "Q", "S", "Y"]);
 * assert.match(inline.code, /var<workgroup> xq: array<vec4<u32>, 48>;/); // 3 rows × 256 / 16
 * ```
 */
export function dp4aGemvWgsl(o: Dp4aGemvOptions): WgslCode {
  const { dtype: T, m, k, n, cols, cpt, slices } = o;
  if (k % ROWS_PER_WORD !== 0) throw new RangeError(`dp4a GEMV needs K a multiple of 16, got ${k}`);
  if (n % cpt !== 0) throw new RangeError(`cpt ${cpt} must divide N = ${n}`);
  if ((slices & (slices - 1)) !== 0) throw new RangeError(`slices must be a power of 2`);
  const mb = addsubRowBlock(m);
  const threads = cols * slices;
  const words = k / ROWS_PER_WORD;
  const rpt = Math.ceil(words / slices);
  const QV = cpt === 1 ? "u32" : `vec${cpt}<u32>`;
  const FV = cpt === 1 ? "f32" : `vec${cpt}<f32>`;
  const SV = cpt === 1 ? T : `vec${cpt}<${T}>`;
  const lanes = cpt === 1 ? [""] : [".x", ".y", ".z", ".w"].slice(0, cpt);
  const rows = Array.from({ length: mb }, (_, i) => i);
  const inline = o.quantX === "inline";
  const bindings: Binding[] = [
    ...(inline ? [{ name: "X", elem: `vec4<${T}>` }] : [
      { name: "XQ", elem: "vec4<u32>" },
      { name: "SX", elem: "f32" },
      { name: "SQ", elem: "i32" },
    ]),
    { name: "Q", elem: QV },
    { name: "S", elem: SV },
    { name: "Y", elem: SV, write: true },
  ];
  const L: string[] = [
    `const NQ = ${n / cpt}u;`,
    `const WORDS = ${words}u;`,
    `const RPT = ${rpt}u;`,
    `var<workgroup> red: array<${FV}, ${mb * threads}>;`,
    ...(inline
      ? [
        `const K = ${k}u;`,
        `const K4 = ${k / 4}u;`,
        `var<workgroup> xq: array<vec4<u32>, ${mb * words}>;`,
        `var<workgroup> rmax: array<f32, ${threads}>;`,
        `var<workgroup> rsum: array<i32, ${threads}>;`,
        "",
        ...activationFns(true, false),
        ...BYTES_SUM_WGSL,
      ]
      : []),
    "",
    ...dotFn(o.dot),
    "",
    ...computeMain(threads),
    ...columnThreadLets(cols, mb, m),
    ...wordWalkFirst(QV),
  ];
  if (inline) {
    // Each row: its absmax over all threads, then its codes into `xq` and their sum; as the
    // activation pass computes them (codesOf), read from X twice. A thread stores whole vec4
    // words of `xq` (16 codes): WGSL may let a component store touch the whole vector.
    for (const r of rows) {
      L.push(
        `  var am${r} = 0.0;`,
        `  for (var w = lid; w < K4; w += ${threads}u) {`,
        `    let v = abs(xs4(row0 + ${r}u, w));`,
        `    am${r} = max(am${r}, max(max(v.x, v.y), max(v.z, v.w)));`,
        "  }",
        ...foldRow("rmax", `am${r}`, threads, (a, b) => `max(${a}, ${b})`),
        `  let sx${r} = rmax[0] / 127.0;`,
        `  var cs${r} = 0i;`,
        `  for (var v = lid; v < WORDS; v += ${threads}u) {`,
        `    let cq = vec4<u32>(codesOf(xs4(row0 + ${r}u, 4u * v), sx${r}), ` +
          `codesOf(xs4(row0 + ${r}u, 4u * v + 1u), sx${r}), ` +
          `codesOf(xs4(row0 + ${r}u, 4u * v + 2u), sx${r}), ` +
          `codesOf(xs4(row0 + ${r}u, 4u * v + 3u), sx${r}));`,
        `    xq[${r * words}u + v] = cq;`,
        `    cs${r} += bytesSum(cq.x) + bytesSum(cq.y) + bytesSum(cq.z) + bytesSum(cq.w);`,
        "  }",
        ...foldRow("rsum", `cs${r}`, threads, (a, b) => `${a} + ${b}`),
        // the next row writes rmax and rsum only after this row's rsum fold, whose barriers
        // follow every read of rmax[0]; its last barrier also orders the xq stores before the
        // products below
        `  let sq${r} = rsum[0];`,
      );
    }
  }
  for (const r of rows) lanes.forEach((_, j) => L.push(`  var a${r}_${j} = 0i;`));
  L.push(
    ...WORD_WALK_FROM_FIRST,
    `      let m3 = ${QV}(0x03030303u);`,
    // rows 4b … 4b + 3 of the word in the bytes of f<b>, one lane a column
    "      let f0 = q & m3;",
    `      let f1 = (q >> ${QV}(2u)) & m3;`,
    `      let f2 = (q >> ${QV}(4u)) & m3;`,
    `      let f3 = (q >> ${QV}(6u)) & m3;`,
  );
  for (const r of rows) {
    L.push(
      inline
        ? `      let x${r} = xq[${r * words}u + w];`
        : `      let x${r} = XQ[(row0 + ${r}u) * WORDS + w];`,
    );
    lanes.forEach((l, j) =>
      L.push(
        `      a${r}_${j} += dot4(f0${l}, x${r}.x) + dot4(f1${l}, x${r}.y) + ` +
          `dot4(f2${l}, x${r}.z) + dot4(f3${l}, x${r}.w);`,
      )
    );
  }
  L.push(...WORD_WALK_CLOSE);
  // Σ(t + 1)·x per column, as f32 for the reduction
  for (const r of rows) {
    const parts = lanes.map((_, j) => `f32(a${r}_${j})`);
    L.push(`  let acc${r} = ${cpt === 1 ? parts[0] : `${FV}(${parts.join(", ")})`};`);
  }
  const red = sliceReduction(rows, threads, slices, cols);
  L.push(...red.lines, "  if (s == 0u && live) {", `    let sc = ${FV}(S[qc]);`);
  for (const r of rows) {
    const sum = sumPartials(`${r * threads}u + c`, red.live, 1, cols);
    const [sq, sx] = inline ? [`sq${r}`, `sx${r}`] : [`SQ[row0 + ${r}u]`, `SX[row0 + ${r}u]`];
    L.push(
      `    Y[(row0 + ${r}u) * NQ + qc] = ${SV}((${sum} - ${FV}(f32(${sq}))) * (sc * ${sx}));`,
    );
  }
  L.push("  }", "}");
  return wgslCode(bindings, L, {
    f16: T === "f16",
    header: `// ternary dp4a GEMV (W1.58A8) ${T} M=${m} K=${k} N=${n} ` +
      `cols=${cols} cpt=${cpt} slices=${slices} words/thread=${rpt} dot=${o.dot}` +
      (inline ? " quantX=inline" : ""),
  });
}
