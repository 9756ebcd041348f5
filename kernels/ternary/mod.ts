/**
 * Ternary (BitNet b1.58-style) weights: W quantised offline by absmean to {−1, 0, +1} × a scale
 * per output column or per group of K rows, packed 2 bits per weight (format.ts), multiplied by
 * an add/subtract kernel (no multiplies in the inner loop), a lookup-table kernel (tables of
 * pre-combined activations in workgroup memory, indexed by the packed codes) or a multiply-add
 * kernel (each code decoded to −1, 0 or +1 in a register); or, as BitNet b1.58 runs it, with X
 * quantised to int8 per row and packed 8-bit dot products (`dp4a`, a different operator). See
 * docs/kernels/ternary.md.
 *
 * @module
 */

import {
  createStorageBuffer,
  destroyOwned,
  dtypeBytes,
  inputBuffer,
  outputBuffer,
  roundToDtype,
  toDtypeArray,
} from "../../harness/gpu/buffers.ts";
import {
  type KernelDescriptor,
  ParamError,
  type ParamSpec,
  resolveParams,
  type ShaderLimits,
  SkipCase,
  type WorkModel,
} from "../../harness/kernel.ts";
import type { DType, Params, Shape } from "../../harness/types.ts";
import {
  buildShaders,
  type OnePipelineBuild,
  onePipelinePlan,
  pipelineStep,
  stepsPlan,
  type WgslShader,
} from "../wgsl/mod.ts";
import { quantWgsl } from "../int8/quant_wgsl.ts";
import { hasPackedDot, INT8_TILES, PACKED_DOT_FEATURE } from "../int8/params.ts";
import {
  INT8_BK4,
  int8GemmDispatch,
  type Int8GemmOptions,
  int8GemmWgsl,
} from "../int8/gemm_wgsl.ts";
import { quantizeRow } from "../int8/quant.ts";
import { type Dp4aGemvOptions, dp4aGemvWgsl, dp4aWorkgroupBytes } from "./gemv_dp4a.ts";
import {
  decodeCodes,
  offsetCodes,
  quantizeTernary,
  ROWS_PER_WORD,
  scaleGroups,
  TERNARY_WORKGROUP_BYTES,
  ternaryPadK,
  type TernaryPrepared,
  ternaryReference,
} from "./format.ts";
import {
  ADDSUB_GEMV_MAX_M,
  addsubDispatch,
  type AddsubGemvOptions,
  addsubGemvWgsl,
  addsubGeometry,
  addsubRowBlock,
  addsubWordsPerThread,
  addsubWorkgroupBytes,
} from "./gemv_addsub.ts";
import {
  chunkWordBytes,
  chunkWords as chunkWordsOf,
  rowBlock,
  ternaryDispatch,
  type TernaryGemvOptions,
  ternaryGemvWgsl,
} from "./gemv_wgsl.ts";
import {
  TERNARY_GEMM_TILE,
  ternaryGemmDispatch,
  type TernaryGemmOptions,
  ternaryGemmWgsl,
} from "./gemm_wgsl.ts";
import { ternaryTuneCandidates } from "./tune.ts";

export * from "./format.ts";
export * from "./gemv_wgsl.ts";
export * from "./gemv_addsub.ts";
export * from "./gemv_dp4a.ts";
export * from "./gemm_wgsl.ts";
export { ternaryTuneCandidates } from "./tune.ts";

/** The ternary kernel's public parameters. */
export const TERNARY_PARAMS: Record<string, ParamSpec> = {
  method: {
    type: "enum",
    values: ["addsub", "lut", "fma", "dp4a"],
    default: "addsub",
    doc:
      "addsub: select ±x per weight and add (no multiplies); lut: 4^g-entry activation tables indexed by the packed codes; fma: decode each code to −1/0/+1 in a register and multiply-add (one multiply a weight); dp4a: W1.58A8, a different operator: X quantised to int8 per row (absmax), packed 8-bit dot products (group 0, K a multiple of 16)",
  },
  group: {
    type: "int",
    values: [0, 32, 64, 128, 256],
    default: 0,
    doc: "K rows per scale (0: one scale per output column)",
  },
};

/** The ternary kernel's launch knobs. */
export const TERNARY_TUNE: Record<string, ParamSpec> = {
  cols: {
    type: "enum",
    values: ["auto", "16", "32", "64", "128", "256"],
    default: "auto",
    doc:
      "output columns a workgroup (auto: addsub, fma and dp4a GEMV by shape, see addsubGeometry; lut 32)",
  },
  slices: {
    type: "enum",
    values: ["auto", "1", "2", "4", "8", "16", "32", "64", "128"],
    default: "auto",
    doc:
      "K slices a workgroup (auto: addsub, fma and dp4a GEMV by shape; lut the most, up to 16, whose " +
      "partial sums fit 8 KiB)",
  },
  variant: {
    type: "enum",
    values: ["auto", "gemv", "gemm"],
    default: "auto",
    doc:
      "gemv (weight streaming, any M) or gemm (addsub: a 64×64-tiled add/subtract GEMM; dp4a: the activation pass, then the int8 GEMM's tiles reading the ternary codes); auto: gemm for addsub and dp4a at M > 32 (for addsub, below that the 64-row tile would be mostly padding; dp4a takes the same bound, the int8 family's)",
  },
  tile: {
    type: "enum",
    values: ["auto", ...Object.keys(INT8_TILES)],
    default: "auto",
    doc:
      "dp4a GEMM workgroup tile BMxBN (auto: 32x32 when M or N ≤ 256, 128x128 where that leaves ≥ 256 workgroups, else 64x64); others ignore it",
  },
  math: {
    type: "enum",
    values: ["auto", "f32", "f16x2"],
    default: "auto",
    doc: "fma GEMV with f16 X: f16x2 decodes and multiply-adds two codes a packed-half " +
      "instruction, carried into f32 once a word (auto: f16x2 at M = 1, else f32; other kernels " +
      "and f32 X ignore it)",
  },
  lutG: {
    type: "int",
    values: [2, 4],
    default: 2,
    doc: "lut: K rows per table index (4^g entries)",
  },
  dot: {
    type: "enum",
    values: ["auto", "packed", "unpacked"],
    default: "auto",
    doc: "dp4a: packed (dot4I8Packed), unpacked (four sign-extended byte products) or auto " +
      `(packed when the WGSL language feature ${PACKED_DOT_FEATURE} is present); others ignore it`,
  },
  quantX: {
    type: "enum",
    values: ["auto", "inline", "pass"],
    default: "auto",
    doc: "dp4a: where X is quantised: inline (each workgroup, one dispatch) or pass (the int8 " +
      "activation pass first); auto: dp4aQuantX (at M = 1 inline where the workgroups quantise at most 1.7 million values " +
      "of X in all within 32 KiB, at M > 1 inline within 16 KiB)",
  },
};

/**
 * Values of X that the dp4a GEMV's workgroups may quantise in all (workgroups × K) at M = 1 for
 * `quantX: auto` to take `inline`. Inline, every workgroup reads and quantises X (read twice,
 * eight barriers), a cost that grows with the grid; the activation pass costs a second dispatch,
 * about the same at any size. 1.7 million, between the two sides measured on an NVIDIA H100
 * (isolated medians, f16 and f32 X): inline was 1.20–1.25× faster at 1×8960×1536 and 1×8192×3072
 * (0.9 and 1.6 million values) and 1.19–1.27× at four shapes of at most 1.05 million; the pass was
 * 1.03–1.06× faster at 1×4096×14336 (1.8 million), 1.13–2.26× at 1×5120×13824 (2.2 million) and,
 * on an H200, 1.49× at 1×13824×5120 (4.4 million). Fitted on those shapes;
 * `experiments/suites/ternary_quantx.json` times both on others.
 */
export const DP4A_INLINE_VALUES = 1_700_000;

/**
 * Workgroup memory within which `quantX: auto` may take `inline` at M = 1: 32 KiB, what most
 * adapters offer (a device with less skips such a case, with the reason; `quantX: pass` runs
 * there). At M > 1, where the values bound was not measured, the family's 16 KiB
 * (`TERNARY_WORKGROUP_BYTES`, what WebGPU guarantees every device).
 */
export const DP4A_INLINE_BYTES = 32768;

/**
 * `quantX: auto` for the dp4a GEMV. At M = 1: `inline` where its workgroups quantise at most
 * `DP4A_INLINE_VALUES` values of X in all and its workgroup memory is within 32 KiB; at M > 1:
 * `inline` within 16 KiB, however many values; else `pass`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f16", m: 1, cols: 4, cpt: 4, slices: 128, dot: "packed" } as const;
 * assert.equal(dp4aQuantX({ ...o, k: 8192, n: 3072 }), "inline"); // 192 workgroups × 8192
 * assert.equal(dp4aQuantX({ ...o, k: 4096, n: 14336, cols: 8 }), "pass"); // 448 × 4096
 * assert.equal(dp4aQuantX({ ...o, k: 24576, n: 64 }), "pass"); // 24 KiB of codes, 8 of reduction, 4 of folds
 * assert.equal(dp4aQuantX({ ...o, m: 2, slices: 32, k: 512, n: 65536 }), "inline"); // 6 KiB
 * assert.equal(dp4aQuantX({ ...o, m: 2, k: 2048, n: 2048 }), "pass"); // over 16 KiB at M > 1
 * ```
 */
export function dp4aQuantX(o: Omit<Dp4aGemvOptions, "quantX">): "inline" | "pass" {
  const bytes = dp4aWorkgroupBytes({ ...o, quantX: "inline" });
  if (o.m > 1) return bytes <= TERNARY_WORKGROUP_BYTES ? "inline" : "pass";
  // the GEMV's own grid (dp4a: K a multiple of 16, unpadded; per-column scales)
  const [workgroups] = addsubDispatch({ ...o, kPadded: o.k, group: 0 });
  return bytes <= DP4A_INLINE_BYTES && workgroups * o.k <= DP4A_INLINE_VALUES ? "inline" : "pass";
}

/**
 * The dp4a GEMM's tile (`tile: auto`): 32×32 when M or N ≤ 256; 128×128 where its grid still has
 * at least 256 workgroups; else 64×64. The W1.58A8 GEMM expands W's codes as it stores them, which
 * the larger tiles share among more rows: on an NVIDIA H100 (five llm-prefill shapes, f16 X, one
 * job) this rule's tile was within 10% of the fastest on all five, where 32×32 everywhere (the int8
 * GEMM's default) was up to 1.21× slower than the fastest. In sample, and none of the five is in
 * the 64×64 branch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(dp4aGemmTile(2048, 2048), "128x128"); // 16 × 16 workgroups
 * assert.equal(dp4aGemmTile(1024, 2048), "64x64"); // 8 × 16
 * assert.equal(dp4aGemmTile(128, 4096), "32x32");
 * ```
 */
export function dp4aGemmTile(m: number, n: number): string {
  if (m <= 256 || n <= 256) return "32x32";
  return Math.ceil(m / 128) * Math.ceil(n / 128) >= 256 ? "128x128" : "64x64";
}

/** A ternary case's resolved configuration. */
export interface TernaryConfig {
  /**
   * addsub: select ±x per weight and add; lut: 4^g-entry activation tables indexed by the codes;
   * fma: each code decoded to −1, 0 or +1 and multiply-added (the add/subtract GEMV's geometry);
   * dp4a: X quantised to int8 per row, codes multiplied by packed byte dot products (W1.58A8).
   */
  method: "addsub" | "lut" | "fma" | "dp4a";
  /**
   * gemv: weight streaming per block of ≤ 16 rows (addsub, fma, dp4a) or ≤ 8 (lut); gemm: the
   * 64×64-tiled add/subtract GEMM, or for dp4a the activation pass and the int8 GEMM's tiles.
   */
  variant: "gemv" | "gemm";
  /** dp4a GEMM: the workgroup tile, a key of `INT8_TILES` (`auto` resolved). */
  tile: string;
  /** K rows per scale (0: one scale per output column). */
  group: number;
  /** Output columns a workgroup. */
  cols: number;
  /** addsub, fma and dp4a GEMV: adjacent columns a thread reads as one word (1, 2 or 4). */
  cpt: 1 | 2 | 4;
  /** K slices a workgroup (`auto` resolved). */
  slices: number;
  /** fma GEMV with f16 X: `f16x2` packed-half decode and products, else `f32`. */
  math: "f32" | "f16x2";
  /** lut: K rows per table index (4^g entries). */
  lutG: number;
  /** lut: packed words of K a workgroup tabulates at once (0: not one scale block fits). */
  chunkWords: number;
  /** dp4a: the byte dot product's form (`auto` resolved; the other kernels ignore it). */
  dot: "packed" | "unpacked";
  /** dp4a: X quantised by each workgroup (`inline`) or by the activation pass (`pass`). */
  quantX: "inline" | "pass";
}

/**
 * Resolves a case's parameters and knobs (the lut chunk from the workgroup-memory budget).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = resolveTernary({ method: "lut" }, {}, { m: 1, k: 4096, n: 4096 });
 * assert.deepEqual(c, {
 *   method: "lut", variant: "gemv", tile: "32x32", group: 0, cols: 32, cpt: 1, slices: 16, math: "f32",
 *   lutG: 2,
 *   chunkWords: 16,
 *   dot: "packed",
 *   quantX: "pass",
 * });
 * const a = resolveTernary({}, {}, { m: 1, k: 4096, n: 4096 });
 * assert.deepEqual([a.cols, a.cpt, a.slices], [16, 4, 128]);
 * ```
 */
export function resolveTernary(
  params: Params,
  tune: Params,
  shape: Shape,
  dtype: DType = "f32",
): TernaryConfig {
  const p = resolveParams(TERNARY_PARAMS, params);
  const t = resolveParams(TERNARY_TUNE, tune);
  const method = p.method as TernaryConfig["method"];
  const group = p.group as number;
  const lutG = t.lutG as number;
  const dot = t.dot === "auto" ? (hasPackedDot() ? "packed" : "unpacked") : t.dot as
    | "packed"
    | "unpacked";
  const variant = t.variant === "auto"
    ? ((method === "addsub" || method === "dp4a") && shape.m > ADDSUB_GEMV_MAX_M ? "gemm" : "gemv")
    : t.variant as "gemv" | "gemm";
  const tile = t.tile === "auto" ? dp4aGemmTile(shape.m, shape.n) : t.tile as string;
  // f16x2 where it applies (a choice cached for a shape class may meet a case of another kernel)
  const half = method === "fma" && variant === "gemv" && dtype === "f16";
  const math = half && (t.math === "f16x2" || (t.math === "auto" && shape.m === 1))
    ? "f16x2"
    : "f32";
  if (method !== "lut") {
    const g = addsubGeometry(shape.m, ternaryPadK(shape.k, group), shape.n);
    const cols = t.cols === "auto" ? g.cols * g.cpt : Number(t.cols);
    const slices = t.slices === "auto" ? g.slices : Number(t.slices);
    // the dp4a GEMM reads the activation pass's codes
    const quantX = method !== "dp4a" || variant === "gemm" || t.quantX === "pass"
      ? "pass"
      : t.quantX === "inline"
      ? "inline"
      : dp4aQuantX({
        dtype,
        m: shape.m,
        k: shape.k,
        n: shape.n,
        cols: Math.max(1, cols / g.cpt),
        cpt: g.cpt,
        slices,
        dot,
      });
    return {
      method,
      variant,
      tile,
      group,
      cols,
      cpt: g.cpt,
      slices,
      math,
      lutG,
      chunkWords: 0,
      dot,
      quantX,
    };
  }
  const cols = t.cols === "auto" ? 32 : Number(t.cols);
  const mb = rowBlock(shape.m);
  let slices = t.slices === "auto" ? 16 : Number(t.slices);
  if (t.slices === "auto") { while (slices > 1 && mb * cols * slices * 4 > 8192) slices /= 2; }
  const redBytes = mb * cols * slices * 4;
  const chunkWords = chunkWordsOf(
    mb,
    ternaryPadK(shape.k, group),
    group,
    chunkWordBytes(lutG),
    TERNARY_WORKGROUP_BYTES - redBytes,
  );
  return {
    method,
    variant,
    tile,
    group,
    cols,
    cpt: 1,
    slices,
    math,
    lutG,
    chunkWords,
    dot,
    quantX: "pass",
  };
}

function addsubOptions(shape: Shape, dtype: DType, c: TernaryConfig): AddsubGemvOptions {
  return {
    dtype,
    m: shape.m,
    k: shape.k,
    kPadded: ternaryPadK(shape.k, c.group),
    n: shape.n,
    group: c.group,
    cols: Math.max(1, c.cols / c.cpt),
    cpt: c.cpt,
    slices: c.slices,
    decode: c.method === "fma" ? "fma" : "select",
    math: c.math,
  };
}

/** Threads of a GEMV workgroup. */
function gemvThreads(c: TernaryConfig): number {
  return (c.method !== "lut" ? Math.max(1, c.cols / c.cpt) : c.cols) * c.slices;
}

/** The dp4a GEMM's generator options: the int8 GEMM on the ternary codes. */
function dp4aGemmOptions(shape: Shape, dtype: DType, c: TernaryConfig): Int8GemmOptions {
  const tile = INT8_TILES[c.tile];
  if (!tile) throw new ParamError("tile", `unknown tile "${c.tile}"`);
  return {
    dtype,
    m: shape.m,
    k: shape.k,
    n: shape.n,
    ...tile,
    dot: c.dot,
    outliers: false,
    weights: "ternary",
  };
}

function options(shape: Shape, dtype: DType, c: TernaryConfig): TernaryGemvOptions {
  return {
    dtype,
    m: shape.m,
    k: shape.k,
    kPadded: ternaryPadK(shape.k, c.group),
    n: shape.n,
    group: c.group,
    cols: c.cols,
    slices: c.slices,
    lutG: c.lutG,
    chunkWords: c.chunkWords,
  };
}

/**
 * What a case executes, split by kind: core adds (one per weight for addsub, fma and dp4a, one
 * per g weights for lut, over the rows each workgroup computes), core multiplies (one per weight
 * for fma, one integer multiply per weight for dp4a, none for addsub and lut), the scales'
 * multiplies and the overhead adds (table builds, scale-group sums, slice reductions; for dp4a
 * also Σx, its subtraction and the activation pass).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const shape = { m: 1, k: 64, n: 8 };
 * const ops = ternaryOps(shape, resolveTernary({}, {}, shape));
 * assert.deepEqual(ops, { coreAdds: 64 * 8, coreMultiplies: 0, scaleMultiplies: 8, overheadAdds: 31 * 8 });
 * ```
 */
export function ternaryOps(shape: Shape, c: TernaryConfig) {
  const { m, k, n } = shape;
  const kPadded = ternaryPadK(k, c.group);
  if (c.variant === "gemm" && c.method === "dp4a") {
    // an integer multiply-add a weight over the padded tiles; the activation pass (4 a value),
    // Σx's subtraction and the two scale multiplies an output
    // (K run in whole slabs of INT8_BK4 words of four rows)
    const { bm, bn } = INT8_TILES[c.tile]!;
    const slab = 4 * INT8_BK4;
    const adds = Math.ceil(m / bm) * bm * Math.ceil(n / bn) * bn * Math.ceil(k / slab) * slab;
    return {
      coreAdds: adds,
      coreMultiplies: adds,
      scaleMultiplies: 2 * m * n,
      overheadAdds: 4 * m * k + m * n,
    };
  }
  if (c.variant === "gemm") {
    // every thread of a 64×64 tile adds for its 4×4 outputs, padded rows and columns included
    const rows = Math.ceil(m / TERNARY_GEMM_TILE) * TERNARY_GEMM_TILE;
    const cols = Math.ceil(n / TERNARY_GEMM_TILE) * TERNARY_GEMM_TILE;
    const groups = c.group === 0 ? 1 : kPadded / c.group;
    return {
      coreAdds: rows * cols * kPadded,
      coreMultiplies: 0,
      scaleMultiplies: c.group === 0 ? rows * n : rows * cols * groups,
      overheadAdds: c.group === 0 ? 0 : rows * cols * groups,
    };
  }
  const mb = c.method !== "lut" ? addsubRowBlock(m) : rowBlock(m);
  const rows = Math.ceil(m / mb) * mb;
  const groups = scaleGroups(k, c.group);
  const coreAdds = c.method !== "lut" ? rows * n * kPadded : rows * n * (kPadded / c.lutG);
  // dp4a: integer multiply-adds of t + 1 by X's codes
  const coreMultiplies = c.method === "fma" || c.method === "dp4a" ? coreAdds : 0;
  const scaleMultiplies = m * n * groups * (c.method === "dp4a" ? 2 : 1);
  let overheadAdds = m * n * (c.slices - 1) + (c.group === 0 ? 0 : m * n * groups);
  if (c.method === "dp4a") {
    // quantising X: |x|, the row's maximum, a division and the sum of codes a value, once (the
    // activation pass) or in every workgroup (inline); Σx subtracted once an output
    overheadAdds += (c.quantX === "inline" ? 4 * rows * k * Math.ceil(n / c.cols) : 4 * m * k) +
      m * n;
  }
  if (c.method === "lut" && c.chunkWords > 0) {
    const words = kPadded / ROWS_PER_WORD;
    const entries = mb * c.chunkWords * (ROWS_PER_WORD / c.lutG) * 4 ** c.lutG;
    const o = options(shape, "f32", c);
    const [gx, gy] = ternaryDispatch(o);
    overheadAdds += gx * gy * Math.ceil(words / c.chunkWords) * entries * c.lutG;
  }
  return { coreAdds, coreMultiplies, scaleMultiplies, overheadAdds };
}

/**
 * FLOPs, bytes and storage of a ternary case: `flops.core` = the core adds and multiplies (fma,
 * and dp4a's integer ones: the other kernels have none), `flops.overhead` = scale multiplies +
 * overhead adds; bytes = packed codes (2 bits a weight of kPadded·N) + scales (dtype) + X + Y,
 * and for dp4a the activation pass's codes and row scales, written and read; storedBytes = codes +
 * scales.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const shape = { m: 1, k: 4096, n: 4096 };
 * const w = ternaryWork(shape, resolveTernary({}, {}, shape), "f16");
 * assert.equal(w.storedBytes, 4096 * 4096 / 4 + 4096 * 2);
 * ```
 */
export function ternaryWork(shape: Shape, c: TernaryConfig, dtype: DType): WorkModel {
  const { m, k, n } = shape;
  const kPadded = ternaryPadK(k, c.group);
  const eb = dtypeBytes(dtype);
  const scales = scaleGroups(k, c.group) * n;
  const stored = (kPadded / 4) * n + scales * eb;
  const ops = ternaryOps(shape, c);
  const overhead = ops.scaleMultiplies + ops.overheadAdds;
  const core = ops.coreAdds + ops.coreMultiplies;
  // dp4a through the activation pass: its codes, row scales and sums of codes, written and read
  const codes = c.method === "dp4a" && c.quantX === "pass" ? 2 * (m * k + 8 * m) : 0;
  return {
    flops: { total: core + overhead, core, overhead },
    arithmetic: c.math,
    bytes: stored + (m * k + m * n) * eb + codes,
    paramsStored: kPadded * n + scales,
    storedBytes: stored,
  };
}

/**
 * The shader of a ternary case, its workgroups and notes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_SHADER_LIMITS } from "../../harness/kernel.ts";
 * const shape = { m: 1, k: 256, n: 128 };
 * const b = ternaryBuild({
 *   shape, dtype: "f32", config: resolveTernary({}, {}, shape), limits: DEFAULT_SHADER_LIMITS,
 * });
 * assert.equal(b.shader.label, "ternary-addsub-f32-1x256x128");
 * assert.deepEqual(b.groups, [8, 1, 1]);
 * ```
 */
export function ternaryBuild(
  input: { shape: Shape; dtype: DType; config: TernaryConfig; limits: ShaderLimits },
): OnePipelineBuild {
  const { shape, dtype, config } = input;
  if (config.variant === "gemm" && config.method === "dp4a") {
    const g = dp4aGemmOptions(shape, dtype, config);
    return {
      shader: {
        label: `ternary-dp4a-gemm-${dtype}-${shape.m}x${shape.k}x${shape.n}`,
        ...int8GemmWgsl(g),
      },
      groups: int8GemmDispatch(g),
      reduce: null,
      notes: {
        method: "dp4a",
        variant: "gemm",
        passes: 2,
        quantX: "the int8 activation pass, then the GEMM",
        tile: config.tile,
        dot: config.dot === "packed"
          ? `dot4I8Packed (WGSL ${PACKED_DOT_FEATURE})`
          : "unpacked bytes",
      },
    };
  }
  if (config.variant === "gemm") {
    const g: TernaryGemmOptions = {
      dtype,
      m: shape.m,
      k: shape.k,
      kPadded: ternaryPadK(shape.k, config.group),
      n: shape.n,
      group: config.group,
    };
    return {
      shader: {
        label: `ternary-gemm-${dtype}-${shape.m}x${shape.k}x${shape.n}`,
        ...ternaryGemmWgsl(g),
      },
      groups: ternaryGemmDispatch(g),
      reduce: null,
      notes: {
        method: config.method,
        variant: "gemm",
        tile: `${TERNARY_GEMM_TILE}x${TERNARY_GEMM_TILE}`,
      },
    };
  }
  if (config.method === "dp4a") {
    const a = addsubOptions(shape, dtype, config);
    const dot = config.dot;
    const inline = config.quantX === "inline";
    return {
      shader: {
        label: `ternary-dp4a-${dtype}-${shape.m}x${shape.k}x${shape.n}`,
        ...dp4aGemvWgsl({ ...a, dot, quantX: config.quantX }),
      },
      groups: addsubDispatch(a),
      reduce: null,
      notes: {
        method: "dp4a",
        variant: "gemv",
        passes: inline ? 1 : 2,
        quantX: inline
          ? "inline: each workgroup quantises its rows of X into workgroup memory"
          : "the int8 activation pass, then the GEMV",
        rowBlock: addsubRowBlock(shape.m),
        cols: config.cols,
        columnsPerThread: config.cpt,
        slices: config.slices,
        wordsPerThread: addsubWordsPerThread(a),
        dot: dot === "packed" ? `dot4I8Packed (WGSL ${PACKED_DOT_FEATURE})` : "unpacked bytes",
      },
    };
  }
  if (config.method !== "lut") {
    const a = addsubOptions(shape, dtype, config);
    return {
      shader: {
        label: `ternary-${config.method}-${dtype}-${shape.m}x${shape.k}x${shape.n}`,
        ...addsubGemvWgsl(a),
      },
      groups: addsubDispatch(a),
      reduce: null,
      notes: {
        method: config.method,
        variant: "gemv",
        rowBlock: addsubRowBlock(shape.m),
        cols: config.cols,
        columnsPerThread: config.cpt,
        slices: config.slices,
        wordsPerThread: addsubWordsPerThread(a),
        ...(config.method === "fma" ? { math: config.math } : {}),
      },
    };
  }
  const o = options(shape, dtype, config);
  const label = `ternary-${config.method}${
    config.method === "lut" ? `${config.lutG}` : ""
  }-${dtype}-${shape.m}x${shape.k}x${shape.n}`;
  return {
    shader: { label, ...ternaryGemvWgsl(o) },
    groups: ternaryDispatch(o),
    reduce: null,
    notes: {
      method: config.method,
      variant: "gemv",
      rowBlock: rowBlock(shape.m),
      cols: config.cols,
      slices: config.slices,
      chunkWords: config.chunkWords,
      ...(config.method === "lut" ? { lutG: config.lutG } : {}),
    },
  };
}

/**
 * The shaders of a ternary case in dispatch order: with `dp4a` and `quantX: pass` the int8
 * activation pass (X to codes, row scales and sums of codes) and then the GEMV, else the one
 * shader of {@link ternaryBuild}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_SHADER_LIMITS } from "../../harness/kernel.ts";
 * const shape = { m: 1, k: 256, n: 128 };
 * const shaders = (tune: Record<string, string>) =>
 *   ternaryShaders({
 *     shape, dtype: "f16", config: resolveTernary({ method: "dp4a" }, tune, shape, "f16"),
 *     limits: DEFAULT_SHADER_LIMITS,
 *   }).map((x) => x.label);
 * assert.deepEqual(shaders({ quantX: "pass" }), ["ternary-quant-f16-1x256", "ternary-dp4a-f16-1x256x128"]);
 * assert.deepEqual(shaders({}), ["ternary-dp4a-f16-1x256x128"]); // inline: one dispatch
 * ```
 */
export function ternaryShaders(
  input: { shape: Shape; dtype: DType; config: TernaryConfig; limits: ShaderLimits },
): WgslShader[] {
  const b = ternaryBuild(input);
  if (input.config.method !== "dp4a" || input.config.quantX === "inline") {
    return buildShaders(b);
  }
  return [dp4aQuantShader(input.shape, input.dtype, input.limits), b.shader];
}

/** The int8 activation pass the dp4a GEMV with `quantX: pass` reads: codes, scales and sums. */
function dp4aQuantShader(shape: Shape, dtype: DType, limits: ShaderLimits): WgslShader {
  const { m, k } = shape;
  return {
    label: `ternary-quant-${dtype}-${m}x${k}`,
    ...quantWgsl({
      dtype,
      m,
      k,
      scaled: false,
      sums: true,
      maxThreads: limits.maxComputeInvocationsPerWorkgroup,
    }),
  };
}

/**
 * Rows of the W1.58A8 product (`method: "dp4a"`) in f64: each row of X, rounded to the storage
 * dtype, quantised to int8 as the activation pass does (`quantizeRow`: s_x = max|x| / 127,
 * round half to even), then y = s_x · s_n · Σ_k q_x·t_kn with the stored per-column scales.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantizeTernary } from "./format.ts";
 * const shape = { m: 1, k: 4, n: 1 };
 * const p = quantizeTernary(new Float32Array([0.9, 0.1, -1.5, 0.5]), shape, 0, "f32");
 * const y = dp4aReference(new Float32Array([1, 2, 3, 4]), p, shape, "f32", [0]);
 * // x codes 32, 64, 95, 127 at s_x = 4/127; t = 1, 0, −1, 1
 * assert.ok(Math.abs(y[0]! - 0.75 * Math.fround(4 / 127) * (32 - 95 + 127)) < 1e-12);
 * ```
 */
export function dp4aReference(
  x: Float32Array,
  p: TernaryPrepared,
  shape: Shape,
  dtype: DType,
  rows: readonly number[],
): Float64Array {
  const { k, n } = shape;
  const xr = new Float32Array(roundToDtype(x, dtype));
  const t = decodeCodes(p, k, n);
  const ones = new Float32Array(k).fill(1);
  const y = new Float64Array(rows.length * n);
  rows.forEach((row, i) => {
    const { q, scale } = quantizeRow(xr.subarray(row * k, row * k + k), ones);
    for (let col = 0; col < n; col++) {
      let sum = 0;
      for (let r = 0; r < k; r++) sum += q[r]! * t[r * n + col]!;
      y[i * n + col] = sum * scale * p.scales[col]!;
    }
  });
  return y;
}

/**
 * The codes a case's kernel reads: the multiply-add and dp4a GEMVs take them as offset binary
 * (`offsetCodes`; pairs of adjacent rows together with `math: f16x2`, byte order for dp4a), the
 * others as prepared.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const shape = { m: 1, k: 16, n: 1 };
 * const p = { codes: new Uint32Array([0b01]) } as Parameters<typeof kernelCodes>[0];
 * assert.equal(kernelCodes(p, resolveTernary({}, {}, shape))[0], 0b01);
 * const fma = resolveTernary({ method: "fma" }, { math: "f32" }, shape);
 * assert.equal(kernelCodes(p, fma)[0]! & 3, 2); // +1 as value + 1
 * ```
 */
export function kernelCodes(prepared: TernaryPrepared, config: TernaryConfig): Uint32Array {
  const order = offsetOrder(config);
  return order ? offsetCodes(prepared.codes, order) : prepared.codes;
}

/** The order of the offset codes a case's kernel reads, or null for the codes as prepared. */
function offsetOrder(config: TernaryConfig): "rows" | "pairs" | "bytes" | null {
  if (config.method === "dp4a") return "bytes";
  if (config.variant !== "gemv") return null;
  if (config.method !== "fma") return null;
  return config.math === "f16x2" ? "pairs" : "rows";
}

/**
 * The ternary kernel descriptor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(ternary.resolve({ method: "lut" }, { m: 1, k: 64, n: 64 }, "f32").method, "lut");
 * ```
 */
export const ternary: KernelDescriptor<TernaryPrepared, TernaryConfig> = {
  name: "ternary",
  family: "ternary",
  summary:
    "Y = X·(q·s), q ∈ {−1,0,+1} absmean-quantised, 2-bit packed: add/sub, LUT or multiply-add kernel; or W1.58A8 (dp4a)",
  params: TERNARY_PARAMS,
  tune: TERNARY_TUNE,
  resolve: (params, shape, dtype, tune = {}) => resolveTernary(params, tune, shape, dtype),
  tuneCandidates: ternaryTuneCandidates,
  // 2: more default K slices at M ≤ 3, the addsub GEMV up to M = 32, f16x2 at M = 1, `ahead` gone;
  // 3: dp4a, and its X quantised inline by default; 4: dp4a's GEMM at M > 32; 5: dp4a's X inline
  // at M = 1 by the values it quantises (`DP4A_INLINE_VALUES`)
  tuneRevision: 5,
  check(config, shape) {
    if (config.variant === "gemv" && gemvThreads(config) > 1024) {
      throw new ParamError(
        "slices",
        `threads a workgroup (column-threads × slices) must be ≤ 1024, got ${gemvThreads(config)}`,
      );
    }
    if (config.variant === "gemv" && config.method !== "lut" && shape.n % config.cpt !== 0) {
      throw new SkipCase(`${config.method} GEMV needs N divisible by ${config.cpt}`);
    }
    if (config.method === "dp4a" && config.group !== 0) {
      throw new SkipCase(`dp4a scales each column once: it runs group 0, not ${config.group}`);
    }
    if (config.method === "dp4a" && 254 * shape.k >= 2 ** 24) {
      throw new SkipCase(
        `dp4a sums codes exactly in f32 up to K = 66,052 (254·K < 2^24), got ${shape.k}`,
      );
    }
    if (config.method === "dp4a" && shape.k % ROWS_PER_WORD !== 0) {
      throw new SkipCase(`dp4a needs K a multiple of 16 (X's codes in words of 4), got ${shape.k}`);
    }
    if (config.variant === "gemm" && config.method !== "addsub" && config.method !== "dp4a") {
      throw new ParamError(
        "variant",
        `gemm runs method "addsub" or "dp4a", got "${config.method}"`,
      );
    }
    if (config.variant === "gemv" && config.method === "lut" && config.chunkWords === 0) {
      throw new SkipCase(
        `lut tables of g = ${config.lutG} for ${rowBlock(shape.m)} rows${
          config.group ? ` and group ${config.group}` : ""
        } do not fit ${TERNARY_WORKGROUP_BYTES} bytes of workgroup memory`,
      );
    }
  },
  requires: (_config, dtype) => (dtype === "f16" ? ["shader-f16"] : []),
  prepareKey: (config, dtype) => `${config.group}:${dtype}`,
  prepare: (input) => quantizeTernary(input.w, input.shape, input.config.group, input.dtype),
  async plan(ctx) {
    const { device, shape, dtype, prepared } = ctx;
    const { m, k, n } = shape;
    const b = ternaryBuild({ ...ctx, limits: device.limits });
    const lim = device.limits;
    if (b.groups[0] > lim.maxComputeWorkgroupsPerDimension) {
      throw new SkipCase(
        `needs ${b.groups[0]} workgroups in x, over maxComputeWorkgroupsPerDimension`,
      );
    }
    if (
      ctx.config.variant === "gemv" &&
      gemvThreads(ctx.config) > lim.maxComputeInvocationsPerWorkgroup
    ) {
      throw new SkipCase(`column-threads × slices over maxComputeInvocationsPerWorkgroup`);
    }
    if (ctx.config.variant === "gemv" && ctx.config.method !== "lut") {
      // The slice reduction, and the multiply-add decode's held exponents (dp4a's own arrays are
      // checked below).
      const bytes = addsubWorkgroupBytes(addsubOptions(shape, dtype, ctx.config));
      if (bytes > lim.maxComputeWorkgroupStorageSize) {
        throw new SkipCase(
          `the GEMV needs ${bytes} bytes of workgroup memory, over maxComputeWorkgroupStorageSize (${lim.maxComputeWorkgroupStorageSize})`,
        );
      }
    }
    if (ctx.config.method === "dp4a" && ctx.config.variant === "gemv") {
      const bytes = dp4aWorkgroupBytes({
        ...addsubOptions(shape, dtype, ctx.config),
        dot: ctx.config.dot,
        quantX: ctx.config.quantX,
      });
      if (bytes > lim.maxComputeWorkgroupStorageSize) {
        throw new SkipCase(
          `dp4a (quantX ${ctx.config.quantX}) needs ${bytes} bytes of workgroup memory, over maxComputeWorkgroupStorageSize (${lim.maxComputeWorkgroupStorageSize})`,
        );
      }
    }
    const bx = inputBuffer(
      ctx,
      "ternary:X",
      m * k * dtypeBytes(dtype),
      () => toDtypeArray(ctx.x, dtype),
    );
    const bq = createStorageBuffer(device, "ternary:Q", kernelCodes(prepared, ctx.config));
    const bs = createStorageBuffer(device, "ternary:S", prepared.scales);
    const by = outputBuffer(ctx, "ternary:Y", m * n * dtypeBytes(dtype));
    if (ctx.config.method === "dp4a" && ctx.config.quantX === "pass") {
      // the activation pass (one workgroup a row), then the GEMV reading its codes
      const bufs: Record<string, GPUBuffer> = {
        X: bx,
        XQ: createStorageBuffer(device, "ternary:XQ", m * k),
        SX: createStorageBuffer(device, "ternary:SX", m * 4),
        SQ: createStorageBuffer(device, "ternary:SQ", m * 4),
        Q: bq,
        S: bs,
        Y: by,
      };
      const owned = Object.values(bufs);
      try {
        // the GEMV as built above, after its activation pass
        const steps = [
          await pipelineStep(ctx, dp4aQuantShader(shape, dtype, lim), bufs, [m, 1, 1]),
          await pipelineStep(ctx, b.shader, bufs, b.groups),
        ];
        return stepsPlan(ctx, steps, { buffer: by, dtype }, owned, b.notes);
      } catch (e) {
        destroyOwned(ctx, owned);
        throw e;
      }
    }
    return await onePipelinePlan(ctx, {
      shader: b.shader,
      groups: b.groups,
      buffers: { X: bx, Q: bq, S: bs, Y: by },
      output: { buffer: by, dtype },
      notes: b.notes,
    });
  },
  shaders: (input) => ternaryShaders(input),
  work: (shape, config, dtype) => ternaryWork(shape, config, dtype),
  reference: (input) =>
    (input.config.method === "dp4a" ? dp4aReference : ternaryReference)(
      input.x,
      input.prepared,
      input.shape,
      input.dtype,
      input.rows,
    ),
  notes(prepared, shape, config) {
    const ops = ternaryOps(shape, config);
    return {
      zeros: prepared.zeros,
      quantError: prepared.quantError,
      coreMultiplies: ops.coreMultiplies,
      scaleMultiplies: ops.scaleMultiplies,
      coreAdds: ops.coreAdds,
      overheadAdds: ops.overheadAdds,
      ...(config.method === "dp4a"
        ? {
          activations: `int8 per row (absmax / 127), ${
            config.quantX === "inline" ? "inside each workgroup" : "by an activation pass"
          }`,
        }
        : {}),
      layout: offsetOrder(config)
        ? `2-bit codes, offset binary (−1 = 0, 0 = 1, +1 = 2), 16 K rows per u32${
          offsetOrder(config) === "pairs"
            ? " (even rows in the low half-word, odd in the high)"
            : offsetOrder(config) === "bytes"
            ? " (row 4b + i in field 4i + b: rows 4b … 4b + 3 in the bytes of (word >> 2b) & 0x03030303)"
            : ""
        }, word (k/16)·N + n`
        : "2-bit codes (0, +1 = 1, −1 = 2), 16 K rows per u32, word (k/16)·N + n",
    };
  },
};
