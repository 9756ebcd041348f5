/**
 * The int8 GEMV for M ≤ 32, one pass: the activation quantisation, the integer products and the
 * outlier dimensions all in the same shader.
 *
 * A workgroup owns `cols` columns of W; the `slices` threads of a column (thread `lid` = slice
 * `s`·cols + column `c`) each read the column's packed codes at words s, s + slices, … (16 codes
 * a `vec4<u32>` word when K is a multiple of 16, else 4 a `u32`): at most `INT8_GEMV_MAX_STEPS`
 * words a thread, all requested at the start so that their latency overlaps the activation work.
 * Meanwhile every workgroup quantises X itself (per-token scales need the whole row):
 *
 * 1. absmax: the workgroup's threads split the M rows' words of x·invS; partial maxima meet in
 *    workgroup memory (a barriered fan-in of 8), giving each row's scale sx = max / 127;
 * 2. the codes round(x·invS / sx) (the arithmetic of `quantWgsl`, so the same codes) are packed
 *    four to a u32 into workgroup memory, as many rows at a time as fit;
 * 3. each thread takes `dot4` products of its words with those rows' codes (i32, exact), turns
 *    them into f32 (exact: at most 256 products of ≤ 127² a thread) times sx and the column's
 *    weight scale;
 * 4. with `outliers`, the slices of a column split the outlier dimensions (the precomputed list
 *    OI) and add x·w in f32 into the same partial sums;
 * 5. the slices are summed through workgroup memory (`reduceSlices`) into Y.
 *
 * With `codes: "pass"` (the `gemv2` variant) steps 1 and 2 are the activation pass's
 * (`quantWgsl`, dispatched before it): the GEMV reads each row's codes and scale from memory and
 * starts its products as soon as its words arrive, at the cost of a second dispatch.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { computeMain, reduceSlices, sumPartials, type WgslCode, wgslCode } from "../wgsl/mod.ts";
import {
  absmaxLines,
  int8GemvBindings,
  outlierLines,
  QUADS,
  stageCodesLines,
} from "./gemv_parts.ts";
import { dotFn } from "./gemm_wgsl.ts";
import { activationFns } from "./quant_wgsl.ts";

/**
 * Largest M the GEMV serves (and `variant: auto` gives it): at M = 27 on a small language model's
 * linears it was 1.7–6.7× faster than the activation pass and GEMM (two runs).
 */
export const INT8_GEMV_MAX_M = 32;

/** Most packed words one thread of the GEMV reads (all requested up front). */
export const INT8_GEMV_MAX_STEPS = 16;

/** Workgroup memory the GEMV's slice reduction takes at most (rows of M reduced per pass). */
export const INT8_GEMV_RED_BYTES = 8192;

/** What the GEMV generator needs. */
export interface Int8GemvOptions {
  dtype: DType;
  m: number;
  k: number;
  n: number;
  /** Columns per workgroup (a power of two). */
  cols: number;
  /** Threads per column (a power of two). */
  slices: number;
  dot: "packed" | "unpacked";
  outliers: boolean;
  /** Bytes of workgroup memory a workgroup may use (the device's limit). */
  workgroupBytes: number;
  /**
   * Whether X is multiplied by the activation factors IS (default true). Without SmoothQuant or
   * outlier dimensions every factor is 1, and the shader neither binds nor reads them.
   */
  scaled?: boolean;
  /**
   * How often a workgroup reads X: `twice` (default; once for the absmax, once for the codes) or
   * `once` (M = 1, K a multiple of 16: each thread keeps the values of its code words in registers
   * between the absmax and the codes, at most `INT8_GEMV_ONCE_WORDS` words a thread).
   */
  xReads?: "twice" | "once";
  /**
   * Column blocks a workgroup walks (default 1): with more, a workgroup quantises X once and then
   * computes blocks b = wid, wid + G, … of `cols` columns (G workgroups), each block's words
   * requested while the one before is reduced and written. Needs every row of codes staged at
   * once.
   */
  blocks?: number;
  /**
   * Where the activation codes come from: `inline` (default), quantised by every workgroup itself;
   * `pass`, the activation pass's codes XQ and row scales SX (`quantWgsl`, dispatched before).
   */
  codes?: "inline" | "pass";
}

/** Most code words (16 values each) a thread keeps in registers when X is read once. */
export const INT8_GEMV_ONCE_WORDS = 4;

/**
 * Whether the GEMV can read X once (`xReads: "once"`): M = 1, K a multiple of 16, and at most
 * `INT8_GEMV_ONCE_WORDS` code words for each of the workgroup's threads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(int8GemvReadsOnce(1, 4096, 128), true); // 256 words, 2 a thread
 * assert.equal(int8GemvReadsOnce(1, 4096, 32), false); // 8 a thread
 * assert.equal(int8GemvReadsOnce(2, 4096, 512), false);
 * assert.equal(int8GemvReadsOnce(1, 100, 512), false);
 * ```
 */
export function int8GemvReadsOnce(m: number, k: number, threads: number): boolean {
  return m === 1 && int8GemvVec4(k) &&
    Math.ceil(int8GemvWords(k) / threads) <= INT8_GEMV_ONCE_WORDS;
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
 * Packed words of a column: ⌈K/16⌉ `vec4<u32>` or ⌈K/4⌉ `u32`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(int8GemvWords(2048), 128);
 * assert.equal(int8GemvWords(100), 25);
 * ```
 */
export function int8GemvWords(k: number): number {
  return int8GemvVec4(k) ? k / 16 : Math.ceil(k / 4);
}

/**
 * The default GEMV geometry of a shape. Every workgroup quantises all of X, so that work grows
 * with the number of workgroups, N/cols: columns are the most of 16, 8, 4, 2, 1 that still leave
 * 256 workgroups (about two per SM of a 132-SM GPU) or 1. Slices: the fewest (a power of two,
 * at least 8) that give each thread at most 4 words, within 512 threads a workgroup (registers:
 * a thread holds all its words; at most 16 words then, columns are halved further if not),
 * doubled while the workgroup has fewer than 128 threads (the activation work is split over all
 * of them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(int8GemvGeometry(2048, 2048), { cols: 8, slices: 32 });
 * assert.deepEqual(int8GemvGeometry(2048, 256), { cols: 1, slices: 128 });
 * assert.deepEqual(int8GemvGeometry(14336, 4096), { cols: 8, slices: 64 });
 * ```
 */
export function int8GemvGeometry(k: number, n: number): { cols: number; slices: number } {
  const words = int8GemvWords(k);
  let cols = 16;
  while (cols > 1 && Math.ceil(n / cols) < 256) cols /= 2;
  const slicesFor = (c: number) => {
    let s = 8;
    while (s * 4 < words && s * 2 * c <= 512) s *= 2;
    return s;
  };
  let slices = slicesFor(cols);
  while (cols > 1 && Math.ceil(words / slices) > INT8_GEMV_MAX_STEPS) {
    cols /= 2;
    slices = slicesFor(cols);
  }
  while (cols * slices < 128 && slices < 256) slices *= 2;
  return { cols, slices };
}

/** Derived sizes of a GEMV: words a column, steps a thread, rows reduced and staged at once. */
export function int8GemvLayout(o: Int8GemvOptions) {
  const { m, k, cols, slices } = o;
  const threads = cols * slices;
  const words = int8GemvWords(k);
  const steps = Math.ceil(words / slices);
  const k4 = Math.ceil(k / 4);
  // padded rows of the absmax split (a power of two ≥ M) and threads a row
  const mp = 2 ** Math.ceil(Math.log2(m));
  const perRow = Math.max(1, threads / mp);
  const reduceRows = Math.max(1, Math.min(m, Math.floor(INT8_GEMV_RED_BYTES / (threads * 4))));
  const redBytes = reduceRows * threads * 4;
  const budget = Math.min(o.workgroupBytes, 49152) - redBytes - 4 * m;
  const stageRows = o.codes === "pass" ? 0 : Math.min(m, Math.floor(budget / (k4 * 4)));
  return { threads, words, steps, k4, mp, perRow, reduceRows, redBytes, stageRows };
}

/**
 * Why the GEMV cannot run `o`, or null: too many words a thread, too many threads for the absmax
 * split, or not one row of codes fits the workgroup memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f32", m: 1, k: 4096, n: 8, cols: 1, slices: 8, dot: "packed", outliers: false, workgroupBytes: 49152 } as const;
 * assert.match(int8GemvProblem(o) ?? "", /words a thread/);
 * assert.equal(int8GemvProblem({ ...o, slices: 64 }), null);
 * ```
 */
export function int8GemvProblem(o: Int8GemvOptions): string | null {
  const l = int8GemvLayout(o);
  if (o.m < 1 || o.m > INT8_GEMV_MAX_M) return `needs 1 ≤ M ≤ ${INT8_GEMV_MAX_M}, got ${o.m}`;
  if (l.steps > INT8_GEMV_MAX_STEPS) {
    return `${l.steps} words a thread (K = ${o.k}, ${o.slices} slices), over ${INT8_GEMV_MAX_STEPS}`;
  }
  if (o.codes === "pass") {
    if ((o.blocks ?? 1) !== 1) return "column blocks need the codes quantised inline";
    if (o.xReads === "once") return "reading X once needs the codes quantised inline";
    return null;
  }
  if (l.threads < l.mp) return `${l.threads} threads split fewer than ${l.mp} rows`;
  if (l.stageRows < 1) return `one row of K = ${o.k} codes does not fit workgroup memory`;
  const blocks = o.blocks ?? 1;
  if (!(Number.isInteger(blocks) && blocks >= 1)) {
    return `blocks must be a whole number ≥ 1, got ${blocks}`;
  }
  if (blocks > 1 && l.stageRows < o.m) {
    return `${blocks} column blocks need all ${o.m} rows of codes staged at once (${l.stageRows} fit)`;
  }
  if (o.xReads === "once" && !int8GemvReadsOnce(o.m, o.k, l.threads)) {
    return `reading X once needs M = 1, K a multiple of 16 and at most ${INT8_GEMV_ONCE_WORDS} code words a thread (M = ${o.m}, K = ${o.k}, ${
      Math.ceil(l.words / l.threads)
    } words)`;
  }
  return null;
}

/**
 * Workgroups of the GEMV: [⌈⌈N/cols⌉/blocks⌉, 1, 1].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f32", m: 1, k: 8, n: 10, cols: 4, slices: 64, dot: "packed", outliers: false, workgroupBytes: 49152 } as const;
 * assert.deepEqual(int8GemvDispatch(o), [3, 1, 1]);
 * assert.deepEqual(int8GemvDispatch({ ...o, blocks: 2 }), [2, 1, 1]);
 * ```
 */
export function int8GemvDispatch(o: Int8GemvOptions): [number, number, number] {
  return [Math.ceil(Math.ceil(o.n / o.cols) / (o.blocks ?? 1)), 1, 1];
}

/** Bytes of workgroup memory the GEMV uses. */
export function int8GemvWorkgroupBytes(o: Int8GemvOptions): number {
  const l = int8GemvLayout(o);
  return o.codes === "pass" ? l.redBytes : l.redBytes + 4 * o.m + l.stageRows * l.k4 * 4;
}

/**
 * The int8 GEMV shader. Bindings: X (M×K, dtype; vec4 when K is a multiple of 4), IS (K
 * activation factors; not with `scaled: false`), WQ (N×⌈K/4⌉ packed codes), SW (N weight scales),
 * with `outliers` OI and WO, and Y.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = int8GemvWgsl({
 *   dtype: "f32", m: 2, k: 100, n: 7, cols: 4, slices: 64, dot: "unpacked", outliers: false,
 *   workgroupBytes: 49152,
 * });
 * assert.deepEqual(s.bindings, ["X", "IS", "WQ", "SW", "Y"]);
 * assert.match(s.code, /var acc1 = 0;/);
 * const once = int8GemvWgsl({
 *   dtype: "f16", m: 1, k: 4096, n: 64, cols: 8, slices: 32, dot: "packed", outliers: false,
 *   workgroupBytes: 49152, scaled: false, xReads: "once",
 * });
 * assert.deepEqual(once.bindings, ["X", "WQ", "SW", "Y"]);
 * assert.match(once.code, /xq\[e0\] = vec4<u32>\(codesOf\(x0_0, sxw\[0\]\)/);
 * ```
 */
export function int8GemvWgsl(o: Int8GemvOptions): WgslCode {
  const problem = int8GemvProblem(o);
  if (problem) throw new RangeError(`int8 GEMV ${problem}`);
  const { dtype, m, k, n, cols, slices } = o;
  const scaled = o.scaled ?? true;
  const once = o.xReads === "once";
  const pass = o.codes === "pass";
  const t = dtype === "f16" ? "f16" : "f32";
  const l = int8GemvLayout(o);
  const { threads, words, steps, k4 } = l;
  const vec = int8GemvVec4(k);
  const xVec = k % 4 === 0;
  const word = vec ? "vec4<u32>" : "u32";
  const rows = Array.from({ length: m }, (_, i) => i);
  const stepIds = Array.from({ length: steps }, (_, i) => i);
  const blocks = o.blocks ?? 1;
  const looped = blocks > 1;
  /** The thread's words of column `at` where `ok` (the same WQ indices for every block). */
  const requests = (at: string, ok: string, declare: boolean) =>
    stepIds.flatMap((i) => [
      ...(declare ? [`  var w${i} = ${word}();`] : []),
      `  if (${ok} && s + ${i * slices}u < KW) { w${i} = WQ[${at} * KW + s + ${i * slices}u]; }`,
    ]);
  const L: string[] = [
    `const M = ${m}u;`,
    `const K = ${k}u;`,
    `const K4 = ${k4}u;`,
    `const N = ${n}u;`,
    `const KW = ${words}u; // ${word} words a column`,
    `const S = ${slices}u;`,
    `var<workgroup> red: array<f32, ${l.redBytes / 4}>;`,
    ...(pass ? [] : [
      `var<workgroup> sxw: array<f32, ${m}>;`,
      `var<workgroup> xq: array<${word}, ${l.stageRows * words}>;`,
    ]),
    "",
    ...dotFn(o.dot),
    "",
    ...(pass ? [] : activationFns(xVec, scaled)),
    ...computeMain(threads),
    `  let c = lid % ${cols}u;`,
    `  let s = lid / ${cols}u;`,
    // with column blocks, the block's columns change as the workgroup walks them
    `  ${looped ? "var" : "let"} col = wid.x * ${cols}u + c;`,
    `  ${looped ? "var" : "let"} live = col < N;`,
  ];
  // 0. the thread's words, requested first
  L.push(...requests("col", "live", true));
  const held = Array.from(
    { length: once && !pass ? Math.ceil(words / threads) : 0 },
    (_, j) => j,
  );
  if (!pass) L.push(...absmaxLines(l, once, held));
  // 2.–3. codes of `stageRows` rows at a time into `xq`, then the thread's products with them
  if (!looped) { for (const i of rows) L.push(`  var acc${i} = 0;`); }
  /** The thread's products with row `r` of codes read at `at(word)`. */
  const products = (r: number, at: (e: string) => string) =>
    stepIds.map((i) => {
      const x = at(`min(s + ${i * slices}u, KW - 1u)`);
      return vec
        ? `  { let x = ${x}; acc${r} += dot4(x.x, w${i}.x) + dot4(x.y, w${i}.y) + dot4(x.z, w${i}.z) + dot4(x.w, w${i}.w); }`
        : `  acc${r} += dot4(${x}, w${i});`;
    });
  // the activation pass's codes, read where they are used
  if (pass) { for (const r of rows) L.push(...products(r, (e) => `XQ[${r}u * KW + ${e}]`)); }
  for (let m0 = 0; !pass && m0 < m; m0 += l.stageRows) {
    const mc = Math.min(l.stageRows, m - m0);
    if (m0 > 0) L.push("  workgroupBarrier();");
    if (once) {
      for (const j of held) {
        const c4 = QUADS.map((q) => `codesOf(x${j}_${q}, sxw[0])`).join(", ");
        L.push(`  if (e${j} < KW) { xq[e${j}] = vec4<u32>(${c4}); }`);
      }
    } else {
      L.push(...stageCodesLines(m0, mc * words, threads, vec));
    }
    L.push("  workgroupBarrier();");
    // column blocks (all rows staged: one pass): the products onwards are the loop's body
    if (looped) {
      L.push(`  for (var b = 0u; b < ${blocks}u; b++) {`);
      for (const i of rows) L.push(`  var acc${i} = 0;`);
    }
    for (let r = m0; r < m0 + mc; r++) {
      L.push(...products(r, (e) => `xq[${r - m0}u * KW + ${e}]`));
    }
  }
  // the next block's words, requested while this block is reduced and written
  if (looped) {
    const stride = int8GemvDispatch(o)[0] * cols;
    L.push(
      `  let nextCol = col + ${stride}u;`,
      `  let nextLive = b + 1u < ${blocks}u && nextCol < N;`,
      ...requests("nextCol", "nextLive", false),
    );
  }
  // exact in f32: a thread sums at most 16 words × 16 products of |q| ≤ 127
  L.push("  var sw = 0.0;", "  if (live) { sw = SW[col]; }");
  const sx = pass ? "SX" : "sxw";
  for (const i of rows) L.push(`  var p${i} = f32(acc${i}) * (${sx}[${i}u] * sw);`);
  // 4. the outlier dimensions, split over the slices
  if (o.outliers) L.push(...outlierLines(rows, xVec));
  // 5. the slices summed, times the column's weight scale
  for (let m0 = 0; m0 < m; m0 += l.reduceRows) {
    const rs = rows.slice(m0, m0 + l.reduceRows);
    // `red` was last read by the absmax, before the barriers of the staging
    if (m0 > 0) L.push("  workgroupBarrier();");
    const red = reduceSlices({
      accs: rs.map((r) => `p${r}`),
      threads,
      slices,
      cols,
      fanIn: 8,
      until: 8,
    });
    L.push(...red.lines, "  if (s == 0u && live) {");
    rs.forEach((r, j) => {
      const sum = sumPartials(`${j * threads}u + c`, red.live, 1, cols);
      L.push(`    Y[${r}u * N + col] = ${t}(${sum});`);
    });
    L.push("  }");
  }
  if (looped) {
    // `red` is written again by the next block's reduction
    L.push("  col = nextCol;", "  live = nextLive;", "  workgroupBarrier();", "  }");
  }
  L.push("}");
  return wgslCode(
    int8GemvBindings({ t, xVec, word, scaled, pass, outliers: o.outliers }),
    L,
    {
      f16: dtype === "f16",
      header:
        `// int8 W8A8 GEMV, ${
          pass ? "codes from the activation pass" : "one pass"
        }: ${dtype}, ${m}x${k}x${n}, ${cols} columns x ${slices} ` +
        `slices, ${steps} ${word} words a thread, ` +
        (pass ? "" : `${l.stageRows} rows of codes staged, `) +
        `dot ${o.dot}` + (o.outliers ? ", outlier dimensions in f32" : "") +
        (scaled ? "" : ", X unscaled") + (once ? ", X read once" : "") +
        (looped ? `, ${blocks} column blocks a workgroup` : ""),
    },
  );
}
