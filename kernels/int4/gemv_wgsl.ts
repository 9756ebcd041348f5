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
 * which keeps it short of registers: on an H100 that alone took the 1×4096×14336 f16 GEMV from
 * 17.0 to 15.8 µs, where removing all its weight loads had changed nothing (the kernel is bound
 * by its instructions and how many threads fit, not by memory; `experiments/gemv_floor.ts`).
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
import { type Int4ShaderInputs, scaleZeroLoaders } from "./shader_inputs.ts";
import { gemvInputTypes, wideScaleZeroLoaders, xAheadRegs, xRowHalves } from "./gemv_loads.ts";
import {
  f16x2AccDecls,
  f16x2Flush,
  f16x2GroupConstants,
  f16x2Row,
  f16x2StageX,
} from "./gemv_f16x2.ts";

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
 * const o = chooseGemv("f32", 1, 4096, 14336, 128, "f16", false);
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
   * Fan-in of the split-K reduction: each step sums up to this many slices' partials (2 = a
   * binary tree, a barrier per halving; 8 = a barrier per eighth).
   */
  fanIn: number;
  /**
   * Steps of packed words in flight while a step is computed: 1 (the next step) or 2 (the next
   * two; `unroll · cpt` more registers a thread).
   */
  prefetch: 1 | 2;
  /**
   * One load per group for the scales (and one for the zeros) of all `cpt` columns of a thread,
   * and one 16-byte load for the 8 values of X a packed row multiplies (X read as
   * `mat2x4`), instead of a load per column and two per packed row.
   */
  wideLoads: boolean;
  /**
   * X's values of a step loaded one step ahead, with the packed words (registers), instead of
   * when the step is computed. Not with `stageX` (X is in workgroup memory) or `prefetch` 2.
   */
  xAhead: boolean;
}

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
  /** Fan-in of the split-K reduction (2, 4 or 8; default `GEMV_FAN_IN`). */
  fanIn?: number;
  /** Steps of packed words in flight (1 or 2; default `GEMV_PREFETCH`). */
  prefetch?: 1 | 2;
  /** Wide scale, zero and X loads (default `GEMV_WIDE_LOADS`). */
  wideLoads?: boolean;
  /** X loaded one step ahead (default `GEMV_X_AHEAD`; never with staged X or prefetch 2). */
  xAhead?: boolean;
}

/**
 * Picks the GEMV geometry for a shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(chooseGemv("f32", 16, 4096, 4096, 128, "f16", true).prescale, false);
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
  const prefetch = tune.prefetch ?? GEMV_PREFETCH;
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
    fanIn: tune.fanIn ?? GEMV_FAN_IN,
    prefetch,
    wideLoads: tune.wideLoads ?? GEMV_WIDE_LOADS,
    xAhead: !stageX && prefetch === 1 && (tune.xAhead ?? GEMV_X_AHEAD),
  };
}

/** Default of loading X one step ahead. */
export const GEMV_X_AHEAD = false;

/** Default steps of packed words in flight. */
export const GEMV_PREFETCH: 1 | 2 = 1;

/** Default of the wide scale, zero and X loads. */
export const GEMV_WIDE_LOADS = false;

/**
 * Default fan-in of the split-K reduction: 32 slices reduce in two barriered steps (8, then 4)
 * instead of five halvings; the last step sums straight into Y.
 */
export const GEMV_FAN_IN = 8;

/** Workgroup memory the default X staging may take (the split-K reduction takes ≤ 16 KiB). */
export const STAGE_X_BYTES = 32768;

/**
 * Smallest workgroup the default stages X for. On an H100 (`int4-stage-x`) staging was 5–14%
 * faster with 256–1024-thread workgroups and up to 38% slower with the 896 128-thread workgroups
 * of 1×4096×14336, where every small workgroup copies all of X for 16 columns of work.
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
 * (`gemvOneGroup`). On an H100 (`int4-f32-walk` and the `int4` decode shapes, serial) more slices
 * paid off exactly there: 1×4096×4096 and 1×14336×4096 (32K threads) 10–27% faster at 64 slices
 * for every group size; 1×4096×14336 (57K threads at 16 slices) 6–10% faster at 32 slices with
 * g128 (one group a thread), 1–8% slower with g32 and g64 (several). Larger M keeps 128-thread
 * workgroups (not measured there).
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
  const most = Math.max(slices, Math.min(128, kPadded / 64, 1024 / cols));
  const oneGroupAt = (sl: number) => gemvOneGroup({ group: rpg * 8, kPadded, slices: sl, unroll });
  while (
    m <= 3 && slices * 2 <= most && columnThreads * slices < F32_GEMV_THREADS &&
    (columnThreads * slices <= F32_GEMV_THREADS / 2 || oneGroupAt(slices * 2))
  ) slices *= 2;
  return { cols, slices: tune.slices ?? slices, unroll };
}

/** Threads below which the f32 GEMV default grows its K slices at M ≤ 3 (see `f32Geometry`). */
export const F32_GEMV_THREADS = 1 << 16;

/** Threads the `f16x2` GEMV default aims to launch (about 1000 per SM of a 132-SM GPU). */
export const HALF_GEMV_THREADS = 1 << 17;

/**
 * Default geometry of the `f16x2` arithmetic at M ≤ 3: K slices (a power of two, 4–128) so
 * that the grid holds about `HALF_GEMV_THREADS` threads, but at least 8 packed rows a thread
 * (the split-K reduction costs a barrier per halving), doubled once more when that makes a
 * one-group walk within twice those threads (on an H100, `int4-small-groups`: g64 at
 * 1×4096×14336 18.26 → 16.81 µs, g32 at 1×4096×4096 9.09 → 7.76 µs; g32 at 1×4096×14336, 4×
 * the threads, was 8–12% slower at 64 or 128 slices); 2 packed rows a step; column-threads by
 * `halfCols`. A heuristic from the `gemv-tune-f16x2` sweeps and the `int4-math-m1` and
 * `int4-geometry` runs on one H100 (timings swing by up to 25% between neighbouring
 * geometries); `gemvSlices`, `gemvCols` and `gemvUnroll` override it.
 */
function halfGeometry(
  m: number,
  kPadded: number,
  n: number,
  cpt: number,
  rpg: number,
  tune: Int4GemvTuning,
) {
  const columnThreads = Math.ceil(n / cpt);
  const want = HALF_GEMV_THREADS / columnThreads;
  const most = Math.max(4, Math.min(128, kPadded / 64));
  let slices = 4;
  while (slices * 2 <= most && (slices < 16 || slices * 1.5 < want)) slices *= 2;
  const unroll = tune.unroll ?? unrollFor(rpg, m <= 2 ? 2 : 1, [2]);
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
 * ≥ 64; else 4. On an H100 (`int4-geometry`, one-group walk) 16 was 2–4% faster than 4 and 8
 * at 1×4096×14336 (32 slices) and 12–43% slower at 1×4096×4096 and 1×14336×4096 (64 and 128
 * slices), where 8 and 4 were level.
 */
function halfCols(slices: number, n: number, cpt: number): number {
  if (slices <= 32 && Math.ceil(n / (16 * cpt)) >= 128) return 16;
  return slices >= 64 && Math.ceil(n / (8 * cpt)) >= 64 ? 8 : 4;
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
 * assert.ok(gemvOneGroup(chooseGemv("f16", 1, 4096, 14336, 128, "f16", false, { math: "f16x2" })));
 * ```
 */
export function gemvOneGroup(
  o: Pick<Int4GemvOptions, "group" | "kPadded" | "slices" | "unroll">,
): boolean {
  return (o.group / 8) % gemvRowsPerThread(o) === 0;
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

/** Rows of M reduced per pass through workgroup memory (keeps it ≤ 16 KiB). */
function reduceChunk(o: Int4GemvOptions): number {
  const threads = o.cols * o.slices;
  return Math.max(1, Math.min(o.m, Math.floor(16384 / (threads * o.cpt * 4))));
}

/**
 * Workgroup memory the GEMV uses, in bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(gemvWorkgroupBytes(chooseGemv("f32", 1, 4096, 14336, 128, "f16", false)), 4096);
 * ```
 */
export function gemvWorkgroupBytes(o: Int4GemvOptions): number {
  const staged = o.stageX ? o.m * o.kPadded * 2 : 0;
  return reduceChunk(o) * o.cols * o.slices * o.cpt * 4 + staged;
}

/** Exact 2^−p literals for the prescale. */
const POW2_NEG: Record<number, string> = {
  0: "1.0",
  4: "0.0625",
  8: "0.00390625",
  12: "0.000244140625",
  16: "0.0000152587890625",
};

/** Position class p of nibble i (its value is q·2^p after masking). */
export const NIBBLE_POW: readonly number[] = [0, 4, 8, 12, 16, 8, 12, 16];

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
 * Generates the int4 GEMV shader. Bindings: 0 = X (M×kPadded, vec4 of dtype), 1 = packed words,
 * 2 = scales, 3 = zeros (f32, or f16 pairs read as u32), 4 = Y (M×N), 5 = AWQ input scale table
 * (kPadded f32) when `awq`. Dispatch `gemvDispatch(o)` workgroups.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const code = int4GemvWgsl(chooseGemv("f32", 1, 104, 53, 8, "f32", false));
 * assert.ok(code.includes("workgroupBarrier"));
 * ```
 */
export function int4GemvWgsl(o: Int4GemvOptions): string {
  const {
    dtype,
    m,
    kPadded,
    n,
    group,
    scaleDtype,
    awq,
    cpt,
    cols,
    slices,
    unroll,
    prescale,
    accs,
    math,
    fanIn,
    prefetch,
    wideLoads,
    xAhead,
  } = o;
  const half = math === "f16x2";
  if (!(m >= 1 && m <= INT4_GEMV_MAX_M)) {
    throw new RangeError(`int4 GEMV needs 1 ≤ M ≤ ${INT4_GEMV_MAX_M}, got ${m}`);
  }
  if (kPadded % 8 !== 0 || kPadded % group !== 0 || group % 8 !== 0) {
    throw new RangeError(`bad K/group: kPadded=${kPadded}, group=${group}`);
  }
  if (n % cpt !== 0) throw new RangeError(`cpt ${cpt} must divide N = ${n}`);
  if ((slices & (slices - 1)) !== 0) throw new RangeError(`slices must be a power of 2`);
  if ((group / 8) % unroll !== 0) throw new RangeError(`unroll must divide group/8`);
  if (xAhead && (o.stageX || prefetch !== 1)) {
    throw new RangeError(
      `xAhead needs X unstaged and prefetch 1, got stageX=${o.stageX} prefetch=${prefetch}`,
    );
  }
  const T = dtype;
  const threads = cols * slices;
  const FV = cpt === 1 ? "f32" : `vec${cpt}<f32>`;
  const QV = cpt === 1 ? "u32" : `vec${cpt}<u32>`;
  const YV = cpt === 1 ? T : `vec${cpt}<${T}>`;
  const fs = (e: string) => `${FV}(${e})`;
  const qs = (e: string) => `${QV}(${e})`;
  const rows = kPadded / 8;
  const rpt = gemvRowsPerThread(o);
  const chunk = reduceChunk(o);
  const types = gemvInputTypes(o);
  // Scales and zeros of all columns in one load each (`ldSv`, `ldZv`), or a load per column.
  const wideCpt = wideLoads && cpt !== 1 ? cpt : null;
  const L: string[] = [];
  if (dtype === "f16" || half) L.push("enable f16;");
  L.push(
    `// tilebench int4 GEMV ${m}x${kPadded}x${n} ${T} group=${group} scales=${scaleDtype} awq=${awq}` +
      ` cpt=${cpt} cols=${cols} slices=${slices} unroll=${unroll} prescale=${prescale} accs=${accs}` +
      ` math=${math} fanIn=${fanIn} prefetch=${prefetch} wideLoads=${wideLoads} xAhead=${xAhead}`,
    `@group(0) @binding(0) var<storage, read> X: array<${types.x}>;`,
    `@group(0) @binding(1) var<storage, read> Q: array<${QV}>;`,
    `@group(0) @binding(2) var<storage, read> S: array<${types.s}>;`,
    `@group(0) @binding(3) var<storage, read> Z: array<${types.s}>;`,
    `@group(0) @binding(4) var<storage, read_write> Y: array<${YV}>;`,
  );
  if (awq) L.push(`@group(0) @binding(5) var<storage, read> XS: array<vec4<f32>>;`);
  L.push(
    `const ROWS = ${rows}u;`,
    `const N = ${n}u;`,
    `const NQ = ${n / cpt}u;`,
    `const KV = ${kPadded / 4}u;`,
    `const RPG = ${group / 8}u;`,
    `const RPT = ${rpt}u;`,
    `const MAGIC = 0x4b000000u;`,
    `var<workgroup> red: array<${FV}, ${chunk * threads}>;`,
    ...(o.stageX ? [`var<workgroup> xs: array<vec4<f16>, ${m * rows * 2}>;`] : []),
    "",
  );
  if (wideCpt) L.push(...wideScaleZeroLoaders(scaleDtype, wideCpt));
  else L.push(...scaleZeroLoaders(scaleDtype));
  const lanes = (fn: string) =>
    wideCpt
      ? `${fn}v(e)`
      : cpt === 1
      ? `${fn}(e)`
      : `${FV}(${Array.from({ length: cpt }, (_, j) => `${fn}(e + ${j}u)`).join(", ")})`;
  // Loads of the packed words of the step from row `at`, into `q<u>` (`into` = "q") or, two
  // steps ahead, `qn<u>`.
  const loadStep = (ind: string, into: string, at: string) => {
    for (let u = 0; u < unroll; u++) L.push(`${ind}${into}${u} = Q[(${at} + ${u}u) * NQ + qc];`);
  };
  // xAhead: X of row mi, step row u in registers `xq<mi>_<u>…`, copied to `xw<mi>_<u>…` when
  // the step is computed; `xAt` gives the halves a step's products take.
  const xq = (mi: number, u: number) => xAheadRegs(wideLoads, T, `xq${mi}_${u}`);
  const loadX = (ind: string, at: string) => {
    for (let mi = 0; xAhead && mi < m; mi++) {
      for (let u = 0; u < unroll; u++) {
        L.push(...xq(mi, u).load(`${mi * rows}u + ${at} + ${u}u`).map((l) => ind + l));
      }
    }
  };
  const xAt = (mi: number, u: number, row: string) =>
    xAhead
      ? { decl: null, ...xAheadRegs(wideLoads, T, `xw${mi}_${u}`) }
      : xRowHalves(wideLoads, `${mi * rows}u + ${row}`);
  // prefetch 2: the step after the one from row `at` into `qn<u>`, if the thread has it.
  const loadAhead = (ind: string, at: string) => {
    L.push(`${ind}if (${at} + ${unroll}u < rEnd) {`);
    loadStep(`${ind}  `, "qn", `${at} + ${unroll}u`);
    L.push(`${ind}}`);
  };
  L.push(
    "",
    `@compute @workgroup_size(${threads})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {",
    `  let c = lid % ${cols}u;`,
    `  let s = lid / ${cols}u;`,
    `  let col = (wid.x * ${cols}u + c) * ${cpt}u;`,
    "  let live = col < N;",
    `  let qc = col / ${cpt}u;`,
  );
  for (let r = 0; r < m; r++) {
    L.push(`  var acc${r} = ${fs("0.0")};`);
    if (accs === 2 && !prescale && !half) L.push(`  var acc${r}b = ${fs("0.0")};`);
  }
  // Software-pipelined walk over the thread's packed rows, `unroll` rows a step: the next
  // step's words (and, at a group boundary, the next group's scales and zeros) are loaded
  // before the current step is computed, so loads are always in flight.
  if (o.stageX) {
    // The first words are requested before X is staged, so their latency overlaps it.
    L.push(
      "  let rBegin = s * RPT;",
      "  let rEnd = min(rBegin + RPT, ROWS);",
      "  let work = live && rBegin < rEnd;",
    );
    for (let u = 0; u < unroll; u++) L.push(`  var q${u} = ${QV}();`);
    for (let u = 0; prefetch === 2 && u < unroll; u++) L.push(`  var qn${u} = ${QV}();`);
    L.push("  if (work) {");
    loadStep("    ", "q", "rBegin");
    if (prefetch === 2) loadAhead("    ", "rBegin");
    // Two blocks open, as in the unstaged walk, so both share the closing lines below.
    L.push("  }", ...f16x2StageX(o, threads), "  workgroupBarrier();", "  if (work) {", "    {");
    L.push("      var kr = rBegin;");
  } else {
    L.push(
      "  if (live) {",
      "    let rBegin = s * RPT;",
      "    let rEnd = min(rBegin + RPT, ROWS);",
      "    if (rBegin < rEnd) {",
      "      var kr = rBegin;",
    );
    loadStep("      ", "var q", "kr");
    for (let mi = 0; xAhead && mi < m; mi++) {
      for (let u = 0; u < unroll; u++) L.push(...xq(mi, u).decls.map((l) => `      ${l}`));
    }
    loadX("      ", "kr");
    if (prefetch === 2) {
      for (let u = 0; u < unroll; u++) L.push(`      var qn${u} = ${QV}();`);
      loadAhead("      ", "kr");
    }
  }
  const oneGroup = gemvOneGroup(o);
  if (oneGroup) {
    L.push(
      "      let e = (kr / RPG) * N + col;",
      `      let sc = ${lanes("ldS")};`,
      `      let nzc = ${lanes("ldZ")};`,
    );
  } else {
    L.push(
      "      var e = (kr / RPG) * N + col;",
      `      var sc = ${lanes("ldS")};`,
      "      var nsc = sc;",
      `      var nzc = ${lanes("ldZ")};`,
    );
  }
  const groupConstants = (ind: string, decl: string) => {
    if (half) {
      L.push(...f16x2GroupConstants(o, ind, decl));
      return;
    }
    for (const p of [0, 4, 8, 12, 16]) {
      L.push(`${ind}${decl}c${p} = fma(nzc, ${fs(`${2 ** p}.0`)}, ${fs("8388608.0")});`);
      if (!prescale) L.push(`${ind}${decl}s${p} = sc * ${fs(POW2_NEG[p]!)};`);
    }
  };
  groupConstants("      ", oneGroup ? "let " : "var ");
  // Row u of a step chains into set u % accs (two sets halve the dependent FMA chains).
  const target = (mi: number, u: number) =>
    `${prescale ? "p" : "acc"}${mi}${u % accs === 1 ? "b" : ""}`;
  if (half) L.push(...f16x2AccDecls(o, "      "));
  else if (prescale) {
    for (let mi = 0; mi < m; mi++) {
      L.push(`      var p${mi} = ${fs("0.0")};`);
      if (accs === 2) L.push(`      var p${mi}b = ${fs("0.0")};`);
    }
  }
  L.push("      loop {");
  for (let u = 0; u < unroll; u++) L.push(`        let w${u} = q${u};`);
  for (let mi = 0; xAhead && mi < m; mi++) {
    for (let u = 0; u < unroll; u++) {
      for (const v of xq(mi, u).vars) L.push(`        let ${v.replace("xq", "xw")} = ${v};`);
    }
  }
  for (let u = 0; prefetch === 2 && u < unroll; u++) L.push(`        q${u} = qn${u};`);
  L.push(`        let kn = kr + ${unroll}u;`, "        if (kn < rEnd) {");
  if (prefetch === 2) loadAhead("          ", "kn");
  else loadStep("          ", "q", "kn");
  loadX("          ", "kn");
  if (!oneGroup) {
    L.push(
      "          if (kn % RPG == 0u) {",
      "            e = (kn / RPG) * N + col;",
      `            nsc = ${lanes("ldS")};`,
      `            nzc = ${lanes("ldZ")};`,
      "          }",
    );
  }
  L.push("        }");
  const preA = `vec4<f32>(${[0, 4, 8, 12].map((p) => POW2_NEG[p]).join(", ")})`;
  const preB = `vec4<f32>(${[16, 8, 12, 16].map((p) => POW2_NEG[p]).join(", ")})`;
  for (let u = 0; half && u < unroll; u++) {
    L.push(
      ...f16x2Row(o, `w${u}`, `(kr + ${u}u)`, u, "        ", (mi) => xAt(mi, u, `(kr + ${u}u)`)),
    );
  }
  // Prescaled pair sums are carried into f32 every step, per-weight ones every group segment.
  // Within one group the carries are unscaled and the scale is applied once, after the walk.
  if (half && prescale) L.push(...f16x2Flush(o, "        ", !oneGroup));
  for (let u = 0; !half && u < unroll; u++) {
    L.push("        {", `          let h = w${u} >> ${qs("12u")};`);
    for (let i = 0; i < 8; i++) {
      const src = i < 5 ? `w${u}` : "h";
      const shift = i < 5 ? 4 * i : 4 * (i - 3);
      const p = NIBBLE_POW[i]!;
      const mask = `0x${(0xf << shift).toString(16)}u`;
      const t = `bitcast<${FV}>((${src} & ${qs(mask)}) | ${qs("MAGIC")}) - c${p}`;
      L.push(`          let t${i} = ${prescale ? t : `(${t}) * s${p}`};`);
    }
    for (let mi = 0; mi < m; mi++) {
      const xr = xAt(mi, u, `kr + ${u}u`);
      let xa = `vec4<f32>(${xr.a})`;
      let xb = `vec4<f32>(${xr.b})`;
      if (awq) {
        xa = `${xa} * XS[(kr + ${u}u) * 2u]`;
        xb = `${xb} * XS[(kr + ${u}u) * 2u + 1u]`;
      } else if (prescale) {
        xa = `${xa} * ${preA}`;
        xb = `${xb} * ${preB}`;
      }
      L.push("          {");
      if (xr.decl) L.push(`            ${xr.decl}`);
      L.push(`            let xa = ${xa};`, `            let xb = ${xb};`);
      const comp = ["x", "y", "z", "w"];
      for (let i = 0; i < 8; i++) {
        const x = `${i < 4 ? "xa" : "xb"}.${comp[i % 4]}`;
        L.push(`            ${target(mi, u)} = fma(${fs(x)}, t${i}, ${target(mi, u)});`);
      }
      L.push("          }");
    }
    L.push("        }");
  }
  L.push("        kr = kn;", `        if (kr >= rEnd${oneGroup ? "" : " || kr % RPG == 0u"}) {`);
  if (half && !prescale) L.push(...f16x2Flush(o, "          "));
  if (prescale && !half) {
    for (let mi = 0; mi < m; mi++) {
      const p = accs === 2 ? `(p${mi} + p${mi}b)` : `p${mi}`;
      L.push(`          acc${mi} = fma(sc, ${p}, acc${mi});`, `          p${mi} = ${fs("0.0")};`);
      if (accs === 2) L.push(`          p${mi}b = ${fs("0.0")};`);
    }
  }
  if (oneGroup) {
    for (let mi = 0; half && prescale && mi < m; mi++) {
      L.push(`          acc${mi} = acc${mi} * sc;`);
    }
    L.push("          break;");
  } else {
    L.push("          if (kr >= rEnd) { break; }", "          sc = nsc;");
    groupConstants("          ", "");
  }
  L.push("        }", "      }", "    }", "  }");
  if (accs === 2 && !prescale && !half) {
    for (let r = 0; r < m; r++) L.push(`  acc${r} = acc${r} + acc${r}b;`);
  }
  // Split-K reduction through workgroup memory, `chunk` rows of M at a time.
  for (let m0 = 0; m0 < m; m0 += chunk) {
    const rs = Array.from({ length: Math.min(chunk, m - m0) }, (_, j) => j);
    if (m0 > 0) L.push("  workgroupBarrier();");
    for (const j of rs) L.push(`  red[${j * threads}u + lid] = acc${m0 + j};`);
    L.push("  workgroupBarrier();");
    // Each barriered step: threads s < next sum `fanIn` partials spaced `next` slices apart;
    // the last ≤ fanIn partials are summed straight into Y.
    let live = slices;
    // `count` partials of red, `spacing` slices apart, from slot `at`.
    const sumOf = (at: string, count: number, spacing: number) =>
      Array.from({ length: count }, (_, i) => `red[${at}${i ? ` + ${i * spacing * cols}u` : ""}]`)
        .join(" + ");
    while (live > fanIn) {
      const next = live / fanIn;
      L.push(`  if (s < ${next}u) {`);
      for (const j of rs) {
        const at = `${j * threads}u + lid`;
        L.push(`    red[${at}] = ${sumOf(at, fanIn, next)};`);
      }
      L.push("  }", "  workgroupBarrier();");
      live = next;
    }
    L.push("  if (s == 0u && live) {");
    for (const j of rs) {
      L.push(
        `    Y[${(m0 + j) * (n / cpt)}u + qc] = ${YV}(${sumOf(`${j * threads}u + c`, live, 1)});`,
      );
    }
    L.push("  }");
  }
  L.push("}");
  return L.join("\n");
}

/**
 * Workgroup count (x) of an int4 GEMV.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(int4GemvDispatch(chooseGemv("f32", 1, 4096, 14336, 128, "f16", false)), 448);
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
