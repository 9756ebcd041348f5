/**
 * Measurement options: warm-up, stopping rule, timing method and cache state.
 *
 * @module
 */

/**
 * How to measure a workload.
 *
 * Sampling stops when at least `minSamples` samples exist and either the 95% confidence interval
 * of the median is within ±`maxNoise` of the median, or `maxTimeMs` of sampling has passed; it
 * always stops at `maxSamples`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: MeasureOptions = { ...DEFAULT_MEASURE, maxTimeMs: 500 };
 * assert.ok(o.minSamples <= o.maxSamples);
 * ```
 */
export interface MeasureOptions {
  /** Samples taken before sampling may stop. */
  minSamples: number;
  /** Samples at which sampling always stops. */
  maxSamples: number;
  /** Sampling time after which sampling stops (once `minSamples` exist). */
  maxTimeMs: number;
  /** Target relative half-width of the median's 95% CI. */
  maxNoise: number;
  /** Minimum wall time of warm-up executions before sampling. */
  warmupMs: number;
  /** "warm": back-to-back; "cold": a buffer larger than the L2 is written between samples. */
  l2: "warm" | "cold";
  /** Size of the cache-flush buffer in bytes (cold mode). */
  flushBytes: number;
  /** "auto" uses GPU timestamps when the device has them. */
  method: "auto" | "gpu-timestamp" | "wall";
  /**
   * Cases whose isolated median is below this (ms) are also timed back to back ("batch"): many
   * dispatches in one pass, rotating over buffer copies larger than the L2 in cold mode. 0 turns
   * batch timing off.
   */
  batchBelowMs: number;
}

/** Defaults used when a suite's `measure` section leaves a field out. */
export const DEFAULT_MEASURE: MeasureOptions = {
  minSamples: 10,
  maxSamples: 500,
  maxTimeMs: 1000,
  maxNoise: 0.01,
  warmupMs: 100,
  l2: "warm",
  flushBytes: 256 * 1024 * 1024,
  method: "auto",
  batchBelowMs: 0.5,
};
