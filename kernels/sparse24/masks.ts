/**
 * 2:4 pruning masks: per column, in every group of 4 consecutive weights along K, keep the 2
 * with the largest score.
 *
 * - `magnitude`: score |W_kn|.
 * - `wanda`: score |W_kn|·‖X_k‖₂, the norm of input channel k over the calibration rows
 *   (Sun et al., "A Simple and Effective Pruning Approach for LLMs"). Only calibration rows are
 *   ever seen, never the evaluated activations.
 *
 * Ties keep the lower index. The last group of a K that is not a multiple of 4 is padded: only
 * its real rows compete, and it keeps at most 2 of them.
 *
 * @module
 */

/** Mask methods. */
export const MASKS = ["magnitude", "wanda"] as const;
/** A mask method. */
export type MaskName = typeof MASKS[number];

/**
 * L2 norm of every input channel (column) of the calibration rows (rows×K, row-major), in f64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const n = channelNorms(new Float32Array([3, 1, 4, 1]), 2, 2);
 * assert.ok(n[0] === 5 && Math.abs(n[1]! - Math.SQRT2) < 1e-12);
 * ```
 */
export function channelNorms(calib: Float32Array, rows: number, k: number): Float64Array {
  if (calib.length < rows * k) {
    throw new RangeError(`calibration rows hold ${calib.length} values, need ${rows}×${k}`);
  }
  const sq = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    for (let c = 0; c < k; c++) {
      const v = calib[base + c]!;
      sq[c] += v * v;
    }
  }
  for (let c = 0; c < k; c++) sq[c] = Math.sqrt(sq[c]!);
  return sq;
}

/**
 * Per-input-channel factor of a mask's score: null for `magnitude`, ‖X_k‖₂ over the
 * calibration rows for `wanda`. Throws naming the field when Wanda has no calibration rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(channelScale("magnitude", 4, new Float32Array(0), 0), null);
 * ```
 */
export function channelScale(
  mask: MaskName,
  k: number,
  calib: Float32Array,
  calibRows: number,
): Float64Array | null {
  if (mask === "magnitude") return null;
  if (mask !== "wanda") {
    throw new RangeError(`mask: must be one of ${MASKS.join(", ")}; got ${JSON.stringify(mask)}`);
  }
  if (!(calibRows >= 1)) {
    throw new RangeError(
      `mask "wanda" needs calibration rows (data.calibRows ≥ 1), got ${calibRows}`,
    );
  }
  return channelNorms(calib, calibRows, k);
}

/**
 * Scores of the weights (K×N) under a mask method; larger is kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = maskScores("wanda", new Float32Array([-2, 1]), 2, 1, new Float32Array([1, 3]), 1);
 * assert.ok(s[0] === 2 && s[1] === 3);
 * ```
 */
export function maskScores(
  mask: MaskName,
  w: Float32Array,
  k: number,
  n: number,
  calib: Float32Array,
  calibRows: number,
): Float64Array {
  const scale = channelScale(mask, k, calib, calibRows);
  const scores = new Float64Array(k * n);
  for (let kk = 0; kk < k; kk++) {
    const f = scale ? scale[kk]! : 1;
    for (let c = 0; c < n; c++) scores[kk * n + c] = Math.abs(w[kk * n + c]!) * f;
  }
  return scores;
}

/**
 * The 2:4 keep-mask (K×N, 1 = kept) of the two highest scores in every group of each column,
 * with score(k, n) = |W_kn|·scale_k (`scale` = null: 1). Ties keep the lower index.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const m = topTwoMask(new Float32Array([1, -4, 3, 2]), 4, 1, null);
 * assert.equal(m.join(), "0,1,1,0");
 * ```
 */
export function topTwoMask(
  w: Float32Array,
  k: number,
  n: number,
  scale: Float64Array | null,
): Uint8Array {
  const mask = new Uint8Array(k * n);
  const s = [0, 0, 0, 0];
  for (let g = 0; g * 4 < k; g++) {
    const rows = Math.min(4, k - 4 * g);
    for (let col = 0; col < n; col++) {
      if (rows <= 2) {
        for (let c = 0; c < rows; c++) mask[(4 * g + c) * n + col] = 1;
        continue;
      }
      for (let c = 0; c < rows; c++) {
        const kk = 4 * g + c;
        s[c] = Math.abs(w[kk * n + col]!) * (scale ? scale[kk]! : 1);
      }
      // Best and second best, ties to the lower index.
      let b0 = 0;
      let b1 = -1;
      for (let c = 1; c < rows; c++) {
        if (s[c]! > s[b0]!) {
          b1 = b0;
          b0 = c;
        } else if (b1 < 0 || s[c]! > s[b1]!) {
          b1 = c;
        }
      }
      mask[(4 * g + b0) * n + col] = 1;
      mask[(4 * g + b1) * n + col] = 1;
    }
  }
  return mask;
}

/**
 * The keep-mask of a method for W (K×N), from the calibration rows (used by `wanda` only).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const m = pruneMask("magnitude", new Float32Array([1, -4, 3, 2]), 4, 1, new Float32Array(0), 0);
 * assert.equal(m.join(), "0,1,1,0");
 * ```
 */
export function pruneMask(
  mask: MaskName,
  w: Float32Array,
  k: number,
  n: number,
  calib: Float32Array,
  calibRows: number,
): Uint8Array {
  return topTwoMask(w, k, n, channelScale(mask, k, calib, calibRows));
}
