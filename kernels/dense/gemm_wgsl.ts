/**
 * WGSL generator for the tiled, register-blocked GEMM `Y = X·W` (optionally batched).
 *
 * Each workgroup computes a BM×BN output tile; each thread a TM×TN block held in generated,
 * fully unrolled `vec4<f32>` registers (a loop-indexed function-scope array is ~30× slower on
 * NVIDIA under Deno's bounds-checked WGSL). K is walked in BK-deep slabs staged through
 * workgroup memory, with the next slab prefetched into registers while the current one is
 * multiplied. Thread blocks are interleaved (thread `t` owns vec4 columns t, t+TX, …) so shared
 * reads are conflict-free and global stores coalesce. Edges are guarded: any M, K, N work and
 * nothing is read or written out of bounds.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import {
  aSlabSlots,
  type Binding,
  doubleBufferLoop,
  type F16Io,
  loadSlabRegs,
  loadVec4,
  registerBlockFma,
  slabLoop,
  type SlabTile,
  storeATransposed,
  storeSlabRegs,
  storeTileBlock,
  storeVec4,
  tileEntry,
  vec4Helpers,
  vec4Type,
  type WgslCode,
  wgslCode,
  wSlab,
  xSlab,
} from "../wgsl/mod.ts";
import { rowArrays, storeSlabRows, xSlabSlots } from "./gemm_rows.ts";
import {
  HALF_GEMM_CARRY,
  halfPartials,
  registerBlockFmaHalf,
  slabLoopHalf,
  storeSlabHalf,
} from "./gemm_half.ts";
import {
  pairArrays,
  pairBytes,
  pairPartials,
  registerBlockFmaPairs,
  storeSlabPairs,
} from "./gemm_pairs.ts";

/**
 * Tile geometry: BM×BN outputs per workgroup, BK-deep K slabs, TM×TN outputs per thread.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t: GemmTile = { bm: 128, bn: 128, bk: 16, tm: 8, tn: 8 };
 * validateTile(t);
 * assert.equal(tileThreads(t), 256); // (128 / 8) × (128 / 8)
 * ```
 */
export type GemmTile = SlabTile;

/**
 * Everything that changes the generated GEMM text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: GemmOptions = {
 *   dtype: "f32", m: 64, k: 64, n: 64, vec: true, batch: 1,
 *   tile: { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 },
 * };
 * assert.match(gemmWgsl(o).code, /@compute @workgroup_size\(256/);
 * assert.deepEqual(gemmDispatch(o), [1, 1, 1]);
 * ```
 */
export interface GemmOptions {
  /** Storage dtype of X, W and Y (accumulation is always f32). */
  dtype: DType;
  m: number;
  k: number;
  n: number;
  tile: GemmTile;
  /** vec4 global loads/stores; needs K % 4 == 0 and N % 4 == 0. */
  vec: boolean;
  /** Number of independent products (workgroup_id.z), planes stored back to back. */
  batch: number;
  /**
   * Split K over this many workgroups (default 1). With splitK > 1 the shader writes f32
   * partial products, `splitK` planes per batch entry, to binding 2; the split-K reduce pass sums them
   * into Y. Used when M×N alone gives too few workgroups to fill the GPU.
   */
  splitK?: number;
  /** f16 vec4 access: "packed" (vec2<u32>, default) or "native" (vec4<f16>). */
  f16io?: F16Io;
  /**
   * Packed-half arithmetic (f16 storage only): slabs staged as `vec4<f16>`, products in
   * `vec4<f16>` FMAs, half partials carried into f32 every `HALF_GEMM_CARRY` rows of K
   * (`gemm_half.ts`).
   */
  half?: boolean;
  /**
   * Workgroup tile buffers (default 1). 2: double-buffered X and W slabs, one barrier a slab
   * instead of two (`doubleBufferLoop`); twice the workgroup memory.
   */
  buffers?: 1 | 2;
  /** Packed-half arithmetic: rows of K a half partial holds before its f32 carry (default 8, ≤ BK). */
  halfCarry?: number;
  /** Threads mapped to the thread grid in 8×4 blocks of 32 (`tileEntry`); default row by row. */
  warp8x4?: boolean;
  /** Workgroup slabs as arrays of K rows (`gemm_rows.ts`); default flat arrays. */
  rows?: boolean;
  /**
   * X slab K-quads shifted (`xSkew`) so its transposed stores are free of bank conflicts; f32
   * arithmetic or the pairs staging (not the `vec4<f16>` one). Default false.
   */
  skew?: boolean;
  /**
   * Packed-half arithmetic: slabs staged as `vec4<f16>` (default) or as pairs (`gemm_pairs.ts`:
   * X values doubled, a thread's W columns side by side; `vec2<f16>` FMAs with no splat).
   */
  halfStage?: HalfStage;
}

/** How the packed-half GEMM stages its slabs (see {@link GemmOptions.halfStage}). */
export type HalfStage = "vec4" | "pairs";

/**
 * Bytes of workgroup memory a GEMM tile stages: the X slab (with `skew`, its K-quads' shifts:
 * `aSlabSlots`; with `rows` too, every row of K padded for them, `rowSlots`) and the W slab (f32,
 * or f16 with packed-half arithmetic; with `stage` pairs, X at two halves a value) times the
 * number of buffers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t = { bm: 128, bn: 128, bk: 16, tm: 8, tn: 8 };
 * assert.equal(gemmWorkgroupBytes(t, false, 1), 16384);
 * assert.equal(gemmWorkgroupBytes({ ...t, bk: 32 }, true, 2), 32768);
 * assert.equal(gemmWorkgroupBytes({ ...t, bk: 32 }, true, 2, "pairs"), 49152);
 * assert.equal(gemmWorkgroupBytes(t, false, 1, "vec4", false, true), 16384 + 96);
 * assert.equal(gemmWorkgroupBytes(t, false, 1, "vec4", true, true), 16384 + 16 * 6 * 16);
 * ```
 */
export function gemmWorkgroupBytes(
  tile: GemmTile,
  half: boolean,
  buffers: 1 | 2,
  stage: HalfStage = "vec4",
  rows = false,
  skew = false,
): number {
  if (half && stage === "pairs") return pairBytes(tile, buffers, rows, skew);
  return (xSlabSlots(tile, rows, skew) * 4 + tile.bn * tile.bk) * (half ? 2 : 4) * buffers;
}

/**
 * K elements each split covers: a multiple of BK, so that splits cover K.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(splitKChunk(2048, 8, 16) === 256);
 * ```
 */
export function splitKChunk(k: number, splitK: number, bk: number): number {
  return Math.ceil(k / splitK / bk) * bk;
}

/** Named tiles the dense kernel can use. */
export const GEMM_TILES: Record<string, GemmTile> = {
  "128x128": { bm: 128, bn: 128, bk: 16, tm: 8, tn: 8 },
  "64x128": { bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 },
  "64x64": { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 },
  "32x64": { bm: 32, bn: 64, bk: 16, tm: 4, tn: 4 },
  "16x64": { bm: 16, bn: 64, bk: 16, tm: 4, tn: 4 },
};

/**
 * Tiles only the dense kernel uses besides {@link GEMM_TILES} (the f32 GEMM's default at large M,
 * {@link f32AutoTile}, and a tuning candidate elsewhere): 128×64 with 8×4 outputs a
 * thread (256 threads), the transpose of 64×128's 4×8 block: as few accumulators, X read as two
 * vec4s a step and W as one.
 */
export const DENSE_EXTRA_TILES: Record<string, GemmTile> = {
  "128x64": { bm: 128, bn: 64, bk: 16, tm: 8, tn: 4 },
};

/**
 * Picks a tile for a shape: the largest tile that still gives at least one wave of workgroups on
 * a large GPU (132 SMs), else the largest tile the M dimension fills; `autoSplitK` then splits K
 * when M×N alone leaves the GPU idle.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(autoTile(4096, 4096) === "128x128");
 * assert.ok(autoTile(16, 4096) === "16x64");
 * ```
 */
export function autoTile(m: number, n: number): string {
  for (const name of ["128x128", "64x128", "64x64"]) {
    const t = GEMM_TILES[name]!;
    if (m >= t.bm && n >= t.bn && Math.ceil(m / t.bm) * Math.ceil(n / t.bn) >= 132) return name;
  }
  if (m >= 64) return "64x64";
  if (m > 16) return "32x64";
  return "16x64";
}

/**
 * The dense GEMM's tile for a shape: as {@link autoTile}, but preferring 64×128 (4×8 outputs a
 * thread) to 128×128 (8×8), which runs slower on a large GPU (its 64 accumulators a thread cost
 * occupancy; docs/kernels/dense.md), and taking 64×128 for M ≥ 64 when N ≥ 1024 even where the
 * grid is short of a wave (split-K fills it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(denseAutoTile(4096, 4096), "64x128");
 * assert.equal(denseAutoTile(128, 5632), "64x64"); // 176 workgroups: a wave without split-K
 * assert.equal(denseAutoTile(128, 2048), "64x128");
 * assert.equal(denseAutoTile(2048, 256), "64x64");
 * assert.equal(denseAutoTile(16, 4096), "16x64");
 * ```
 */
export function denseAutoTile(m: number, n: number): string {
  for (const name of ["64x128", "64x64"]) {
    const t = GEMM_TILES[name]!;
    if (m >= t.bm && n >= t.bn && Math.ceil(m / t.bm) * Math.ceil(n / t.bn) >= 132) return name;
  }
  if (m >= 64 && n >= 1024) return "64x128";
  return autoTile(m, n);
}

/**
 * The tile of a GEMM on f32 data: 128×64 (8×4 outputs a thread, X read as two vec4s a step)
 * at M ≥ 1024, and at M ≥ 512 where its grid holds at least 512 workgroups; else
 * {@link denseAutoTile}. Every candidate timed on an NVIDIA H200 over 27 f32 shapes with M ≥ 128
 * (docs/tuning.md, "Dense defaults measured") put 128×64 within 6% of the best candidate on all 16
 * of these, and never slower than the tile it replaces (64×128 or 64×64); at M = 512 with fewer workgroups it lost by
 * 15–31% on two shapes (and won on a third). Only f32 data takes it (`resolveDense`): f16 storage
 * was not timed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(f32AutoTile(4096, 4096), "128x64");
 * assert.equal(f32AutoTile(1024, 512), "128x64");
 * assert.equal(f32AutoTile(512, 9216), "128x64"); // 4 × 144 = 576 workgroups
 * assert.equal(f32AutoTile(512, 3584), "64x128"); // 224 workgroups: the shape-based tile
 * assert.equal(f32AutoTile(128, 4096), "64x128");
 * ```
 */
export function f32AutoTile(m: number, n: number): string {
  const t = DENSE_EXTRA_TILES["128x64"]!;
  if (m >= 1024 || (m >= 512 && Math.ceil(m / t.bm) * Math.ceil(n / t.bn) >= 512)) return "128x64";
  return denseAutoTile(m, n);
}

/** Threads per workgroup of a tile. */
export function tileThreads(t: GemmTile): number {
  return (t.bm / t.tm) * (t.bn / t.tn);
}

/** Checks a tile's internal consistency; throws RangeError naming the bad dimension. */
export function validateTile(t: GemmTile): void {
  if (t.tm % 4 !== 0 || t.tn % 4 !== 0) {
    throw new RangeError(`tile tm/tn must be multiples of 4, got ${t.tm}/${t.tn}`);
  }
  if (t.bm % t.tm !== 0 || t.bn % t.tn !== 0 || t.bk % 4 !== 0) {
    throw new RangeError(`tile ${JSON.stringify(t)} does not divide evenly`);
  }
}

/**
 * Generates the GEMM shader. Bindings: 0 = X (batch×M×K), 1 = W (batch×K×N), 2 = Y (batch×M×N).
 * Dispatch `gemmDispatch(options)` workgroups.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { code, bindings } = gemmWgsl({
 *   dtype: "f32", m: 37, k: 100, n: 53, vec: false, batch: 1,
 *   tile: { bm: 32, bn: 64, bk: 16, tm: 4, tn: 4 },
 * });
 * assert.ok(code.includes("@compute"));
 * assert.deepEqual(bindings, ["X", "W", "Y"]);
 * ```
 */
export function gemmWgsl(o: GemmOptions): WgslCode {
  const { m, k, n, tile, vec, dtype, batch } = o;
  const splitK = o.splitK ?? 1;
  if (!Number.isInteger(splitK) || splitK < 1) {
    throw new RangeError(`splitK must be an integer ≥ 1, got ${splitK}`);
  }
  validateTile(tile);
  if (vec && (k % 4 !== 0 || n % 4 !== 0)) {
    throw new RangeError(`vec4 GEMM needs K and N divisible by 4, got K=${k}, N=${n}`);
  }
  const half = o.half ?? false;
  if (half && o.dtype !== "f16") throw new RangeError(`half GEMM needs f16, got ${o.dtype}`);
  const { bm, bn, bk, tm, tn } = tile;
  const TX = bn / tn;
  const TY = bm / tm;
  const threads = TX * TY;
  const T = dtype;
  const io = o.f16io ?? "packed";
  const elem = vec ? vec4Type(T, io) : T;
  const outT = splitK > 1 ? "f32" : T; // partial products stay f32
  const outElem = vec ? vec4Type(outT, io) : outT;
  const kc = splitK > 1 ? splitKChunk(k, splitK, tile.bk) : Math.ceil(k / tile.bk) * tile.bk;
  const aVecs = (bm * bk) / 4; // vec4 slots of the A slab
  const bVecs = (bk * bn) / 4;
  const buffers = o.buffers ?? 1;
  const carry = o.halfCarry ?? HALF_GEMM_CARRY;
  if (half && !(carry >= 1 && carry <= tile.bk)) {
    throw new RangeError(`halfCarry must be 1…BK (${tile.bk}), got ${carry}`);
  }
  const pairs = half && o.halfStage === "pairs";
  const skew = o.skew ?? false;
  const aSlots = aSlabSlots(tile, skew);
  if (o.halfStage === "pairs" && !half) {
    throw new RangeError("halfStage pairs needs packed-half arithmetic");
  }
  if (skew && half && !pairs) {
    throw new RangeError("a skewed X slab needs f32 arithmetic or the pairs staging");
  }
  const aLoads = Math.ceil(aVecs / threads);
  const bLoads = Math.ceil(bVecs / threads);
  const bindings: Binding[] = [
    { name: "X", elem },
    { name: "W", elem },
    { name: "Y", elem: outElem, write: true },
  ];
  const L: string[] = [];
  L.push(
    `const M = ${m}u;`,
    `const K = ${k}u;`,
    `const N = ${n}u;`,
    ...vec4Helpers(T, vec ? io : "native"),
    ...(pairs
      ? pairArrays(tile, buffers, o.rows, skew)
      : o.rows
      ? rowArrays(tile, half, buffers, skew)
      : [
        `var<workgroup> As: array<vec4<${half ? "f16" : "f32"}>, ${aSlots * buffers}>;`,
        `var<workgroup> Bs: array<vec4<${half ? "f16" : "f32"}>, ${bVecs * buffers}>;`,
      ]),
    "",
    ...tileEntry(tile, o.warp8x4 ?? false),
  );
  // Plane offsets in units of the array element.
  const div = vec ? 4 : 1;
  // z = batch index × splitK + split index; Y (or the partial plane) is indexed by z.
  L.push(
    splitK > 1 ? `  let b = wid.z / ${splitK}u;` : "  let b = wid.z;",
    splitK > 1 ? `  let kBase = (wid.z % ${splitK}u) * ${kc}u;` : "  let kBase = 0u;",
    batch > 1 ? `  let xOff = b * ${(m * k) / div}u;` : "  let xOff = 0u;",
    batch > 1 ? `  let wOff = b * ${(k * n) / div}u;` : "  let wOff = 0u;",
    batch > 1 || splitK > 1 ? `  let yOff = wid.z * ${(m * n) / div}u;` : "  let yOff = 0u;",
  );
  for (let r = 0; r < tm; r++) {
    for (let j = 0; j < tn / 4; j++) L.push(`  var acc_${r}_${j} = vec4<f32>(0.0);`);
  }
  if (half) L.push(...(pairs ? pairPartials(tile) : halfPartials(tile)));
  for (let l = 0; l < aLoads; l++) L.push(`  var la_${l} = vec4<f32>(0.0);`);
  for (let l = 0; l < bLoads; l++) L.push(`  var lb_${l} = vec4<f32>(0.0);`);

  // Global → registers for the slab starting at k0.
  const loadSlab = (indent: string): string[] => [
    ...loadSlabRegs(
      threads,
      indent,
      xSlab({
        reg: "la_",
        slots: aVecs,
        perRow: bk / 4,
        rowBound: "M",
        colBound: "K",
        vec4: vec ? loadVec4(`X[xOff + gr * ${k / 4}u + gk / 4u]`, T, io) : null,
        scalar: (c) => `f32(X[xOff + gr * K + gk + ${c}u])`,
      }),
    ),
    ...loadSlabRegs(
      threads,
      indent,
      wSlab({
        reg: "lb_",
        slots: bVecs,
        perRow: bn / 4,
        rowBound: "K",
        colBound: "N",
        vec4: vec ? loadVec4(`W[wOff + gk * ${n / 4}u + gc / 4u]`, T, io) : null,
        scalar: (c) => `f32(W[wOff + gk * N + gc + ${c}u])`,
      }),
    ),
  ];
  // Row slabs count X rows of BM/4 slots (their skew lives in each row); flat slabs count slots.
  const at = (buf: 0 | 1) => ({ a: buf * (o.rows ? aVecs : aSlots), b: buf * bVecs });
  const rows = o.rows ?? false;
  const compute = (ind: string, buf: 0 | 1) =>
    pairs
      ? registerBlockFmaPairs(tile, ind, at(buf), carry, rows, skew)
      : half
      ? registerBlockFmaHalf(tile, ind, at(buf), carry, rows)
      : registerBlockFma(tile, ind, at(buf), rows, skew);
  const store = (ind: string, buf: 0 | 1) =>
    pairs
      ? storeSlabPairs(tile, threads, ind, at(buf), rows, skew)
      : rows
      ? storeSlabRows(tile, threads, ind, buf, half, skew)
      : half
      ? storeSlabHalf(tile, threads, ind, at(buf))
      : [
        ...storeATransposed(tile, threads, ind, at(buf).a, (v) => v, skew),
        ...storeSlabRegs(threads, ind, "lb_", bVecs, "Bs", at(buf).b),
      ];

  if (buffers === 2) {
    L.push(
      ...doubleBufferLoop({
        numSlabs: kc / bk,
        kStart: "kBase",
        bk,
        load: loadSlab,
        compute,
        store,
      }),
    );
  } else if (half && !rows && !pairs) {
    // The vec4<f16> staging's own loop.
    L.push(...slabLoopHalf(tile, kc / bk, "kBase", loadSlab, threads, carry));
  } else {
    L.push(
      ...slabLoop(
        tile,
        kc / bk,
        "kBase",
        loadSlab,
        (ind) => store(ind, 0),
        (ind) => compute(ind, 0),
      ),
    );
  }

  // Epilogue: store the register block with edge guards.
  L.push(...storeTileBlock(tile, {
    n,
    at: "yOff + ",
    vec4: vec ? (acc) => storeVec4(acc, outT, io) : null,
    scalar: (v) => `${outT}(${v})`,
  }));
  L.push("}");
  return wgslCode(bindings, L, {
    f16: dtype === "f16" && (io === "native" || !vec || half),
    header:
      `// tilebench dense GEMM ${m}x${k}x${n} batch=${batch} ${T} tile=${bm}x${bn}x${bk} thread=${tm}x${tn} vec=${vec} splitK=${splitK} f16io=${io}` +
      (half ? ` math=f16x2 carry=${carry}` : "") +
      (buffers === 2 ? " buffers=2" : "") +
      (o.warp8x4 ? " warp=8x4" : "") +
      (o.rows ? " slabs=rows" : "") +
      (skew ? " xskew" : "") +
      (pairs ? " stage=pairs" : ""),
  });
}

/**
 * Workgroup counts (x, y, z) for a GEMM.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const [x, y, z] = gemmDispatch({
 *   dtype: "f32", m: 100, k: 8, n: 200, vec: true, batch: 1,
 *   tile: { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 },
 * });
 * assert.ok(x === 4 && y === 2 && z === 1);
 * ```
 */
export function gemmDispatch(o: GemmOptions): [number, number, number] {
  return [Math.ceil(o.n / o.tile.bn), Math.ceil(o.m / o.tile.bm), o.batch * (o.splitK ?? 1)];
}

/**
 * The split count a GEMM actually runs for `requested` splits: each split covers
 * `splitKChunk(k, requested, bk)` of K, so trailing splits that would start past K are dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(usedGemmSplitK(1040, 32, 16) === 22); // 48 of K per split
 * assert.ok(usedGemmSplitK(4096, 8, 16) === 8);
 * ```
 */
export function usedGemmSplitK(k: number, requested: number, bk: number): number {
  const s = Math.max(1, requested);
  return Math.ceil(k / splitKChunk(k, s, bk));
}

/**
 * Picks split-K for a GEMM: 1 when the M×N tiles alone fill a large GPU (about 264 workgroups,
 * two per SM of a 132-SM part; 528 for the 16-row tile), else enough splits to get there,
 * keeping ≥ 256 of K per split (≥ 128 for the 16-row tile); never for K < 1024.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(autoSplitK(4096, 4096, 4096, GEMM_TILES["128x128"]!) === 1);
 * assert.ok(autoSplitK(128, 2048, 256, GEMM_TILES["64x64"]!) === 8);
 * assert.ok(autoSplitK(16, 4096, 14336, GEMM_TILES["16x64"]!) === 4);
 * assert.ok(autoSplitK(16, 4096, 1024, GEMM_TILES["16x64"]!) === 32); // 128 of K a split
 * ```
 */
export function autoSplitK(m: number, k: number, n: number, tile: GemmTile): number {
  const groups = Math.ceil(m / tile.bm) * Math.ceil(n / tile.bn);
  let s = 1;
  if (k < 1024) return 1; // the reduce pass costs more than it buys on short K
  // The 16-row tile (64 threads, M ≤ 16) is memory-bound: it wants ~4 workgroups per SM to keep
  // enough loads in flight (experiments/suites/dense_m16_diag.json).
  // It also pays to split its K down to 128 rows a split where larger tiles stop at 256.
  const target = tile.bm <= 16 ? 528 : 264;
  const minRows = tile.bm <= 16 ? 128 : 256;
  while (groups * s < target && k / (s * 2) >= minRows && s < 32) s *= 2;
  return s;
}
