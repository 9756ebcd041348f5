/**
 * The packed-half pieces of the dense GEMM (`math: "f16x2"`, f16 storage): slabs staged in
 * workgroup memory as `vec4<f16>` (half the bytes of the f32 staging), the register-blocked product
 * in `vec4<f16>` FMAs (two packed-half instructions each) into half partial sums, carried into the
 * f32 accumulators every {@link HALF_GEMM_CARRY} rows of K.
 *
 * @module
 */

import {
  blockFmaStep,
  slabLoop,
  type SlabOffsets,
  type SlabTile,
  storeATransposed,
} from "../wgsl/mod.ts";

/** Rows of K summed in a half partial before it is carried into f32 (the 2:4 gather's cadence). */
export const HALF_GEMM_CARRY = 8;

/**
 * The half partials' declarations: `h_<row>_<j>`, one per f32 accumulator.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(halfPartials({ bm: 16, bn: 64, bk: 16, tm: 4, tn: 4 })[0], "  var h_0_0 = vec4<f16>(0.0);");
 * ```
 */
export function halfPartials(tile: SlabTile): string[] {
  const out: string[] = [];
  for (let r = 0; r < tile.tm; r++) {
    for (let j = 0; j < tile.tn / 4; j++) out.push(`  var h_${r}_${j} = vec4<f16>(0.0);`);
  }
  return out;
}

/**
 * Staged registers (`la_`, `lb_`, vec4<f32>) → `vec4<f16>` workgroup memory: X transposed to
 * [k][m] as in the f32 GEMM, W as is; each value narrowed to f16 (exact: the data are f16).
 * `at`: the buffer's first slots (double-buffered tiles).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = storeSlabHalf({ bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 }, 256, "  ");
 * assert.ok(lines.some((l) => l.includes("= f16(la_0[0]);")));
 * assert.ok(lines.includes("  { Bs[lid + 0u] = vec4<f16>(lb_0); }"));
 * ```
 */
export function storeSlabHalf(
  tile: SlabTile,
  threads: number,
  indent: string,
  at: SlabOffsets = { a: 0, b: 0 },
): string[] {
  const { bn, bk } = tile;
  const out = storeATransposed(tile, threads, indent, at.a, (v) => `f16(${v})`);
  const slots = (bk * bn) / 4;
  for (let l = 0; l < Math.ceil(slots / threads); l++) {
    const guarded = (l + 1) * threads > slots;
    out.push(
      `${indent}${guarded ? `if (lid + ${l * threads}u < ${slots}u) ` : ""}{ Bs[lid + ${
        l * threads + at.b
      }u] = vec4<f16>(lb_${l}); }`,
    );
  }
  return out;
}

/**
 * The register-blocked product of one slab in packed halves: `h_<row>_<j> = fma(a, b, h)` with
 * `vec4<f16>` operands, and after every {@link HALF_GEMM_CARRY} rows of K (and at the slab's end)
 * `acc_<row>_<j> += vec4<f32>(h_<row>_<j>)`, the partial cleared. `at`: the slabs' first slots;
 * `carry`: rows of K a partial holds (at most BK: a partial never spans two slabs); `rows`: arrays
 * of K rows (`slabReads`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = registerBlockFmaHalf({ bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 }, "  ");
 * assert.equal(lines.filter((l) => l.includes("fma(")).length, 16 * 4);
 * assert.equal(lines.filter((l) => l.includes("+= vec4<f32>(h_0_0)")).length, 16 / 8);
 * ```
 */
export function registerBlockFmaHalf(
  tile: SlabTile,
  indent: string,
  at: SlabOffsets = { a: 0, b: 0 },
  carry = HALF_GEMM_CARRY,
  rows = false,
): string[] {
  const { bk, tm, tn } = tile;
  const out: string[] = [];
  for (let kk = 0; kk < bk; kk++) {
    out.push(...blockFmaStep(tile, kk, indent, at, rows, "h", "f16"));
    if ((kk + 1) % carry === 0 || kk === bk - 1) {
      for (let r = 0; r < tm; r++) {
        for (let j = 0; j < tn / 4; j++) {
          out.push(
            `${indent}acc_${r}_${j} += vec4<f32>(h_${r}_${j});`,
            `${indent}h_${r}_${j} = vec4<f16>(0.0);`,
          );
        }
      }
    }
  }
  return out;
}

/**
 * The software-pipelined K loop of the half GEMM (`slabLoop` with the half store and product).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = slabLoopHalf({ bm: 16, bn: 64, bk: 16, tm: 4, tn: 4 }, 4, "0u", () => [], 64);
 * assert.equal(lines[0], "  let numSlabs = 4u;");
 * ```
 */
export function slabLoopHalf(
  tile: SlabTile,
  numSlabs: number,
  kStart: string,
  loadSlab: (indent: string) => string[],
  threads: number,
  carry = HALF_GEMM_CARRY,
): string[] {
  return slabLoop(
    tile,
    numSlabs,
    kStart,
    loadSlab,
    (ind) => storeSlabHalf(tile, threads, ind),
    (ind) => registerBlockFmaHalf(tile, ind, { a: 0, b: 0 }, carry),
  );
}
