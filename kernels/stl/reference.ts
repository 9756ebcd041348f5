/**
 * f64 CPU reference of the STL operator with the same encoders and the same storage roundings
 * as the GPU pipeline.
 *
 * @module
 */

import { roundToDtype } from "../../harness/gpu/buffers.ts";
import type { DType, Shape } from "../../harness/types.ts";
import type { Encoder } from "./encoder.ts";
import { type PlaneGeometry, planeGeometry } from "./geometry.ts";

/**
 * Rounds a double to the storage dtype (f32 or f16), as a store to a GPU buffer does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(storeRound(1 / 3, "f16"), Math.f16round(1 / 3));
 * ```
 */
export function storeRound(v: number, dtype: DType): number {
  return dtype === "f16" ? Math.f16round(v) : Math.fround(v);
}

/**
 * Inputs of {@link stlReference}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planeGeometry } from "./geometry.ts";
 * import { strassenEncoder } from "./strassen.ts";
 * import { encodeWeights } from "./weights.ts";
 * const shape = { m: 2, k: 2, n: 2 };
 * const x = new Float32Array([1, 2, 3, 4]);
 * const w = new Float32Array([5, 6, 7, 8]);
 * const encoder = strassenEncoder();
 * const wh = encodeWeights(w, 2, 2, planeGeometry(shape, 2), encoder);
 * const input: StlReferenceInput = { x, shape, dtype: "f32", encoder, wh, rows: [0, 1] };
 * // Strassen is exact: Y = X·W = [[19, 22], [43, 50]]
 * assert.deepEqual(Array.from(stlReference(input)), [19, 22, 43, 50]);
 * ```
 */
export interface StlReferenceInput {
  /** M×K activations as generated (rounded to `dtype` here, as the GPU sees them). */
  x: Float32Array;
  shape: Shape;
  dtype: DType;
  encoder: Encoder;
  /** Encoded weights as stored on the GPU (r planes of Kt×Nt, values already in `dtype`). */
  wh: ArrayLike<number>;
  /** Rows of Y to compute, ascending. */
  rows: readonly number[];
}

/**
 * Rows of the STL output Y in f64. A row of Y belongs to a t-row block of tiles, so each block
 * a requested row falls in is computed once: x̂ of the block (f64, then rounded to the storage
 * dtype like the encode pass's store), the r channel products against the stored ŵ (f64, then
 * rounded to the dtype like the GEMM's store of P), and the decode in f64. Padding rows
 * and columns are zeros; only rows < M and columns < N are returned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strassenEncoder } from "./strassen.ts";
 * import { planeGeometry } from "./geometry.ts";
 * import { encodeWeights } from "./weights.ts";
 * const shape = { m: 2, k: 2, n: 2 };
 * const x = new Float32Array([1, 2, 3, 4]);
 * const w = new Float32Array([5, 6, 7, 8]);
 * const enc = strassenEncoder();
 * const wh = encodeWeights(w, 2, 2, planeGeometry(shape, 2), enc);
 * const y = stlReference({ x, shape, dtype: "f32", encoder: enc, wh, rows: [0, 1] });
 * assert.equal([...y].join(), "19,22,43,50");
 * ```
 */
export function stlReference(input: StlReferenceInput): Float64Array {
  const { shape, dtype, encoder: e, wh, rows } = input;
  const { m, k, n } = shape;
  const g: PlaneGeometry = planeGeometry(shape, e.t);
  const { t, kt, nt } = g;
  const tt = t * t;
  const r = e.r;
  const x = roundToDtype(input.x, dtype);
  const out = new Float64Array(rows.length * n);
  const xh = new Float64Array(r * kt);
  const p = new Float64Array(r * nt);
  const tileVals = new Float64Array(tt);
  let block = -1;
  for (let ri = 0; ri < rows.length; ri++) {
    const row = rows[ri]!;
    if (!(row >= 0 && row < m)) throw new RangeError(`row ${row} outside [0, ${m})`);
    const i = Math.floor(row / t);
    if (i !== block) {
      block = i;
      // Encode the block: x̂_ρ[i, kk] for every channel.
      for (let kk = 0; kk < kt; kk++) {
        for (let a = 0; a < t; a++) {
          for (let b = 0; b < t; b++) {
            const xr = i * t + a;
            const xc = kk * t + b;
            tileVals[a * t + b] = xr < m && xc < k ? x[xr * k + xc]! : 0;
          }
        }
        for (let rho = 0; rho < r; rho++) {
          let s = 0;
          for (let ent = 0; ent < tt; ent++) s += e.alpha[rho * tt + ent]! * tileVals[ent]!;
          xh[rho * kt + kk] = storeRound(s, dtype);
        }
      }
      // Channel products P_ρ[i, :].
      p.fill(0);
      for (let rho = 0; rho < r; rho++) {
        const pb = rho * nt;
        for (let kk = 0; kk < kt; kk++) {
          const xv = xh[rho * kt + kk]!;
          if (xv === 0) continue;
          const wb = (rho * kt + kk) * nt;
          for (let j = 0; j < nt; j++) p[pb + j]! += xv * wh[wb + j]!;
        }
      }
      for (let q = 0; q < p.length; q++) p[q] = storeRound(p[q]!, dtype);
    }
    // Decode row `row` = tile row a of block i.
    const a = row - i * t;
    for (let j = 0; j < nt; j++) {
      for (let b = 0; b < t; b++) {
        const col = j * t + b;
        if (col >= n) continue;
        const ent = a * t + b;
        let s = 0;
        for (let rho = 0; rho < r; rho++) s += e.gamma[ent * r + rho]! * p[rho * nt + j]!;
        out[ri * n + col] = s;
      }
    }
  }
  return out;
}
