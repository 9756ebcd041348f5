/**
 * Rank-r CP approximation of the ⟨t,t,t⟩ matrix-multiplication tensor by alternating least
 * squares (ALS), deterministic on every machine.
 *
 * Each restart starts from uniform [-1, 1) factors drawn from the project's seeded xoshiro128**
 * stream `cp-als:t<t>:r<r>:<restart>` and alternates the three ridge-regularised least-squares
 * updates (MTTKRP over the t³ nonzeros of the tensor, then an r×r Gaussian elimination with
 * partial pivoting). Only IEEE +, −, ×, ÷ (and sqrt for the reported residual) are used, so the
 * same (t, r, options) give bit-identical encoders everywhere. The best restart by tensor
 * residual wins; its α and β columns are then balanced by powers of two (exact) so encoded
 * values stay in the range of the inputs, and every coefficient is rounded to f32.
 *
 * The small ridge term λ keeps ALS out of the degenerate "diverging components" solutions that
 * low-rank fits of matmul tensors are prone to (huge coefficients that cancel, which f16
 * storage would not survive).
 *
 * @module
 */

import { Rng } from "../../harness/data/prng.ts";
import { type Encoder, roundEncoderToF32 } from "./encoder.ts";
import { matmulTensorNonzeros, tensorResidual } from "./matmul_tensor.ts";

/**
 * Knobs of the fit. Changing any of them changes the encoder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: CpAlsOptions = { restarts: 2, maxIters: 100, lambda: 1e-3, tol: 1e-9, seed: 1 };
 * const fit = fitCpAls(2, 7, o);
 * assert.ok(fit.residual >= 0 && fit.residual < 1);
 * assert.equal(fit.encoder.r, 7);
 * ```
 */
export interface CpAlsOptions {
  /** Independent random starts; the best is kept. */
  restarts: number;
  /** ALS sweeps per restart at most. */
  maxIters: number;
  /** Ridge regularisation λ on every factor. */
  lambda: number;
  /** Stop a restart when the objective improves by less than tol × objective over 10 sweeps. */
  tol: number;
  /** Seed of the initial factors. */
  seed: number;
}

/** The options tilebench fits with (fixed: part of the encoder's identity). */
export const CP_ALS_DEFAULTS: CpAlsOptions = {
  restarts: 6,
  maxIters: 400,
  lambda: 1e-3,
  tol: 1e-7,
  seed: 0x57a1,
};

/**
 * A fitted encoder and how it was fitted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * // rank 6 is below the ⟨2,2,2⟩ tensor's rank 7: the fit cannot be exact
 * const fit: CpAlsFit = fitCpAls(2, 6, { ...CP_ALS_DEFAULTS, restarts: 2, maxIters: 100 });
 * assert.ok(fit.residual > 0.01 && fit.residual < 1);
 * assert.equal(fit.encoder.alpha.length, 6 * 4); // r rows of t² numbers
 * ```
 */
export interface CpAlsFit {
  encoder: Encoder;
  /** Relative Frobenius residual of the returned (f32-rounded) encoder. */
  residual: number;
  /** Residual of every restart (before f32 rounding), in order. */
  restartResiduals: number[];
  /** Index of the restart kept. */
  bestRestart: number;
  /** ALS sweeps run, summed over restarts. */
  sweeps: number;
  options: CpAlsOptions;
  /** Wall time of the fit in ms (not part of the encoder's identity). */
  ms: number;
}

/** Factor matrices: n×r, row-major. */
type Factor = Float64Array;

/** Solves H·Z = G for Z (r×c), H r×r; Gaussian elimination with partial pivoting. */
function solve(h: Float64Array, g: Float64Array, r: number, c: number): Float64Array {
  const a = Float64Array.from(h);
  const z = Float64Array.from(g);
  for (let col = 0; col < r; col++) {
    let piv = col;
    let best = Math.abs(a[col * r + col]!);
    for (let row = col + 1; row < r; row++) {
      const v = Math.abs(a[row * r + col]!);
      if (v > best) {
        best = v;
        piv = row;
      }
    }
    if (piv !== col) {
      for (let j = 0; j < r; j++) {
        const tmp = a[col * r + j]!;
        a[col * r + j] = a[piv * r + j]!;
        a[piv * r + j] = tmp;
      }
      for (let j = 0; j < c; j++) {
        const tmp = z[col * c + j]!;
        z[col * c + j] = z[piv * c + j]!;
        z[piv * c + j] = tmp;
      }
    }
    const d = a[col * r + col]!;
    for (let row = col + 1; row < r; row++) {
      const f = a[row * r + col]! / d;
      if (f === 0) continue;
      for (let j = col; j < r; j++) a[row * r + j]! -= f * a[col * r + j]!;
      for (let j = 0; j < c; j++) z[row * c + j]! -= f * z[col * c + j]!;
    }
  }
  for (let col = r - 1; col >= 0; col--) {
    const d = a[col * r + col]!;
    for (let j = 0; j < c; j++) {
      let s = z[col * c + j]!;
      for (let k = col + 1; k < r; k++) s -= a[col * r + k]! * z[k * c + j]!;
      z[col * c + j] = s / d;
    }
  }
  return z;
}

/** FᵀF (r×r) of an n×r factor. */
function gram(f: Factor, n: number, r: number): Float64Array {
  const out = new Float64Array(r * r);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < r; a++) {
      const v = f[i * r + a]!;
      for (let b = 0; b < r; b++) out[a * r + b]! += v * f[i * r + b]!;
    }
  }
  return out;
}

/**
 * One ALS update of the factor of `mode` (0 = X, 1 = W, 2 = Y) given the other two.
 * Returns the new n×r factor.
 */
function update(
  mode: 0 | 1 | 2,
  f: [Factor, Factor, Factor],
  nz: [number, number, number][],
  n: number,
  r: number,
  lambda: number,
): Factor {
  const [o1, o2] = mode === 0 ? [1, 2] : mode === 1 ? [0, 2] : [0, 1];
  const f1 = f[o1]!;
  const f2 = f[o2]!;
  // MTTKRP: G[i, ρ] = Σ_{nonzeros with index i in this mode} f1[j, ρ]·f2[k, ρ].
  const g = new Float64Array(n * r);
  for (const idx of nz) {
    const i = idx[mode];
    const j = idx[o1]!;
    const k = idx[o2]!;
    for (let rho = 0; rho < r; rho++) g[i * r + rho]! += f1[j * r + rho]! * f2[k * r + rho]!;
  }
  const h = gram(f1, n, r);
  const h2 = gram(f2, n, r);
  for (let i = 0; i < r * r; i++) h[i] = h[i]! * h2[i]!;
  for (let i = 0; i < r; i++) h[i * r + i]! += lambda;
  // Solve H·Fᵀ = Gᵀ (H symmetric).
  const gt = new Float64Array(r * n);
  for (let i = 0; i < n; i++) for (let rho = 0; rho < r; rho++) gt[rho * n + i] = g[i * r + rho]!;
  const zt = solve(h, gt, r, n);
  const out = new Float64Array(n * r);
  for (let i = 0; i < n; i++) for (let rho = 0; rho < r; rho++) out[i * r + rho] = zt[rho * n + i]!;
  return out;
}

/** ½‖T − [[A,B,C]]‖² + ½λ Σ‖F‖², through Gram matrices (cheap; for convergence only). */
function objective(
  f: [Factor, Factor, Factor],
  nz: [number, number, number][],
  n: number,
  r: number,
  lambda: number,
): number {
  const [a, b, c] = f;
  let inner = 0;
  for (const [x, w, y] of nz) {
    for (let rho = 0; rho < r; rho++) inner += a[x * r + rho]! * b[w * r + rho]! * c[y * r + rho]!;
  }
  const ga = gram(a, n, r);
  const gb = gram(b, n, r);
  const gc = gram(c, n, r);
  let norm2 = 0;
  for (let i = 0; i < r * r; i++) norm2 += ga[i]! * gb[i]! * gc[i]!;
  let reg = 0;
  for (const m of f) for (const v of m) reg += v * v;
  return 0.5 * (nz.length - 2 * inner + norm2) + 0.5 * lambda * reg;
}

function toEncoder(t: number, r: number, f: [Factor, Factor, Factor]): Encoder {
  const tt = t * t;
  const alpha = new Float64Array(r * tt);
  const beta = new Float64Array(r * tt);
  const gamma = new Float64Array(tt * r);
  for (let e = 0; e < tt; e++) {
    for (let rho = 0; rho < r; rho++) {
      alpha[rho * tt + e] = f[0][e * r + rho]!;
      beta[rho * tt + e] = f[1][e * r + rho]!;
      gamma[e * r + rho] = f[2][e * r + rho]!;
    }
  }
  return { t, r, source: "cp-als", alpha, beta, gamma };
}

/** Largest power of two ≤ |v| for v ≠ 0 (exact), 1 for 0. */
function pow2Floor(v: number): number {
  let a = Math.abs(v);
  if (a === 0) return 1;
  let p = 1;
  while (a >= 2) {
    a /= 2;
    p *= 2;
  }
  while (a < 1) {
    a *= 2;
    p /= 2;
  }
  return p;
}

/**
 * Scales α_ρ and β_ρ by powers of two so their largest coefficient lies in [1, 2), moving the
 * factor into γ_ρ. Exact in floating point: the operator is unchanged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = balanceEncoder({
 *   t: 1, r: 1, source: "cp-als",
 *   alpha: new Float64Array([8]), beta: new Float64Array([0.25]), gamma: new Float64Array([1]),
 * });
 * assert.ok(e.alpha[0] === 1 && e.beta[0] === 1 && e.gamma[0] === 2);
 * ```
 */
export function balanceEncoder(e: Encoder): Encoder {
  const tt = e.t * e.t;
  for (let rho = 0; rho < e.r; rho++) {
    let scale = 1;
    for (const m of [e.alpha, e.beta]) {
      let mx = 0;
      for (let i = 0; i < tt; i++) mx = Math.max(mx, Math.abs(m[rho * tt + i]!));
      if (mx === 0) continue;
      const p = pow2Floor(mx);
      for (let i = 0; i < tt; i++) m[rho * tt + i] = m[rho * tt + i]! / p;
      scale *= p;
    }
    for (let i = 0; i < tt; i++) e.gamma[i * e.r + rho] = e.gamma[i * e.r + rho]! * scale;
  }
  return e;
}

/**
 * Fits a rank-r approximation of the ⟨t,t,t⟩ tensor (see the module doc). Pure and
 * deterministic; use {@link cpAlsEncoder} for the per-process cache.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const fit = fitCpAls(2, 7, { restarts: 1, maxIters: 50, lambda: 1e-3, tol: 1e-9, seed: 3 });
 * assert.ok(fit.residual >= 0 && fit.residual < 1);
 * ```
 */
export function fitCpAls(t: number, r: number, options: CpAlsOptions = CP_ALS_DEFAULTS): CpAlsFit {
  if (!Number.isInteger(t) || t < 1) throw new RangeError(`tile must be an integer ≥ 1, got ${t}`);
  if (!Number.isInteger(r) || r < 1) throw new RangeError(`rank must be an integer ≥ 1, got ${r}`);
  const t0 = performance.now();
  const n = t * t;
  const nz = matmulTensorNonzeros(t);
  let best: Encoder | null = null;
  let bestResidual = Infinity;
  let bestRestart = 0;
  let sweeps = 0;
  const restartResiduals: number[] = [];
  for (let restart = 0; restart < options.restarts; restart++) {
    const rng = new Rng(options.seed, `cp-als:t${t}:r${r}:${restart}`);
    const init = () => Float64Array.from({ length: n * r }, () => 2 * rng.next() - 1);
    const f: [Factor, Factor, Factor] = [init(), init(), init()];
    let prev = objective(f, nz, n, r, options.lambda);
    for (let it = 1; it <= options.maxIters; it++) {
      f[0] = update(0, f, nz, n, r, options.lambda);
      f[1] = update(1, f, nz, n, r, options.lambda);
      f[2] = update(2, f, nz, n, r, options.lambda);
      sweeps++;
      if (it % 10 === 0) {
        const obj = objective(f, nz, n, r, options.lambda);
        if (prev - obj < options.tol * obj) break;
        prev = obj;
      }
    }
    const enc = toEncoder(t, r, f);
    const res = tensorResidual(enc);
    restartResiduals.push(res);
    if (res < bestResidual) {
      bestResidual = res;
      best = enc;
      bestRestart = restart;
    }
  }
  const encoder = roundEncoderToF32(balanceEncoder(best!));
  return {
    encoder,
    residual: tensorResidual(encoder),
    restartResiduals,
    bestRestart,
    sweeps,
    options,
    ms: performance.now() - t0,
  };
}

const cache = new Map<string, CpAlsFit>();

/**
 * The cp-als encoder for (t, r) with the default options, fitted once per process and cached.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const a = cpAlsEncoder(2, 6);
 * assert.equal(cpAlsEncoder(2, 6), a); // fitted once per (t, r) per process
 * assert.ok(cpAlsCached(2, 6));
 * ```
 */
export function cpAlsEncoder(t: number, r: number): CpAlsFit {
  const key = `${t}|${r}`;
  let fit = cache.get(key);
  if (!fit) {
    fit = fitCpAls(t, r, CP_ALS_DEFAULTS);
    cache.set(key, fit);
  }
  return fit;
}

/**
 * Whether the cp-als fit of (t, r) is already cached in this process.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(cpAlsCached(4, 63), false);
 * ```
 */
export function cpAlsCached(t: number, r: number): boolean {
  return cache.has(`${t}|${r}`);
}
