/**
 * WGSL generator for the 2:4 sparse GEMM `Y = X·W̃` (W̃ compressed), built around one idea:
 * **a warp owns columns, its lanes own rows**.
 *
 * On CUDA cores a per-column gather of X costs at least as much as the multiply it saves when
 * done per element (selects or shared-memory loads per row and column). Here all 32 lanes of a
 * warp work on the same TN columns and different rows, so a column's 2:4 pattern for a group is
 * the same in every lane: a `switch` on the pattern nibble is warp-uniform (no divergence), and
 * each of its 6 cases names its two X registers statically. The pattern decode (one shift/and
 * and one branch per column and group) is amortised over the TM rows a lane holds, and the X
 * operands come from registers loaded once per group and reused by all TN columns; values and
 * metadata are read as warp-wide broadcasts from workgroup memory.
 *
 * Layout: the workgroup has WC warps side by side along N, tile BM = 32·TM rows × BN = WC·TN
 * columns; lane l holds rows 4·(32i + l) + r (i < TM/4, r < 4) as `vec4<f32>` accumulators per
 * column (fully unrolled, generated names), so each case is TM/4 vec4 FMAs per kept weight.
 * K is walked in 16-row slabs (4 groups): X staged transposed ([k][m], vec4 over rows,
 * XOR-swizzled so both the transposing stores and the reads are free of bank conflicts) and the slab's 8 value rows and metadata word staged in workgroup
 * memory, the next slab prefetched into registers while the current one is multiplied (as in
 * the dense GEMM). Edges: X loads and Y stores are guarded (any M, K, N); the stored weights are
 * padded (see format.ts) so weight loads only check the column bound.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { paddedDims } from "./format.ts";
import { sparse24Bindings, sparse24Consts } from "./shader_inputs.ts";
import {
  computeMain,
  loadSlabRegs,
  prefetchLoop,
  storeSlabRegs,
  storeSlabTransposed,
  type WgslCode,
  wgslCode,
  xSlab,
} from "../wgsl/mod.ts";

/**
 * Geometry of the sparse GEMM: TM rows per lane (4 or 8), TN columns per warp (multiple of 4),
 * WC warps along N.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t: Sparse24Tile = { tm: 8, tn: 16, wc: 8 }; // 256×128 tile, 256 threads
 * assert.deepEqual(tileDims(t), { bm: 256, bn: 128, threads: 256 });
 * ```
 */
export interface Sparse24Tile {
  tm: number;
  tn: number;
  wc: number;
}

/** Named tiles (`BMxBN`). */
export const SPARSE_GEMM_TILES: Record<string, Sparse24Tile> = {
  "256x128": { tm: 8, tn: 16, wc: 8 },
  "256x64": { tm: 8, tn: 16, wc: 4 },
  "128x128": { tm: 4, tn: 16, wc: 8 },
  "128x64": { tm: 4, tn: 16, wc: 4 },
};

/**
 * How a column's group pattern is applied: `pair` — one warp-uniform 6-way switch (2 FMAs per
 * kept weight and row); `split` — two 3-way switches (half the code, twice the branches);
 * `expand` — branch-free: rebuild the group's 4 dense weights with selects and do 4 FMAs per row
 * (dense FLOPs, zeros included; a comparison point for the branching modes).
 */
export const DECODE_MODES = ["pair", "split", "expand"] as const;
/** A decode mode. */
export type DecodeMode = typeof DECODE_MODES[number];

/**
 * Everything that changes the generated GEMM text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: Sparse24GemmOptions = {
 *   dtype: "f32", m: 2048, k: 4096, n: 14336, tile: SPARSE_GEMM_TILES["256x128"]!, decode: "pair",
 * };
 * assert.match(sparse24GemmWgsl(o).code, /switch/); // the warp-uniform pattern switch
 * assert.deepEqual(sparse24GemmDispatch(o), [14336 / 128, 2048 / 256, 1]);
 * ```
 */
export interface Sparse24GemmOptions {
  dtype: DType;
  m: number;
  k: number;
  n: number;
  tile: Sparse24Tile;
  decode: DecodeMode;
  /**
   * Split K over this many workgroups along z (default 1). With splitK > 1 each writes an f32
   * partial plane (M×N) to binding 3, and the split-K reduce pass sums them into Y.
   */
  splitK?: number;
}

/**
 * The split count actually used for `requested` splits of K: every split gets
 * ⌈slabs/requested⌉ slabs, so trailing splits that would get none are dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(usedSplitK(1120, 32) === 24); // 70 slabs of 16: 3 per split
 * assert.ok(usedSplitK(4096, 8) === 8);
 * ```
 */
export function usedSplitK(k: number, requested: number): number {
  const slabs = paddedDims(k, 4).kp / SLAB_K;
  return Math.ceil(slabs / Math.ceil(slabs / Math.max(1, requested)));
}

/**
 * Picks split-K for the sparse GEMM: the fewest splits that give at least 132 workgroups for the
 * 8-row-lane tiles (128 accumulator registers a lane: about one workgroup per SM of a 132-SM GPU)
 * or 200 for the 4-row-lane tiles, keeping ≥ 8 slabs (128 of K) per split; never for K < 1024.
 * Without it a small grid runs at the latency of one workgroup's whole K loop, whatever N. The
 * targets are fitted to runs of the `sparse24` suite: they pick the fastest split measured at
 * every shape; more splits cost a little, fewer cost much more.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(autoSparseSplitK(2048, 4096, 14336, SPARSE_GEMM_TILES["256x128"]!) === 1);
 * assert.ok(autoSparseSplitK(128, 2048, 2048, SPARSE_GEMM_TILES["128x64"]!) === 8);
 * assert.ok(autoSparseSplitK(2048, 4096, 4096, SPARSE_GEMM_TILES["256x128"]!) === 1);
 * ```
 */
export function autoSparseSplitK(m: number, k: number, n: number, tile: Sparse24Tile): number {
  const { bm, bn } = tileDims(tile);
  return splitKForGrid(Math.ceil(m / bm) * Math.ceil(n / bn), k, tile.tm === 4 ? 200 : 132);
}

/**
 * The split-K rule of both sparse GEMMs: the fewest splits (a power of two ≤ 32) that give a grid
 * of `groups` workgroups at least `target`, keeping ≥ 128 rows of K per split; 1 for K < 1024.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(splitKForGrid(32, 2048, 200) === 8 && splitKForGrid(32, 512, 200) === 1);
 * ```
 */
export function splitKForGrid(groups: number, k: number, target: number): number {
  if (k < 1024) return 1;
  let s = 1;
  while (groups * s < target && k / (s * 2) >= 128 && s < 32) s *= 2;
  return s;
}

/** K rows per slab (4 groups, half a metadata word). */
export const SLAB_K = 16;

/**
 * Global → registers `${reg}0…` for one X slab of the sparse GEMMs: `slots` vec4s, 4 along K per
 * row from (`rowBase`, `k0`), as f32, zero outside M×K (vec4 loads when K % 4 == 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(loadXSlab(256, "  ", "la_", 512, 4096).join("\n").includes("la_1 = vec4<f32>(X["));
 * ```
 */
export function loadXSlab(
  threads: number,
  ind: string,
  reg: string,
  slots: number,
  k: number,
): string[] {
  return loadSlabRegs(
    threads,
    ind,
    xSlab({
      reg,
      slots,
      perRow: 4,
      rowBound: "M",
      colBound: "K",
      vec4: k % 4 === 0 ? `vec4<f32>(X[gr * ${k / 4}u + gk / 4u])` : null,
      scalar: (c) => `f32(X[gr * K + gk + ${c}u])`,
    }),
  );
}

/** Rows and columns of a tile's workgroup. */
export function tileDims(t: Sparse24Tile): { bm: number; bn: number; threads: number } {
  return { bm: 32 * t.tm, bn: t.wc * t.tn, threads: 32 * t.wc };
}

/**
 * Picks a tile: 8-row lanes (less decode per FMA) when M fills them and there are enough
 * workgroups for a 132-SM GPU, else 4-row lanes, narrower tiles for narrow N.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(autoSparseTile(2048, 14336) === "256x128");
 * assert.ok(autoSparseTile(128, 4096) === "128x64");
 * ```
 */
export function autoSparseTile(m: number, n: number): string {
  for (const name of ["256x128", "256x64", "128x128", "128x64"]) {
    const { bm, bn } = tileDims(SPARSE_GEMM_TILES[name]!);
    if (m < bm) continue;
    if (Math.ceil(m / bm) * Math.ceil(n / bn) >= 120) return name;
  }
  return "128x64";
}

/**
 * The (i0, i1) pairs of the 6 valid patterns and their nibble `i0 | i1 << 2`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(PATTERNS.length === 6 && PATTERNS[0]!.nibble === 4);
 * ```
 */
export const PATTERNS: readonly { i0: number; i1: number; nibble: number }[] = [
  [0, 1],
  [0, 2],
  [0, 3],
  [1, 2],
  [1, 3],
  [2, 3],
].map(([i0, i1]) => ({ i0: i0!, i1: i1!, nibble: i0! | (i1! << 2) }));

/**
 * Generates the sparse GEMM shader. Bindings: 0 = X (M×K), 1 = values ((kp/2)×np as vec4s),
 * 2 = metadata ((kp/32)×np as vec4<u32>), 3 = Y (M×N). Dispatch `sparse24GemmDispatch(o)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { code } = sparse24GemmWgsl({
 *   dtype: "f32", m: 37, k: 100, n: 53, tile: SPARSE_GEMM_TILES["128x64"]!, decode: "pair",
 * });
 * assert.ok(code.includes("switch") && code.includes("case 14u"));
 * ```
 */
export function sparse24GemmWgsl(o: Sparse24GemmOptions): WgslCode {
  const { dtype: T, m, k, n, tile, decode } = o;
  const splitK = o.splitK ?? 1;
  if (!Number.isInteger(splitK) || splitK < 1) {
    throw new RangeError(`splitK must be an integer ≥ 1, got ${splitK}`);
  }
  const { tm, tn, wc } = tile;
  if (tm !== 4 && tm !== 8) throw new RangeError(`tile tm must be 4 or 8, got ${tm}`);
  if (tn % 4 !== 0 || tn < 4) throw new RangeError(`tile tn must be a multiple of 4, got ${tn}`);
  if (!(wc >= 1)) throw new RangeError(`tile wc must be ≥ 1, got ${wc}`);
  const { bm, bn, threads } = tileDims(tile);
  const { kp } = paddedDims(k, n);
  const bm4 = bm / 4;
  const bn4 = bn / 4;
  const yvec = n % 4 === 0;
  const slabs = kp / SLAB_K;
  const slabsPer = Math.ceil(slabs / splitK); // slabs per split (the last may have fewer)
  const aVecs = (bm * SLAB_K) / 4; // vec4 of X per slab (4 along K each)
  const vVecs = 8 * bn4; // vec4 of values per slab
  const aLoads = Math.ceil(aVecs / threads);
  const vLoads = Math.ceil(vVecs / threads);
  const mi = tm / 4; // vec4 row blocks per lane
  const L: string[] = [];
  L.push(
    ...sparse24Consts(m, k, n),
    `var<workgroup> As: array<vec4<f32>, ${SLAB_K * bm4}>;`,
    `var<workgroup> Vs: array<vec4<f32>, ${vVecs}>;`,
    `var<workgroup> Ms: array<vec4<u32>, ${bn4}>;`,
    "",
    ...computeMain(threads),
    "  let lane = lid % 32u;",
    "  let warp = lid / 32u;",
    `  let rowBase = wid.y * ${bm}u;`,
    `  let col4Base = wid.x * ${bn4}u;`,
    `  let wq = warp * ${tn / 4}u; // this warp's first column vec4 within the tile`,
  );
  for (let i = 0; i < mi; i++) {
    for (let c = 0; c < tn; c++) L.push(`  var acc_${i}_${c} = vec4<f32>(0.0);`);
  }
  for (let l = 0; l < aLoads; l++) L.push(`  var la_${l} = vec4<f32>(0.0);`);
  for (let l = 0; l < vLoads; l++) L.push(`  var lv_${l} = vec4<f32>(0.0);`);
  L.push("  var lm = vec4<u32>(0u);");

  // Global → registers for slab `t` (k0 = 16·t).
  const loadSlab = (ind: string): string[] => {
    const out: string[] = [];
    out.push(...loadXSlab(threads, ind, "la_", aVecs, k));
    for (let l = 0; l < vLoads; l++) {
      const guard = (l + 1) * threads > vVecs ? `lid + ${l * threads}u < ${vVecs}u && ` : "";
      out.push(
        `${ind}{`,
        `${ind}  let e = lid + ${l * threads}u;`,
        `${ind}  let gc = col4Base + e % ${bn4}u;`,
        `${ind}  lv_${l} = vec4<f32>(0.0);`,
        `${ind}  if (${guard}gc < NP4) { lv_${l} = vec4<f32>(V[(t * 8u + e / ${bn4}u) * NP4 + gc]); }`,
        `${ind}}`,
      );
    }
    out.push(
      `${ind}lm = vec4<u32>(0u);`,
      `${ind}if (lid < ${bn4}u && col4Base + lid < NP4) { lm = Meta[(t / 2u) * NP4 + col4Base + lid]; }`,
    );
    return out;
  };
  // Registers → workgroup memory (X transposed to [k][m]).
  const storeSlab = (ind: string): string[] => [
    ...storeSlabTransposed(threads, ind, {
      reg: "la_",
      slots: aVecs,
      perRow: 4,
      // XOR swizzle of the row-vec4 by 2·kq: the 4 K-quads a warp stores land in distinct
      // banks (readers undo it with lane ^ 2·gg).
      lets: [`let slot = kq * ${bm}u + ((row / 4u) ^ (kq * 2u));`, "let part = row % 4u;"],
      store: (c, v) => `As[slot + ${c * bm4}u][part] = ${v};`,
    }),
    ...storeSlabRegs(threads, ind, "lv_", vVecs, "Vs"),
    `${ind}if (lid < ${bn4}u) { Ms[lid] = lm; }`,
  ];
  const fmaRows = (ind: string, x: number, v: string, col: number): string[] =>
    Array.from(
      { length: mi },
      (_, i) => `${ind}acc_${i}_${col} = fma(x${x}_${i}, vec4<f32>(${v}), acc_${i}_${col});`,
    );
  // One case of the 6-way switch: the 2·TM/4 vec4 FMAs of a column, in an order that depends
  // on the case so that the cases end differently. Cases that differ only in which X register
  // they read invite a compiler to sink the common FMAs below the switch and select X instead
  // (a phi per operand, i.e. a move per FMA); distinct endings keep the tails from matching.
  const caseBody = (
    ind: string,
    i0: number,
    i1: number,
    cc: number,
    col: number,
    pi: number,
  ): string[] => {
    const ops: string[] = [];
    const kept = pi % 2 === 0 ? [[i0, "v0"], [i1, "v1"]] : [[i1, "v1"], [i0, "v0"]];
    const blocks = Array.from({ length: mi }, (_, i) => i);
    if ((pi >> 1) % 2 === 1) blocks.reverse();
    for (const [x, v] of kept) {
      for (const i of blocks) {
        ops.push(
          `${ind}acc_${i}_${col} = fma(x${x}_${i}, vec4<f32>(${v}[${cc}]), acc_${i}_${col});`,
        );
      }
    }
    return ops;
  };
  const compute = (ind: string): string[] => {
    const out: string[] = [];
    out.push(`${ind}let sh0 = (t % 2u) * 16u;`);
    out.push(`${ind}for (var gg = 0u; gg < 4u; gg++) {`);
    const i2 = ind + "  ";
    out.push(`${i2}let sh = sh0 + gg * 4u;`);
    out.push(`${i2}let lx = lane ^ (gg * 2u);`);
    for (let c = 0; c < 4; c++) {
      for (let i = 0; i < mi; i++) {
        out.push(`${i2}let x${c}_${i} = As[(gg * 4u + ${c}u) * ${bm4}u + ${32 * i}u + lx];`);
      }
    }
    for (let q = 0; q < tn / 4; q++) {
      out.push(
        `${i2}{`,
        `${i2}  let v0 = Vs[gg * ${2 * bn4}u + wq + ${q}u];`,
        `${i2}  let v1 = Vs[gg * ${2 * bn4}u + ${bn4}u + wq + ${q}u];`,
        `${i2}  let mq = Ms[wq + ${q}u];`,
      );
      const i3 = i2 + "  ";
      for (let cc = 0; cc < 4; cc++) {
        const col = 4 * q + cc;
        if (decode === "expand") {
          out.push(
            `${i3}{`,
            `${i3}  let nib = (mq[${cc}] >> sh) & 15u;`,
            `${i3}  let i0 = nib & 3u;`,
            `${i3}  let i1 = nib >> 2u;`,
            `${i3}  let w0 = select(0.0, v0[${cc}], i0 == 0u);`,
            `${i3}  let w1 = select(select(0.0, v0[${cc}], i0 == 1u), v1[${cc}], i1 == 1u);`,
            `${i3}  let w2 = select(select(0.0, v0[${cc}], i0 == 2u), v1[${cc}], i1 == 2u);`,
            `${i3}  let w3 = select(0.0, v1[${cc}], i1 == 3u);`,
          );
          for (let c = 0; c < 4; c++) out.push(...fmaRows(`${i3}  `, c, `w${c}`, col));
          out.push(`${i3}}`);
        } else if (decode === "pair") {
          out.push(`${i3}switch ((mq[${cc}] >> sh) & 15u) {`);
          PATTERNS.forEach((p, pi) => {
            out.push(`${i3}  case ${p.nibble}u: {`);
            out.push(...caseBody(`${i3}    `, p.i0, p.i1, cc, col, pi));
            out.push(`${i3}  }`);
          });
          out.push(`${i3}  default: {}`, `${i3}}`);
        } else {
          out.push(`${i3}switch ((mq[${cc}] >> sh) & 3u) {`);
          for (const i0 of [0, 1, 2]) {
            out.push(`${i3}  case ${i0}u: {`, ...fmaRows(`${i3}    `, i0, `v0[${cc}]`, col));
            out.push(`${i3}  }`);
          }
          out.push(`${i3}  default: {}`, `${i3}}`);
          out.push(`${i3}switch ((mq[${cc}] >> (sh + 2u)) & 3u) {`);
          for (const i1 of [1, 2, 3]) {
            out.push(`${i3}  case ${i1}u: {`, ...fmaRows(`${i3}    `, i1, `v1[${cc}]`, col));
            out.push(`${i3}  }`);
          }
          out.push(`${i3}  default: {}`, `${i3}}`);
        }
      }
      out.push(`${i2}}`);
    }
    out.push(`${ind}}`);
    return out;
  };

  // This workgroup's slabs: all of K, or split wid.z's share of them.
  L.push(`  let sBegin = wid.z * ${slabsPer}u;`);
  L.push(`  let sEnd = min(sBegin + ${slabsPer}u, ${slabs}u);`);
  L.push(...prefetchLoop({
    ind: "  ",
    firstLets: ["let t = sBegin;", `let k0 = t * ${SLAB_K}u;`],
    loop: "for (var s = sBegin; s < sEnd; s++)",
    bodyLets: [],
    more: "s + 1u < sEnd",
    nextLets: ["let t = s + 1u;", `let k0 = t * ${SLAB_K}u;`],
    load: loadSlab,
    compute: (ind) => [`${ind}{`, `${ind}  let t = s;`, ...compute(`${ind}  `), `${ind}}`],
    store: storeSlab,
  }));

  // Epilogue: lane rows × the warp's columns, vec4 across 4 columns per row.
  for (let i = 0; i < mi; i++) {
    for (let r = 0; r < 4; r++) {
      L.push("  {");
      L.push(`    let gr = rowBase + (${32 * i}u + lane) * 4u + ${r}u;`);
      L.push("    if (gr < M) {");
      for (let q = 0; q < tn / 4; q++) {
        const comps = [0, 1, 2, 3].map((cc) => `acc_${i}_${4 * q + cc}[${r}]`);
        L.push("      {", `        let gc = (col4Base + wq + ${q}u) * 4u;`);
        // Split-K: the f32 partial plane of split wid.z, laid out like Y.
        const plane = splitK > 1
          ? (yvec ? `wid.z * ${(m * n) / 4}u + ` : `wid.z * ${m * n}u + `)
          : "";
        const OT = splitK > 1 ? "f32" : T;
        if (yvec) {
          L.push(
            `        if (gc < N) { Y[${plane}gr * ${n / 4}u + gc / 4u] = vec4<${OT}>(vec4<f32>(${
              comps.join(", ")
            })); }`,
          );
        } else {
          for (let cc = 0; cc < 4; cc++) {
            L.push(
              `        if (gc + ${cc}u < N) { Y[${plane}gr * N + gc + ${cc}u] = ${OT}(${
                comps[cc]
              }); }`,
            );
          }
        }
        L.push("      }");
      }
      L.push("    }", "  }");
    }
  }
  L.push("}");
  const OT = splitK > 1 ? "f32" : T; // split-K writes f32 partial planes
  const bindings = sparse24Bindings(T, k, yvec ? `vec4<${OT}>` : OT);
  return wgslCode(bindings, L, {
    f16: T === "f16",
    header:
      `// tilebench sparse24 GEMM ${m}x${k}x${n} ${T} tile=${bm}x${bn} lane=${tm}x${tn} warps=${wc} decode=${decode} splitK=${splitK}`,
  });
}

/**
 * Workgroup counts (x, y, z) of a sparse GEMM.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const g = sparse24GemmDispatch({
 *   dtype: "f32", m: 300, k: 64, n: 200, tile: SPARSE_GEMM_TILES["256x128"]!, decode: "pair",
 * });
 * assert.ok(g[0] === 2 && g[1] === 2 && g[2] === 1);
 * ```
 */
export function sparse24GemmDispatch(o: Sparse24GemmOptions): [number, number, number] {
  const { bm, bn } = tileDims(o.tile);
  return [Math.ceil(o.n / bn), Math.ceil(o.m / bm), o.splitK ?? 1];
}
