/**
 * Tile-plane geometry of an STL case: padded dimensions and what padding was applied.
 *
 * @module
 */

import type { Shape } from "../../harness/types.ts";

/**
 * Plane dimensions: X is split into Mt×Kt tiles, W into Kt×Nt, Y into Mt×Nt (t×t each), with
 * the last tile row/column zero-padded when a dimension is not divisible by t.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const g: PlaneGeometry = { t: 2, mt: 3, kt: 2, nt: 2, pad: { m: 1, k: 0, n: 0 } };
 * assert.deepEqual(planeGeometry({ m: 5, k: 4, n: 4 }, 2), g);
 * ```
 */
export interface PlaneGeometry {
  /** Tile size t. */
  t: number;
  /** Tiles along M (M padded to a multiple of t, over t). */
  mt: number;
  /** Tiles along K (K padded to a multiple of t, over t). */
  kt: number;
  /** Tiles along N (N padded to a multiple of t, over t). */
  nt: number;
  /** Zero rows/columns added to reach a multiple of t. */
  pad: { m: number; k: number; n: number };
}

/**
 * Geometry of `shape` for tile size `t`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const g = planeGeometry({ m: 5, k: 4, n: 3 }, 2);
 * assert.ok(g.mt === 3 && g.kt === 2 && g.nt === 2 && g.pad.m === 1 && g.pad.n === 1);
 * ```
 */
export function planeGeometry(shape: Shape, t: number): PlaneGeometry {
  const mt = Math.ceil(shape.m / t);
  const kt = Math.ceil(shape.k / t);
  const nt = Math.ceil(shape.n / t);
  return {
    t,
    mt,
    kt,
    nt,
    pad: { m: mt * t - shape.m, k: kt * t - shape.k, n: nt * t - shape.n },
  };
}

/**
 * A one-line statement of the padding for the result's notes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(paddingNote(planeGeometry({ m: 4, k: 4, n: 4 }, 2)), "none");
 * ```
 */
export function paddingNote(g: PlaneGeometry): string {
  const { m, k, n } = g.pad;
  if (m === 0 && k === 0 && n === 0) return "none";
  const parts = [];
  if (m) parts.push(`M +${m}`);
  if (k) parts.push(`K +${k}`);
  if (n) parts.push(`N +${n}`);
  return `zero padding to multiples of ${g.t}: ${parts.join(", ")}`;
}
