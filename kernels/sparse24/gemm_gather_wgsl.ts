/**
 * WGSL generator for the 2:4 sparse GEMM `Y = X·W̃` in the **gather** scheme: lanes own columns,
 * a warp's lanes share rows, and each kept weight's X operand is read from workgroup memory at
 * the row its index names.
 *
 * Why it can beat dense on CUDA cores: a lane holds 4 adjacent columns × TM rows of Y. For each
 * group of 4 along K and each of its columns it decodes the two kept indices and, per kept weight,
 * reads TM/4 `vec4` of X (4 rows each) from the X slab staged k-major in workgroup memory, at row
 * `4g + i` of the slab, then does TM/4 `vec4` FMAs. The 32 lanes of a warp read the same rows of X
 * at one of at most 3 slab rows per kept weight (i0 ∈ {0, 1, 2}, i1 ∈ {1, 2, 3}); the slab rows
 * are padded by one `vec4` so that those reads fall in distinct banks and a warp's read is one
 * broadcast wavefront. So there is no per-element select and no branch: one shared-memory load per
 * 4 FMAs, with only the useful half of the products. The weights are read straight from global
 * memory by the lane that uses them (a warp reads 512 contiguous bytes per value row), never
 * through workgroup memory.
 *
 * Layout: WM × WN warps; warp (wm, wn) owns rows `wm·TM …` and columns `(wn·32 + lane)·4 …` of
 * the BM = WM·TM × BN = WN·128 tile. K is walked in slabs of 16 (4 groups; a metadata word covers
 * two), X prefetched into registers one slab ahead and stored transposed; a slab's value rows
 * and metadata are loaded at its start. Edges: X loads and Y stores are guarded (any M, K, N);
 * the stored weights are padded (see format.ts), so weight loads only check the column bound.
 * Split-K as in `gemm_wgsl.ts` (f32 partial planes summed by the dense reduce pass).
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { paddedDims } from "./format.ts";
import { loadXSlab, SLAB_K, splitKForGrid } from "./gemm_wgsl.ts";
import { sparse24Bindings, sparse24Consts } from "./shader_inputs.ts";
import {
  computeMain,
  prefetchLoop,
  storeSlabTransposed,
  type WgslCode,
  wgslCode,
} from "../wgsl/mod.ts";

/**
 * Geometry of the gather GEMM: TM rows per lane (a multiple of 4), WM warps along M, WN along N
 * (128 columns each).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t: GatherTile = { tm: 16, wm: 4, wn: 2 }; // 64×256 tile, 256 threads
 * assert.deepEqual(gatherTileDims(t), { bm: 64, bn: 256, threads: 256 });
 * ```
 */
export interface GatherTile {
  tm: number;
  wm: number;
  wn: number;
}

/** Named gather tiles (`gBMxBN`). */
export const GATHER_TILES: Record<string, GatherTile> = {
  "g64x256": { tm: 16, wm: 4, wn: 2 },
  "g128x128": { tm: 16, wm: 8, wn: 1 },
  "g64x128": { tm: 16, wm: 4, wn: 1 },
  "g32x256": { tm: 8, wm: 4, wn: 2 },
  "g32x128": { tm: 8, wm: 4, wn: 1 },
};

/**
 * Everything that changes the generated gather GEMM text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: GatherGemmOptions = {
 *   dtype: "f32", m: 2048, k: 4096, n: 14336, tile: GATHER_TILES["g64x256"]!,
 * };
 * assert.match(gatherGemmWgsl(o).code, /@compute/);
 * assert.deepEqual(gatherGemmDispatch(o), [14336 / 256, 2048 / 64, 1]);
 * ```
 */
export interface GatherGemmOptions {
  dtype: DType;
  m: number;
  k: number;
  n: number;
  tile: GatherTile;
  /** Split K over this many workgroups along z (default 1; > 1 writes f32 partial planes). */
  splitK?: number;
  /**
   * f16 only: X staged as halves and the products summed in `vec4<f16>` (two packed-half FMAs a
   * vec4) over one slab (8 products a row and column), then carried into the f32 accumulators:
   * half the workgroup-memory bytes per product.
   */
  half?: boolean;
}

/**
 * Rows, columns and threads of a gather tile's workgroup.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(gatherTileDims(GATHER_TILES["g64x256"]!).threads === 256);
 * ```
 */
export function gatherTileDims(t: GatherTile): { bm: number; bn: number; threads: number } {
  return { bm: t.wm * t.tm, bn: t.wn * 128, threads: 32 * t.wm * t.wn };
}

/**
 * Picks a gather tile: 64×128 (128 threads, 16 rows a lane) when that gives two workgroups per
 * SM of a 132-SM GPU, else 32×128 (8 rows a lane). 64×128 is the best all-round tile of the
 * `sparse24-gather` experiment; the 256-thread tiles lose.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(autoGatherTile(2048, 14336) === "g64x128");
 * assert.ok(autoGatherTile(128, 4096) === "g32x128");
 * ```
 */
export function autoGatherTile(m: number, n: number): string {
  const { bm, bn } = gatherTileDims(GATHER_TILES["g64x128"]!);
  return Math.ceil(m / bm) * Math.ceil(n / bn) >= 264 ? "g64x128" : "g32x128";
}

/**
 * Generates the gather GEMM shader. Bindings as `sparse24GemmWgsl`: 0 = X (M×K), 1 = values
 * ((kp/2)×np as vec4s), 2 = metadata ((kp/32)×np as vec4<u32>), 3 = Y (M×N, or the f32 partial
 * planes with split-K). Dispatch `gatherGemmDispatch(o)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { code } = gatherGemmWgsl({ dtype: "f32", m: 37, k: 100, n: 53, tile: GATHER_TILES["g32x128"]! });
 * assert.ok(code.includes("Xs[k0].v[wm]") && !code.includes("switch"));
 * ```
 */
export function gatherGemmWgsl(o: GatherGemmOptions): WgslCode {
  const { dtype: T, m, k, n, tile } = o;
  const splitK = o.splitK ?? 1;
  if (!Number.isInteger(splitK) || splitK < 1) {
    throw new RangeError(`splitK must be an integer ≥ 1, got ${splitK}`);
  }
  const { tm, wm, wn } = tile;
  if (!(tm >= 4 && tm % 4 === 0)) {
    throw new RangeError(`tile tm must be a multiple of 4, got ${tm}`);
  }
  if (!(wm >= 1 && wn >= 1)) throw new RangeError(`tile wm and wn must be ≥ 1, got ${wm}, ${wn}`);
  const { bm, bn, threads } = gatherTileDims(tile);
  const { kp } = paddedDims(k, n);
  const yvec = n % 4 === 0;
  const slabs = kp / SLAB_K;
  const slabsPer = Math.ceil(slabs / splitK);
  const xVecs = (bm * SLAB_K) / 4; // vec4 of X per slab (4 along K each)
  const xLoads = Math.ceil(xVecs / threads);
  const ri = tm / 4; // vec4 row blocks per lane
  const OT = splitK > 1 ? "f32" : T;
  const half = o.half ?? false;
  if (half && T !== "f16") throw new RangeError(`half needs dtype f16, got ${T}`);
  const XT = half ? "f16" : "f32";
  const bindings = sparse24Bindings(T, k, yvec ? `vec4<${OT}>` : OT);
  const L: string[] = [];
  L.push(
    ...sparse24Consts(m, k, n),
    // One k row of the slab: the warps' row blocks, padded by one vec4 so that consecutive k rows
    // start an odd number of vec4s apart and the ≤ 3 rows a warp reads at once sit in distinct
    // banks.
    "struct XRow {",
    `  v: array<array<vec4<${XT}>, ${ri}>, ${wm}>,`,
    ...(((wm * ri) % 2 === 0) ? [`  pad: vec4<${XT}>,`] : []),
    "}",
    `var<workgroup> Xs: array<XRow, ${SLAB_K}>;`,
    "",
    ...computeMain(threads),
    "  let lane = lid % 32u;",
    "  let warp = lid / 32u;",
    `  let wm = warp % ${wm}u;`,
    `  let rowBase = wid.y * ${bm}u;`,
    `  let gc4 = wid.x * ${bn / 4}u + (warp / ${wm}u) * 32u + lane;`,
    "  let colLive = gc4 < NP4;",
  );
  for (let r = 0; r < ri; r++) {
    for (let c = 0; c < 4; c++) {
      L.push(`  var acc_${r}_${c} = vec4<f32>(0.0);`);
      if (half) L.push(`  var h_${r}_${c} = vec4<f16>(0.0);`);
    }
  }
  for (let l = 0; l < xLoads; l++) L.push(`  var lx_${l} = vec4<f32>(0.0);`);

  const loadX = (ind: string): string[] => loadXSlab(threads, ind, "lx_", xVecs, k);
  // Registers → Xs, transposed: element (row, 4·kq + c) to Xs[4·kq + c].v[row / TM][row % TM / 4][row % 4].
  const storeX = (ind: string): string[] =>
    storeSlabTransposed(threads, ind, {
      reg: "lx_",
      slots: xVecs,
      perRow: 4,
      lets: [`let rw = row / ${tm}u;`, `let rb = (row % ${tm}u) / 4u;`, "let part = row % 4u;"],
      store: (c, v) => `Xs[kq * 4u + ${c}u].v[rw][rb][part] = ${half ? `f16(${v})` : v};`,
    });
  // One slab: this lane's 8 value rows and metadata, then per group and column the two kept
  // weights, each against TM rows of X gathered from its slab row.
  const compute = (ind: string): string[] => {
    const out: string[] = [
      `${ind}var mq = vec4<u32>(0u);`,
      `${ind}if (colLive) { mq = Meta[(t / 2u) * NP4 + gc4]; }`,
      `${ind}let sh = (t % 2u) * 16u;`,
    ];
    for (let j = 0; j < 8; j++) {
      out.push(
        `${ind}var v${j} = vec4<${XT}>(0.0);`,
        `${ind}if (colLive) { v${j} = vec4<${XT}>(V[(t * 8u + ${j}u) * NP4 + gc4]); }`,
      );
    }
    const acc = (r: number, c: number) => half ? `h_${r}_${c}` : `acc_${r}_${c}`;
    for (let g = 0; g < 4; g++) {
      for (let c = 0; c < 4; c++) {
        out.push(
          `${ind}{`,
          `${ind}  let nib = (mq[${c}] >> (sh + ${4 * g}u)) & 15u;`,
          `${ind}  let k0 = ${4 * g}u + (nib & 3u);`,
          `${ind}  let k1 = ${4 * g}u + (nib >> 2u);`,
          `${ind}  let w0 = vec4<${XT}>(v${2 * g}[${c}]);`,
          `${ind}  let w1 = vec4<${XT}>(v${2 * g + 1}[${c}]);`,
        );
        for (let r = 0; r < ri; r++) {
          out.push(`${ind}  ${acc(r, c)} = fma(Xs[k0].v[wm][${r}], w0, ${acc(r, c)});`);
        }
        for (let r = 0; r < ri; r++) {
          out.push(`${ind}  ${acc(r, c)} = fma(Xs[k1].v[wm][${r}], w1, ${acc(r, c)});`);
        }
        out.push(`${ind}}`);
      }
    }
    if (half) {
      // The slab's half sums (8 products each) carried into f32.
      for (let r = 0; r < ri; r++) {
        for (let c = 0; c < 4; c++) {
          out.push(
            `${ind}acc_${r}_${c} = acc_${r}_${c} + vec4<f32>(h_${r}_${c});`,
            `${ind}h_${r}_${c} = vec4<f16>(0.0);`,
          );
        }
      }
    }
    return out;
  };

  L.push(`  let sBegin = wid.z * ${slabsPer}u;`);
  L.push(`  let sEnd = min(sBegin + ${slabsPer}u, ${slabs}u);`);
  L.push(...prefetchLoop({
    ind: "  ",
    firstLets: ["let k0 = sBegin * 16u;"],
    loop: "for (var s = sBegin; s < sEnd; s++)",
    bodyLets: [],
    more: "s + 1u < sEnd",
    nextLets: ["let k0 = (s + 1u) * 16u;"],
    load: loadX,
    compute: (ind) => [`${ind}{`, `${ind}  let t = s;`, ...compute(`${ind}  `), `${ind}}`],
    store: storeX,
  }));

  // Epilogue: row 4r + p of the lane's block, its 4 columns as one vec4.
  const plane = splitK > 1 ? (yvec ? `wid.z * ${(m * n) / 4}u + ` : `wid.z * ${m * n}u + `) : "";
  for (let r = 0; r < ri; r++) {
    for (let p = 0; p < 4; p++) {
      const comps = [0, 1, 2, 3].map((c) => `acc_${r}_${c}[${p}]`);
      L.push(
        "  {",
        `    let gr = rowBase + wm * ${tm}u + ${4 * r + p}u;`,
        "    let gc = gc4 * 4u;",
      );
      if (yvec) {
        L.push(
          `    if (gr < M && gc < N) { Y[${plane}gr * ${n / 4}u + gc4] = vec4<${OT}>(vec4<f32>(${
            comps.join(", ")
          })); }`,
        );
      } else {
        L.push("    if (gr < M) {");
        for (let c = 0; c < 4; c++) {
          L.push(
            `      if (gc + ${c}u < N) { Y[${plane}gr * N + gc + ${c}u] = ${OT}(${comps[c]}); }`,
          );
        }
        L.push("    }");
      }
      L.push("  }");
    }
  }
  L.push("}");
  return wgslCode(bindings, L, {
    f16: T === "f16",
    header:
      `// tilebench sparse24 gather GEMM ${m}x${k}x${n} ${T} tile=${bm}x${bn} lane=${tm}x4 warps=${wm}x${wn} splitK=${splitK} half=${half}`,
  });
}

/**
 * Workgroup counts (x, y, z) of a gather GEMM.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const g = gatherGemmDispatch({ dtype: "f32", m: 300, k: 64, n: 200, tile: GATHER_TILES["g64x128"]! });
 * assert.ok(g[0] === 2 && g[1] === 5 && g[2] === 1);
 * ```
 */
export function gatherGemmDispatch(o: GatherGemmOptions): [number, number, number] {
  const { bm, bn } = gatherTileDims(o.tile);
  return [Math.ceil(o.n / bn), Math.ceil(o.m / bm), o.splitK ?? 1];
}

/**
 * Picks split-K for the gather GEMM: the fewest splits that give at least 200 workgroups,
 * keeping ≥ 8 slabs (128 of K) per split; never for K < 1024 (`splitKForGrid`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(autoGatherSplitK(2048, 4096, 14336, GATHER_TILES["g64x256"]!) === 1);
 * assert.ok(autoGatherSplitK(128, 2048, 2048, GATHER_TILES["g32x128"]!) === 4);
 * ```
 */
export function autoGatherSplitK(m: number, k: number, n: number, tile: GatherTile): number {
  const { bm, bn } = gatherTileDims(tile);
  return splitKForGrid(Math.ceil(m / bm) * Math.ceil(n / bn), k, 200);
}
