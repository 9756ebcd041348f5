/**
 * Seeded value distributions for activations and weights.
 *
 * - `gaussian`: N(0, std²).
 * - `uniform`: U[−range, range).
 * - `llm-activations`: heavy-tailed (unit-variance Laplace) values times a per-channel scale in
 *   [0.5, 1.5), times a per-row (token) scale in [0.5, 1.5); a few outlier channels
 *   (`outlierFraction` of K, at least one) are `outlierScale`× larger. The channel profile
 *   (scales and outlier set) is a property of the layer: it depends only on the seed and K, so
 *   evaluated rows and calibration rows share it while their values come from independent
 *   streams.
 * - `llm-weights`: N(0, 1/K) times a per-output-column scale in [0.5, 1.5); one weight in a
 *   thousand is 5× larger (heavy tail).
 *
 * @module
 */

import { detLn } from "./det_math.ts";
import { BufferedRng, Rng } from "./prng.ts";

/** Names of the built-in distributions. */
export const DISTRIBUTIONS = ["gaussian", "uniform", "llm-activations", "llm-weights"] as const;

/** A built-in distribution name. */
export type DistributionName = typeof DISTRIBUTIONS[number];

/**
 * A distribution with its parameters, as written in a suite's `data.x` / `data.w`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const d: DistributionSpec = { dist: "llm-activations", outlierFraction: 0.005, outlierScale: 20 };
 * assert.ok(Object.keys(d).every((p) => p === "dist" || DISTRIBUTION_PARAMS[d.dist].includes(p)));
 * assert.equal(generateMatrix(d, 2, 400, 7, "x").length, 800);
 * ```
 */
export interface DistributionSpec {
  /** The distribution; the other fields are its parameters (see `DISTRIBUTION_PARAMS`). */
  dist: DistributionName;
  /** gaussian: standard deviation (default 1). */
  std?: number;
  /** uniform: half-width (default 1). */
  range?: number;
  /** llm-activations: fraction of outlier channels (default 0.005). */
  outlierFraction?: number;
  /** llm-activations: outlier channel magnitude multiplier (default 20). */
  outlierScale?: number;
}

/** Parameter names each distribution accepts (besides `dist`). */
export const DISTRIBUTION_PARAMS: Record<DistributionName, readonly string[]> = {
  "gaussian": ["std"],
  "uniform": ["range"],
  "llm-activations": ["outlierFraction", "outlierScale"],
  "llm-weights": [],
};

/**
 * Draws standard normal deviates with Marsaglia's polar method (deterministic `detLn`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Rng } from "./prng.ts";
 * const g = new GaussianSource(new Rng(1, "demo"));
 * const v = Array.from({ length: 4000 }, () => g.next());
 * const mean = v.reduce((a, b) => a + b, 0) / v.length;
 * const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
 * assert.ok(Math.abs(mean) < 0.1 && Math.abs(variance - 1) < 0.1);
 * // deterministic: the same seed and stream give the same deviates
 * assert.equal(new GaussianSource(new Rng(1, "demo")).next(), v[0]);
 * ```
 */
export class GaussianSource {
  #rng: { nextU32(): number };
  #spare = 0;
  #hasSpare = false;

  /** Wraps a uniform generator (an {@link Rng}, or a {@link BufferedRng} reading one ahead). */
  constructor(rng: { nextU32(): number }) {
    this.#rng = rng;
  }

  /** Next N(0, 1) deviate. */
  next(): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spare;
    }
    let u = 0, v = 0, s = 0;
    do {
      // 32-bit uniforms on [-1, 1): exact in doubles, half the cost of 53-bit draws.
      u = this.#rng.nextU32() * 4.656612873077393e-10 - 1;
      v = this.#rng.nextU32() * 4.656612873077393e-10 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt(-2 * detLn(s) / s);
    this.#spare = v * f;
    this.#hasSpare = true;
    return u * f;
  }
}

/**
 * Per-channel profile of an `llm-activations` layer: a scale for each of the K input channels
 * and the indices of the outlier channels. Depends only on (seed, K, spec).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = activationProfile(7, 256, { dist: "llm-activations" });
 * assert.ok(p.outliers.length >= 1);
 * ```
 */
export function activationProfile(
  seed: number,
  k: number,
  spec: DistributionSpec,
): { scales: Float64Array; outliers: number[] } {
  const rng = new Rng(seed, `profile:llm-activations:${k}`);
  const scales = new Float64Array(k);
  for (let i = 0; i < k; i++) scales[i] = 0.5 + rng.next();
  const fraction = spec.outlierFraction ?? 0.005;
  const mult = spec.outlierScale ?? 20;
  const count = Math.min(k, Math.max(1, Math.round(k * fraction)));
  // Partial Fisher-Yates: the first `count` entries of a seeded permutation.
  const idx = Array.from({ length: k }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.nextInt(k - i);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const outliers = idx.slice(0, count).sort((a, b) => a - b);
  for (const c of outliers) scales[c] = scales[c]! * mult * (0.75 + 0.5 * rng.next());
  return { scales, outliers };
}

/**
 * Fills a rows×cols row-major matrix from a distribution.
 *
 * `seed` and `stream` select the value stream; `layerSeed` (defaults to `seed`) selects
 * layer properties such as the activation channel profile, so that two streams of one layer
 * share it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const x = generateMatrix({ dist: "gaussian" }, 4, 8, 42, "x");
 * assert.equal(x.length, 32);
 * ```
 */
export function generateMatrix(
  spec: DistributionSpec,
  rows: number,
  cols: number,
  seed: number,
  stream: string,
  layerSeed: number = seed,
): Float32Array {
  const out = new Float32Array(rows * cols);
  const rng = new BufferedRng(new Rng(seed, `values:${stream}`));
  switch (spec.dist) {
    case "gaussian": {
      const g = new GaussianSource(rng);
      const std = spec.std ?? 1;
      for (let i = 0; i < out.length; i++) out[i] = g.next() * std;
      break;
    }
    case "uniform": {
      const r = spec.range ?? 1;
      for (let i = 0; i < out.length; i++) out[i] = (2 * rng.next() - 1) * r;
      break;
    }
    case "llm-activations": {
      const { scales } = activationProfile(layerSeed, cols, spec);
      const laplaceB = 1 / Math.SQRT2; // unit variance
      for (let r = 0; r < rows; r++) {
        const rowScale = 0.5 + rng.next();
        const base = r * cols;
        for (let c = 0; c < cols; c++) {
          const u = rng.next() - 0.5;
          const mag = -laplaceB * detLn(1 - 2 * Math.abs(u) || Number.MIN_VALUE);
          out[base + c] = (u < 0 ? -mag : mag) * scales[c]! * rowScale;
        }
      }
      break;
    }
    case "llm-weights": {
      const colRng = new Rng(layerSeed, `profile:llm-weights:${rows}x${cols}`);
      const colScale = new Float64Array(cols);
      for (let c = 0; c < cols; c++) colScale[c] = 0.5 + colRng.next();
      const g = new GaussianSource(rng);
      const std = 1 / Math.sqrt(rows);
      for (let r = 0; r < rows; r++) {
        const base = r * cols;
        for (let c = 0; c < cols; c++) {
          let v = g.next() * std * colScale[c]!;
          if (rng.nextU32() < 4294968) v *= 5; // one in a thousand
          out[base + c] = v;
        }
      }
      break;
    }
    default: {
      const name: never = spec.dist;
      throw new RangeError(`unknown distribution "${name}"; allowed: ${DISTRIBUTIONS.join(", ")}`);
    }
  }
  return out;
}
