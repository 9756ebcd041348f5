/**
 * AWQ-style activation-aware scaling on top of RTN.
 *
 * Per input channel k, `s_k = max(mean_r |Xc[r, k]|, …)^a` over the calibration rows Xc (never
 * the evaluated rows), clamped to ≥ 1e-4 and normalised by `sqrt(max s · min s)`. The stored
 * operator is `Y = (X·diag(1/s))·Q(diag(s)·W)` with Q the RTN quantiser. `a` is searched on the
 * 20-point grid 0, 0.05, …, 0.95, minimising ‖Xc·W − (Xc·diag(1/s))·Q(diag(s)·W)‖_F on a seeded
 * sample of output columns (`searchCols`; the objective is a sum over columns). Optional clipping
 * (`clip`): for every (group, column) a ratio r ∈ {1, 0.95, …, 0.55} clamps the scaled weights to
 * ±r·max|w| before quantising, chosen to minimise that group's output error on the calibration
 * rows, δᵀ·G·δ with G the group's Gram matrix of Xc·diag(1/s) (AWQ's auto-clip).
 *
 * @module
 */

import { Rng } from "../../harness/data/prng.ts";
import type { DType } from "../../harness/types.ts";
import { dequantize, type Int4Weights, padK } from "./format.ts";
import { quantizeRtn, rtnCode, rtnParams } from "./rtn.ts";

/** The grid of exponents `a` searched: 0, 0.05, …, 0.95 (20 points in [0, 1)). */
export const AWQ_GRID: readonly number[] = Array.from({ length: 20 }, (_, i) => i / 20);

/** Clipping ratios searched per (group, column): 1, 0.95, …, 0.55. */
export const CLIP_RATIOS: readonly number[] = Array.from({ length: 10 }, (_, i) => 1 - i / 20);

/**
 * Options of {@link quantizeAwq}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: AwqOptions = { group: 8, scaleDtype: "f32", clip: false, searchCols: 0, seed: 1 };
 * const w = Float32Array.from({ length: 8 * 4 }, (_, i) => Math.sin(i));
 * const calib = Float32Array.from({ length: 2 * 8 }, (_, i) => 1 + (i % 8));
 * const r = quantizeAwq(w, 8, 4, calib, 2, o);
 * assert.ok(AWQ_GRID.includes(r.alpha));
 * ```
 */
export interface AwqOptions {
  group: number;
  scaleDtype: DType;
  /** Run the per-(group, column) clipping search after choosing `a`. */
  clip: boolean;
  /** Output columns the `a` search evaluates (a seeded sample); 0 or ≥ N: all. */
  searchCols: number;
  /** Seed of the column sample. */
  seed: number;
}

/** Outcome of the AWQ search and the final quantisation. */
export interface AwqResult {
  /** The quantised weights (codes, scales and zeros). */
  weights: Int4Weights;
  /** 1/s_k as f32 for k < kPadded (1 for padding rows): applied to X. */
  invScale: Float32Array;
  /** Chosen exponent. */
  alpha: number;
  /** Relative calibration output error at each grid point (a = 0 is plain RTN). */
  grid: { alpha: number; relError: number }[];
  /** Columns and calibration rows the search used. */
  searchCols: number;
  /** Calibration rows the search used. */
  calibRows: number;
  /** Clipping outcome, when `clip` was on. */
  clip: { meanRatio: number; clippedFraction: number } | null;
}

/**
 * Mean |x| per input channel over calibration rows (calibRows×K, row-major).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const mu = channelMeanAbs(new Float32Array([1, -2, 3, 4]), 2, 2);
 * assert.ok(mu[0] === 2 && mu[1] === 3);
 * ```
 */
export function channelMeanAbs(calib: Float32Array, rows: number, k: number): Float64Array {
  const mu = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    for (let kk = 0; kk < k; kk++) mu[kk] += Math.abs(calib[r * k + kk]!);
  }
  for (let kk = 0; kk < k; kk++) mu[kk] = mu[kk]! / Math.max(1, rows);
  return mu;
}

/**
 * AWQ channel scales for exponent `a`: `max(mu^a, 1e-4)`, normalised by `sqrt(max · min)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = awqScales(new Float64Array([1, 4]), 0.5);
 * assert.ok(Math.abs(s[0]! - Math.SQRT1_2) < 1e-12 && Math.abs(s[1]! - Math.SQRT2) < 1e-12);
 * ```
 */
export function awqScales(mu: Float64Array, a: number): Float64Array {
  const s = new Float64Array(mu.length);
  let lo = Infinity;
  let hi = 0;
  for (let i = 0; i < mu.length; i++) {
    const v = Math.max(Math.pow(mu[i]!, a), 1e-4);
    s[i] = v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const norm = Math.sqrt(hi * lo);
  for (let i = 0; i < s.length; i++) s[i] = s[i]! / norm;
  return s;
}

/** 1/s as stored (f32), padded with 1 to kPadded. */
function inverseScales(s: Float64Array, kPadded: number): Float32Array {
  const inv = new Float32Array(kPadded).fill(1);
  for (let i = 0; i < s.length; i++) inv[i] = 1 / s[i]!;
  return inv;
}

/**
 * A seeded, sorted sample of `count` distinct columns out of `n` (all of them when count is 0
 * or ≥ n).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(sampleColumns(10, 3, 1).length, 3);
 * ```
 */
export function sampleColumns(n: number, count: number, seed: number): number[] {
  if (count <= 0 || count >= n) return Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(seed, `int4:awq-columns:${n}`);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.nextInt(n - i);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, count).sort((a, b) => a - b);
}

/**
 * rows×c = (rows×K `x`)·(K×c `m`) in f64; `m` may have extra (padding) rows, ignored. Four rows
 * of `x` share each pass over `m` (≈ 3× faster in V8 than one row at a time).
 */
function times(x: Float64Array, rows: number, k: number, m: Float64Array, c: number) {
  const out = new Float64Array(rows * c);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * c;
    const o1 = o0 + c;
    const o2 = o1 + c;
    const o3 = o2 + c;
    for (let kk = 0; kk < k; kk++) {
      const x0 = x[r * k + kk]!;
      const x1 = x[(r + 1) * k + kk]!;
      const x2 = x[(r + 2) * k + kk]!;
      const x3 = x[(r + 3) * k + kk]!;
      const mb = kk * c;
      for (let j = 0; j < c; j++) {
        const mv = m[mb + j]!;
        out[o0 + j] += x0 * mv;
        out[o1 + j] += x1 * mv;
        out[o2 + j] += x2 * mv;
        out[o3 + j] += x3 * mv;
      }
    }
  }
  for (; r < rows; r++) {
    const ob = r * c;
    for (let kk = 0; kk < k; kk++) {
      const xv = x[r * k + kk]!;
      const mb = kk * c;
      for (let j = 0; j < c; j++) out[ob + j] += xv * m[mb + j]!;
    }
  }
  return out;
}

/**
 * Calibration output error of the AWQ operator with channel scales `s` on K×c weights `w`:
 * ‖ref − (Xc·diag(1/s))·deq(Q(diag(s)·w))‖²_F, where ref = Xc·w.
 */
function awqLoss(
  calib: Float64Array,
  rows: number,
  k: number,
  w: Float32Array,
  c: number,
  ref: Float64Array,
  s: Float64Array,
  group: number,
  scaleDtype: DType,
): number {
  const inv = inverseScales(s, padK(k));
  const xs = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let kk = 0; kk < k; kk++) xs[r * k + kk] = calib[r * k + kk]! * inv[kk]!;
  }
  const deq = dequantize(quantizeRtn(w, k, c, group, scaleDtype, { rowScale: s }));
  const y = times(xs, rows, k, deq, c);
  let loss = 0;
  for (let i = 0; i < y.length; i++) loss += (ref[i]! - y[i]!) ** 2;
  return loss;
}

/** Per (group, column) clipping ratios minimising each group's calibration output error. */
function searchClip(
  w: Float32Array,
  k: number,
  n: number,
  calib: Float32Array,
  rows: number,
  s: Float64Array,
  inv: Float32Array,
  group: number,
  scaleDtype: DType,
): Float64Array {
  const kPadded = padK(k);
  const groups = kPadded / group;
  const ratios = new Float64Array(groups * n).fill(1);
  const v = new Float64Array(group);
  const d = new Float64Array(group);
  for (let g = 0; g < groups; g++) {
    const k0 = g * group;
    const len = Math.min(group, k - k0);
    // Gram matrix of this group's scaled calibration inputs: G = X̃gᵀ·X̃g.
    const gram = new Float64Array(len * len);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < len; i++) {
        const xi = calib[r * k + k0 + i]! * inv[k0 + i]!;
        if (xi === 0) continue;
        for (let j = i; j < len; j++) {
          gram[i * len + j] += xi * calib[r * k + k0 + j]! * inv[k0 + j]!;
        }
      }
    }
    for (let i = 0; i < len; i++) {
      for (let j = 0; j < i; j++) gram[i * len + j] = gram[j * len + i]!;
    }
    for (let c = 0; c < n; c++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < len; i++) {
        v[i] = w[(k0 + i) * n + c]! * s[k0 + i]!;
        if (v[i]! < lo) lo = v[i]!;
        if (v[i]! > hi) hi = v[i]!;
      }
      const amax = Math.max(Math.abs(lo), Math.abs(hi));
      let best = Infinity;
      let bestR = 1;
      for (const r of CLIP_RATIOS) {
        const a = amax * r;
        const cl = Math.max(lo, -a);
        const ch = Math.min(hi, a);
        const { scale, zero } = rtnParams(cl, ch, scaleDtype);
        for (let i = 0; i < len; i++) {
          const x = Math.min(ch, Math.max(cl, v[i]!));
          d[i] = v[i]! - (rtnCode(x, scale, zero) - zero) * scale;
        }
        let err = 0;
        for (let i = 0; i < len; i++) {
          let gi = 0;
          const row = i * len;
          for (let j = 0; j < len; j++) gi += gram[row + j]! * d[j]!;
          err += d[i]! * gi;
        }
        if (err < best) {
          best = err;
          bestR = r;
        }
      }
      ratios[g * n + c] = bestR;
    }
  }
  return ratios;
}

/**
 * Searches the AWQ exponent on calibration rows, then quantises all of W with it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const k = 16, n = 4, rows = 8;
 * const w = new Float32Array(k * n).map((_, i) => Math.sin(i));
 * const calib = new Float32Array(rows * k).map((_, i) => Math.cos(i) * (i % k === 3 ? 20 : 1));
 * const r = quantizeAwq(w, k, n, calib, rows, { group: 8, scaleDtype: "f32", clip: false, searchCols: 0, seed: 1 });
 * assert.ok(r.grid.length === 20 && r.invScale.length === 16);
 * ```
 */
export function quantizeAwq(
  w: Float32Array,
  k: number,
  n: number,
  calib: Float32Array,
  calibRows: number,
  options: AwqOptions,
): AwqResult {
  const { group, scaleDtype } = options;
  if (calibRows < 1 || calib.length !== calibRows * k) {
    throw new RangeError(
      `awq needs calibration rows (data.calibRows ≥ 1), got ${calibRows} rows of ${calib.length} values for K = ${k}`,
    );
  }
  const mu = channelMeanAbs(calib, calibRows, k);
  const cols = sampleColumns(n, options.searchCols, options.seed);
  const c = cols.length;
  const wSub = new Float32Array(k * c);
  for (let kk = 0; kk < k; kk++) {
    for (let j = 0; j < c; j++) wSub[kk * c + j] = w[kk * n + cols[j]!]!;
  }
  const calib64 = Float64Array.from(calib);
  const ref = times(calib64, calibRows, k, Float64Array.from(wSub), c);
  let refNorm = 0;
  for (let i = 0; i < ref.length; i++) refNorm += ref[i]! ** 2;
  const grid: { alpha: number; relError: number }[] = [];
  let best = Infinity;
  let alpha = 0;
  for (const a of AWQ_GRID) {
    const loss = awqLoss(calib64, calibRows, k, wSub, c, ref, awqScales(mu, a), group, scaleDtype);
    grid.push({ alpha: a, relError: Math.sqrt(loss / Math.max(refNorm, Number.MIN_VALUE)) });
    if (loss < best) {
      best = loss;
      alpha = a;
    }
  }
  const s = awqScales(mu, alpha);
  const invScale = inverseScales(s, padK(k));
  let clip: AwqResult["clip"] = null;
  let ratios: Float64Array | null = null;
  if (options.clip) {
    ratios = searchClip(w, k, n, calib, calibRows, s, invScale, group, scaleDtype);
    let sum = 0;
    let clipped = 0;
    for (const r of ratios) {
      sum += r;
      if (r < 1) clipped++;
    }
    clip = { meanRatio: sum / ratios.length, clippedFraction: clipped / ratios.length };
  }
  const weights = quantizeRtn(w, k, n, group, scaleDtype, { rowScale: s, clip: ratios });
  return { weights, invScale, alpha, grid, searchCols: c, calibRows, clip };
}
