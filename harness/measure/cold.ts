/**
 * Cold-cache policy: how large the cache flush between isolated samples is, and how many buffer
 * copies rotate in a back-to-back batch so that each execution reads its inputs from memory.
 *
 * @module
 */

import type { MeasureOptions } from "./options.ts";

/** Largest flush, and rotation footprint, on a software (fallback) adapter: its cache is the host's. */
const FALLBACK_BYTES = 8 << 20;

/** At most this many buffer copies rotate in a cold batch. */
export const MAX_COPIES = 8;

/**
 * Bytes the cache flush between cold samples writes: the suite's `flushBytes`, capped on a
 * software adapter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MEASURE } from "./options.ts";
 * assert.equal(coldFlushBytes(false, DEFAULT_MEASURE), DEFAULT_MEASURE.flushBytes);
 * assert.equal(coldFlushBytes(true, DEFAULT_MEASURE), 8 << 20);
 * ```
 */
export function coldFlushBytes(fallback: boolean, measure: MeasureOptions): number {
  return fallback ? Math.min(measure.flushBytes, FALLBACK_BYTES) : measure.flushBytes;
}

/**
 * Buffer copies a back-to-back batch rotates over: 1 when warm; when cold, enough copies of an
 * execution's `bytes` of traffic to exceed the flush size (at most {@link MAX_COPIES}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MEASURE } from "./options.ts";
 * assert.equal(rotatingCopies(false, DEFAULT_MEASURE, 1 << 20), 1);
 * const cold = { ...DEFAULT_MEASURE, l2: "cold" as const };
 * assert.equal(rotatingCopies(true, cold, 3 << 20), 3);
 * assert.equal(rotatingCopies(false, cold, 1 << 20), 8);
 * ```
 */
export function rotatingCopies(fallback: boolean, measure: MeasureOptions, bytes: number): number {
  if (measure.l2 !== "cold") return 1;
  const limit = fallback ? FALLBACK_BYTES : measure.flushBytes;
  return Math.max(1, Math.min(MAX_COPIES, Math.ceil(limit / Math.max(1, bytes))));
}
