/**
 * Error metrics between an output and a reference.
 *
 * @module
 */

/**
 * Comparison of an output with a reference of the same length.
 */
export interface ErrorMetrics {
  /** ‖out − ref‖₂ / ‖ref‖₂ (Frobenius over the compared elements). */
  relError: number;
  /** Largest |out − ref| over the compared elements. */
  maxAbsError: number;
  /** ⟨out, ref⟩ / (‖out‖‖ref‖). */
  cosine: number;
  /** 10·log10(‖ref‖² / ‖out − ref‖²); Infinity when equal. */
  snrDb: number;
  /** Elements of `out` that are NaN or ±Infinity. */
  nonFinite: number;
}

/**
 * Compares `out` with `ref` in f64. Non-finite outputs make every metric NaN-free but failing:
 * relError becomes Infinity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const m = compareOutputs(new Float32Array([1, 2]), new Float64Array([1, 2]));
 * assert.ok(m.relError === 0 && m.cosine === 1);
 * ```
 */
export function compareOutputs(
  out: ArrayLike<number>,
  ref: ArrayLike<number>,
): ErrorMetrics {
  if (out.length !== ref.length) {
    throw new RangeError(`length mismatch: output ${out.length} vs reference ${ref.length}`);
  }
  let diff2 = 0, ref2 = 0, out2 = 0, dot = 0, maxAbs = 0, nonFinite = 0;
  for (let i = 0; i < out.length; i++) {
    const o = out[i]!;
    const r = ref[i]!;
    if (!Number.isFinite(o)) {
      nonFinite++;
      continue;
    }
    const d = o - r;
    diff2 += d * d;
    ref2 += r * r;
    out2 += o * o;
    dot += o * r;
    const a = Math.abs(d);
    if (a > maxAbs) maxAbs = a;
  }
  if (nonFinite > 0) {
    return { relError: Infinity, maxAbsError: Infinity, cosine: 0, snrDb: -Infinity, nonFinite };
  }
  const relError = ref2 > 0 ? Math.sqrt(diff2 / ref2) : (diff2 > 0 ? Infinity : 0);
  const cosine = out2 > 0 && ref2 > 0 ? dot / Math.sqrt(out2 * ref2) : (out2 === ref2 ? 1 : 0);
  const snrDb = diff2 === 0 ? Infinity : 10 * Math.log10(ref2 / diff2);
  return { relError, maxAbsError: maxAbs, cosine, snrDb, nonFinite };
}
