/**
 * The inputs of one shape in a run: evaluated activations X, weights W and calibration rows,
 * each from its own seeded stream.
 *
 * @module
 */

import type { Shape } from "../types.ts";
import { type DistributionSpec, generateMatrix } from "./distributions.ts";

/**
 * Data section of a suite: which distribution X and W come from and how many calibration rows
 * offline preparation (AWQ, Wanda) may see.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const d: DataConfig = { x: { dist: "llm-activations" }, w: { dist: "llm-weights" }, calibRows: 128 };
 * assert.equal(generateCalib(64, 1, d).length, 128 * 64);
 * ```
 */
export interface DataConfig {
  /** Distribution of the activations X (the calibration rows share it). */
  x: DistributionSpec;
  /** Distribution of the weights W. */
  w: DistributionSpec;
  /** Number of calibration rows to generate. */
  calibRows: number;
}

/**
 * Generated matrices of one shape, in f32 (row-major).
 *
 * `calib` rows come from the same layer profile as `x` but an independent value stream, so
 * preparation never sees the evaluated rows.
 */
export interface CaseData {
  /** The shape the matrices were generated for. */
  shape: Shape;
  /** Activations X, M×K. */
  x: Float32Array;
  /** Weights W, K×N. */
  w: Float32Array;
  /** Calibration activations, calibRows×K. */
  calib: Float32Array;
  /** Rows in `calib`. */
  calibRows: number;
}

/**
 * Generates X (M×K), W (K×N) and calibration rows (calibRows×K) for a shape.
 *
 * Streams are keyed by the seed and the dimensions (not the label), so two suites with the
 * same seed and shape get bit-identical matrices.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const d = generateCaseData({ m: 4, k: 8, n: 3 }, 42, {
 *   x: { dist: "gaussian" }, w: { dist: "gaussian" }, calibRows: 16,
 * });
 * assert.equal(d.w.length, 24);
 * ```
 */
export function generateCaseData(shape: Shape, seed: number, data: DataConfig): CaseData {
  const { m, k, n } = shape;
  return {
    shape,
    x: generateX(m, k, seed, data),
    w: generateW(k, n, seed, data),
    calib: generateCalib(k, seed, data),
    calibRows: data.calibRows,
  };
}

/**
 * The evaluated activations X (M×K) of a shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const x = generateX(2, 4, 1, { x: { dist: "uniform" }, w: { dist: "gaussian" }, calibRows: 1 });
 * assert.equal(x.length, 8);
 * ```
 */
export function generateX(m: number, k: number, seed: number, data: DataConfig): Float32Array {
  return generateMatrix(data.x, m, k, seed, `x:${m}x${k}`);
}

/**
 * The weights W (K×N) of a shape; independent of M, so shapes that differ only in M share them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = generateW(4, 3, 1, { x: { dist: "uniform" }, w: { dist: "gaussian" }, calibRows: 1 });
 * assert.equal(w.length, 12);
 * ```
 */
export function generateW(k: number, n: number, seed: number, data: DataConfig): Float32Array {
  return generateMatrix(data.w, k, n, seed, `w:${k}x${n}`);
}

/**
 * Calibration rows (calibRows×K): same layer profile as X, independent value stream.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = generateCalib(4, 1, { x: { dist: "uniform" }, w: { dist: "gaussian" }, calibRows: 2 });
 * assert.equal(c.length, 8);
 * ```
 */
export function generateCalib(k: number, seed: number, data: DataConfig): Float32Array {
  return generateMatrix(data.x, data.calibRows, k, seed, `calib:${k}`);
}
