/**
 * What every int4 GEMV generator reads: the generator options and the geometry derived from them
 * (rows a thread walks, whether they lie in one group, rows of M reduced per pass).
 *
 * @module
 */

import { heldBytes } from "../wgsl/mod.ts";
import type { Int4ShaderInputs } from "./shader_inputs.ts";

/** Largest M the int4 GEMV path accepts. */
export const INT4_GEMV_MAX_M = 16;

/**
 * Arithmetic of the GEMV's dequantisation and products: `f32` (one weight an instruction, f32
 * throughout) or `f16x2` (packed halves, two weights an instruction, short f16 partial sums carried
 * into f32; needs `shader-f16`; see `gemv_f16x2.ts`).
 */
export const GEMV_MATHS = ["f32", "f16x2"] as const;
/** A GEMV arithmetic. */
export type GemvMath = typeof GEMV_MATHS[number];

/**
 * Everything that changes the generated int4 GEMV text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseGemv } from "./gemv_wgsl.ts";
 * const o: Int4GemvOptions = chooseGemv("f32", 1, 4096, 14336, 128, "f16", false);
 * assert.ok(o.cpt === 4 && o.prescale);
 * ```
 */
export interface Int4GemvOptions extends Int4ShaderInputs {
  /** Columns per thread: 1, 2 or 4 (u32, vec2<u32>, vec4<u32> loads); divides N. */
  cpt: 1 | 2 | 4;
  /** Column-threads per workgroup. */
  cols: number;
  /** K slices per workgroup (a power of two). */
  slices: number;
  /** Packed rows per loop step; divides group/8. */
  unroll: number;
  /** X·2^−p prescaling and per-group scale (small M) instead of per-weight dequantisation. */
  prescale: boolean;
  /** Accumulator sets per row of M (2: even and odd packed rows chain separately). */
  accs: 1 | 2;
  /** Arithmetic of dequantisation and products (`f16x2` needs `shader-f16`). */
  math: GemvMath;
  /**
   * `f16x2` at M ≤ 3 only: X is staged once per workgroup into workgroup memory as the f16 pairs
   * the products take (converted, AWQ-scaled and interleaved there), instead of every thread
   * loading and pairing its rows of X itself.
   */
  stageX: boolean;
  /**
   * Fewer registers a thread in the f32 arithmetic's per-weight dequantisation (above M = 3): a
   * step's 8 nibble positions in two halves of 4 (each half's weights used by every row of M
   * before the next half is decoded: 4 decoded vec4s live instead of 8) and 6 group constants
   * instead of 10 (`w' = fma(q·2^p, scale·2^−p, −zero·scale)`). The same operations a weight; with f16
   * scales the same output bit for bit.
   */
  lean: boolean;
  /**
   * Fan-in of the split-K reduction: each step sums up to this many slices' partials (2 = a
   * binary tree, a barrier per halving; 8 = a barrier per eighth).
   */
  fanIn: number;
  /**
   * Hold the decode's exponent in a register (`kernels/wgsl/held.ts`; `HELD_EXPONENT_BYTES` of
   * workgroup memory) where {@link holdsExponent} says the GEMV does. Set by the build where
   * those bytes fit the device (absent: the literal).
   */
  hold?: boolean;
}

/** Workgroup bytes of a held decode exponent: one u32, a workgroup variable rounded up to 16. */
export const HELD_EXPONENT_BYTES = heldBytes(1);

/**
 * Whether the GEMV can hold its decode exponent in a register (`hold`, where the bytes fit): at
 * M = 1, where it was measured faster, in packed halves with X staged (the staging's barrier fills
 * it) and in f32 (a barrier at the start). The f32 dequantising walk (M > 3) keeps the literal:
 * held, it ran up to 1.5× slower at M = 16 (docs/kernels/int4.md); M = 2 and 3 were not measured.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { m: 1, math: "f16x2", stageX: true, prescale: true } as const;
 * assert.equal(holdsExponent(o), true);
 * assert.equal(holdsExponent({ ...o, stageX: false }), false);
 * assert.equal(holdsExponent({ m: 16, math: "f32", stageX: false, prescale: false }), false);
 * assert.equal(holdsExponent({ m: 2, math: "f32", stageX: false, prescale: true }), false);
 * ```
 */
export function holdsExponent(
  o: Pick<Int4GemvOptions, "m" | "math" | "stageX" | "prescale">,
): boolean {
  return o.m === 1 && (o.math === "f16x2" ? o.stageX : o.prescale);
}

/**
 * Whether the GEMV these options generate holds its exponent: `hold` set where
 * {@link holdsExponent} allows it (elsewhere `hold` is ignored and the literal stays).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { m: 1, math: "f32", stageX: false, prescale: true } as const;
 * assert.equal(exponentHeld({ ...o, hold: true }), true);
 * assert.equal(exponentHeld(o), false);
 * assert.equal(exponentHeld({ ...o, m: 16, prescale: false, hold: true }), false);
 * ```
 */
export function exponentHeld(
  o: Pick<Int4GemvOptions, "m" | "math" | "stageX" | "prescale" | "hold">,
): boolean {
  return (o.hold ?? false) && holdsExponent(o);
}

/**
 * The options with `hold` set where {@link holdsExponent} allows it and the held bytes fit
 * `limit` (the device's workgroup memory) beside the GEMV's other workgroup arrays, which `bytes`
 * counts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseGemv, gemvWorkgroupBytes } from "./gemv_wgsl.ts";
 * const o = chooseGemv("f16", 1, 4096, 14336, 128, "f16", false, { math: "f16x2" });
 * assert.equal(withHeldExponent(o, gemvWorkgroupBytes, 49152).hold, true);
 * const full = gemvWorkgroupBytes(o); // no room for the 16 held bytes: the literal
 * assert.equal(withHeldExponent(o, gemvWorkgroupBytes, full).hold, false);
 * ```
 */
export function withHeldExponent(
  o: Int4GemvOptions,
  bytes: (o: Int4GemvOptions) => number,
  limit: number,
): Int4GemvOptions {
  const bare = { ...o, hold: false };
  return { ...o, hold: holdsExponent(o) && bytes(bare) + HELD_EXPONENT_BYTES <= limit };
}

/** Packed rows per thread: a multiple of `unroll`. */
export function gemvRowsPerThread(
  o: Pick<Int4GemvOptions, "kPadded" | "slices" | "unroll">,
): number {
  const rows = o.kPadded / 8;
  return Math.ceil(rows / (o.slices * o.unroll)) * o.unroll;
}

/**
 * Whether every thread's packed rows lie in one group (its rows divide a group's): the walk
 * then loads the scales and zeros once, has no group boundary, and the `f16x2` prescale path
 * carries its sums unscaled and applies the scale once at the end.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseGemv } from "./gemv_wgsl.ts";
 * assert.ok(gemvOneGroup(chooseGemv("f16", 1, 4096, 14336, 128, "f16", false, { math: "f16x2" })));
 * ```
 */
export function gemvOneGroup(
  o: Pick<Int4GemvOptions, "group" | "kPadded" | "slices" | "unroll">,
): boolean {
  return (o.group / 8) % gemvRowsPerThread(o) === 0;
}

/** Rows of M reduced per pass through workgroup memory (keeps it ≤ 16 KiB). */
export function gemvReduceChunk(o: Pick<Int4GemvOptions, "m" | "cols" | "slices" | "cpt">): number {
  const threads = o.cols * o.slices;
  return Math.max(1, Math.min(o.m, Math.floor(16384 / (threads * o.cpt * 4))));
}

/** Position class p of nibble i (its value is q·2^p after masking). */
export const NIBBLE_POW: readonly number[] = [0, 4, 8, 12, 16, 8, 12, 16];
