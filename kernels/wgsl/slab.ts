/**
 * Pieces of the tiled GEMM shaders shared by every family that walks K in slabs staged through
 * workgroup memory: the guarded global → register load of a slab (dense, int4, 2:4),
 * the store of staged registers into workgroup memory, the transposed store of an X slab, the
 * register-blocked multiply of a slab, and the prefetching K loop around them (the next slab
 * loaded into registers while the current one is multiplied). Each returns WGSL lines; callers
 * declare the workgroup arrays, the staging registers and the accumulators.
 *
 * @module
 */

import { computeMain } from "./shader.ts";

/**
 * A workgroup tile of the register-blocked GEMM: BM×BN outputs per workgroup, BK-deep K slabs,
 * TM×TN outputs per thread.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t: SlabTile = { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 };
 * // (BN/TN)·(BM/TM) = 16 × 16 threads, each owning a 4×4 block of outputs
 * assert.equal(tileEntry(t)[0], "@compute @workgroup_size(256)");
 * ```
 */
export interface SlabTile {
  /** Output rows a workgroup computes (BM). */
  bm: number;
  /** Output columns a workgroup computes (BN). */
  bn: number;
  /** K depth of the slab loaded into workgroup memory per step (BK). */
  bk: number;
  /** Output rows a thread owns (TM). */
  tm: number;
  /** Output columns a thread owns (TN). */
  tn: number;
}

/**
 * The entry point of a tiled GEMM: `(BN/TN)·(BM/TM)` threads, thread `lid` at column `tx` and
 * row `ty` of the thread grid, the workgroup's tile from row `rowBase` and column `colBase`.
 * Threads fill the grid row by row; with `warp8x4`, each 32 consecutive threads (an NVIDIA warp)
 * cover 8 columns × 4 rows of it, so a warp's reads of a slab from workgroup memory touch 8 vec4s
 * of W and 4 of X instead of 16 and 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = tileEntry({ bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 });
 * assert.equal(lines[0], "@compute @workgroup_size(256)");
 * assert.equal(lines[2], "  let tx = lid % 16u;");
 * ```
 */
export function tileEntry(tile: SlabTile, warp8x4 = false): string[] {
  const TX = tile.bn / tile.tn;
  const TY = tile.bm / tile.tm;
  if (warp8x4 && (TX % 8 !== 0 || TY % 4 !== 0)) {
    throw new RangeError(`8x4 warps need a thread grid of 8k x 4j, got ${TX} x ${TY}`);
  }
  return [
    ...computeMain(TX * TY),
    ...(warp8x4
      ? [
        `  let tx = (lid / 32u) % ${TX / 8}u * 8u + lid % 8u;`,
        `  let ty = (lid / 32u) / ${TX / 8}u * 4u + (lid % 32u) / 8u;`,
      ]
      : [`  let tx = lid % ${TX}u;`, `  let ty = lid / ${TX}u;`]),
    `  let rowBase = wid.y * ${tile.bm}u;`,
    `  let colBase = wid.x * ${tile.bn}u;`,
  ];
}

/**
 * One slab loaded from a row-major matrix in global memory into vec4<f32> staging registers,
 * `slots` vec4s spread over the workgroup's threads (thread `lid` takes slots `lid + l·threads`).
 * Slot `e` covers elements `(rowStart + e / perRow, colStart + (e % perRow)·4 …+3)`; elements
 * past `rowBound` or `colBound` read as 0.
 */
export interface SlabLoad {
  /** Staging registers are `${reg}0`, `${reg}1`, … (declared by the caller). */
  reg: string;
  /** vec4 slots in the slab. */
  slots: number;
  /** vec4 slots per slab row. */
  perRow: number;
  /** WGSL names given to the slot's row and first column. */
  row: string;
  col: string;
  /** WGSL expressions: the slab's first row and column, and the matrix's row and column counts. */
  rowStart: string;
  colStart: string;
  rowBound: string;
  colBound: string;
  /**
   * A `vec4<f32>` expression reading the four elements at (`row`, `col`) in one load, when the
   * matrix is stored as vec4s (columns a multiple of 4); otherwise null and `scalar` is used.
   */
  vec4: string | null;
  /** An `f32` expression reading element (`row`, `col` + c): needed when `vec4` is null. */
  scalar?: (c: number) => string;
}

/** What an X or W slab load names itself: everything of {@link SlabLoad} but the index names. */
export type SlabOperand = Pick<
  SlabLoad,
  "reg" | "slots" | "perRow" | "rowBound" | "colBound" | "vec4" | "scalar"
>;

/**
 * An X slab (rows of M from `rowBase`, K from `k0`; slot row `gr`, column `gk`) as a
 * {@link SlabLoad}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = xSlab({ reg: "la_", slots: 64, perRow: 4, rowBound: "M", colBound: "K", vec4: null });
 * assert.equal(s.rowStart, "rowBase");
 * ```
 */
export function xSlab(o: SlabOperand): SlabLoad {
  return { ...o, row: "gr", col: "gk", rowStart: "rowBase", colStart: "k0" };
}

/**
 * A W slab (rows of K from `k0`, columns of N from `colBase`; slot row `gk`, column `gc`) as a
 * {@link SlabLoad}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = wSlab({ reg: "lb_", slots: 64, perRow: 16, rowBound: "K", colBound: "N", vec4: null });
 * assert.equal(s.colStart, "colBase");
 * ```
 */
export function wSlab(o: SlabOperand): SlabLoad {
  return { ...o, row: "gk", col: "gc", rowStart: "k0", colStart: "colBase" };
}

/**
 * Global → registers for one slab (see {@link SlabLoad}): one block per staging register, with
 * the thread-count guard only where the last load runs past `slots`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = loadSlabRegs(256, "  ", {
 *   reg: "la_", slots: 256, perRow: 4, row: "gr", col: "gk", rowStart: "rowBase",
 *   colStart: "k0", rowBound: "M", colBound: "K", vec4: "vec4<f32>(X[gr * 4u + gk / 4u])",
 *   scalar: (c) => `X[gr * K + gk + ${c}u]`,
 * });
 * assert.ok(lines.includes("    if (gr < M && gk < K) { la_0 = vec4<f32>(X[gr * 4u + gk / 4u]); }"));
 * ```
 */
export function loadSlabRegs(threads: number, indent: string, s: SlabLoad): string[] {
  const out: string[] = [];
  const loads = Math.ceil(s.slots / threads);
  for (let l = 0; l < loads; l++) {
    const guard = (l + 1) * threads > s.slots ? `lid + ${l * threads}u < ${s.slots}u && ` : "";
    const reg = `${s.reg}${l}`;
    out.push(
      `${indent}{`,
      `${indent}  let e = lid + ${l * threads}u;`,
      `${indent}  let ${s.row} = ${s.rowStart} + e / ${s.perRow}u;`,
      `${indent}  let ${s.col} = ${s.colStart} + (e % ${s.perRow}u) * 4u;`,
      `${indent}  ${reg} = vec4<f32>(0.0);`,
    );
    if (s.vec4 !== null) {
      out.push(
        `${indent}  if (${guard}${s.row} < ${s.rowBound} && ${s.col} < ${s.colBound}) { ${reg} = ${s.vec4}; }`,
      );
    } else {
      const scalar = s.scalar;
      if (!scalar) throw new TypeError(`slab "${s.reg}": vec4 is null and no scalar read is given`);
      out.push(`${indent}  if (${guard}${s.row} < ${s.rowBound}) {`);
      for (let c = 0; c < 4; c++) {
        out.push(
          `${indent}    if (${s.col} + ${c}u < ${s.colBound}) { ${reg}[${c}] = ${scalar(c)}; }`,
        );
      }
      out.push(`${indent}  }`);
    }
    out.push(`${indent}}`);
  }
  return out;
}

/**
 * Registers → workgroup memory in slot order: `array[base + lid + l·threads] = ${reg}l`, guarded
 * where the last store runs past `slots` (`base`: the buffer's first slot, 0 unless the tiles are
 * double-buffered).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = storeSlabRegs(256, "  ", "lb_", 384, "Bs");
 * assert.ok(lines[1] === "  if (lid + 256u < 384u) { Bs[lid + 256u] = lb_1; }");
 * ```
 */
export function storeSlabRegs(
  threads: number,
  indent: string,
  reg: string,
  slots: number,
  array: string,
  base = 0,
): string[] {
  const out: string[] = [];
  for (let l = 0; l < Math.ceil(slots / threads); l++) {
    const guarded = (l + 1) * threads > slots;
    out.push(
      `${indent}${guarded ? `if (lid + ${l * threads}u < ${slots}u) ` : ""}{ ${array}[lid + ${
        l * threads + base
      }u] = ${reg}${l}; }`,
    );
  }
  return out;
}

/**
 * How staged registers `${reg}0…` (vec4 along K of one row each, slot `e` = row `e / perRow`,
 * K-quad `e % perRow`) are stored transposed into workgroup memory: `lets` are statements after
 * `row` and `kq` are known, `store(c, value)` stores element c of the register.
 */
export interface TransposedStore {
  reg: string;
  slots: number;
  perRow: number;
  lets: readonly string[];
  store: (c: number, value: string) => string;
}

/**
 * Registers → workgroup memory, transposed (see {@link TransposedStore}): one block per staging
 * register, guarded where the last one runs past `slots`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = storeSlabTransposed(64, "", {
 *   reg: "la", slots: 64, perRow: 4, lets: [], store: (c, v) => `As[kq * 4u + ${c}u][row] = ${v};`,
 * });
 * assert.equal(lines[4], "  As[kq * 4u + 0u][row] = la0[0];");
 * ```
 */
export function storeSlabTransposed(
  threads: number,
  indent: string,
  s: TransposedStore,
): string[] {
  const out: string[] = [];
  for (let l = 0; l < Math.ceil(s.slots / threads); l++) {
    const guarded = (l + 1) * threads > s.slots;
    out.push(
      `${indent}${guarded ? `if (lid + ${l * threads}u < ${s.slots}u) ` : ""}{`,
      `${indent}  let e = lid + ${l * threads}u;`,
      `${indent}  let row = e / ${s.perRow}u;`,
      `${indent}  let kq = e % ${s.perRow}u;`,
      ...s.lets.map((x) => `${indent}  ${x}`),
    );
    for (let c = 0; c < 4; c++) out.push(`${indent}  ${s.store(c, `${s.reg}${l}[${c}]`)}`);
    out.push(`${indent}}`);
  }
  return out;
}

/**
 * vec4 slots by which a skewed X slab shifts each K-quad (four rows of K, the values one staging
 * register holds) against the one before: 2 at BK = 16, 1 at BK = 32. The staging's 32 lanes of a
 * warp hold 32 / (BK/4) rows of M at each of the BK/4 K-quads. Without the shift, the transposed
 * store of a component puts the lanes of one row in the same bank for every K-quad (a K-quad is
 * 4·BM words, a multiple of 32): a 4-way bank conflict at BK = 16, 8-way at 32. With it, the 32 lanes
 * write 32 banks. The product's reads of a row of K are vec4s at a constant offset either way. The
 * functions below take `skew` (default false: no shift).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(xSkew(16), 2);
 * assert.equal(xSkew(32), 1);
 * ```
 */
export function xSkew(bk: number): number {
  if (bk > 32 || 32 % bk !== 0) throw new RangeError(`a skewed X slab needs BK 4 to 32, got ${bk}`);
  return 32 / bk;
}

/**
 * vec4 slots of one X slab buffer: BM·BK/4, and with `skew` the {@link xSkew} shifts of its
 * K-quads after the first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t = { bm: 128, bn: 64, bk: 16, tm: 8, tn: 4 };
 * assert.equal(aSlabSlots(t), 512);
 * assert.equal(aSlabSlots(t, true), 518);
 * ```
 */
export function aSlabSlots(tile: SlabTile, skew = false): number {
  const { bm, bk } = tile;
  return (bm * bk) / 4 + rowSkew(bk, bk - 1, skew);
}

/**
 * The {@link xSkew} shift of row `kk` of a skewed X slab, in vec4 slots (0 without `skew`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(rowSkew(16, 5, true), 2);
 * assert.equal(rowSkew(32, 31, true), 7);
 * assert.equal(rowSkew(16, 5, false), 0);
 * ```
 */
export function rowSkew(bk: number, kk: number, skew: boolean): number {
  return skew ? xSkew(bk) * Math.floor(kk / 4) : 0;
}

/**
 * The vec4 slot of row `kk` of an X slab (its first four rows of M), from the slab's first slot:
 * `kk·BM/4`, and with `skew` the K-quad's shift ({@link xSkew}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t = { bm: 128, bn: 64, bk: 16, tm: 8, tn: 4 };
 * assert.equal(aRowSlot(t, 5), 160);
 * assert.equal(aRowSlot(t, 5, true), 162);
 * ```
 */
export function aRowSlot(tile: SlabTile, kk: number, skew = false): number {
  return (kk * tile.bm) / 4 + rowSkew(tile.bk, kk, skew);
}

/**
 * Stores the staged X registers `la_0 … la_{loads-1}` (vec4 along K of one row each) into `As`
 * from slot `base`, transposed to [k][m] with vec4 lanes over m, each value written as `value(v)`
 * (as is by default; the packed-half stagings narrow it). Loads past the slab (`aVecs`) are
 * skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = storeATransposed({ bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 }, 256, "  ");
 * assert.ok(lines.some((l) => l.includes("As[slot")));
 * ```
 */
export function storeATransposed(
  tile: SlabTile,
  threads: number,
  indent: string,
  base = 0,
  value: (v: string) => string = (v) => v,
  skew = false,
): string[] {
  const { bm, bk } = tile;
  const kqStride = bm + (skew ? xSkew(bk) : 0);
  return storeSlabTransposed(threads, indent, {
    reg: "la_",
    slots: (bm * bk) / 4,
    perRow: bk / 4,
    lets: [
      `let slot = kq * ${kqStride}u + row / 4u${base ? ` + ${base}u` : ""};`,
      "let lane = row % 4u;",
    ],
    store: (c, v) => `As[slot + ${(c * bm) / 4}u][lane] = ${value(v)};`,
  });
}

/**
 * The workgroup-memory reads of row `kk` of a slab for the register block: `a<i>` (X, rows
 * `ty + i·TY`) and `b<j>` (W, columns `tx + j·TX`). Flat arrays index `As[slot]`; with `rows`
 * (arrays of K rows, `As[k][m/4]`), the row is a constant index and the one runtime index,
 * `ty + i·TY` or `tx + j·TX`, is the same for every k, so WGSL's bounds clamp of it is the same
 * value all along the K loop.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t = { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 };
 * assert.equal(slabReads(t, 2, { a: 0, b: 0 })[0], "let a0 = As[32u + ty + 0u];");
 * assert.equal(slabReads(t, 2, { a: 256, b: 256 }, true)[0], "let a0 = As[18u][ty + 0u];");
 * ```
 */
export function slabReads(
  tile: SlabTile,
  kk: number,
  at: SlabOffsets,
  rows = false,
  skew = false,
): string[] {
  const { bm, bn, tm, tn } = tile;
  const TX = bn / tn;
  const TY = bm / tm;
  const out: string[] = [];
  for (let i = 0; i < tm / 4; i++) {
    out.push(
      rows
        ? `let a${i} = As[${at.a / (bm / 4) + kk}u][ty + ${i * TY + rowSkew(tile.bk, kk, skew)}u];`
        : `let a${i} = As[${at.a + aRowSlot(tile, kk, skew)}u + ty + ${i * TY}u];`,
    );
  }
  for (let j = 0; j < tn / 4; j++) {
    out.push(
      rows
        ? `let b${j} = Bs[${at.b / (bn / 4) + kk}u][tx + ${j * TX}u];`
        : `let b${j} = Bs[${at.b + (kk * bn) / 4}u + tx + ${j * TX}u];`,
    );
  }
  return out;
}

/**
 * First slots of a slab in the workgroup arrays `As` and `Bs` (in vec4s): 0 for single-buffered
 * tiles; the second buffer starts one slab further (`aSlabSlots` in `As`). With row slabs the
 * offsets count the slots of whole unshifted rows (BM/4 a row of K in `As`), which `slabReads`
 * turns into a row index.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const second: SlabOffsets = { a: (64 * 16) / 4, b: (16 * 64) / 4 };
 * assert.ok(registerBlockFma({ bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 }, "", second)[1]!.includes("As[256u"));
 * ```
 */
export interface SlabOffsets {
  /** First vec4 slot of the X slab in `As`. */
  a: number;
  /** First vec4 slot of the W slab in `Bs`. */
  b: number;
}

/**
 * The register-blocked product of one BK-deep slab: for each k, TM/4 vec4 of `As` (rows
 * `ty + i·TY`) times TN/4 vec4 of `Bs` (columns `tx + j·TX`) into `acc_<row>_<j>`, fully
 * unrolled (no loop-indexed arrays: Deno's WGSL is bounds-checked). `at` gives the slabs' first
 * slots in `As` and `Bs` (double-buffered tiles; 0 by default); `rows`: the arrays are arrays of K
 * rows ({@link slabReads}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = registerBlockFma({ bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 }, "  ");
 * assert.ok(lines.filter((l) => l.includes("fma(")).length === 16 * 4);
 * ```
 */
export function registerBlockFma(
  tile: SlabTile,
  indent: string,
  at: SlabOffsets = { a: 0, b: 0 },
  rows = false,
  skew = false,
): string[] {
  const out: string[] = [];
  for (let kk = 0; kk < tile.bk; kk++) {
    out.push(...blockFmaStep(tile, kk, indent, at, rows, "acc", "f32", skew));
  }
  return out;
}

/**
 * One K step of {@link registerBlockFma}: a block that reads slab row `kk` and adds its outer
 * product into the `acc`-named accumulators (`acc_<row>_<j>`, vectors of `scalar`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = blockFmaStep({ bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 }, 0, "", undefined, false, "h", "f16");
 * assert.equal(lines.filter((l) => l.includes("h_0_0 = fma(vec4<f16>(")).length, 1);
 * ```
 */
export function blockFmaStep(
  tile: SlabTile,
  kk: number,
  indent: string,
  at: SlabOffsets = { a: 0, b: 0 },
  rows = false,
  acc = "acc",
  scalar = "f32",
  skew = false,
): string[] {
  const { tm, tn } = tile;
  const reads = slabReads(tile, kk, at, rows, skew);
  const out = [`${indent}{`, ...reads.map((l) => `${indent}  ${l}`)];
  for (let i = 0; i < tm / 4; i++) {
    for (let r = 0; r < 4; r++) {
      const row = i * 4 + r;
      for (let j = 0; j < tn / 4; j++) {
        out.push(
          `${indent}  ${acc}_${row}_${j} = fma(vec4<${scalar}>(a${i}[${r}]), b${j}, ${acc}_${row}_${j});`,
        );
      }
    }
  }
  out.push(`${indent}}`);
  return out;
}

/**
 * The software-pipelined K loop every slab GEMM runs: the first slab is loaded (`firstLets`, then
 * `load`) and stored, then each iteration of `loop` loads the next slab into registers when there
 * is one (`more`; `nextLets`, then `load`) while the current one is multiplied (`compute`), and
 * stores it between two barriers. Indented by `ind`; `bodyLets` open the loop body.
 */
export interface PrefetchLoop {
  ind: string;
  firstLets: readonly string[];
  /** The loop statement without its brace, e.g. `for (var t = 0u; t < numSlabs; t++)`. */
  loop: string;
  bodyLets: readonly string[];
  /** WGSL condition: another slab follows this one. */
  more: string;
  nextLets: readonly string[];
  load: (indent: string) => string[];
  compute: (indent: string) => string[];
  store: (indent: string) => string[];
}

/**
 * WGSL lines of a {@link PrefetchLoop}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = prefetchLoop({
 *   ind: "  ", firstLets: ["let k0 = 0u;"], loop: "for (var t = 0u; t < 4u; t++)",
 *   bodyLets: [], more: "t + 1u < 4u", nextLets: [], load: () => [], compute: () => [],
 *   store: () => [],
 * });
 * assert.equal(lines[4], "  for (var t = 0u; t < 4u; t++) {");
 * ```
 */
export function prefetchLoop(o: PrefetchLoop): string[] {
  const i = o.ind;
  const i2 = `${i}  `;
  const i3 = `${i}    `;
  return [
    `${i}{`,
    ...o.firstLets.map((l) => i2 + l),
    ...o.load(i2),
    `${i}}`,
    ...o.store(i),
    `${i}workgroupBarrier();`,
    `${i}${o.loop} {`,
    ...o.bodyLets.map((l) => i2 + l),
    `${i2}let more = ${o.more};`,
    `${i2}if (more) {`,
    ...o.nextLets.map((l) => i3 + l),
    ...o.load(i3),
    `${i2}}`,
    ...o.compute(i2),
    `${i2}workgroupBarrier();`,
    `${i2}if (more) {`,
    ...o.store(i3),
    `${i2}}`,
    `${i2}workgroupBarrier();`,
    `${i}}`,
  ];
}

/**
 * The K loop of the tiled GEMM (a {@link PrefetchLoop} multiplying with `compute`, by default
 * `registerBlockFma`): `k0` is the first K of the slab being loaded: `kStart + t·BK`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = slabLoop({ bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 }, 4, "0u", () => [], () => []);
 * assert.ok(lines.includes("  for (var t = 0u; t < numSlabs; t++) {"));
 * ```
 */
export function slabLoop(
  tile: SlabTile,
  numSlabs: number,
  kStart: string,
  loadSlab: (indent: string) => string[],
  storeSlab: (indent: string) => string[],
  compute: (indent: string) => string[] = (ind) => registerBlockFma(tile, ind),
): string[] {
  const next = kStart === "0u" ? `(t + 1u) * ${tile.bk}u` : `${kStart} + (t + 1u) * ${tile.bk}u`;
  return [
    `  let numSlabs = ${numSlabs}u;`,
    ...prefetchLoop({
      ind: "  ",
      firstLets: [`let k0 = ${kStart};`],
      loop: "for (var t = 0u; t < numSlabs; t++)",
      bodyLets: [`let k0 = ${next};`],
      more: "t + 1u < numSlabs",
      nextLets: [],
      load: loadSlab,
      compute,
      store: storeSlab,
    }),
  ];
}

/**
 * The K loop with double-buffered workgroup tiles: two slab buffers, one barrier a slab. The loop
 * is unrolled by two so each half reads one buffer at constant offsets (`compute(indent, 0)` or
 * `(indent, 1)`) and, while it multiplies, the next slab (prefetched into registers) is stored
 * into the other buffer, which nobody reads until after the barrier (`store(indent, buffer)`).
 * `k0` is the first K of the slab being loaded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = doubleBufferLoop({
 *   numSlabs: 5, kStart: "0u", bk: 16, load: () => ["LOAD"],
 *   compute: (i, buf) => [`${i}MUL${buf}`], store: (i, buf) => [`${i}STORE${buf}`],
 * });
 * assert.equal(lines.filter((l) => l.trim() === "workgroupBarrier();").length, 3);
 * assert.ok(lines.includes("      MUL1"));
 * ```
 */
export function doubleBufferLoop(o: {
  numSlabs: number;
  kStart: string;
  bk: number;
  load: (indent: string) => string[];
  compute: (indent: string, buffer: 0 | 1) => string[];
  store: (indent: string, buffer: 0 | 1) => string[];
}): string[] {
  const k = (d: number) =>
    o.kStart === "0u" ? `(t + ${d}u) * ${o.bk}u` : `${o.kStart} + (t + ${d}u) * ${o.bk}u`;
  const half = (buf: 0 | 1, ind: string): string[] => [
    `${ind}let k0 = ${k(buf + 1)};`,
    `${ind}let more = t + ${buf + 1}u < numSlabs;`,
    `${ind}if (more) {`,
    ...o.load(`${ind}  `),
    `${ind}}`,
    ...o.compute(ind, buf),
    `${ind}if (more) {`,
    ...o.store(`${ind}  `, buf === 0 ? 1 : 0),
    `${ind}}`,
    `${ind}workgroupBarrier();`,
  ];
  return [
    `  let numSlabs = ${o.numSlabs}u;`,
    "  {",
    `    let k0 = ${o.kStart};`,
    ...o.load("    "),
    "  }",
    ...o.store("  ", 0),
    "  workgroupBarrier();",
    "  for (var t = 0u; t < numSlabs; t += 2u) {",
    "    {",
    ...half(0, "      "),
    "    }",
    "    if (t + 1u < numSlabs) {",
    ...half(1, "      "),
    "    }",
    "  }",
  ];
}

/**
 * The epilogue of the register-blocked GEMM: every thread's TM×TN block (`acc_<row>_<j>`, rows
 * `ty + i·TY`, vec4 columns `tx + j·TX`) stored to Y with edge guards. With `vec4` (N % 4 = 0)
 * one store a vec4: `Y[at + gr·N/4 + gc/4] = vec4(acc)`; else four guarded scalar stores
 * `Y[at + gr·N + gc + c] = scalar(acc[c])`. `at` is a WGSL offset prefix ("" or "yOff + ").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = storeTileBlock({ bm: 16, bn: 64, bk: 16, tm: 4, tn: 4 }, {
 *   n: 64, at: "", vec4: (acc) => `vec4<f32>(${acc})`, scalar: null,
 * });
 * assert.ok(lines.includes("        if (gc < N) { Y[gr * 16u + gc / 4u] = vec4<f32>(acc_0_0); }"));
 * ```
 */
export function storeTileBlock(
  tile: SlabTile,
  o: {
    n: number;
    at: string;
    vec4: ((acc: string) => string) | null;
    scalar: ((value: string) => string) | null;
  },
): string[] {
  const { bm, bn, tm, tn } = tile;
  const TX = bn / tn;
  const TY = bm / tm;
  const out: string[] = [];
  for (let i = 0; i < tm / 4; i++) {
    for (let r = 0; r < 4; r++) {
      const row = i * 4 + r;
      out.push(
        "  {",
        `    let gr = rowBase + (ty + ${i * TY}u) * 4u + ${r}u;`,
        "    if (gr < M) {",
      );
      for (let j = 0; j < tn / 4; j++) {
        const acc = `acc_${row}_${j}`;
        out.push("      {", `        let gc = colBase + (tx + ${j * TX}u) * 4u;`);
        if (o.vec4) {
          out.push(
            `        if (gc < N) { Y[${o.at}gr * ${o.n / 4}u + gc / 4u] = ${o.vec4(acc)}; }`,
          );
        } else {
          const scalar = o.scalar;
          if (!scalar) throw new TypeError("storeTileBlock: vec4 is null and no scalar store");
          for (let c = 0; c < 4; c++) {
            out.push(
              `        if (gc + ${c}u < N) { Y[${o.at}gr * N + gc + ${c}u] = ${
                scalar(`${acc}[${c}]`)
              }; }`,
            );
          }
        }
        out.push("      }");
      }
      out.push("    }", "  }");
    }
  }
  return out;
}
