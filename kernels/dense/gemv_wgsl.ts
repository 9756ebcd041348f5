/**
 * WGSL generator for the small-M (GEMV-like) dense product, M ≤ 8.
 *
 * Memory-bound: every weight is read once. A workgroup owns COLS vec4 column groups and splits K
 * into SLICES interleaved slices (thread (c, s) reads rows s, s+SLICES, … of its columns, so a
 * warp reads whole contiguous row segments), keeps M vec4 accumulators in generated registers,
 * unrolls the K walk by 4 for loads in flight, and reduces the slices through workgroup memory
 * with an unrolled tree.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import {
  type Binding,
  computeMain,
  type F16Io,
  loadVec4,
  reduceSlices,
  storeVec4,
  vec4Helpers,
  vec4Type,
  type WgslCode,
  wgslCode,
} from "../wgsl/mod.ts";

/**
 * Everything that changes the generated GEMV text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: GemvOptions = { dtype: "f32", m: 1, k: 4096, n: 14336, vec: true, cols: 8, slices: 32 };
 * assert.match(gemvWgsl(o).code, /@compute/);
 * assert.equal(gemvDispatch(o), 14336 / 4 / 8); // 8 column-vec4s a workgroup
 * ```
 */
export interface GemvOptions {
  dtype: DType;
  m: number;
  k: number;
  n: number;
  /** vec4 weight loads and output stores; needs N % 4 == 0. */
  vec: boolean;
  /** vec4 column groups per workgroup. */
  cols: number;
  /** K slices per workgroup (a power of two). */
  slices: number;
  /** f16 vec4 access: "packed" (vec2<u32>, default) or "native" (vec4<f16>). */
  f16io?: F16Io;
  /**
   * Packed-half arithmetic (f16 storage and `vec` only): each row's products are `vec4<f16>` FMAs
   * (two packed-half instructions) into a half partial sum per output row, carried into the f32
   * accumulator every {@link HALF_CARRY} rows of K a thread (f16 tolerance).
   */
  half?: boolean;
  /**
   * Columns a thread owns (default 4): 8 reads 16 bytes of f16 weights a load (f32: two adjacent
   * vec4s) and keeps two vec4 accumulators a row; needs `vec` and N divisible by 8.
   */
  width?: 4 | 8;
  /** Rows of K a thread walks per loop step, their loads issued together (default 4; or 8). */
  unroll?: 4 | 8;
}

/**
 * Rows of K a thread sums in a packed-half partial before carrying it into f32 (half mode): the
 * K walk's unroll, so a partial holds at most 4 products.
 */
export const HALF_CARRY = 4;

/** Largest M the GEMV path accepts. */
export const GEMV_MAX_M = 8;

/**
 * Generates the GEMV shader. Bindings: 0 = X (M×K), 1 = W (K×N), 2 = Y (M×N).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { code } = gemvWgsl({ dtype: "f32", m: 1, k: 100, n: 53, vec: false, cols: 8, slices: 32 });
 * assert.ok(code.includes("workgroupBarrier"));
 * ```
 */
export function gemvWgsl(o: GemvOptions): WgslCode {
  const { m, k, n, vec, dtype, cols, slices } = o;
  if (!(m >= 1 && m <= GEMV_MAX_M)) throw new RangeError(`GEMV needs 1 ≤ M ≤ 8, got ${m}`);
  if (vec && n % 4 !== 0) throw new RangeError(`vec4 GEMV needs N divisible by 4, got ${n}`);
  if ((slices & (slices - 1)) !== 0) {
    throw new RangeError(`slices must be a power of 2, got ${slices}`);
  }
  const width = o.width ?? 4;
  if (width === 8 && (!vec || n % 8 !== 0)) {
    throw new RangeError(`8 columns a thread need vec4 columns and N divisible by 8, got ${n}`);
  }
  const wv = width / 4; // vec4 column groups a thread
  const unroll = o.unroll ?? 4;
  if (unroll !== 4 && unroll !== 8) throw new RangeError(`unroll must be 4 or 8, got ${unroll}`);
  const T = dtype;
  const half = o.half ?? false;
  if (half && (T !== "f16" || !vec)) {
    throw new RangeError(`half GEMV needs f16 storage and vec4 columns, got ${T} vec=${vec}`);
  }
  const io = o.f16io ?? "packed";
  const wio: F16Io = vec ? io : "native";
  const threads = cols * slices;
  // 8 columns a thread: f16 read as one 16-byte word (packed: vec4<u32>; native: mat2x4<f16>),
  // f32 as two adjacent vec4s.
  const wElem = !vec
    ? T
    : wv === 2 && T === "f16"
    ? (io === "packed" ? "vec4<u32>" : "mat2x4<f16>")
    : vec4Type(T, io);
  const bindings: Binding[] = [
    { name: "X", elem: T },
    { name: "W", elem: wElem },
    { name: "Y", elem: vec ? vec4Type(T, io) : T, write: true },
  ];
  const L: string[] = [];
  L.push(
    ...vec4Helpers(T, wio),
    `const K = ${k}u;`,
    `const N = ${n}u;`,
    `var<workgroup> red: array<vec4<f32>, ${threads * m * wv}>;`,
    "",
  );
  const wAt = `W[kr * ${n / 4}u + col / 4u]`;
  const wAt8 = `W[kr * ${n / 8}u + col / 8u]`;
  if (half && wv === 2) {
    L.push(
      `fn loadWh(kr: u32, col: u32) -> mat2x4<f16> {`,
      ...(io === "native" ? [`  return ${wAt8};`] : [
        `  let p = ${wAt8};`,
        "  return mat2x4<f16>(vec4<f16>(unpackHalf4(p.xy)), vec4<f16>(unpackHalf4(p.zw)));",
      ]),
    );
  } else if (half) {
    // Native: the halves as stored. Packed: naga rejects bitcast<vec4<f16>>(vec2<u32>), so the
    // words are unpacked to f32 and narrowed back (exact).
    L.push(
      `fn loadWh(kr: u32, col: u32) -> vec4<f16> {`,
      `  return ${io === "native" ? wAt : `vec4<f16>(unpackHalf4(${wAt}))`};`,
    );
  } else if (wv === 2) {
    L.push(`fn loadW(kr: u32, col: u32) -> mat2x4<f32> {`);
    if (T === "f32") {
      L.push(`  let i = kr * ${n / 4}u + col / 4u;`, "  return mat2x4<f32>(W[i], W[i + 1u]);");
    } else if (io === "packed") {
      L.push(`  let p = ${wAt8};`, "  return mat2x4<f32>(unpackHalf4(p.xy), unpackHalf4(p.zw));");
    } else {
      L.push(`  let w = ${wAt8};`, "  return mat2x4<f32>(vec4<f32>(w[0]), vec4<f32>(w[1]));");
    }
  } else if (vec) {
    L.push(`fn loadW(kr: u32, col: u32) -> vec4<f32> {`, `  return ${loadVec4(wAt, T, io)};`);
  } else {
    L.push(`fn loadW(kr: u32, col: u32) -> vec4<f32> {`, "  var v = vec4<f32>(0.0);");
    for (let c = 0; c < 4; c++) {
      L.push(`  if (col + ${c}u < N) { v[${c}] = f32(W[kr * N + col + ${c}u]); }`);
    }
    L.push("  return v;");
  }
  L.push("}", "");
  L.push(
    ...computeMain(threads),
    `  let c = lid % ${cols}u;`,
    `  let s = lid / ${cols}u;`,
    `  let col = (wid.x * ${cols}u + c) * ${width}u;`,
    "  let live = col < N;",
  );
  /** Register name of row r, vec4 group j (`acc0`, or `acc0_1` with 8 columns a thread). */
  const reg = (p: string, r: number, j: number) => wv === 1 ? `${p}${r}` : `${p}${r}_${j}`;
  const pairs = Array.from({ length: m * wv }, (_, i) => [Math.floor(i / wv), i % wv] as const);
  for (const [r, j] of pairs) L.push(`  var ${reg("acc", r, j)} = vec4<f32>(0.0);`);
  if (half) { for (const [r, j] of pairs) L.push(`  var ${reg("h", r, j)} = vec4<f16>(0.0);`); }
  const wPart = (w: string, j: number) => wv === 1 ? w : `${w}[${j}]`;
  const step = (kExpr: string, indent: string, w: string): string[] => {
    if (half) {
      const out = [`${indent}let ${w} = loadWh(${kExpr}, col);`];
      for (const [r, j] of pairs) {
        const h = reg("h", r, j);
        out.push(`${indent}${h} = fma(vec4<f16>(X[${r * k}u + ${kExpr}]), ${wPart(w, j)}, ${h});`);
      }
      return out;
    }
    const out = [`${indent}let ${w} = loadW(${kExpr}, col);`];
    for (const [r, j] of pairs) {
      const a = reg("acc", r, j);
      out.push(
        `${indent}${a} = fma(vec4<f32>(f32(X[${r * k}u + ${kExpr}])), ${wPart(w, j)}, ${a});`,
      );
    }
    return out;
  };
  /** Half mode: the partials carried into f32 and cleared (after every HALF_CARRY rows or fewer). */
  const carry = (indent: string): string[] =>
    half
      ? pairs.map(([r, j]) => [
        `${indent}${reg("acc", r, j)} += vec4<f32>(${reg("h", r, j)});`,
        `${indent}${reg("h", r, j)} = vec4<f16>(0.0);`,
      ]).flat()
      : [];
  L.push("  if (live) {");
  L.push("    var kr = s;");
  L.push(`    for (; kr + ${(unroll - 1) * slices}u < K; kr += ${unroll * slices}u) {`);
  // All loads of the unrolled walk first (in flight together), then the products in order; half
  // partials are carried every HALF_CARRY rows.
  if (unroll > 4) {
    for (let u = 0; u < unroll; u++) {
      L.push(
        `      let w${u} = ${half ? "loadWh" : "loadW"}(kr${u ? ` + ${u * slices}u` : ""}, col);`,
      );
    }
  }
  for (let u = 0; u < unroll; u++) {
    const lines = step(u ? `kr + ${u * slices}u` : "kr", "      ", `w${u}`);
    L.push(...(unroll > 4 ? lines.slice(1) : lines));
    if ((u + 1) % HALF_CARRY === 0) L.push(...carry("      "));
  }
  L.push("    }");
  L.push(`    for (; kr < K; kr += ${slices}u) {`);
  L.push(...step("kr", "      ", "w0"));
  if (unroll > HALF_CARRY) L.push(...carry("      ")); // the tail may hold more rows than a carry
  L.push("    }");
  L.push(...carry("    "));
  L.push("  }");
  const accs = pairs.map(([r, j]) => reg("acc", r, j));
  L.push(...reduceSlices({ accs, threads, slices, cols, fanIn: 2, until: 1 }).lines);
  L.push("  if (s == 0u && live) {");
  for (const [r, j] of pairs) {
    const at = `red[${(r * wv + j) * threads}u + c]`;
    if (vec) {
      L.push(
        `    Y[${(r * n) / 4}u + col / 4u${j ? ` + ${j}u` : ""}] = ${storeVec4(at, T, io)};`,
      );
    } else {
      for (let c = 0; c < 4; c++) {
        L.push(`    if (col + ${c}u < N) { Y[${r * n}u + col + ${c}u] = ${T}(${at}[${c}]); }`);
      }
    }
  }
  L.push("  }", "}");
  return wgslCode(bindings, L, {
    f16: dtype === "f16",
    header:
      `// tilebench dense GEMV ${m}x${k}x${n} ${T} cols=${cols} slices=${slices} vec=${vec} ` +
      `f16io=${io}${width === 8 ? " width=8" : ""}${unroll === 8 ? " unroll=8" : ""}${
        half ? ` math=f16x2 carry=${HALF_CARRY}` : ""
      }`,
  });
}

/**
 * Workgroup count (x) for a GEMV.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(gemvDispatch({ dtype: "f32", m: 1, k: 8, n: 64, vec: true, cols: 8, slices: 32 }) === 2);
 * ```
 */
export function gemvDispatch(o: GemvOptions): number {
  return Math.ceil(o.n / ((o.width ?? 4) * o.cols));
}
