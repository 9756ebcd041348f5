/**
 * The 2:4 compressed weight format: kept values plus 2-bit in-group indices, 16 per u32.
 *
 * W is K×N row-major; along K, every group of 4 consecutive weights of a column keeps 2.
 *
 * - K is padded with zero rows to `kp = 32·⌈K/32⌉` (a whole number of metadata words; the
 *   partial last group and any whole padding groups hold zeros) and N to `np = 4·⌈N/4⌉` (zero
 *   columns), so kernels use vec4 loads without edge guards on the weights.
 * - `values`: (kp/2) × np, row-major, f32 or f16. Row `2g + j` holds the j-th kept weight of
 *   group g (j = 0, 1), the one at in-group index `i_j`, with `i_0 < i_1`.
 * - `meta`: (kp/32) × np u32, row-major. Word `meta[(g >> 3)·np + n]` holds the indices of the 8
 *   groups g = 8w … 8w+7 of column n: bits `4·(g & 7) + 2j` and `+1` are `i_j` (so a group's
 *   nibble is `i_0 | i_1 << 2`). Padding groups and columns store indices (0, 1) and zeros.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";

/** Rows of K covered by one metadata word (8 groups of 4). */
export const META_K = 32;

/**
 * A compressed 2:4 weight matrix (see the module doc for the exact layout).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = compress24(new Float32Array([1, 0, 2, 0]), 4, 1, new Uint8Array([1, 0, 1, 0]), "f32");
 * assert.ok(c.kp === 32 && c.np === 4 && c.values[1 * 4] === 2);
 * ```
 */
export interface Sparse24Weights {
  /** Logical K and N of the dense matrix. */
  k: number;
  /** Logical N (columns) of the dense matrix. */
  n: number;
  /** Padded K (multiple of 32) and N (multiple of 4) of the stored arrays. */
  kp: number;
  /** Padded N of the stored arrays (multiple of 4). */
  np: number;
  /** Storage dtype of the kept values. */
  dtype: DType;
  /** (kp/2)×np kept values, row-major. */
  values: Float32Array | Float16Array;
  /** (kp/32)×np words of 2-bit in-group indices, row-major. */
  meta: Uint32Array;
}

/**
 * Padded sizes of the stored arrays for a K×N matrix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(paddedDims(100, 53).kp === 128 && paddedDims(100, 53).np === 56);
 * ```
 */
export function paddedDims(k: number, n: number): { kp: number; np: number } {
  return { kp: Math.ceil(k / META_K) * META_K, np: Math.ceil(n / 4) * 4 };
}

/**
 * Bytes of the stored format (values + metadata) in `dtype`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(storedBytes24(32, 4, "f32"), 16 * 4 * 4 + 4 * 4);
 * ```
 */
export function storedBytes24(k: number, n: number, dtype: DType): number {
  const { kp, np } = paddedDims(k, n);
  return (kp / 2) * np * (dtype === "f16" ? 2 : 4) + (kp / META_K) * np * 4;
}

/**
 * Compresses W (K×N, row-major f32) under a 2:4 keep-mask (K×N, 1 = kept). Each group of 4
 * (the last one padded) must keep at most 2 real weights; groups keeping fewer are filled with
 * the lowest unused in-group indices holding zero. Values are rounded to `dtype`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = new Float32Array([1, 2, 3, 4]); // K = 4, N = 1
 * const c = compress24(w, 4, 1, new Uint8Array([0, 1, 0, 1]), "f32");
 * assert.ok(c.values[0] === 2 && c.values[4] === 4 && (c.meta[0]! & 15) === (1 | 3 << 2));
 * ```
 */
export function compress24(
  w: Float32Array,
  k: number,
  n: number,
  mask: Uint8Array,
  dtype: DType,
): Sparse24Weights {
  if (w.length !== k * n) throw new RangeError(`w has ${w.length} values, expected K·N = ${k * n}`);
  if (mask.length !== k * n) {
    throw new RangeError(`mask has ${mask.length} entries, expected K·N = ${k * n}`);
  }
  const { kp, np } = paddedDims(k, n);
  const vals = new Float32Array((kp / 2) * np);
  const meta = new Uint32Array((kp / META_K) * np);
  const groups = kp / 4;
  const idx = [0, 0];
  for (let g = 0; g < groups; g++) {
    for (let col = 0; col < np; col++) {
      let count = 0;
      if (col < n) {
        for (let c = 0; c < 4; c++) {
          const kk = 4 * g + c;
          if (kk < k && mask[kk * n + col]) {
            if (count === 2) {
              throw new RangeError(
                `mask keeps more than 2 of the 4 weights in group ${g} (rows ${4 * g}..${
                  4 * g + 3
                }) of column ${col}`,
              );
            }
            idx[count++] = c;
          }
        }
      }
      // Fill to exactly two kept slots with the lowest unused indices (zero values).
      for (let c = 0; count < 2 && c < 4; c++) {
        if (count === 1 && idx[0] === c) continue;
        idx[count++] = c;
      }
      if (idx[0]! > idx[1]!) [idx[0], idx[1]] = [idx[1]!, idx[0]!];
      for (let j = 0; j < 2; j++) {
        const kk = 4 * g + idx[j]!;
        const v = col < n && kk < k && mask[kk * n + col] ? w[kk * n + col]! : 0;
        vals[(2 * g + j) * np + col] = v;
      }
      meta[(g >> 3) * np + col]! |= (idx[0]! | (idx[1]! << 2)) << (4 * (g & 7));
    }
  }
  return {
    k,
    n,
    kp,
    np,
    dtype,
    values: dtype === "f16" ? new Float16Array(vals) : vals,
    meta,
  };
}

/**
 * The in-group indices (i0, i1) of group `g`, column `col`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = compress24(new Float32Array([0, 5, 0, 6]), 4, 1, new Uint8Array([0, 1, 0, 1]), "f32");
 * assert.equal(groupIndices(c, 0, 0).join(), "1,3");
 * ```
 */
export function groupIndices(c: Sparse24Weights, g: number, col: number): [number, number] {
  const nib = (c.meta[(g >> 3) * c.np + col]! >>> (4 * (g & 7))) & 15;
  return [nib & 3, nib >> 2];
}

/**
 * Expands the compressed form back to a dense K×N f32 matrix (pruned weights are 0). Throws
 * when the metadata breaks the format (i0 ≥ i1), so a round trip also validates it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = new Float32Array([1, 2, 3, 4]);
 * const d = decompress24(compress24(w, 4, 1, new Uint8Array([1, 0, 0, 1]), "f32"));
 * assert.equal(d.join(), "1,0,0,4");
 * ```
 */
export function decompress24(c: Sparse24Weights): Float32Array {
  const { k, n, np } = c;
  const out = new Float32Array(k * n);
  for (let g = 0; g < c.kp / 4; g++) {
    for (let col = 0; col < n; col++) {
      const [i0, i1] = groupIndices(c, g, col);
      if (!(i0 < i1)) throw new RangeError(`group ${g}, column ${col}: indices ${i0}, ${i1}`);
      for (const [j, i] of [[0, i0], [1, i1]] as const) {
        const v = c.values[(2 * g + j) * np + col]!;
        const kk = 4 * g + i;
        if (kk < k) out[kk * n + col] = v;
        else if (v !== 0) throw new RangeError(`group ${g}, column ${col}: padding holds ${v}`);
      }
    }
  }
  return out;
}
