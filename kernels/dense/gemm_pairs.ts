/**
 * The packed-half GEMM with slabs staged as pairs (`halfStage: pairs`): each X value stored twice,
 * `vec2<f16>(x, x)`, four rows of M an element (one 16-byte read gives a thread four ready
 * operands, no splat); W's `TN` columns of a thread side by side as `TN/2` `vec2<f16>` pairs (one
 * read a row of K). The product is `vec2<f16>` FMAs, one packed-half instruction each, into half
 * partials carried into the f32 accumulators as in `gemm_half.ts`. Thread columns stay interleaved
 * (vec4 column `tx + j·TX`), so the epilogue is the f32 GEMM's.
 *
 * @module
 */

import {
  aRowSlot,
  aSlabSlots,
  rowSkew,
  type SlabOffsets,
  type SlabTile,
  storeATransposed,
} from "../wgsl/mod.ts";
import { rowSlots, storeARows, xSlabSlots } from "./gemm_rows.ts";

/** W pairs a slab element holds: the thread's TN columns, two a pair. */
function pairsPerElement(tile: SlabTile): number {
  return tile.tn / 2;
}

/** Thread columns of the tile (TX). */
function threadCols(tile: SlabTile): number {
  return tile.bn / tile.tn;
}

/**
 * Workgroup arrays of the pairs staging: `As` (BM/4 elements a row of K, each 4 rows of X as
 * `(x, x)` pairs; with `skew`, room for the K-quads' shifts: `aSlabSlots`) and `Bs` (TX elements a
 * row of K, each a thread's TN columns as pairs), times `buffers`; with `rows`, arrays of K rows
 * (`As[k][m/4]`, `Bs[k][tx]`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t = { bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 };
 * assert.deepEqual(pairArrays(t, 1), [
 *   "var<workgroup> As: array<array<vec2<f16>, 4>, 256>;",
 *   "var<workgroup> Bs: array<array<vec2<f16>, 4>, 256>;",
 * ]);
 * assert.equal(pairArrays(t, 2, true)[1], "var<workgroup> Bs: array<array<array<vec2<f16>, 4>, 16>, 32>;");
 * assert.equal(pairArrays(t, 1, false, true)[0], "var<workgroup> As: array<array<vec2<f16>, 4>, 262>;");
 * ```
 */
export function pairArrays(tile: SlabTile, buffers: 1 | 2, rows = false, skew = false): string[] {
  if (rows) {
    const k = tile.bk * buffers;
    return [
      `var<workgroup> As: array<array<array<vec2<f16>, 4>, ${rowSlots(tile, skew)}>, ${k}>;`,
      `var<workgroup> Bs: array<array<array<vec2<f16>, ${pairsPerElement(tile)}>, ${
        threadCols(tile)
      }>, ${k}>;`,
    ];
  }
  return [
    `var<workgroup> As: array<array<vec2<f16>, 4>, ${aSlabSlots(tile, skew) * buffers}>;`,
    `var<workgroup> Bs: array<array<vec2<f16>, ${pairsPerElement(tile)}>, ${
      threadCols(tile) * tile.bk * buffers
    }>;`,
  ];
}

/**
 * Bytes of workgroup memory the pairs staging takes: X at 4 bytes a value (two halves; 16 bytes a
 * slot; with `skew`, the K-quads' shifts, in every row of K with `rows`), W at 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(pairBytes({ bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 }, 2), 2 * (4096 + 4096));
 * assert.equal(pairBytes({ bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 }, 2, false, true), 2 * (4096 + 96 + 4096));
 * ```
 */
export function pairBytes(tile: SlabTile, buffers: 1 | 2, rows = false, skew = false): number {
  return (xSlabSlots(tile, rows, skew) * 16 + tile.bn * 2 * tile.bk) * buffers;
}

/**
 * The half partials of the pairs product: `h_<row>_<q>`, a `vec2<f16>` for each pair of a thread's
 * columns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = pairPartials({ bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 });
 * assert.equal(p.length, 16);
 * assert.equal(p[15], "  var h_3_3 = vec2<f16>(0.0);");
 * ```
 */
export function pairPartials(tile: SlabTile): string[] {
  const out: string[] = [];
  for (let r = 0; r < tile.tm; r++) {
    for (let q = 0; q < pairsPerElement(tile); q++) out.push(`  var h_${r}_${q} = vec2<f16>(0.0);`);
  }
  return out;
}

/**
 * Where the pairs staging keeps W's vec4 column `c` of slab row `kk` (WGSL expressions): element
 * `kk·TX + c % TX` of `Bs`, and in it the pair `2·(c / TX)` (lanes 0 and 1; lanes 2 and 3 are the
 * next pair). The one statement of the flat layout `registerBlockFmaPairs` reads, for every staging
 * that writes it; row slabs (`storeSlabPairRows`) keep the same element and pair as `Bs[k][c % TX]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(pairSlot({ bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 }, "kk", "c"), {
 *   el: "kk * 16u + c % 16u",
 *   pair: "(c / 16u) * 2u",
 * });
 * ```
 */
export function pairSlot(tile: SlabTile, kk: string, c: string): { el: string; pair: string } {
  const TX = threadCols(tile);
  return { el: `${kk} * ${TX}u + ${c} % ${TX}u`, pair: `(${c} / ${TX}u) * 2u` };
}

/** The slab's first element in `Bs` for a buffer offset given in vec4 slots. */
function bElement(tile: SlabTile, at: SlabOffsets): number {
  return at.b / (tile.tn / 4);
}

/**
 * Staged registers (`la_`, `lb_`, vec4<f32>) → the pairs staging: X transposed to [k][m], each
 * value narrowed to f16 and stored twice; W's vec4 column `c` of row `kk` into element
 * `kk·TX + c % TX`, pairs `2·(c / TX)` and the next. `at`: the slabs' first slots in vec4s, as
 * the other stagings count them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = storeSlabPairs({ bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 }, 256, "  ");
 * assert.ok(lines.some((l) => l.includes("= vec2<f16>(f16(la_0[0]));")));
 * assert.ok(lines.some((l) => l.includes("Bs[el][p + 1u] = vec2<f16>(lb_0.zw);")));
 * ```
 */
export function storeSlabPairs(
  tile: SlabTile,
  threads: number,
  indent: string,
  at: SlabOffsets = { a: 0, b: 0 },
  rows = false,
  skew = false,
): string[] {
  const { bn, bk } = tile;
  const narrow = (v: string) => `vec2<f16>(f16(${v}))`;
  if (rows) return storeSlabPairRows(tile, threads, indent, at.b / ((bk * bn) / 4), narrow, skew);
  const out = storeATransposed(tile, threads, indent, at.a, narrow, skew);
  const slot = pairSlot(tile, `(e / ${bn / 4}u)`, "c");
  const bSlots = (bk * bn) / 4;
  const base = bElement(tile, at);
  for (let l = 0; l < Math.ceil(bSlots / threads); l++) {
    const guarded = (l + 1) * threads > bSlots;
    out.push(
      `${indent}${guarded ? `if (lid + ${l * threads}u < ${bSlots}u) ` : ""}{`,
      `${indent}  let e = lid + ${l * threads}u;`,
      `${indent}  let c = e % ${bn / 4}u;`,
      `${indent}  let el = ${slot.el}${base ? ` + ${base}u` : ""};`,
      `${indent}  let p = ${slot.pair};`,
      `${indent}  Bs[el][p] = vec2<f16>(lb_${l}.xy);`,
      `${indent}  Bs[el][p + 1u] = vec2<f16>(lb_${l}.zw);`,
      `${indent}}`,
    );
  }
  return out;
}

/**
 * {@link storeSlabPairs} into row slabs (`pairArrays` with `rows`): slab `buffer` starts at row
 * `buffer·BK` of `As` and `Bs`; X's element `As[k][m/4 (+ skew)]`, W's `Bs[k][c % TX]`.
 */
function storeSlabPairRows(
  tile: SlabTile,
  threads: number,
  indent: string,
  buffer: number,
  narrow: (v: string) => string,
  skew: boolean,
): string[] {
  const { bn, bk } = tile;
  const first = buffer * bk;
  const TX = threadCols(tile);
  const out = storeARows(tile, threads, indent, buffer, narrow, skew);
  const bSlots = (bk * bn) / 4;
  for (let l = 0; l < Math.ceil(bSlots / threads); l++) {
    const guarded = (l + 1) * threads > bSlots;
    out.push(
      `${indent}${guarded ? `if (lid + ${l * threads}u < ${bSlots}u) ` : ""}{`,
      `${indent}  let e = lid + ${l * threads}u;`,
      `${indent}  let kr = e / ${bn / 4}u${first ? ` + ${first}u` : ""};`,
      `${indent}  let c = e % ${bn / 4}u;`,
      `${indent}  let p = (c / ${TX}u) * 2u;`,
      `${indent}  Bs[kr][c % ${TX}u][p] = vec2<f16>(lb_${l}.xy);`,
      `${indent}  Bs[kr][c % ${TX}u][p + 1u] = vec2<f16>(lb_${l}.zw);`,
      `${indent}}`,
    );
  }
  return out;
}

/**
 * The pairs product of one slab: for each row of K, the thread's X elements `a<i>` (rows
 * `ty + i·TY`) and its W element `bp`, `h_<row>_<q> = fma(a<i>[r], bp[q], h_<row>_<q>)`; after every
 * `carry` rows (and at the slab's end) `acc_<row>_<j> += vec4<f32>(h pairs 2j and 2j + 1)`, the
 * partials cleared.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = registerBlockFmaPairs({ bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 }, "  ", undefined, 16);
 * assert.equal(lines.filter((l) => l.includes("fma(")).length, 16 * 16);
 * assert.ok(lines.includes("    let bp = Bs[16u + tx];"));
 * assert.ok(lines.includes("  acc_3_1 += vec4<f32>(vec2<f32>(h_3_2), vec2<f32>(h_3_3));"));
 * ```
 */
export function registerBlockFmaPairs(
  tile: SlabTile,
  indent: string,
  at: SlabOffsets = { a: 0, b: 0 },
  carry: number,
  rows = false,
  skew = false,
): string[] {
  const { bm, bn, bk, tm, tn } = tile;
  const first = at.b / ((bk * bn) / 4) * bk; // row slabs: the buffer's first row
  const TX = threadCols(tile);
  const TY = bm / tm;
  const pairs = pairsPerElement(tile);
  const base = bElement(tile, at);
  const out: string[] = [];
  for (let kk = 0; kk < bk; kk++) {
    out.push(`${indent}{`);
    for (let i = 0; i < tm / 4; i++) {
      out.push(
        rows
          ? `${indent}  let a${i} = As[${first + kk}u][ty + ${i * TY + rowSkew(bk, kk, skew)}u];`
          : `${indent}  let a${i} = As[${at.a + aRowSlot(tile, kk, skew)}u + ty + ${i * TY}u];`,
      );
    }
    out.push(
      rows
        ? `${indent}  let bp = Bs[${first + kk}u][tx];`
        : `${indent}  let bp = Bs[${base + kk * TX}u + tx];`,
    );
    for (let r = 0; r < tm; r++) {
      for (let q = 0; q < pairs; q++) {
        out.push(`${indent}  h_${r}_${q} = fma(a${r >> 2}[${r % 4}], bp[${q}], h_${r}_${q});`);
      }
    }
    out.push(`${indent}}`);
    if ((kk + 1) % carry === 0 || kk === bk - 1) {
      for (let r = 0; r < tm; r++) {
        for (let j = 0; j < tn / 4; j++) {
          out.push(
            `${indent}acc_${r}_${j} += vec4<f32>(vec2<f32>(h_${r}_${2 * j}), vec2<f32>(h_${r}_${
              2 * j + 1
            }));`,
          );
        }
        for (let q = 0; q < pairs; q++) out.push(`${indent}h_${r}_${q} = vec2<f16>(0.0);`);
      }
    }
  }
  return out;
}
