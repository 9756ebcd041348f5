/**
 * WGSL generator for the small-M (GEMV-like) 2:4 sparse product, memory-bound.
 *
 * A thread owns 4 adjacent columns (one vec4 of values per kept row) and walks K one metadata
 * word (32 rows of K, 16 value rows) at a time: a workgroup holds COLS column-vec4s × SLICES
 * interleaved K slices (thread (c, s) takes words s, s+SLICES, …, so a warp reads whole row
 * segments of the value matrix). Per word a thread issues its 16 value loads and one
 * `vec4<u32>` metadata load up front, then per group of 4 and per row of X loads X[4g..4g+3]
 * once (shared by the 4 columns) and picks each column's two inputs with two selects each,
 * driven by the index bits (i0 ∈ {0,1,2}, i1 ∈ {1,2,3} because i0 < i1): exactly 2 FMAs per
 * kept weight and row, no dense expansion. Up to 8 rows share a weight read; larger M is cut
 * into row chunks of ≤ 8 that run in adjacent workgroups (the weights come from L2 again).
 * Slices are reduced through workgroup memory with an unrolled tree. Everything is generated
 * and unrolled: no loop-indexed register arrays.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { META_K, paddedDims } from "./format.ts";
import { sparse24Bindings, sparse24Consts } from "./shader_inputs.ts";
import { computeMain, reduceSlices, type WgslCode, wgslCode } from "../wgsl/mod.ts";

/**
 * Everything that changes the generated GEMV text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: Sparse24GemvOptions = { dtype: "f16", m: 1, k: 4096, n: 14336, cols: 16, slices: 16 };
 * assert.match(sparse24GemvWgsl(o).code, /@workgroup_size\(256/); // 16 column-vec4s × 16 slices
 * assert.equal(sparse24GemvDispatch(o), 14336 / 4 / 16);
 * ```
 */
export interface Sparse24GemvOptions {
  dtype: DType;
  m: number;
  k: number;
  n: number;
  /** Column vec4s per workgroup. */
  cols: number;
  /** K slices per workgroup (a power of two). */
  slices: number;
  /** Most rows of X per weight read (default `GEMV_ROWS`); larger M runs in row chunks. */
  maxRows?: number;
}

/** Rows of X a workgroup multiplies per weight read (larger M runs in row chunks). */
export const GEMV_ROWS = 8;

/**
 * Workgroup shape: column-vec4s × K slices. Columns: 8 for f32 (a warp reads 128-byte value rows),
 * 16 for f16 (the same 128 bytes with half-width values), halved (down to 4) while N gives a
 * 132-SM GPU fewer than one workgroup per SM. Threads (the best of the `gemv-tune` experiment
 * at M = 1, cold L2): 1024 for wide f16, 512 when the columns were narrowed, and for wide f32 256
 * where that gives at least two workgroups per SM (N ≥ 8448), else 512 (64 slices were 1.22–1.49×
 * faster than 32 at 1×2048×5632 on an H200 and at 1×13824×5120 on an H200 and an H100, and 1.14–1.19×
 * slower at 1×5120×13824); capped so that the slice reduction (16 bytes per thread and row of the
 * chunk) fits `maxWorkgroupBytes`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(defaultGemvShape("f16", 1, 14336).cols === 16);
 * assert.ok(defaultGemvShape("f16", 1, 14336).slices === 64);
 * assert.ok(defaultGemvShape("f32", 1, 256).cols === 4);
 * assert.ok(defaultGemvShape("f32", 1, 5120).slices === 64);
 * assert.ok(defaultGemvShape("f32", 16, 14336, 16384).slices === 16);
 * ```
 */
export function defaultGemvShape(
  dtype: DType,
  m: number,
  n: number,
  maxWorkgroupBytes = 16384,
  maxRows = GEMV_ROWS,
): { cols: number; slices: number } {
  let cols = dtype === "f16" ? 16 : 8;
  while (cols > 4 && Math.ceil(n / 4 / cols) < 132) cols /= 2;
  let threads = cols === 4
    ? 512
    : dtype === "f16"
    ? 1024
    : Math.ceil(n / 4 / cols) >= 264
    ? 256
    : 512;
  const rows = gemvChunks(m, maxRows).rows;
  while (threads > cols && threads * rows * 16 > maxWorkgroupBytes) threads /= 2;
  return { cols, slices: threads / cols };
}

/**
 * Row chunking of a GEMV: chunks of `rows` ≤ `maxRows` rows (the last may repeat a row, never
 * stored).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(gemvChunks(16).chunks === 2 && gemvChunks(16, 16).chunks === 1);
 * ```
 */
export function gemvChunks(m: number, maxRows = GEMV_ROWS): { chunks: number; rows: number } {
  const chunks = Math.ceil(m / maxRows);
  return { chunks, rows: Math.ceil(m / chunks) };
}

/**
 * Generates the sparse GEMV shader. Bindings: 0 = X (M×K), 1 = values ((kp/2)×np as vec4s),
 * 2 = metadata ((kp/32)×np u32 as vec4<u32>), 3 = Y (M×N).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { code } = sparse24GemvWgsl({ dtype: "f32", m: 3, k: 100, n: 53, cols: 8, slices: 32 });
 * assert.ok(code.includes("select(") && !code.includes("array<f32, "));
 * ```
 */
export function sparse24GemvWgsl(o: Sparse24GemvOptions): WgslCode {
  const { dtype: T, m, k, n, cols, slices } = o;
  if (!(m >= 1)) throw new RangeError(`GEMV needs M ≥ 1, got ${m}`);
  if (slices < 1 || (slices & (slices - 1)) !== 0) {
    throw new RangeError(`slices must be a power of 2, got ${slices}`);
  }
  const { kp, np } = paddedDims(k, n);
  const np4 = np / 4;
  const { chunks, rows } = gemvChunks(m, o.maxRows);
  const threads = cols * slices;
  const xvec = k % 4 === 0;
  const yvec = n % 4 === 0;
  const wfull = Math.floor(k / META_K); // words whose 32 rows of K are all real
  const tail = kp / META_K > wfull; // one partial word at index wfull
  const bindings = sparse24Bindings(T, k, yvec ? `vec4<${T}>` : T);
  const L: string[] = [];
  L.push(
    ...sparse24Consts(m, k, n),
    `var<workgroup> red: array<vec4<f32>, ${threads * rows}>;`,
    "",
    ...computeMain(threads),
    `  let c = lid % ${cols}u;`,
    `  let s = lid / ${cols}u;`,
    `  let chunk = wid.x % ${chunks}u;`,
    `  let col4 = (wid.x / ${chunks}u) * ${cols}u + c;`,
    "  let live = col4 < NP4;",
    `  let row0 = chunk * ${rows}u;`,
  );
  for (let r = 0; r < rows; r++) {
    // Rows past M (only in the last chunk) repeat row M-1 for loads and are never stored.
    L.push(`  let xr${r} = min(row0 + ${r}u, M - 1u) * ${xvec ? "(K / 4u)" : "K"};`);
    L.push(`  var acc${r} = vec4<f32>(0.0);`);
  }

  // X[row r][4g .. 4g+3] as vec4<f32>; `valid` = how many of the 4 are real (static tail only).
  const loadX = (r: number, kExpr: string, valid: number): string => {
    if (xvec && valid === 4) return `vec4<f32>(X[xr${r} + (${kExpr}) / 4u])`;
    const parts = [0, 1, 2, 3].map((c) => c < valid ? `f32(X[xr${r} + ${kExpr} + ${c}u])` : "0.0");
    if (xvec) {
      // Partial group with vec4 X: K % 4 == 0 makes every group whole, so this is unreachable.
      throw new RangeError("internal: partial group with vec4 X");
    }
    return `vec4<f32>(${parts.join(", ")})`;
  };

  /** One metadata word: `wExpr` its index; `groupsValid[gg]` real rows of each group. */
  const step = (wExpr: string, indent: string, groupsValid: number[]): string[] => {
    const out: string[] = [];
    out.push(`${indent}let vb = ${wExpr} * ${16 * np4}u + col4;`);
    out.push(`${indent}let mw = Meta[${wExpr} * NP4 + col4];`);
    const live = groupsValid.map((v, gg) => [v, gg] as const).filter(([v]) => v > 0);
    for (const [, gg] of live) {
      out.push(`${indent}let v${gg}a = vec4<f32>(V[vb + ${2 * gg * np4}u]);`);
      out.push(`${indent}let v${gg}b = vec4<f32>(V[vb + ${(2 * gg + 1) * np4}u]);`);
    }
    for (const [valid, gg] of live) {
      const sh = 4 * gg;
      out.push(`${indent}{`);
      out.push(`${indent}  let a0 = (mw & vec4<u32>(${1 << sh}u)) != vec4<u32>(0u);`);
      out.push(`${indent}  let a1 = (mw & vec4<u32>(${2 << sh}u)) != vec4<u32>(0u);`);
      out.push(`${indent}  let b0 = (mw & vec4<u32>(${4 << sh}u)) != vec4<u32>(0u);`);
      out.push(`${indent}  let b1 = (mw & vec4<u32>(${(8 << sh) >>> 0}u)) != vec4<u32>(0u);`);
      out.push(`${indent}  let kg = ${wExpr} * ${META_K}u + ${4 * gg}u;`);
      for (let r = 0; r < rows; r++) {
        out.push(
          `${indent}  {`,
          `${indent}    let x = ${loadX(r, "kg", valid)};`,
          // i0 ∈ {0,1,2}: bit0 picks x1 over x0, bit1 picks x2.
          `${indent}    let xa = select(select(vec4<f32>(x.x), vec4<f32>(x.y), a0), vec4<f32>(x.z), a1);`,
          // i1 ∈ {1,2,3}: bit1 clear → x1, else bit0 picks x3 over x2.
          `${indent}    let xb = select(vec4<f32>(x.y), select(vec4<f32>(x.z), vec4<f32>(x.w), b0), b1);`,
          `${indent}    acc${r} = fma(v${gg}a, xa, acc${r});`,
          `${indent}    acc${r} = fma(v${gg}b, xb, acc${r});`,
          `${indent}  }`,
        );
      }
      out.push(`${indent}}`);
    }
    return out;
  };

  L.push("  if (live) {");
  if (wfull > 0) {
    L.push(`    for (var w = s; w < ${wfull}u; w += ${slices}u) {`);
    L.push(...step("w", "      ", [4, 4, 4, 4, 4, 4, 4, 4]));
    L.push("    }");
  }
  if (tail) {
    const valid = Array.from(
      { length: 8 },
      (_, gg) => Math.max(0, Math.min(4, k - (wfull * META_K + 4 * gg))),
    );
    L.push(`    if (s == ${wfull % slices}u) {`);
    L.push(`      let wt = ${wfull}u;`);
    L.push(...step("wt", "      ", valid));
    L.push("    }");
  }
  L.push("  }");
  const accs = Array.from({ length: rows }, (_, r) => `acc${r}`);
  L.push(...reduceSlices({ accs, threads, slices, cols, fanIn: 2, until: 1 }).lines);
  L.push("  if (s == 0u && live) {");
  for (let r = 0; r < rows; r++) {
    L.push(`    if (row0 + ${r}u < M) {`);
    L.push(`      let y = red[${r * threads}u + c];`);
    L.push(`      let yr = (row0 + ${r}u) * N;`);
    if (yvec) {
      L.push(`      Y[yr / 4u + col4] = vec4<${T}>(y);`);
    } else {
      for (let c = 0; c < 4; c++) {
        L.push(`      if (col4 * 4u + ${c}u < N) { Y[yr + col4 * 4u + ${c}u] = ${T}(y[${c}]); }`);
      }
    }
    L.push("    }");
  }
  L.push("  }", "}");
  return wgslCode(bindings, L, {
    f16: T === "f16",
    header:
      `// tilebench sparse24 GEMV ${m}x${k}x${n} ${T} cols=${cols} slices=${slices} rows=${rows} chunks=${chunks}`,
  });
}

/**
 * Workgroup count (x) of a sparse GEMV: column blocks × row chunks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(sparse24GemvDispatch({ dtype: "f32", m: 9, k: 64, n: 64, cols: 8, slices: 32 }) === 4);
 * ```
 */
export function sparse24GemvDispatch(o: Sparse24GemvOptions): number {
  const { np } = paddedDims(o.k, o.n);
  return Math.ceil(np / 4 / o.cols) * gemvChunks(o.m, o.maxRows).chunks;
}
