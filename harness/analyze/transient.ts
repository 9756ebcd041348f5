/**
 * Telling a transient slow timing from a slow kernel, by comparing a case's isolated and
 * back-to-back figures with each other.
 *
 * A GPU occasionally times a whole case several times slower than usual, with clean noise
 * figures, while its back-to-back figure stays normal. A kernel's isolated time is its
 * back-to-back time plus the fixed cost of a timed pass (`peaks.passOverheadUs`) plus cold-cache
 * effects, so for normal cases the ratio of the two stays well below the threshold, except for
 * the smallest kernels, where cold-cache write-backs are a large share of a few µs; their excess
 * stays small in absolute terms. So a case is suspect only when both its ratio and its excess
 * are large.
 *
 * @module
 */

/** Isolated time (less the pass cost) beyond this multiple of the back-to-back time is suspect. */
export const TRANSIENT_RATIO = 2.5;

/** ... and only when it also exceeds the back-to-back time by more than this (ms). */
export const TRANSIENT_EXCESS_MS = 0.02;

/**
 * The ratio `(isolatedMs − passOverheadMs) / batchMs` when it exceeds `TRANSIENT_RATIO` and
 * the excess `isolatedMs − passOverheadMs − batchMs` exceeds `TRANSIENT_EXCESS_MS`, else null.
 * Without a pass-cost figure (`passOverheadMs` null) the pass cost is taken as 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.notEqual(isolatedSuspect(0.0876, 0.0172, 0.0049), null); // 4.8×, 66 µs over
 * assert.equal(isolatedSuspect(0.0253, 0.0170, 0.0049), null); // 1.2×
 * assert.equal(isolatedSuspect(0.0256, 0.0086, 0.0049), null); // 2.4×, 12 µs over
 * ```
 */
export function isolatedSuspect(
  isolatedMs: number,
  batchMs: number,
  passOverheadMs: number | null,
): number | null {
  if (!(batchMs > 0) || !Number.isFinite(isolatedMs)) return null;
  const net = isolatedMs - (passOverheadMs ?? 0);
  const ratio = net / batchMs;
  return ratio > TRANSIENT_RATIO && net - batchMs > TRANSIENT_EXCESS_MS ? ratio : null;
}

/**
 * A back-to-back median above this multiple of the isolated one is suspect: back to back, a
 * kernel pays no pass cost and reads as cold a memory as isolated, so it is not slower on a
 * device that kept its speed.
 */
export const BATCH_OVER_RATIO = 1.1;

/**
 * The ratio `batchMs / isolatedMs` when it exceeds `BATCH_OVER_RATIO` (the back-to-back figure
 * was likely timed while the device ran slower), else null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(batchSuspect(0.00806, 0.0100), 0.0100 / 0.00806); // 1.24×: measured again
 * assert.equal(batchSuspect(0.00806, 0.00439), null);
 * assert.equal(batchSuspect(0.02, 0.021), null); // 1.05×: within noise of a large read
 * ```
 */
export function batchSuspect(isolatedMs: number, batchMs: number): number | null {
  if (!(isolatedMs > 0) || !(batchMs > 0)) return null;
  const ratio = batchMs / isolatedMs;
  return ratio > BATCH_OVER_RATIO ? ratio : null;
}
