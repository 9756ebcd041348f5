/**
 * Seeded, machine-independent data: PRNG, distributions and per-shape inputs.
 *
 * @module
 */

export * from "./prng.ts";
export * from "./det_math.ts";
export * from "./distributions.ts";
export * from "./inputs.ts";
export * from "./matmul_f64.ts";
