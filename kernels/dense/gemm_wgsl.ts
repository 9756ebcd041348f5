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

import { loadSlabRegs, slabLoop, storeATransposed, storeSlabRegs } from "./gemm_parts.ts";
import type { DType } from "../../harness/types.ts";
import { type F16Io, loadVec4, storeVec4, vec4Helpers, vec4Type } from "./vec4_io.ts";

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
export interface GemmTile {
  bm: number;
  bn: number;
  bk: number;
  tm: number;
  tn: number;
}

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
 * assert.match(gemmWgsl(o), /@compute @workgroup_size\(256/);
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
   * partial products, `splitK` planes per batch entry, to binding 2; `splitKReduceWgsl` sums them
   * into Y. Used when M×N alone gives too few workgroups to fill the GPU.
   */
  splitK?: number;
  /** f16 vec4 access: "packed" (vec2<u32>, default) or "native" (vec4<f16>). */
  f16io?: F16Io;
}

/**
 * K elements each split covers: a multiple of BK, so that splits cover K.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(splitKChunk(2048, 8, 16), 256);
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
 * Picks a tile for a shape: the largest tile that still gives at least one wave of workgroups on
 * a large GPU (132 SMs), else the largest tile the M dimension fills; `autoSplitK` then splits K
 * when M×N alone leaves the GPU idle.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(autoTile(4096, 4096), "128x128");
 * assert.equal(autoTile(16, 4096), "16x64");
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
 * const code = gemmWgsl({
 *   dtype: "f32", m: 37, k: 100, n: 53, vec: false, batch: 1,
 *   tile: { bm: 32, bn: 64, bk: 16, tm: 4, tn: 4 },
 * });
 * assert.ok(code.includes("@compute"));
 * ```
 */
export function gemmWgsl(o: GemmOptions): string {
  const { m, k, n, tile, vec, dtype, batch } = o;
  const splitK = o.splitK ?? 1;
  if (!Number.isInteger(splitK) || splitK < 1) {
    throw new RangeError(`splitK must be an integer ≥ 1, got ${splitK}`);
  }
  validateTile(tile);
  if (vec && (k % 4 !== 0 || n % 4 !== 0)) {
    throw new RangeError(`vec4 GEMM needs K and N divisible by 4, got K=${k}, N=${n}`);
  }
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
  const aLoads = Math.ceil(aVecs / threads);
  const bLoads = Math.ceil(bVecs / threads);
  const L: string[] = [];
  if (dtype === "f16" && (io === "native" || !vec)) L.push("enable f16;");
  L.push(
    `// tilebench dense GEMM ${m}x${k}x${n} batch=${batch} ${T} tile=${bm}x${bn}x${bk} thread=${tm}x${tn} vec=${vec} splitK=${splitK} f16io=${io}`,
    `@group(0) @binding(0) var<storage, read> X: array<${elem}>;`,
    `@group(0) @binding(1) var<storage, read> W: array<${elem}>;`,
    `@group(0) @binding(2) var<storage, read_write> Y: array<${outElem}>;`,
    `const M = ${m}u;`,
    `const K = ${k}u;`,
    `const N = ${n}u;`,
    ...vec4Helpers(T, vec ? io : "native"),
    `var<workgroup> As: array<vec4<f32>, ${aVecs}>;`,
    `var<workgroup> Bs: array<vec4<f32>, ${bVecs}>;`,
    "",
    `@compute @workgroup_size(${threads})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {",
    `  let tx = lid % ${TX}u;`,
    `  let ty = lid / ${TX}u;`,
    `  let rowBase = wid.y * ${bm}u;`,
    `  let colBase = wid.x * ${bn}u;`,
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
  for (let l = 0; l < aLoads; l++) L.push(`  var la_${l} = vec4<f32>(0.0);`);
  for (let l = 0; l < bLoads; l++) L.push(`  var lb_${l} = vec4<f32>(0.0);`);

  // Global → registers for the slab starting at k0.
  const loadSlab = (indent: string): string[] => [
    ...loadSlabRegs(threads, indent, {
      reg: "la_",
      slots: aVecs,
      perRow: bk / 4,
      row: "gr",
      col: "gk",
      rowStart: "rowBase",
      colStart: "k0",
      rowBound: "M",
      colBound: "K",
      vec4: vec ? loadVec4(`X[xOff + gr * ${k / 4}u + gk / 4u]`, T, io) : null,
      scalar: (c) => `f32(X[xOff + gr * K + gk + ${c}u])`,
    }),
    ...loadSlabRegs(threads, indent, {
      reg: "lb_",
      slots: bVecs,
      perRow: bn / 4,
      row: "gk",
      col: "gc",
      rowStart: "k0",
      colStart: "colBase",
      rowBound: "K",
      colBound: "N",
      vec4: vec ? loadVec4(`W[wOff + gk * ${n / 4}u + gc / 4u]`, T, io) : null,
      scalar: (c) => `f32(W[wOff + gk * N + gc + ${c}u])`,
    }),
  ];
  // Registers → workgroup memory (A transposed to [k][m]).
  const storeSlab = (indent: string): string[] => [
    ...storeATransposed(tile, threads, indent),
    ...storeSlabRegs(threads, indent, "lb_", bVecs, "Bs"),
  ];

  L.push(...slabLoop(tile, kc / bk, "kBase", loadSlab, storeSlab));

  // Epilogue: store the register block with edge guards.
  for (let i = 0; i < tm / 4; i++) {
    for (let r = 0; r < 4; r++) {
      const row = i * 4 + r;
      L.push("  {");
      L.push(`    let gr = rowBase + (ty + ${i * TY}u) * 4u + ${r}u;`);
      L.push("    if (gr < M) {");
      for (let j = 0; j < tn / 4; j++) {
        L.push(`      {`, `        let gc = colBase + (tx + ${j * TX}u) * 4u;`);
        if (vec) {
          L.push(
            `        if (gc < N) { Y[yOff + gr * ${n / 4}u + gc / 4u] = ${
              storeVec4(`acc_${row}_${j}`, outT, io)
            }; }`,
          );
        } else {
          for (let c = 0; c < 4; c++) {
            L.push(
              `        if (gc + ${c}u < N) { Y[yOff + gr * N + gc + ${c}u] = ${outT}(acc_${row}_${j}[${c}]); }`,
            );
          }
        }
        L.push("      }");
      }
      L.push("    }", "  }");
    }
  }
  L.push("}");
  return L.join("\n");
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
 * WGSL that sums split-K partial planes (f32, `splitK` per batch entry) into Y in `dtype`.
 * Bindings: 0 = partials, 1 = Y. One thread per vec4 (or element); dispatch with
 * `splitKReduceDispatch`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const code = splitKReduceWgsl({ dtype: "f16", count: 64, batch: 2, splitK: 4, vec: true });
 * assert.ok(code.includes("pack2x16float"));
 * ```
 */
export function splitKReduceWgsl(
  o: { dtype: DType; count: number; batch: number; splitK: number; vec: boolean; f16io?: F16Io },
): string {
  const io = o.f16io ?? "packed";
  const units = o.vec ? o.count / 4 : o.count;
  if (!Number.isInteger(units)) {
    throw new RangeError(`vec4 reduce needs M·N divisible by 4, got ${o.count}`);
  }
  const T = o.dtype;
  const v = (t: DType) => (o.vec ? vec4Type(t, io) : t);
  const L = [
    ...(T === "f16" && (io === "native" || !o.vec) ? ["enable f16;"] : []),
    `// tilebench split-K reduce count=${o.count} batch=${o.batch} splitK=${o.splitK} ${T} vec=${o.vec}`,
    `@group(0) @binding(0) var<storage, read> P: array<${v("f32")}>;`,
    `@group(0) @binding(1) var<storage, read_write> Y: array<${v(T)}>;`,
    ...vec4Helpers(T, o.vec ? io : "native"),
    "@compute @workgroup_size(256)",
    "fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {",
    "  let idx = gid.x + gid.y * nwg.x * 256u;",
    `  if (idx >= ${units * o.batch}u) { return; }`,
    `  let b = idx / ${units}u;`,
    `  let i = idx % ${units}u;`,
    `  let base = b * ${o.splitK * units}u + i;`,
    "  var s = P[base];",
  ];
  for (let j = 1; j < o.splitK; j++) L.push(`  s = s + P[base + ${j * units}u];`);
  L.push(`  Y[b * ${units}u + i] = ${o.vec ? storeVec4("s", T, io) : `${T}(s)`};`, "}");
  return L.join("\n");
}

/**
 * Workgroups (x, y) for `splitKReduceWgsl` over `units` threads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(splitKReduceDispatch(1000, 65535)[0], 4);
 * ```
 */
export function splitKReduceDispatch(units: number, maxPerDim: number): [number, number] {
  const groups = Math.ceil(units / 256);
  const x = Math.min(groups, maxPerDim);
  return [x, Math.ceil(groups / x)];
}

/**
 * The split count a GEMM actually runs for `requested` splits: each split covers
 * `splitKChunk(k, requested, bk)` of K, so trailing splits that would start past K are dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(usedGemmSplitK(1040, 32, 16), 22); // 48 of K per split
 * assert.equal(usedGemmSplitK(4096, 8, 16), 8);
 * ```
 */
export function usedGemmSplitK(k: number, requested: number, bk: number): number {
  const s = Math.max(1, requested);
  return Math.ceil(k / splitKChunk(k, s, bk));
}

/** The second pass of a split-K GEMM: reduce shader, its workgroups, partial-plane bytes. */
export interface SplitKReducePlan {
  code: string;
  groups: [number, number];
  partialBytes: number;
}

/**
 * What a kernel with split-K > 1 needs for its second pass: the reduce shader, its workgroup
 * counts and the size of the f32 partial planes (`splitK` × M×N). Vec4 when M·N allows it and
 * `vec`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = splitKReducePlan({ dtype: "f16", m: 16, n: 64, splitK: 4, vec: true, maxPerDim: 65535 });
 * assert.ok(r.partialBytes === 4 * 16 * 64 * 4 && r.groups[0] === 1);
 * ```
 */
export function splitKReducePlan(o: {
  dtype: DType;
  m: number;
  n: number;
  splitK: number;
  vec: boolean;
  f16io?: F16Io;
  maxPerDim: number;
}): SplitKReducePlan {
  const count = o.m * o.n;
  const vec = o.vec && count % 4 === 0;
  return {
    code: splitKReduceWgsl({
      dtype: o.dtype,
      count,
      batch: 1,
      splitK: o.splitK,
      vec,
      f16io: o.f16io,
    }),
    groups: splitKReduceDispatch(vec ? count / 4 : count, o.maxPerDim),
    partialBytes: o.splitK * count * 4,
  };
}

/**
 * Picks split-K for a GEMM: 1 when the M×N tiles alone fill a large GPU (about 264 workgroups,
 * two per SM of a 132-SM part; 528 for the 16-row tile), else enough splits to get there,
 * keeping ≥ 256 of K per split; never for K < 1024.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(autoSplitK(4096, 4096, 4096, GEMM_TILES["128x128"]!), 1);
 * assert.equal(autoSplitK(128, 2048, 256, GEMM_TILES["64x64"]!), 8);
 * assert.equal(autoSplitK(16, 4096, 14336, GEMM_TILES["16x64"]!), 4);
 * ```
 */
export function autoSplitK(m: number, k: number, n: number, tile: GemmTile): number {
  const groups = Math.ceil(m / tile.bm) * Math.ceil(n / tile.bn);
  let s = 1;
  if (k < 1024) return 1; // the reduce pass costs more than it buys on short K
  // The 16-row tile (64 threads, M ≤ 16) is memory-bound: it wants ~4 workgroups per SM. On an
  // H100 at M = 16 this took 16×4096×14336 f32 from 121 to 95 µs and f16 from 306 to 171 µs
  // (back to back, experiments/suites/dense_m16_diag.json), and was as fast or faster at N = 1024, 4096.
  const target = tile.bm <= 16 ? 528 : 264;
  while (groups * s < target && k / (s * 2) >= 256 && s < 32) s *= 2;
  return s;
}
