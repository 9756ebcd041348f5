/**
 * Telling a transient slow isolated timing from a slow kernel, by the case's own back-to-back
 * figure.
 *
 * On an H100 some cases' isolated medians came out 2.6–6.5× their usual value for the whole case,
 * with clean noise figures, while their back-to-back figures were normal. A kernel's isolated
 * time is its back-to-back time plus the fixed cost of a timed pass (`peaks.passOverheadUs`)
 * plus cold-cache effects. Those effects were at most 1.5× the rest across the published runs.
 *
 * @module
 */

/** Isolated time (less the pass cost) beyond this multiple of the back-to-back time is suspect. */
export const TRANSIENT_RATIO = 2.5;

/**
 * The ratio `(isolatedMs − passOverheadMs) / batchMs` when it exceeds `TRANSIENT_RATIO`, else
 * null. Without a pass-cost figure (`passOverheadMs` null) the pass cost is taken as 0.
 *
 * @example
 * ```ts
 * console.assert(isolatedSuspect(0.0876, 0.0136, 0.0049) !== null); // 6.1×
 * console.assert(isolatedSuspect(0.0253, 0.0170, 0.0049) === null); // 1.2×
 * ```
 */
export function isolatedSuspect(
  isolatedMs: number,
  batchMs: number,
  passOverheadMs: number | null,
): number | null {
  if (!(batchMs > 0) || !Number.isFinite(isolatedMs)) return null;
  const ratio = (isolatedMs - (passOverheadMs ?? 0)) / batchMs;
  return ratio > TRANSIENT_RATIO ? ratio : null;
}
