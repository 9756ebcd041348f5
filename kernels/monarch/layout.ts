/**
 * The Monarch layout: how K inputs and N outputs split into b blocks, and where each factor's
 * entries live in the stored arrays. One place for the index arithmetic the projection, the
 * reference and the shaders share.
 *
 * Convention (row vectors, Y = X·M, the paper's M = P·L·Pᵀ·R read right to left on a row):
 * - input block i ∈ [0, b) holds columns k = i·p + t of X, t ∈ [0, p), p = ⌈K/b⌉;
 * - R: block i maps its p inputs to b intermediate units H[i, l] (stored K×b, `R[k·b + l]`);
 * - the permutation Pᵀ is the b×b transpose: output block l reads H[i, l] for every i;
 * - L: block l maps its b inputs to s = ⌈N/b⌉ outputs (stored b×N, `L[i·N + n]`);
 * - P, the inverse permutation: output v of block l is column n = v·b + l of Y (interleaved).
 *
 * So M[i·p + t, v·b + l] = R[i·p + t, l] · L[i, v·b + l]: every (input block, output block) pair
 * of M — rows i·p…i·p+p−1, columns l, l+b, l+2b, … — is a rank-1 outer product. K and N need
 * not be multiples of b: the last blocks are short (zero padding the paper's code allocates,
 * never stored nor multiplied here).
 *
 * @module
 */

/** Block sizes of a Monarch factorisation of a K×N matrix with b blocks. */
export interface MonarchDims {
  /** Blocks b. */
  b: number;
  /** Rows of the dense matrix (inputs). */
  k: number;
  /** Columns of the dense matrix (outputs). */
  n: number;
  /** Inputs per block: ⌈K/b⌉ (the last block may hold fewer). */
  p: number;
  /** Outputs per block: ⌈N/b⌉ (the last ones may hold fewer). */
  s: number;
}

/**
 * The block sizes of K×N with b blocks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(monarchDims(4, 100, 53), { b: 4, k: 100, n: 53, p: 25, s: 14 });
 * ```
 */
export function monarchDims(b: number, k: number, n: number): MonarchDims {
  return { b, k, n, p: Math.ceil(k / b), s: Math.ceil(n / b) };
}

/**
 * The dense K×N matrix of the Monarch factors `r` (K×b) and `l` (b×N), in f64: for checks and
 * the projection's error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * // b = 2, K = N = 2: M[k, n] = R[k, n % 2] · L[k, n] (p = s = 1)
 * const m = monarchDense(monarchDims(2, 2, 2), [1, 2, 3, 4], [5, 6, 7, 8]);
 * assert.deepEqual(Array.from(m), [5, 12, 21, 32]);
 * ```
 */
export function monarchDense(
  d: MonarchDims,
  r: ArrayLike<number>,
  l: ArrayLike<number>,
): Float64Array {
  const { b, k, n, p } = d;
  const out = new Float64Array(k * n);
  for (let row = 0; row < k; row++) {
    const i = Math.floor(row / p);
    for (let col = 0; col < n; col++) {
      const lb = col % b;
      out[row * n + col] = r[row * b + lb]! * l[i * n + col]!;
    }
  }
  return out;
}
