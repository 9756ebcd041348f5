/**
 * Workgroup slabs as arrays of K rows (`As[k][m/4]`, `Bs[k][n/4]`) instead of flat arrays: the
 * register-blocked product then reads `As[<constant row>][ty + i·TY]`, whose one runtime index is
 * the same for every row of K, so the bounds clamp WGSL puts on a runtime index (naga's `Restrict`
 * policy) is one value for the whole K loop instead of one per read (`slabReads`).
 *
 * @module
 */

import { aSlabSlots, rowSkew, type SlabTile, storeSlabTransposed, xSkew } from "../wgsl/mod.ts";

/**
 * The workgroup arrays of row slabs: `buffers` slabs of BK rows each, `vec4<f32>` or (packed
 * halves) `vec4<f16>`; an X row holds {@link rowSlots}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(rowArrays({ bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 }, false, 2), [
 *   "var<workgroup> As: array<array<vec4<f32>, 16>, 32>;",
 *   "var<workgroup> Bs: array<array<vec4<f32>, 32>, 32>;",
 * ]);
 * ```
 */
export function rowArrays(tile: SlabTile, half: boolean, buffers: number, skew = false): string[] {
  const e = half ? "f16" : "f32";
  const rows = tile.bk * buffers;
  return [
    `var<workgroup> As: array<array<vec4<${e}>, ${rowSlots(tile, skew)}>, ${rows}>;`,
    `var<workgroup> Bs: array<array<vec4<${e}>, ${tile.bn / 4}>, ${rows}>;`,
  ];
}

/**
 * vec4 slots of an X row of K: BM/4, and with `skew` room for the K-quads' shifts (`xSkew`, as in
 * the flat slabs: row k's values start `xSkew·⌊k/4⌋` slots in).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(rowSlots({ bm: 128, bn: 64, bk: 16, tm: 8, tn: 4 }), 32);
 * assert.equal(rowSlots({ bm: 128, bn: 64, bk: 16, tm: 8, tn: 4 }, true), 38);
 * ```
 */
export function rowSlots(tile: SlabTile, skew = false): number {
  return tile.bm / 4 + rowSkew(tile.bk, tile.bk - 1, skew);
}

/**
 * vec4 slots one X slab buffer takes: flat, `aSlabSlots`; in row slabs, BK rows of
 * {@link rowSlots}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t = { bm: 128, bn: 64, bk: 16, tm: 8, tn: 4 };
 * assert.equal(xSlabSlots(t, false, true), 518);
 * assert.equal(xSlabSlots(t, true, true), 16 * 38);
 * ```
 */
export function xSlabSlots(tile: SlabTile, rows: boolean, skew: boolean): number {
  return rows ? rowSlots(tile, skew) * tile.bk : aSlabSlots(tile, skew);
}

/**
 * Staged X registers (`la_`, vec4 along K of one row each) → slab `buffer` of the row arrays,
 * transposed to `As[k][m/4 (+ the K-quad's shift with `skew`)][lane]`, each value written as
 * `value(v)`: the X half of {@link storeSlabRows} and of the pairs staging's row slabs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = storeARows({ bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 }, 256, "", 1, (v) => v, true);
 * assert.ok(lines.includes("  let mv = row / 4u + kq * 2u;"));
 * assert.ok(lines.includes("  As[kr + 3u][mv][lane] = la_0[3];"));
 * ```
 */
export function storeARows(
  tile: SlabTile,
  threads: number,
  indent: string,
  buffer: number,
  value: (v: string) => string,
  skew: boolean,
): string[] {
  const { bm, bk } = tile;
  const first = buffer * bk;
  return storeSlabTransposed(threads, indent, {
    reg: "la_",
    slots: (bm * bk) / 4,
    perRow: bk / 4,
    lets: [
      `let kr = kq * 4u${first ? ` + ${first}u` : ""};`,
      skew ? `let mv = row / 4u + kq * ${xSkew(bk)}u;` : "let mv = row / 4u;",
      "let lane = row % 4u;",
    ],
    store: (c, v) => `As[kr + ${c}u][mv][lane] = ${value(v)};`,
  });
}

/**
 * Staged registers (`la_`, `lb_`: vec4 along K of an X row, vec4 along N of a W row) → slab
 * `buffer` of the row arrays: X transposed to `As[k][m/4][lane]`, W as `Bs[k][n/4]`, narrowed to
 * f16 with `half` (exact: the data are f16).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = storeSlabRows({ bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 }, 256, "", 1, false);
 * assert.ok(lines.includes("  As[kr + 3u][mv][lane] = la_0[3];"));
 * assert.ok(lines.includes("{ let e = lid + 256u; Bs[16u + e / 32u][e % 32u] = lb_1; }"));
 * ```
 */
export function storeSlabRows(
  tile: SlabTile,
  threads: number,
  indent: string,
  buffer: number,
  half: boolean,
  skew = false,
): string[] {
  const { bn, bk } = tile;
  const first = buffer * bk;
  const out = storeARows(tile, threads, indent, buffer, (v) => half ? `f16(${v})` : v, skew);
  const slots = (bk * bn) / 4;
  for (let l = 0; l < Math.ceil(slots / threads); l++) {
    const guard = (l + 1) * threads > slots ? `if (lid + ${l * threads}u < ${slots}u) ` : "";
    const v = half ? `vec4<f16>(lb_${l})` : `lb_${l}`;
    out.push(
      `${indent}${guard}{ let e = lid + ${l * threads}u; Bs[${first ? `${first}u + ` : ""}e / ${
        bn / 4
      }u][e % ${bn / 4}u] = ${v}; }`,
    );
  }
  return out;
}
