/**
 * WGSL generator for the small-M int4 product (M ≤ 16): memory-bound, every packed weight read
 * once, dequantised in registers.
 *
 * A workgroup owns `cols` column-threads × `cpt` columns each (u32 / vec2<u32> / vec4<u32> loads
 * of the packed words: 8, 16 or 32 weights per load) and splits the K rows into `slices`
 * contiguous ranges, one per thread, reduced through workgroup memory at the end. A thread walks
 * its range group by group: scales and zeros are loaded once per group segment, `unroll` packed
 * rows are loaded per step for memory-level parallelism. When a thread's range lies in one group
 * (`gemvOneGroup`: the decode shapes at K = 4096, g128) the walk has no group boundary at all,
 * which keeps it short of registers. That matters because the kernel is bound by its
 * instructions and how many threads fit, not by memory: removing all its weight loads changes
 * little (`experiments/gemv_floor.ts`; docs/kernels/int4.md).
 *
 * Dequantisation without integer→float conversions (slow on NVIDIA): a nibble masked in place
 * and OR-ed into the mantissa of 2^23 is the float 2^23 + q·2^p, so one subtract of the group
 * constant `2^23 + zero·2^p` gives `(q − zero)·2^p` exactly. Nibbles 0–4 are masked in place
 * (p = 0, 4, 8, 12, 16), nibbles 5–7 after one shift by 12 (p = 8, 12, 16). Then either
 * - `prescale` (M ≤ 3): X is multiplied by 2^−p per position (8 products per row, shared by the
 *   `cpt` columns), the thread accumulates Σ x·(q − zero) per group and applies the scale once
 *   per group: per weight a mask, a subtract and an FMA; or
 * - dequantise (M > 3): `w' = (t − c)·(scale·2^−p)` per weight, then M FMAs with plain X.
 * AWQ's 1/s is fused: X is multiplied by a per-k table (1/s, times 2^−p when prescaling).
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import type { WgslCode } from "../wgsl/mod.ts";
import { gemvF16x2Wgsl } from "./gemv_f16x2.ts";
import { gemvF32Wgsl } from "./gemv_f32.ts";
import {
  exponentHeld,
  type GemvMath,
  gemvOneGroup,
  gemvReduceChunk,
  gemvRowsPerThread,
  HELD_EXPONENT_BYTES,
  type Int4GemvOptions,
  NIBBLE_POW,
} from "./gemv_options.ts";

export {
  GEMV_MATHS,
  type GemvMath,
  gemvOneGroup,
  gemvRowsPerThread,
  HELD_EXPONENT_BYTES,
  holdsExponent,
  INT4_GEMV_MAX_M,
  type Int4GemvOptions,
  NIBBLE_POW,
  withHeldExponent,
} from "./gemv_options.ts";

/**
 * Explicit GEMV geometry (the `gemvSlices`, `gemvUnroll` and `gemvCols` tuning params); what is
 * left out is chosen by shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t: Int4GemvTuning = { slices: 64, unroll: 2 };
 * const o = chooseGemv("f32", 1, 4096, 4096, 128, "f16", false, t);
 * assert.equal(o.slices, 64);
 * assert.equal(o.unroll, 2);
 * ```
 */
export interface Int4GemvTuning {
  /** K slices per workgroup (a power of two). */
  slices?: number;
  /** Packed rows per loop step (divides group/8). */
  unroll?: number;
  /** Column-threads per workgroup. */
  cols?: number;
  /** Columns per thread (1, 2 or 4; must divide N). */
  cpt?: 1 | 2 | 4;
  /** Accumulator sets per row of M. */
  accs?: 1 | 2;
  /** Arithmetic of dequantisation and products (default f32). */
  math?: GemvMath;
  /** Stage X as f16 pairs in workgroup memory (`f16x2` at M ≤ 3 only; default when it fits). */
  stageX?: boolean;
  /** Fewer registers in the f32 arithmetic above M = 3 (`Int4GemvOptions.lean`; default off). */
  lean?: boolean;
  /** Fan-in of the split-K reduction (2, 4 or 8; default `GEMV_FAN_IN`). */
  fanIn?: number;
}

/**
 * Picks the GEMV geometry for a shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(chooseGemv("f32", 16, 4096, 4096, 128, "f16", true).prescale === false);
 * ```
 */
export function chooseGemv(
  dtype: DType,
  m: number,
  kPadded: number,
  n: number,
  group: number,
  scaleDtype: DType,
  awq: boolean,
  tune: Int4GemvTuning = {},
): Int4GemvOptions {
  const cpt = tune.cpt ?? (n % 4 === 0 ? 4 : n % 2 === 0 ? 2 : 1);
  const math = tune.math ?? "f32";
  const rpg = group / 8;
  const halfPrescale = math === "f16x2" && m <= 3;
  const geometry = halfPrescale
    ? halfGeometry(m, kPadded, n, cpt, rpg, tune)
    : f32Geometry(m, kPadded, n, cpt, rpg, tune);
  const stageX = halfPrescale &&
    (tune.stageX ??
      (geometry.cols * geometry.slices >= STAGE_X_THREADS && m * kPadded * 2 <= STAGE_X_BYTES));
  return {
    dtype,
    m,
    kPadded,
    n,
    group,
    scaleDtype,
    awq,
    cpt,
    ...geometry,
    prescale: m <= 3,
    accs: tune.accs ?? 1,
    math,
    stageX,
    lean: tune.lean ?? false,
    fanIn: tune.fanIn ?? GEMV_FAN_IN,
  };
}

/**
 * Default fan-in of the split-K reduction: 32 slices reduce in two barriered steps (8, then 4)
 * instead of five halvings; the last step sums straight into Y.
 */
export const GEMV_FAN_IN = 8;

/** Workgroup memory the default X staging may take (the split-K reduction takes ≤ 16 KiB). */
export const STAGE_X_BYTES = 32768;

/**
 * Smallest workgroup the default stages X for: staging pays off in large workgroups and costs
 * more than it saves in small ones, where every workgroup copies all of X for a few columns of
 * work (experiment `int4-stage-x`; docs/kernels/int4.md).
 */
export const STAGE_X_THREADS = 256;

/** The largest of `options` that is ≤ `max` and divides `rpg`, else 1. */
function unrollFor(rpg: number, max: number, options: readonly number[]): number {
  return options.find((u) => u <= max && rpg % u === 0) ?? 1;
}

/**
 * Default geometry of the f32 arithmetic: `cols` column-threads (8 when that still gives ~2
 * workgroups of 128 threads per SM of a 132-SM GPU, else 4) × 128/`cols` K slices; at M ≤ 3 the
 * slices double (to at most K′/64) while the grid holds fewer than `F32_GEMV_THREADS` threads and
 * either holds at most half that or the doubling makes every thread's rows lie in one group
 * (`gemvOneGroup`). More slices put more loads in flight and pay off in small grids, and in
 * larger ones only when they make the walk one group a thread (experiment `int4-f32-walk`).
 * 3 < M < `WIDE_M_SLICES_FROM` keeps 128-thread workgroups; from there on the slices are 64 for at
 * most 512 column-threads, 16 up to M = `FEW_SLICES_M_MAX` for at least
 * `FEW_SLICES_COLUMN_THREADS`, else 32.
 */
function f32Geometry(
  m: number,
  kPadded: number,
  n: number,
  cpt: number,
  rpg: number,
  tune: Int4GemvTuning,
) {
  const cols = tune.cols ?? (Math.ceil(n / (8 * cpt)) >= 264 ? 8 : 4);
  // Packed rows per step (loaded one step ahead, so twice that is held in registers): 4 for
  // small M (with the next step in flight, 4 KiB per warp), fewer as the per-row register
  // footprint grows with M.
  const unroll = tune.unroll ?? unrollFor(rpg, m <= 2 ? 4 : m <= 8 ? 2 : 1, [4, 2]);
  const columnThreads = Math.ceil(n / cpt);
  let slices = Math.max(1, 128 / cols);
  const most = Math.max(slices, Math.min(mostSlices(kPadded), 1024 / cols));
  const oneGroupAt = (sl: number) => gemvOneGroup({ group: rpg * 8, kPadded, slices: sl, unroll });
  while (
    m <= 3 && slices * 2 <= most && columnThreads * slices < F32_GEMV_THREADS &&
    (columnThreads * slices <= F32_GEMV_THREADS / 2 || oneGroupAt(slices * 2))
  ) slices *= 2;
  if (m >= WIDE_M_SLICES_FROM) {
    slices = columnThreads <= 512
      ? 64
      : m <= FEW_SLICES_M_MAX && columnThreads >= FEW_SLICES_COLUMN_THREADS
      ? 16
      : 32;
  }
  return { cols, slices: tune.slices ?? slices, unroll };
}

/**
 * Largest M at which the f32 GEMV default takes 16 K slices for wide grids (at least
 * {@link FEW_SLICES_COLUMN_THREADS} column-threads, N ≥ 8192 with 4 columns a thread). Fitted at
 * M = 12 on five shapes with N ≥ 8192 (ten cases, f32 and f16 X) timed on an NVIDIA H200 and an
 * H100 (docs/kernels/int4.md, "f32 geometry"); at M = 16 the same shapes keep 32.
 */
export const FEW_SLICES_M_MAX = 12;

/** Column-threads from which the default takes 16 K slices up to {@link FEW_SLICES_M_MAX}. */
export const FEW_SLICES_COLUMN_THREADS = 2048;

/**
 * Smallest M at which the f32 GEMV default takes 64 K slices for at most 512 column-threads and 32
 * otherwise (see `f32Geometry`). Fitted at M = 16 on the eight llm-decode shapes, f32 and f16
 * X, on an NVIDIA H200 (docs/kernels/int4.md, "f32 geometry").
 */
export const WIDE_M_SLICES_FROM = 9;

/**
 * The most K slices the f32 GEMV default gives a workgroup at M ≤ 3: K′/64 (8 packed rows a
 * thread), or up to `SHORT_K_SLICES` where K′/32 allows it (K′ ≥ 2048: at least 4 packed rows a
 * thread; between 2048 and 4096 a thread's rows are rounded up to whole steps, so some of the 64
 * slices idle); never more than 128. With f32 arithmetic on an H200, twice the slices of the 8-row
 * bound (64 where it gave 32, 32 where it gave 16) was 1.06–1.18× faster on the six shapes with
 * K′ ≤ 3072 timed (docs/kernels/int4.md, "f32 geometry"). The packed-half default keeps the 8-row
 * bound: there the gain was smaller (1.05–1.09× on two of three K′ = 2048 shapes) and at K′ = 3072
 * its default was already the best candidate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual([1024, 2048, 3072, 4096, 5632, 16384].map(mostSlices), [32, 64, 64, 64, 88, 128]);
 * ```
 */
export function mostSlices(kPadded: number): number {
  return Math.min(128, Math.max(kPadded / 64, Math.min(SHORT_K_SLICES, kPadded / 32)));
}

/** The most slices `mostSlices` allows beyond 8 packed rows a thread. */
export const SHORT_K_SLICES = 64;

/** Threads below which the f32 GEMV default grows its K slices at M ≤ 3 (see `f32Geometry`). */
export const F32_GEMV_THREADS = 1 << 16;

/** Threads the `f16x2` GEMV default aims to launch (about 1000 per SM of a 132-SM GPU). */
export const HALF_GEMV_THREADS = 1 << 17;

/**
 * Default geometry of the `f16x2` arithmetic at M ≤ 3: K slices (a power of two, 4–128) so
 * that the grid holds about `HALF_GEMV_THREADS` threads, but at least 8 packed rows a thread
 * (the split-K reduction costs a barrier per halving), doubled once more when that makes a
 * one-group walk within twice those threads (experiment `int4-small-groups`; more doublings
 * make the grid too large to pay off); 2 packed rows a step, or 4 at M ≤ 2 where 2 leave the walk
 * more than one group and 4 make it one (a thread's rows padded to a divisor of the group: 1.10×
 * and 1.15× at the two llm-decode shapes where this applies, 1×14336×4096 and 1×5632×2048, on an
 * H200); column-threads by `halfCols`. A heuristic fitted to the `gemv-tune-f16x2`, `int4-math-m1` and `int4-geometry` experiments
 * (neighbouring geometries differ by up to a quarter); `gemvSlices`, `gemvCols` and `gemvUnroll`
 * override it.
 */
function halfGeometry(
  m: number,
  kPadded: number,
  n: number,
  cpt: number,
  rpg: number,
  tune: Int4GemvTuning,
) {
  const at = (unroll: number) => halfGeometryAt(kPadded, n, cpt, rpg, tune, unroll);
  const two = at(tune.unroll ?? unrollFor(rpg, m <= 2 ? 2 : 1, [2]));
  if (tune.unroll !== undefined || m > 2 || rpg % 4 !== 0) return two;
  // Not a one-group walk at 2 packed rows a step: 4 a step, where that makes one (a thread's rows
  // padded to a divisor of the group).
  const oneGroup = (g: { slices: number; unroll: number }) =>
    gemvOneGroup({ group: rpg * 8, kPadded, ...g });
  if (oneGroup(two)) return two;
  const four = at(4);
  return oneGroup(four) ? four : two;
}

/** {@link halfGeometry} at a given number of packed rows a step. */
function halfGeometryAt(
  kPadded: number,
  n: number,
  cpt: number,
  rpg: number,
  tune: Int4GemvTuning,
  unroll: number,
) {
  const columnThreads = Math.ceil(n / cpt);
  const want = HALF_GEMV_THREADS / columnThreads;
  const most = Math.max(4, Math.min(128, kPadded / 64));
  let slices = 4;
  while (slices * 2 <= most && (slices < 16 || slices * 1.5 < want)) slices *= 2;
  // One more doubling when it makes every thread's rows one group (`gemvOneGroup`) and the grid
  // stays within twice the aim (small groups: g64 at 1×4096×14336, g32 at 1×4096×4096).
  const oneGroupAt = (sl: number) => gemvOneGroup({ group: rpg * 8, kPadded, slices: sl, unroll });
  if (
    !oneGroupAt(slices) && oneGroupAt(slices * 2) && slices * 2 <= 128 &&
    columnThreads * slices * 2 <= 2 * HALF_GEMV_THREADS
  ) slices *= 2;
  // A given column-thread count caps the chosen slices at 1024 threads a workgroup.
  if (tune.cols !== undefined) slices = Math.max(1, Math.min(slices, 1024 / tune.cols));
  slices = tune.slices ?? slices;
  const cols = tune.cols ?? halfCols(slices, n, cpt);
  return { cols, slices, unroll };
}

/**
 * Default column-threads of the `f16x2` geometry: 16 (512-thread workgroups, X staged) for up to
 * 32 slices when that still leaves ≥ 128 workgroups; 8 for 64 slices and more when that leaves
 * ≥ 64; else 4. Wide workgroups win only in the large grids of 32 slices and lose clearly in
 * the small ones (experiment `int4-geometry`).
 */
function halfCols(slices: number, n: number, cpt: number): number {
  if (slices <= 32 && Math.ceil(n / (16 * cpt)) >= 128) return 16;
  return slices >= 64 && Math.ceil(n / (8 * cpt)) >= 64 ? 8 : 4;
}

/** Group segments processed by all threads of one column-thread position (for FLOP counts). */
export function gemvSegments(o: Int4GemvOptions): number {
  const rows = o.kPadded / 8;
  const rpg = o.group / 8;
  const per = gemvRowsPerThread(o);
  let segs = 0;
  for (let s = 0; s < o.slices; s++) {
    const r0 = s * per;
    const r1 = Math.min(r0 + per, rows);
    if (r0 < r1) segs += Math.floor((r1 - 1) / rpg) - Math.floor(r0 / rpg) + 1;
  }
  return segs;
}

/**
 * Workgroup memory the GEMV uses, in bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(gemvWorkgroupBytes(chooseGemv("f32", 1, 4096, 14336, 128, "f16", false)) === 4096);
 * ```
 */
export function gemvWorkgroupBytes(o: Int4GemvOptions): number {
  const staged = o.stageX ? o.m * o.kPadded * 2 : 0;
  const held = exponentHeld(o) ? HELD_EXPONENT_BYTES : 0;
  return gemvReduceChunk(o) * o.cols * o.slices * o.cpt * 4 + staged + held;
}

/**
 * Floating-point work the GEMV executes beyond the 2·M·K·N multiply-adds (integer masks and
 * shifts are not counted): offset subtracts (and scale products when dequantising), the group
 * constants, the per-group scale FMAs and the X products (prescale / AWQ); for `f16x2` also the
 * carries of pair sums into f32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const f = gemvOverheadFlops(chooseGemv("f32", 1, 4096, 14336, 128, "f16", false));
 * assert.ok(f > 4096 * 14336);
 * ```
 */
export function gemvOverheadFlops(o: Int4GemvOptions): number {
  const { m, kPadded, n, cpt } = o;
  const segColumns = gemvSegments(o) * n; // (segment, column) pairs
  // Products of X with a per-k factor, 8 a packed row per thread and row of M.
  const xRowProducts = (kPadded / 8) * (n / cpt) * m * 8;
  if (o.math === "f16x2") {
    // Offsets: a subtract for even nibble pairs, an FMA for odd ones (1.5 a weight), times the
    // scale when dequantising. Group constants: 2 adds. Carrying a pair sum into f32: its halves
    // (and sets) summed, then an FMA with the scale (prescale, every step) or an add (every
    // segment; every step of a one-group walk, whose scale is one product a segment at the
    // end). X is multiplied only by AWQ's 1/s.
    const xAwq = o.awq ? xRowProducts : 0;
    const scaledOnce = o.prescale && gemvOneGroup(o);
    const carry = 2 * o.accs - 1 + (o.prescale && !scaledOnce ? 2 : 1);
    const carries = o.prescale ? (kPadded / 8 / o.unroll) * n * m : segColumns * m;
    const scales = scaledOnce ? segColumns * m : 0;
    return kPadded * n * (o.prescale ? 1.5 : 2.5) + segColumns * 2 + carries * carry + scales +
      xAwq;
  }
  const perWeight = o.prescale ? 1 : 2;
  const perSegColumn = o.prescale ? 9 + 2 * m : 13;
  const xProducts = o.prescale || o.awq ? xRowProducts : 0;
  return kPadded * n * perWeight + segColumns * perSegColumn + xProducts;
}

/**
 * Generates the int4 GEMV shader of `o`'s arithmetic: `gemvF32Wgsl` or `gemvF16x2Wgsl`.
 * Bindings: 0 = X (M×kPadded, vec4 of dtype), 1 = packed words, 2 = scales, 3 = zeros (f32, or
 * f16 pairs read as u32), 4 = Y (M×N), 5 = AWQ input scale table (kPadded f32) when `awq`.
 * Dispatch `int4GemvDispatch(o)` workgroups.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { code } = int4GemvWgsl(chooseGemv("f32", 1, 104, 53, 8, "f32", false));
 * assert.ok(code.includes("workgroupBarrier"));
 * ```
 */
export function int4GemvWgsl(o: Int4GemvOptions): WgslCode {
  return o.math === "f16x2" ? gemvF16x2Wgsl(o) : gemvF32Wgsl(o);
}

/**
 * Workgroup count (x) of an int4 GEMV.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(int4GemvDispatch(chooseGemv("f32", 1, 4096, 14336, 128, "f16", false)) === 448);
 * ```
 */
export function int4GemvDispatch(o: Int4GemvOptions): number {
  return Math.ceil(o.n / (o.cols * o.cpt));
}

/**
 * Whether the GEMV multiplies X by 2^−p of each k's nibble position (f32 prescale only; the
 * `f16x2` path forms `q − zero` exactly and takes X as it is).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(prescalesX(chooseGemv("f32", 1, 4096, 4096, 128, "f16", false)));
 * ```
 */
export function prescalesX(o: Pick<Int4GemvOptions, "prescale" | "math">): boolean {
  return o.prescale && o.math === "f32";
}

/**
 * The per-k AWQ table the GEMV multiplies X by: 1/s, times 2^−p of the k's nibble position when
 * the GEMV prescales X (`prescalesX`; exact: powers of two).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = chooseGemv("f32", 1, 8, 8, 8, "f32", true);
 * const t = gemvAwqTable(new Float32Array(8).fill(1), o);
 * assert.ok(t[1] === 0.0625 && t[5] === 1 / 256);
 * ```
 */
export function gemvAwqTable(
  invScale: Float32Array,
  o: Pick<Int4GemvOptions, "prescale" | "math">,
): Float32Array {
  const t = new Float32Array(invScale);
  if (prescalesX(o)) {
    for (let i = 0; i < t.length; i++) t[i] = t[i]! * 2 ** -NIBBLE_POW[i % 8]!;
  }
  return t;
}
