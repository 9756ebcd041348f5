/**
 * Cold-cache policy: how large the cache flush between isolated samples is, and how many buffer
 * copies rotate in a back-to-back batch so that each execution reads its inputs from memory.
 *
 * @module
 */

import type { MeasureOptions } from "./options.ts";

/** Largest flush, and rotation footprint, on a software (fallback) adapter: its cache is the host's. */
const FALLBACK_BYTES = 8 << 20;

/**
 * At most this many buffer copies rotate in a cold batch on a GPU: a pass of 512 dispatches
 * (the most a batch pass holds) then touches each copy once, so even a 0.1 MB execution's copies
 * (51 MB together) exceed a 50 MB L2.
 */
export const MAX_COPIES = 512;

/** At most this many copies rotate on a software adapter (its cache is the host's). */
const FALLBACK_COPIES = 8;

/** Longest (ms) one execution on every copy should take: bounds the copies of slower kernels. */
const ROTATION_MS = 5;

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
 * execution's `bytes` of traffic to exceed the flush size, at most {@link MAX_COPIES} (8 on a
 * software adapter) and, given the execution's isolated time, no more than run in about 5 ms
 * (at least 8).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MEASURE } from "./options.ts";
 * assert.equal(rotatingCopies(false, DEFAULT_MEASURE, 1 << 20), 1);
 * const cold = { ...DEFAULT_MEASURE, l2: "cold" as const };
 * assert.equal(rotatingCopies(true, cold, 3 << 20), 3);
 * assert.equal(rotatingCopies(true, cold, 1 << 20), 8);
 * assert.equal(rotatingCopies(false, cold, 1 << 20), 256); // 256 MiB of copies
 * assert.equal(rotatingCopies(false, cold, 1 << 10), 512);
 * assert.equal(rotatingCopies(false, cold, 1 << 20, 0.01), 256);
 * assert.equal(rotatingCopies(false, cold, 1 << 20, 0.4), 12); // 12 × 0.4 ms ≈ 5 ms
 * assert.equal(rotatingCopies(false, cold, 1 << 20, 3), 8);
 * ```
 */
export function rotatingCopies(
  fallback: boolean,
  measure: MeasureOptions,
  bytes: number,
  isolatedMs?: number,
): number {
  if (measure.l2 !== "cold") return 1;
  const limit = fallback ? FALLBACK_BYTES : measure.flushBytes;
  let cap = fallback ? FALLBACK_COPIES : MAX_COPIES;
  if (isolatedMs !== undefined && isolatedMs > 0) {
    cap = Math.min(cap, Math.max(FALLBACK_COPIES, Math.floor(ROTATION_MS / isolatedMs)));
  }
  return Math.max(1, Math.min(cap, Math.ceil(limit / Math.max(1, bytes))));
}
