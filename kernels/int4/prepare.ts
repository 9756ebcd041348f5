/**
 * Offline preparation of the int4 kernel: RTN or AWQ quantisation into the packed format.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { type AwqResult, quantizeAwq } from "./awq.ts";
import type { Int4Weights } from "./format.ts";
import { quantizeRtn } from "./rtn.ts";

/** Quantisation methods. */
export const INT4_METHODS = ["rtn", "awq"] as const;

/** A quantisation method. */
export type Int4Method = typeof INT4_METHODS[number];

/**
 * What `prepare` hands to `plan` and `reference`: the packed weights and, for AWQ, the 1/s
 * applied to X and the search's outcome.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p: Int4Prepared = prepareInt4(new Float32Array(8), 8, 1, new Float32Array(0), 0,
 *   { method: "rtn", group: 8, scaleDtype: "f32", clip: false, searchCols: 0 }, 1);
 * assert.equal(p.invScale, null);
 * ```
 */
export interface Int4Prepared {
  /** How the codes were made; "given" for codes quantised elsewhere (a trained model). */
  method: Int4Method | "given";
  /** The packed codes with their scales and zeros. */
  weights: Int4Weights;
  /** AWQ: 1/s_k (f32, kPadded long) applied to X; null for RTN. */
  invScale: Float32Array | null;
  /** AWQ: the search's outcome (chosen a, grid errors, clipping); null for RTN. */
  awq: Omit<AwqResult, "weights" | "invScale"> | null;
}

/**
 * Settings of {@link prepareInt4}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s: Int4Settings = { method: "rtn", group: 8, scaleDtype: "f32", clip: false, searchCols: 0 };
 * const w = Float32Array.from({ length: 8 * 2 }, (_, i) => i / 16 - 0.5);
 * const p = prepareInt4(w, 8, 2, new Float32Array(0), 0, s, 1);
 * assert.equal(p.weights.group, 8);
 * ```
 */
export interface Int4Settings {
  method: Int4Method;
  group: number;
  scaleDtype: DType;
  clip: boolean;
  searchCols: number;
}

/**
 * Quantises K×N weights (row-major f32) with RTN, or with AWQ using the calibration rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = prepareInt4(new Float32Array(16 * 4).map((_, i) => Math.sin(i)), 16, 4,
 *   new Float32Array(0), 0, { method: "rtn", group: 8, scaleDtype: "f32", clip: false, searchCols: 0 }, 1);
 * assert.equal(p.weights.qweight.length, 8);
 * ```
 */
export function prepareInt4(
  w: Float32Array,
  k: number,
  n: number,
  calib: Float32Array,
  calibRows: number,
  settings: Int4Settings,
  seed: number,
): Int4Prepared {
  const { method, group, scaleDtype } = settings;
  if (method === "rtn") {
    return {
      method,
      weights: quantizeRtn(w, k, n, group, scaleDtype),
      invScale: null,
      awq: null,
    };
  }
  const { weights, invScale, ...awq } = quantizeAwq(w, k, n, calib, calibRows, {
    group,
    scaleDtype,
    clip: settings.clip,
    searchCols: settings.searchCols,
    seed,
  });
  return { method, weights, invScale, awq };
}
