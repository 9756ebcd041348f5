/**
 * The int8 GEMM: packed int8 X codes (M×K4 words) times packed int8 W codes (N×K4 words), i32
 * accumulation by 4-wide dot products, dequantised by the row and column scales, plus the
 * outlier dimensions' product in f32 from X and the outlier rows of W.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { computeMain, type WgslCode, wgslCode } from "../wgsl/mod.ts";

/** K words (4 codes each) per workgroup slab. */
export const INT8_BK4 = 8;

/**
 * Rows (and columns) of Y a thread accumulates: 8 on the 128×128 tile, else 4. Each is a
 * multiple of 4 so that a thread's rows (columns) of a slab are whole `vec4` quads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(int8ThreadBlock(128), 8);
 * assert.equal(int8ThreadBlock(64), 4);
 * ```
 */
export function int8ThreadBlock(bm: number): number {
  return bm >= 128 ? 8 : 4;
}

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
  /**
   * The weights: `int8` (default; WQ, N×K4 words of four codes, and SW) or `ternary`, the W1.58A8
   * product: Q, ternary offset codes t + 1 (K/16 × N words of 16 codes in `bytes` order, K a
   * multiple of 16), S (per-column scales in the dtype) and SQ, the rows' sums of X's codes
   * (i32), subtracted from each output (Σ(t + 1)·x − Σx = Σ t·x). No outlier dimensions.
   */
  weights?: "int8" | "ternary";
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
 * The int8 GEMM shader. Threads hold a TM×TM block of i32 accumulators (`int8ThreadBlock`:
 * (BM/TM)·(BN/TM) threads). The workgroup walks K in slabs of `INT8_BK4` words: each thread
 * requests its words of the next slab (consecutive threads, consecutive words of a row) before
 * it multiplies the current one, and stores them after a barrier into workgroup memory as
 * `vec4` quads of 4 rows (columns) a K word, each K word's quads padded by one so that the
 * stores of 8 words of 4 rows fall into different banks. Per pair of K words a thread reads
 * TM/4 quads of X and of W for each word and adds `dot4` of both words to each accumulator
 * (two packed dot products and one three-input add).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = {
 *   dtype: "f16", m: 5, k: 9, n: 7, bm: 32, bn: 32, dot: "packed", outliers: true,
 * } as const;
 * const s = int8GemmWgsl(o);
 * assert.deepEqual(s.bindings, ["XQ", "SX", "WQ", "SW", "X", "OI", "WO", "Y"]);
 * assert.match(s.code, /dot4I8Packed/);
 * assert.match(s.code, /@workgroup_size\(64\)/); // 8 × 8 threads of 4 × 4
 * assert.match(int8GemmWgsl({ ...o, bm: 128, bn: 128 }).code, /@workgroup_size\(256\)/);
 * ```
 */
export function int8GemmWgsl(o: Int8GemmOptions): WgslCode {
  const { dtype, m, k, n, bm, bn } = o;
  const t = dtype === "f16" ? "f16" : "f32";
  const TM = int8ThreadBlock(bm);
  const TQ = TM / 4;
  const TX = bn / TM;
  const TY = bm / TM;
  const threads = TX * TY;
  const BK4 = INT8_BK4;
  // a K word's quads of 4 rows (columns), padded by one
  const sa = bm / 4 + 1;
  const sb = bn / 4 + 1;
  const qs = Array.from({ length: TQ }, (_, q) => q);
  const lanes = ["x", "y", "z", "w"];
  const L: string[] = [];
  const accName = (qa: number, l: number, qb: number) => `acc${qa * 4 + l}_${qb}`;
  for (const qa of qs) {
    for (let l = 0; l < 4; l++) {
      for (const qb of qs) L.push(`  var ${accName(qa, l, qb)} = vec4<i32>(0);`);
    }
  }
  // X's and W's slabs: the u32 words a thread requests into registers `reg`<i> (words lid +
  // i·threads of the slab's `words`, only lid < `words` where the slab has fewer words than
  // threads), the row (column) index and its bound, and the workgroup array with its K-word stride
  const ternary = o.weights === "ternary";
  type Slab = {
    reg: string;
    words: number;
    load: (v: string, e: string) => string[];
    store: (v: string, e: string) => string[];
  };
  /** An int8 slab: `size` rows (columns) × BK4 words of four codes, a word from `src`. */
  const int8Slab = ({ src, dim, base, bound, reg, size, dst, stride }: {
    src: string;
    dim: string;
    base: string;
    bound: string;
    reg: string;
    size: number;
    dst: string;
    stride: number;
  }): Slab => ({
    reg,
    words: size * BK4,
    load: (v, e) => [
      `let ${dim} = ${base} + (${e}) / BK4;`,
      `let kw = k0 + (${e}) % BK4;`,
      `${v} = 0u;`,
      `if (${dim} < ${bound} && kw < K4) { ${v} = ${src}[${dim} * K4 + kw]; }`,
    ],
    store: (v, e) => [
      `let e = ${e}; let p = e / BK4; ${dst}[(e % BK4) * ${stride}u + p / 4u][p % 4u] = ${v};`,
    ],
  });
  // ternary W: BK4/4 words of 16 codes a column (word (k/16)·N + n), each stored as the four
  // int8 words (k rows 4b … 4b + 3 in the bytes of (q >> 2b) & 0x03030303) of its K rows
  const ternarySlab: Slab = {
    reg: "gb",
    words: (bn * BK4) / 4,
    load: (v, e) => [
      `let p = (${e}) % ${bn}u;`,
      `let kq = k0 / 4u + (${e}) / ${bn}u;`,
      `${v} = 0u;`,
      `if (col0 + p < N && kq < KQ) { ${v} = Q[kq * N + col0 + p]; }`,
    ],
    store: (v, e) => [
      `let e = ${e}; let p = e % ${bn}u; let kl = (e / ${bn}u) * 4u;`,
      ...[0, 1, 2, 3].map((b) =>
        `Bs[(kl + ${b}u) * ${sb}u + p / 4u][p % 4u] = ${
          b ? `(${v} >> ${2 * b}u)` : v
        } & 0x03030303u;`
      ),
    ],
  };
  const slabs = [
    int8Slab({
      src: "XQ",
      dim: "r",
      base: "row0",
      bound: "M",
      reg: "ga",
      size: bm,
      dst: "As",
      stride: sa,
    }),
    ternary ? ternarySlab : int8Slab({
      src: "WQ",
      dim: "c",
      base: "col0",
      bound: "N",
      reg: "gb",
      size: bn,
      dst: "Bs",
      stride: sb,
    }),
  ];
  for (const x of slabs) {
    if (x.words % threads !== 0 && threads % x.words !== 0) {
      throw new RangeError(
        `tile ${bm}x${bn}: ${threads} threads must split its slabs' ${x.words} words evenly`,
      );
    }
  }
  /** Registers a thread holds a slab's words in. */
  const regs = (x: Slab) => Math.ceil(x.words / threads);
  /** `f` over every register of every slab: its name and the slab word it holds. */
  const each = (ind: string, f: (x: Slab, v: string, e: string) => string[]) =>
    slabs.flatMap((x) =>
      Array.from({ length: regs(x) }, (_, i) => {
        const lines = f(x, `${x.reg}${i}`, `lid + ${i * threads}u`);
        const open = x.words < threads ? `if (lid < ${x.words}u) {` : "{";
        return lines.length === 1
          ? [`${ind}${open} ${lines[0]} }`]
          : [`${ind}${open}`, ...lines.map((l) => `${ind}  ${l}`), `${ind}}`];
      }).flat()
    );
  for (const x of slabs) {
    for (let i = 0; i < regs(x); i++) L.push(`  var ${x.reg}${i} = 0u;`);
  }
  // the slab at K word k0 into registers, and from registers into workgroup memory
  const load = (ind: string) => each(ind, (x, v, e) => x.load(v, e));
  const store = (ind: string) => each(ind, (x, v, e) => x.store(v, e));
  const mult: string[] = [];
  for (const u of [0, 1]) {
    for (const q of qs) {
      mult.push(`      let a${q}_${u} = As[(kk + ${u}u) * ${sa}u + ty + ${q * TY}u];`);
      mult.push(`      let b${q}_${u} = Bs[(kk + ${u}u) * ${sb}u + tx + ${q * TX}u];`);
    }
  }
  for (const qa of qs) {
    for (let l = 0; l < 4; l++) {
      for (const qb of qs) {
        const parts = lanes.map((c) =>
          `dot4(a${qa}_0.${lanes[l]}, b${qb}_0.${c}) + dot4(a${qa}_1.${lanes[l]}, b${qb}_1.${c})`
        );
        mult.push(`      ${accName(qa, l, qb)} += vec4<i32>(${parts.join(", ")});`);
      }
    }
  }
  const out: string[] = [];
  for (const qa of qs) {
    for (let l = 0; l < 4; l++) {
      for (const qb of qs) {
        out.push(
          `  store_row(row0 + (ty + ${qa * TY}u) * 4u + ${l}u, col0 + (tx + ${qb * TX}u) * 4u, ` +
            `${accName(qa, l, qb)});`,
        );
      }
    }
  }
  if (ternary && (o.outliers || k % 16 !== 0)) {
    throw new RangeError(`ternary weights need K a multiple of 16 and no outliers (K = ${k})`);
  }
  const bindings = [
    { name: "XQ", elem: "u32" },
    { name: "SX", elem: "f32" },
    ...(ternary
      ? [{ name: "SQ", elem: "i32" }, { name: "Q", elem: "u32" }, { name: "S", elem: t }]
      : [{ name: "WQ", elem: "u32" }, { name: "SW", elem: "f32" }]),
    ...(o.outliers ? outlierBindings(t) : []),
    { name: "Y", elem: t, write: true },
  ];
  // the dequantisation of an output: as the ternary dp4a GEMV's, (Σ(t + 1)·x − Σx)·(s·sx)
  const dequant = ternary
    ? "var y = (f32(acc[j]) - f32(SQ[r])) * (f32(S[c]) * SX[r]);"
    : "var y = f32(acc[j]) * SX[r] * SW[c];";
  return wgslCode(bindings, [
    `const M = ${m}u;`,
    `const K = ${k}u;`,
    `const N = ${n}u;`,
    `const K4 = ${Math.ceil(k / 4)}u;`,
    ...(ternary ? [`const KQ = ${k / 16}u; // ternary words of 16 codes a column`] : []),
    `const BK4 = ${BK4}u;`,
    `var<workgroup> As: array<vec4<u32>, ${BK4 * sa}>;`,
    `var<workgroup> Bs: array<vec4<u32>, ${BK4 * sb}>;`,
    "",
    ...dotFn(o.dot),
    "",
    "fn store_row(r: u32, c0: u32, acc: vec4<i32>) {",
    "  if (r >= M) { return; }",
    "  for (var j = 0u; j < 4u; j++) {",
    "    let c = c0 + j;",
    "    if (c >= N) { return; }",
    `    ${dequant}`,
    ...(o.outliers ? outlierSum("    ") : []),
    `    Y[r * N + c] = ${t}(y);`,
    "  }",
    "}",
    "",
    ...computeMain(threads),
    `  let tx = lid % ${TX}u;`,
    `  let ty = lid / ${TX}u;`,
    `  let col0 = wid.x * ${bn}u;`,
    `  let row0 = wid.y * ${bm}u;`,
    ...L,
    "  {",
    "    let k0 = 0u;",
    ...load("    "),
    "  }",
    ...store("  "),
    "  workgroupBarrier();",
    "  for (var k0 = BK4; k0 < K4 + BK4; k0 += BK4) {",
    "    let more = k0 < K4;",
    "    if (more) {",
    ...load("      "),
    "    }",
    "    for (var kk = 0u; kk < BK4; kk += 2u) {",
    ...mult,
    "    }",
    "    workgroupBarrier();",
    "    if (more) {",
    ...store("      "),
    "    }",
    "    workgroupBarrier();",
    "  }",
    ...out,
    "}",
  ], {
    f16: dtype === "f16",
    header: `// ${ternary ? "ternary W1.58A8" : "int8 W8A8"} GEMM: ${dtype}, ${m}x${k}x${n}, ` +
      `tile ${bm}x${bn}, ${TM}x${TM} a thread, ` +
      `dot ${o.dot}` + (o.outliers ? ", outlier dimensions in f32" : ""),
  });
}
