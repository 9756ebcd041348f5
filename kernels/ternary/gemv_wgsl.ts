/**
 * WGSL generator of the ternary lookup-table kernel, weight-streaming (GEMV-shaped: every packed
 * weight word is read once per block of up to 8 rows of X). The add/subtract GEMV is
 * `gemv_addsub.ts`.
 *
 * A workgroup owns COLS consecutive output columns (thread c of a slice reads word w·N + col, so
 * a warp reads one contiguous run of words) and splits the K words into SLICES interleaved
 * slices, reduced through workgroup memory at the end; `wid.y` picks the block of MB rows.
 *
 * Per chunk of K, the workgroup first builds, for each row and each group of g
 *   consecutive K, the 4^g partial sums Σ_j dec(idx_j)·x_j (idx = the g codes of the group as
 *   they lie in the word, 2g bits; entries with the unused code 3 are filled but never read) in
 *   workgroup memory; the inner loop then takes 2g bits of the word as an index and adds one
 *   table entry per g weights.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { type Binding, computeMain, type WgslCode, wgslCode } from "../wgsl/mod.ts";
import { ROWS_PER_WORD } from "./format.ts";

/** Largest block of rows of X one workgroup multiplies. */
export const TERNARY_MAX_MB = 8;

/** Everything that changes the generated lookup-table kernel's text. */
export interface TernaryGemvOptions {
  dtype: DType;
  m: number;
  k: number;
  kPadded: number;
  n: number;
  /** 0 (scale per column) or K rows per scale group (a multiple of 16 dividing kPadded). */
  group: number;
  /** Output columns per workgroup. */
  cols: number;
  /** K slices per workgroup. */
  slices: number;
  /** K rows per table index (2 or 4). */
  lutG: number;
  /** Packed words of K whose tables workgroup memory holds at once. */
  chunkWords: number;
}

/** Rows of X per workgroup. */
export function rowBlock(m: number): number {
  return Math.min(m, TERNARY_MAX_MB);
}

/**
 * Packed words per scale block (1 per channel: the scale is applied at the end).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(blockWords(64), 4);
 * assert.equal(blockWords(0), 1);
 * ```
 */
export function blockWords(group: number): number {
  return group === 0 ? 1 : group / ROWS_PER_WORD;
}

/**
 * Bytes of workgroup memory a packed word of K needs per row: its tables ((16/g)·4^g f32).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(chunkWordBytes(2), 512);
 * ```
 */
export function chunkWordBytes(g: number): number {
  return (ROWS_PER_WORD / g) * 4 ** g * 4;
}

/**
 * The largest power-of-two chunk of K words whose workgroup data (all MB rows, `wordBytes` a word
 * and row) fits `budget` bytes, at most the words of K rounded up to a power of two; 0 when not
 * even one scale block fits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(chunkWords(1, 4096, 0, 512, 16384), 32);
 * assert.equal(chunkWords(8, 4096, 0, 4096, 16384), 0);
 * ```
 */
export function chunkWords(
  mb: number,
  kPadded: number,
  group: number,
  wordBytes: number,
  budget: number,
): number {
  const words = kPadded / ROWS_PER_WORD;
  let cw = 1;
  while (cw < words && 2 * cw * mb * wordBytes <= budget) cw *= 2;
  if (cw * mb * wordBytes > budget || cw < blockWords(group)) return 0;
  return cw;
}

/** Workgroups of a case: column groups in x, row blocks in y. */
export function ternaryDispatch(o: TernaryGemvOptions): [number, number, number] {
  return [Math.ceil(o.n / o.cols), Math.ceil(o.m / rowBlock(o.m)), 1];
}

/**
 * Generates the lookup-table kernel's shader. Bindings: X (M×K, dtype), Q (packed codes, u32),
 * S (scales, dtype), Y (M×N, dtype).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: TernaryGemvOptions = {
 *   dtype: "f32", m: 1, k: 100, kPadded: 112, n: 53, group: 0,
 *   cols: 32, slices: 16, lutG: 2, chunkWords: 8,
 * };
 * const { code, bindings } = ternaryGemvWgsl(o);
 * assert.deepEqual(bindings, ["X", "Q", "S", "Y"]);
 * assert.ok(!/\*\s*x/.test(code)); // no product with X in the inner loop
 * ```
 */
export function ternaryGemvWgsl(o: TernaryGemvOptions): WgslCode {
  const { dtype: T, m, k, kPadded, n, group, cols, slices } = o;
  const mb = rowBlock(m);
  const threads = cols * slices;
  const words = kPadded / ROWS_PER_WORD;
  const bw = blockWords(group);
  const bindings: Binding[] = [
    { name: "X", elem: T },
    { name: "Q", elem: "u32" },
    { name: "S", elem: T },
    { name: "Y", elem: T, write: true },
  ];
  const kIdx = (e: string) => (k % ROWS_PER_WORD === 0 ? e : `min(${e}, ${k - 1}u)`);
  const L: string[] = [
    `const K = ${k}u;`,
    `const N = ${n}u;`,
    `const WORDS = ${words}u;`,
    `var<workgroup> red: array<f32, ${mb * threads}>;`,
  ];
  // a signed pick of x by a 2-bit code: +x, −x or 0
  L.push(
    "fn pick(code: u32, x: f32) -> f32 {",
    "  return select(select(0.0, x, code == 1u), -x, code == 2u);",
    "}",
  );
  const g = o.lutG;
  const E = 4 ** g;
  const sub = ROWS_PER_WORD / g;
  const cw = o.chunkWords;
  // table entries (f32) per row and chunk
  const perRow = cw * sub * E;
  L.push(`var<workgroup> lut: array<f32, ${mb * perRow}>;`);
  L.push(
    ...computeMain(threads),
    `  let c = lid % ${cols}u;`,
    `  let s = lid / ${cols}u;`,
    `  let col = wid.x * ${cols}u + c;`,
    "  let live = col < N;",
    `  let row0 = wid.y * ${mb}u;`,
  );
  for (let r = 0; r < mb; r++) {
    L.push(`  var acc${r} = 0.0;`);
  }
  const grouped = group !== 0;
  const tgt = (r: number) => (grouped ? `t${r}` : `acc${r}`);
  const openBlock = (ind: string) =>
    grouped ? Array.from({ length: mb }, (_, r) => `${ind}var t${r} = 0.0;`) : [];
  const closeBlock = (ind: string, blockExpr: string) =>
    grouped
      ? [
        `${ind}let sc = f32(S[(${blockExpr}) * N + col]);`,
        ...Array.from({ length: mb }, (_, r) => `${ind}acc${r} = acc${r} + sc * t${r};`),
      ]
      : [];
  // build the chunk's tables
  L.push(`  for (var w0 = 0u; w0 < WORDS; w0 += ${cw}u) {`);
  L.push("    workgroupBarrier();");
  L.push(`    for (var e = lid; e < ${mb * perRow}u; e += ${threads}u) {`);
  L.push(`      let r = e / ${perRow}u;`, `      let xb = min(row0 + r, ${m - 1}u) * K;`);
  {
    L.push(
      `      let grp = (e % ${perRow}u) / ${E}u;`,
      `      let idx = e % ${E}u;`,
      `      let kb = w0 * 16u + grp * ${g}u;`,
      "      var v = 0.0;",
    );
    for (let j = 0; j < g; j++) {
      L.push(
        `      v = v + pick((idx >> ${2 * j}u) & 3u, f32(X[xb + ${kIdx(`kb + ${j}u`)}]));`,
      );
    }
    L.push("      lut[e] = v;");
  }
  L.push("    }", "    workgroupBarrier();");
  L.push("    if (live) {");
  L.push(`      let blocks = min(${cw / bw}u, (WORDS - w0) / ${bw}u);`);
  L.push(`      for (var b = s; b < blocks; b += ${slices}u) {`);
  L.push(...openBlock("        "));
  L.push(`        for (var wl = b * ${bw}u; wl < b * ${bw}u + ${bw}u; wl++) {`);
  L.push("          let q = Q[(w0 + wl) * N + col];");
  {
    L.push(`          let base = wl * ${sub * E}u;`);
    for (let t = 0; t < sub; t++) {
      L.push(`          let i${t} = base + ${t * E}u + ((q >> ${2 * g * t}u) & ${E - 1}u);`);
      for (let r = 0; r < mb; r++) {
        L.push(`          ${tgt(r)} = ${tgt(r)} + lut[${r * perRow}u + i${t}];`);
      }
    }
  }
  L.push("        }");
  L.push(...closeBlock("        ", `w0 / ${bw}u + b`));
  L.push("      }", "    }", "  }");
  for (let r = 0; r < mb; r++) L.push(`  red[${r * threads}u + lid] = acc${r};`);
  L.push("  workgroupBarrier();", "  if (s == 0u && live) {");
  if (!grouped) L.push("    let sc = f32(S[col]);");
  for (let r = 0; r < mb; r++) {
    const terms = Array.from(
      { length: slices },
      (_, i) => `red[${r * threads + i * cols}u + c]`,
    );
    L.push(`    let v${r} = ${terms.join(" + ")};`);
    L.push(
      `    if (row0 + ${r}u < ${m}u) { Y[(row0 + ${r}u) * N + col] = ${T}(${
        grouped ? `v${r}` : `v${r} * sc`
      }); }`,
    );
  }
  L.push("  }", "}");
  return wgslCode(bindings, L, {
    f16: T === "f16",
    header: `// ternary lut g=${g} ${T} M=${m} K=${k} N=${n} group=${
      group || "channel"
    } cols=${cols} slices=${slices}`,
  });
}
