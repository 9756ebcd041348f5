/**
 * The ternary add/subtract GEMV, in the INT4 GEMV's geometry: weight streaming with wide loads,
 * contiguous K slices and no staging.
 *
 * A workgroup owns `cols` column-threads × `cpt` adjacent columns each (word w of those columns
 * is one `vec4<u32>` / `vec2<u32>` / `u32` load: 16·cpt weights) and splits the K words into
 * `slices` contiguous ranges, one per thread (thread `lid` = slice `s`·cols + column-thread `c`),
 * reduced through workgroup memory at the end (`reduceSlices`). A thread walks its range one word
 * at a time, the next word requested before the current one is used; X is read where it is
 * used (16 values a word and row, `vec4` loads shared by the thread's columns). Per trit, bit
 * operations over the columns' words decode it: the code's −1 bit is shifted to the sign bit and
 * XOR-ed into x's bits (x or −x), and a select keeps that where the code is nonzero (a masked
 * AND): one select and one add a weight, no multiplies. Scales multiply
 * once per output (per channel) or once per scale group and output. Workgroups in y take ⌈M/16⌉
 * blocks of rows of X as even as they go (`addsubRowBlock`; the last block ends at row M,
 * overlapping the one before: those rows are computed twice, the same values written).
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import {
  type Binding,
  computeMain,
  heldConstants,
  reduceSlices,
  sumPartials,
  vecLanes,
  type WgslCode,
  wgslCode,
} from "../wgsl/mod.ts";
import { ROWS_PER_WORD, TERNARY_WORKGROUP_BYTES } from "./format.ts";

/** Rows of X a workgroup of the add/subtract GEMV multiplies. */
export const ADDSUB_MAX_MB = 16;

/**
 * Largest M at which `variant: auto` runs the add/subtract GEMV (two row blocks, each streaming
 * the weights) rather than the 64×64-tiled GEMM: at M = 27 on a small language model's linears the
 * GEMV was 1.1–10× faster back to back than the GEMM, whose tile would be more than half padding;
 * on larger layers at 16 < M ≤ 32 the GEMM is a tuning candidate.
 */
export const ADDSUB_GEMV_MAX_M = 32;

/** Fan-in of the slice reduction. */
const FAN_IN = 8;

/** Everything that changes the generated add/subtract GEMV text. */
export interface AddsubGemvOptions {
  dtype: DType;
  m: number;
  k: number;
  kPadded: number;
  n: number;
  /** 0 (scale per column) or K rows per scale group (a multiple of 16 dividing kPadded). */
  group: number;
  /** Column-threads a workgroup. */
  cols: number;
  /** Columns a thread: 1, 2 or 4 (divides N). */
  cpt: 1 | 2 | 4;
  /** K slices a workgroup (a power of two). */
  slices: number;
  /**
   * How a code becomes a term: `select` (default) picks x or −x by bit operations and adds it, no
   * multiplies; `fma` decodes the code to −1, 0 or +1 in a float register and multiply-adds.
   */
  decode?: "select" | "fma";
  /**
   * The `fma` decode's arithmetic: `f32` (default) or `f16x2` (f16 X only): two codes of a word
   * decoded into one `vec2<f16>` and multiply-added as a pair, carried into f32 once a word.
   */
  math?: "f32" | "f16x2";
}

/**
 * The `fma` decode, per packed word of offset codes (v + 1: 0 = −1, 1 = 0, 2 = +1, written by
 * `offsetCodes` when the case is planned): each 2-bit field at bits 2p, 2p + 1 of a half-word is
 * OR-ed into the mantissa of the float 2^(23 − 2p), whose last place is 4^−p: the float is
 * 2^(23 − 2p) + v + 1, and subtracting 2^(23 − 2p) + 1 leaves v exactly. Two integer operations a
 * weight (and one shift a word) and two float operations.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { magic, offset } = fmaField(3);
 * const f = new Float32Array(new Uint32Array([((2 << 6) | magic) >>> 0]).buffer)[0]!;
 * assert.equal(f - offset, 1); // code v + 1 = 2 at field 3: v = +1
 * ```
 */
export function fmaField(p: number): { mask: number; magic: number; offset: number } {
  if (!Number.isInteger(p) || p < 0 || p > 7) throw new RangeError(`field ${p} is not in 0…7`);
  const e = 23 - 2 * p;
  return { mask: (3 << (2 * p)) >>> 0, magic: ((127 + e) << 23) >>> 0, offset: 2 ** e + 1 };
}

/**
 * The distinct exponents the multiply-add decode ORs its fields into: the f32 decode's eight
 * (`fmaField` 0–7), or the packed-half decode's five (`fmaPairField` 0–4; pairs 5–7 reuse 0–2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(fmaExponents(false).length, 8);
 * assert.deepEqual(fmaExponents(true).slice(0, 2), [0x64006400, 0x5c005c00]);
 * ```
 */
export function fmaExponents(half: boolean): number[] {
  const all = half
    ? Array.from({ length: 8 }, (_, i) => fmaPairField(i).magic)
    : Array.from({ length: 8 }, (_, p) => fmaField(p).magic);
  return [...new Set(all)];
}

/**
 * The `f16x2` decode of pair `i` (0…7) of a packed word of offset codes (v + 1, `offsetCodes` in
 * its `pairs` order): field `i` of the low and of the high half-word (rows 2i and 2i + 1), fields
 * 0–4 of each half in place and 5–7 after a shift right by 10 (`shift`), masked (`mask`, both halves) and OR-ed
 * into the mantissas of the halves 2^(10 − 2p) (`magic`), whose last place is 4^−p: each half is
 * 2^(10 − 2p) + v + 1, and subtracting `offset` leaves v exactly.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const f = fmaPairField(6); // codes 6 and 14, field 1 after the shift
 * assert.deepEqual([f.shift, f.mask, f.offset], [10, 0x000c000c, 257]);
 * ```
 */
export function fmaPairField(
  i: number,
): { shift: 0 | 10; mask: number; magic: number; offset: number } {
  if (!Number.isInteger(i) || i < 0 || i > 7) throw new RangeError(`pair ${i} is not in 0…7`);
  const p = i < 5 ? i : i - 5;
  const e = 10 - 2 * p;
  const half = (15 + e) << 10;
  return {
    shift: i < 5 ? 0 : 10,
    mask: ((3 << (2 * p)) | (3 << (16 + 2 * p))) >>> 0,
    magic: (half | (half << 16)) >>> 0,
    offset: 2 ** e + 1,
  };
}

/**
 * Default geometry (the INT4 GEMV's f32 default, in words of 16 rows): 4 columns a thread when N
 * allows; 8 column-threads when that still gives ~2 workgroups of 128 threads per SM of a
 * 132-SM GPU, else 4; 128/cols slices, doubled at M ≤ 3 while each thread keeps at least 2 words
 * (up to 128 slices, 512 threads a workgroup and a 16 KiB slice reduction). The decode is arithmetic-heavy (4–6 operations
 * a weight), so at M = 1 it is the thread count, not the bytes in flight, that sets the speed:
 * measured on Llama-3-8B's decode shapes, more slices won at every step up to 2–7 words a thread,
 * and requesting two words ahead instead of one did not pay (docs/kernels/ternary.md).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(addsubGeometry(1, 4096, 4096), { cpt: 4, cols: 4, slices: 128 });
 * assert.deepEqual(addsubGeometry(16, 4096, 4096), { cpt: 4, cols: 4, slices: 32 });
 * assert.deepEqual(addsubGeometry(1, 4096, 14336), { cpt: 4, cols: 8, slices: 64 }); // 512 threads
 * assert.deepEqual(addsubGeometry(3, 4096, 4096), { cpt: 4, cols: 4, slices: 64 }); // 12 KiB reduction
 * ```
 */
export function addsubGeometry(
  m: number,
  kPadded: number,
  n: number,
): { cpt: 1 | 2 | 4; cols: number; slices: number } {
  const cpt = n % 4 === 0 ? 4 : n % 2 === 0 ? 2 : 1;
  const cols = Math.ceil(n / (8 * cpt)) >= 264 ? 8 : 4;
  const words = kPadded / ROWS_PER_WORD;
  let slices = 128 / cols;
  const most = Math.max(slices, Math.min(128, words / 2, 512 / cols));
  const fits = (s: number) => addsubReductionBytes(m, cols * s, cpt) <= TERNARY_WORKGROUP_BYTES;
  while (m <= 3 && slices * 2 <= most && fits(slices * 2)) slices *= 2;
  return { cpt, cols, slices };
}

/**
 * Workgroup memory of the slice reduction (`red`): a `vec<cpt>` of f32 per row of the block and
 * thread.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(addsubReductionBytes(3, 256, 4), 3 * 256 * 16);
 * ```
 */
export function addsubReductionBytes(m: number, threads: number, cpt: number): number {
  return addsubRowBlock(m) * threads * cpt * 4;
}

/**
 * Whether the multiply-add decode holds its exponents in registers: at M = 1 (where it was
 * measured faster; with more rows the decode is shared and the registers fuller), where their
 * bytes (32: 4 an exponent, `fmaExponents`, rounded up to 16) fit beside the slice reduction within
 * `TERNARY_WORKGROUP_BYTES`, so the geometry's budget holds; elsewhere they stay literals.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f32", m: 1, k: 4096, kPadded: 4096, n: 4096, group: 0, cols: 4, cpt: 4, slices: 128, decode: "fma" } as const;
 * assert.equal(fmaHolds(o), true); // an 8 KiB reduction
 * assert.equal(fmaHolds({ ...o, slices: 256 }), false); // 16 KiB: no room left
 * assert.equal(fmaHolds({ ...o, decode: "select" }), false);
 * ```
 */
export function fmaHolds(o: AddsubGemvOptions): boolean {
  if (o.decode !== "fma" || o.m !== 1) return false;
  const red = addsubReductionBytes(o.m, o.cols * o.slices, o.cpt);
  return red + fmaHeld(o).bytes <= TERNARY_WORKGROUP_BYTES;
}

/** The multiply-add decode's exponents as register-held constants (`fmaExponents`). */
function fmaHeld(o: AddsubGemvOptions) {
  return heldConstants("fexp", fmaExponents(o.math === "f16x2"));
}

/**
 * Workgroup memory of the add/subtract and multiply-add GEMVs: the slice reduction, and the
 * held exponents where `fmaHolds`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f32", m: 1, k: 4096, kPadded: 4096, n: 4096, group: 0, cols: 4, cpt: 4, slices: 128 } as const;
 * assert.equal(addsubWorkgroupBytes(o), 8192);
 * assert.equal(addsubWorkgroupBytes({ ...o, decode: "fma" }), 8192 + 32);
 * ```
 */
export function addsubWorkgroupBytes(o: AddsubGemvOptions): number {
  const red = addsubReductionBytes(o.m, o.cols * o.slices, o.cpt);
  return red + (fmaHolds(o) ? fmaHeld(o).bytes : 0);
}

/**
 * Rows of X a workgroup multiplies: M split into ⌈M/16⌉ blocks as even as they go, so that the
 * last block, which ends at row M and overlaps the one before, recomputes few rows (at M = 17, 9
 * rows a block and one row twice, where blocks of 16 would compute 32 rows).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual([1, 16, 17, 27, 32, 33, 70].map(addsubRowBlock), [1, 16, 9, 14, 16, 11, 14]);
 * ```
 */
export function addsubRowBlock(m: number): number {
  return Math.ceil(m / Math.ceil(m / ADDSUB_MAX_MB));
}

/**
 * Workgroups: column groups in x, row blocks in y.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f32", m: 20, k: 64, kPadded: 64, n: 100, group: 0, cols: 4, cpt: 4, slices: 8 } as const;
 * assert.deepEqual(addsubDispatch(o), [7, 2, 1]);
 * ```
 */
export function addsubDispatch(o: AddsubGemvOptions): [number, number, number] {
  return [Math.ceil(o.n / (o.cols * o.cpt)), Math.ceil(o.m / addsubRowBlock(o.m)), 1];
}

/** Words a thread walks (a slice's contiguous range). */
export function addsubWordsPerThread(o: AddsubGemvOptions): number {
  return Math.ceil(o.kPadded / ROWS_PER_WORD / o.slices);
}

/**
 * The lets every column-thread GEMV of this family opens with: column-thread `c` and K slice `s`
 * of `lid` (`cols` column-threads), its global column-thread `qc`, whether it has columns
 * (`live`), and the first row of its block of `mb` (the last block ends at row M).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(columnThreadLets(4, 16, 20).at(-1), "  let row0 = min(wid.y * 16u, 4u);");
 * ```
 */
export function columnThreadLets(cols: number, mb: number, m: number): string[] {
  return [
    `  let c = lid % ${cols}u;`,
    `  let s = lid / ${cols}u;`,
    `  let qc = wid.x * ${cols}u + c;`,
    "  let live = qc < NQ;",
    `  let row0 = min(wid.y * ${mb}u, ${m - mb}u);`,
  ];
}

/**
 * The reduction every column-thread GEMV of this family ends with: each row's `acc<r>` summed
 * over the K slices through workgroup memory, `FAN_IN` slices a barriered step, down to `FAN_IN`
 * partials a column-thread that the store adds (`sumPartials` over `live`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const red = sliceReduction([0, 1], 256, 32, 8);
 * assert.ok(red.lines.some((l) => l.includes("acc1")));
 * ```
 */
export function sliceReduction(
  rows: readonly number[],
  threads: number,
  slices: number,
  cols: number,
): ReturnType<typeof reduceSlices> {
  return reduceSlices({
    accs: rows.map((r) => `acc${r}`),
    threads,
    slices,
    cols,
    fanIn: FAN_IN,
    until: FAN_IN,
  });
}

/** The loop of a word walk, opened with the word `qn` requested and `w` its index. */
const WALK_LOOP: readonly string[] = [
  "    loop {",
  "      let q = qn;",
  "      if (w + 1u < wEnd) { qn = Q[(w + 1u) * NQ + qc]; }",
];

/**
 * The walk over a thread's K slice, one packed word at a time (`WORDS` words, `RPT` a slice),
 * the next word requested before the current one is used: the loop opens with the word `q`
 * of column-thread `qc` in hand; {@link WORD_WALK_CLOSE} ends it.
 */
export const WORD_WALK_OPEN: readonly string[] = [
  "  let wBegin = s * RPT;",
  "  let wEnd = min(wBegin + RPT, WORDS);",
  "  if (live && wBegin < wEnd) {",
  "    var w = wBegin;",
  "    var qn = Q[w * NQ + qc];",
  ...WALK_LOOP,
];

/**
 * The request of a thread's first packed word, `qn` (a `QV` vector over the thread's columns),
 * made before a long prologue (the W1.58A8 GEMV's quantisation of X) so that its memory latency
 * overlaps that work; {@link WORD_WALK_FROM_FIRST} then walks the slice from it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = wordWalkFirst("vec4<u32>");
 * assert.ok(lines.includes("  if (walks) { qn = Q[wBegin * NQ + qc]; }"));
 * ```
 */
export function wordWalkFirst(QV: string): string[] {
  return [
    "  let wBegin = s * RPT;",
    "  let wEnd = min(wBegin + RPT, WORDS);",
    "  let walks = live && wBegin < wEnd;",
    `  var qn = ${QV}();`,
    "  if (walks) { qn = Q[wBegin * NQ + qc]; }",
  ];
}

/** {@link WORD_WALK_OPEN} after {@link wordWalkFirst}: the loop from the word requested. */
export const WORD_WALK_FROM_FIRST: readonly string[] = [
  "  if (walks) {",
  "    var w = wBegin;",
  ...WALK_LOOP,
];

/** The end of {@link WORD_WALK_OPEN}'s loop: the next word, until the slice's last. */
export const WORD_WALK_CLOSE: readonly string[] = [
  "      w += 1u;",
  "      if (w >= wEnd) { break; }",
  "    }",
  "  }",
];

/**
 * Generates the shader. Bindings: X (M×K, dtype; vec4 when K is a multiple of 4), Q (packed
 * codes as `u32`/`vec2`/`vec4` over `cpt` columns; with `decode: "fma"` re-encoded by
 * `offsetCodes`, in its `pairs` order with `math: "f16x2"`), S (scales, dtype), Y (M×N, dtype, vec
 * over `cpt` columns).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f32", m: 1, k: 100, kPadded: 112, n: 52, group: 0, cols: 4, cpt: 4, slices: 8 } as const;
 * const { code, bindings } = addsubGemvWgsl(o);
 * assert.deepEqual(bindings, ["X", "Q", "S", "Y"]);
 * assert.ok(!/fma\(|\* x/.test(code)); // no products with X
 * assert.ok(addsubGemvWgsl({ ...o, decode: "fma" }).code.includes("fma("));
 * assert.ok(addsubGemvWgsl({ ...o, dtype: "f16", decode: "fma", math: "f16x2" }).code.includes("vec2<f16>"));
 * ```
 */
export function addsubGemvWgsl(o: AddsubGemvOptions): WgslCode {
  const { dtype: T, m, k, kPadded, n, group, cols, cpt, slices } = o;
  if (n % cpt !== 0) throw new RangeError(`cpt ${cpt} must divide N = ${n}`);
  if ((slices & (slices - 1)) !== 0) throw new RangeError(`slices must be a power of 2`);
  const mb = addsubRowBlock(m);
  const threads = cols * slices;
  const words = kPadded / ROWS_PER_WORD;
  const rpt = addsubWordsPerThread(o);
  const xVec = k % 4 === 0;
  const QV = cpt === 1 ? "u32" : `vec${cpt}<u32>`;
  const FV = cpt === 1 ? "f32" : `vec${cpt}<f32>`;
  const SV = cpt === 1 ? T : `vec${cpt}<${T}>`;
  const grouped = group !== 0;
  const bw = grouped ? group / ROWS_PER_WORD : 0;
  const rows = Array.from({ length: mb }, (_, i) => i);
  const bindings: Binding[] = [
    { name: "X", elem: xVec ? `vec4<${T}>` : T },
    { name: "Q", elem: QV },
    { name: "S", elem: SV },
    { name: "Y", elem: SV, write: true },
  ];
  // X's four values at k = 4v … 4v+3 of word `w`, row r (0 past K: the padded codes are 0,
  // but clamped loads past X's end must not be selected either), as f32, or as stored with
  // `asStored` (f16 X: the packed-half decode)
  const xQuad = (r: number, v: number, asStored = false) => {
    const as = (x: string) => (asStored ? x : `f32(${x})`);
    if (xVec) {
      const x = `X[(row0 + ${r}u) * K4 + min(w * 4u + ${v}u, K4 - 1u)]`;
      return asStored ? x : `vec4<f32>(${x})`;
    }
    const parts = [0, 1, 2, 3].map((j) =>
      as(`X[(row0 + ${r}u) * K + min(w * 16u + ${4 * v + j}u, K - 1u)]`)
    );
    return `vec4<${asStored ? T : "f32"}>(${parts.join(", ")})`;
  };
  const fma = o.decode === "fma";
  const half = o.math === "f16x2";
  if (half && (!fma || T !== "f16")) {
    throw new RangeError("math f16x2 needs the fma decode and f16 X");
  }
  // The multiply-add decode's exponents, held in registers so that each mask and OR is one
  // instruction (kernels/wgsl/held.ts), where their bytes fit beside the slice reduction.
  const held = fmaHolds(o) ? fmaHeld(o) : null;
  const L: string[] = [
    `const K = ${k}u;`,
    `const K4 = ${Math.ceil(k / 4)}u;`,
    `const NQ = ${n / cpt}u;`,
    `const WORDS = ${words}u;`,
    `const RPT = ${rpt}u;`,
    `var<workgroup> red: array<${FV}, ${mb * threads}>;`,
    ...(held ? [held.decl] : []),
    "",
    ...computeMain(threads),
    ...columnThreadLets(cols, mb, m),
    `  let Z = ${FV}(0.0);`,
  ];
  if (held) L.push(held.store("  "), "  workgroupBarrier();", ...held.reads("  "));
  for (const r of rows) L.push(`  var acc${r} = Z;`);
  if (grouped) { for (const r of rows) L.push(`  var t${r} = Z;`); }
  L.push(...WORD_WALK_OPEN);
  const tgt = (r: number) => (grouped ? `t${r}` : `acc${r}`);
  const qv = (x: number) => (cpt === 1 ? `${x}u` : `${QV}(${x}u)`);
  if (fma) {
    // Q holds the offset codes, value + 1 in each field (`offsetCodes`): fields 8–15 (f32) or
    // 5–7 of each half-word (f16x2) are decoded from the word shifted down
    L.push(
      half ? `      let qh = q >> ${qv(10)};` : `      let q2 = q >> ${qv(16)};`,
    );
  }
  // weight t (component `comp` of its X quad) into every row's sum
  const fmaTerm = (t: number, comp: string) => {
    const f = fmaField(t % 8);
    const src = t < 8 ? "q" : "q2";
    return [
      `        let d${t} = bitcast<${FV}>((${src} & ${qv(f.mask)}) | ${
        held ? (cpt === 1 ? held.at(f.magic) : `${QV}(${held.at(f.magic)})`) : qv(f.magic)
      }) - ${FV}(${f.offset.toFixed(1)});`,
      ...rows.map((r) => `        ${tgt(r)} = fma(${FV}(x${r}.${comp}), d${t}, ${tgt(r)});`),
    ];
  };
  const selectTerm = (t: number, comp: string) => {
    // nonzero code, and its −1 bit (2t + 1) moved to the sign bit
    const shifted = t === 15 ? "q" : `(q << ${qv(30 - 2 * t)})`;
    return [
      `        let z${t} = (q & ${qv(3 << (2 * t) >>> 0)}) != ${qv(0)};`,
      `        let g${t} = ${shifted} & ${qv(0x80000000)};`,
      ...rows.map((r) => {
        const bits = cpt === 1 ? `x${r}.${comp}` : `${QV}(x${r}.${comp})`;
        return `        ${tgt(r)} += select(Z, bitcast<${FV}>(${bits} ^ g${t}), z${t});`;
      }),
    ];
  };
  const lanes = vecLanes(cpt);
  const hex = (x: number) => `0x${(x >>> 0).toString(16).padStart(8, "0")}u`;
  // f16x2: pair i (field i of both half-words: rows 2i and 2i + 1 in the `pairs` order of
  // `offsetCodes`) against X's adjacent (x_2i, x_2i+1), summed in vec2<f16> for one word.
  // The halves are read with unpack2x16float: naga rejects bitcast<vec2<f16>>(u32) (see the INT4
  // GEMV's gemv_f16x2.ts)
  const halfWord = () => {
    for (const r of rows) {
      for (let v = 0; v < 4; v++) L.push(`      let xh${r}_${v} = ${xQuad(r, v, true)};`);
      lanes.forEach((_, j) => L.push(`      var h${r}_${j} = vec2<f16>();`));
    }
    for (let i = 0; i < 8; i++) {
      const f = fmaPairField(i);
      const src = f.shift ? "qh" : "q";
      lanes.forEach((c, j) =>
        L.push(
          `      let d${i}_${j} = vec2<f16>(unpack2x16float((${src}${c} & ${hex(f.mask)}) | ${
            held ? held.at(f.magic) : hex(f.magic)
          })) - vec2<f16>(${f.offset.toFixed(1)}h);`,
        )
      );
      for (const r of rows) {
        L.push(`      let xp${r}_${i} = xh${r}_${i >> 1}.${i % 2 ? "zw" : "xy"};`);
        lanes.forEach((_, j) =>
          L.push(`      h${r}_${j} = fma(d${i}_${j}, xp${r}_${i}, h${r}_${j});`)
        );
      }
    }
    for (const r of rows) {
      const sums = lanes.map((_, j) => `dot(vec2<f32>(h${r}_${j}), vec2<f32>(1.0))`);
      L.push(`      ${tgt(r)} += ${cpt === 1 ? sums[0] : `${FV}(${sums.join(", ")})`};`);
    }
  };
  if (half) halfWord();
  else {
    for (let v = 0; v < 4; v++) {
      L.push("      {");
      // X as floats, or as bits (the sign of −1 is an XOR)
      for (const r of rows) {
        L.push(`        let x${r} = ${fma ? xQuad(r, v) : `bitcast<vec4<u32>>(${xQuad(r, v)})`};`);
      }
      for (let j = 0; j < 4; j++) {
        L.push(...(fma ? fmaTerm : selectTerm)(4 * v + j, "xyzw"[j]!));
      }
      L.push("      }");
    }
  }
  if (grouped) {
    L.push(
      `      if ((w + 1u) % ${bw}u == 0u || w + 1u == wEnd) {`,
      `        let sc = ${FV}(S[(w / ${bw}u) * NQ + qc]);`,
      ...rows.map((r) => `        acc${r} += sc * t${r};`),
      ...rows.map((r) => `        t${r} = Z;`),
      "      }",
    );
  }
  L.push(...WORD_WALK_CLOSE);
  const red = sliceReduction(rows, threads, slices, cols);
  L.push(...red.lines, "  if (s == 0u && live) {");
  if (!grouped) L.push(`    let sc = ${FV}(S[qc]);`);
  for (const r of rows) {
    const sum = sumPartials(`${r * threads}u + c`, red.live, 1, cols);
    L.push(`    Y[(row0 + ${r}u) * NQ + qc] = ${SV}(${grouped ? `(${sum})` : `(${sum}) * sc`});`);
  }
  L.push("  }", "}");
  return wgslCode(bindings, L, {
    f16: T === "f16",
    header: `// ternary ${o.decode === "fma" ? "fma" : "addsub"} GEMV ${T} M=${m} K=${k} N=${n} ` +
      `group=${group || "channel"} ` +
      `cols=${cols} cpt=${cpt} slices=${slices} words/thread=${rpt}` +
      (half ? " math=f16x2" : ""),
  });
}
