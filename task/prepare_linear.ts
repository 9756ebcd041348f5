/**
 * An exported linear layer in its kernel family's prepared format: the kernel descriptor, the
 * parameters its plan reads and the prepared object, built from the trained values directly
 * (no pruning, quantisation or encoding is redone).
 *
 * @module
 */

import type { KernelDescriptor } from "../harness/kernel.ts";
import { toDtypeArray } from "../harness/gpu/buffers.ts";
import type { DType, Params } from "../harness/types.ts";
import { dense } from "../kernels/dense/mod.ts";
import { givenInt4Prepared } from "../kernels/int4/given.ts";
import { int4 } from "../kernels/int4/mod.ts";
import { givenSparse24Prepared } from "../kernels/sparse24/given.ts";
import { sparse24 } from "../kernels/sparse24/mod.ts";
import { learnedStlPrepared } from "../kernels/stl/learned.ts";
import { givenInt8Prepared } from "../kernels/int8/given.ts";
import { int8 } from "../kernels/int8/mod.ts";
import { givenTernaryPrepared } from "../kernels/ternary/given.ts";
import { ternary } from "../kernels/ternary/mod.ts";
import { monarch, type MonarchPrepared } from "../kernels/monarch/mod.ts";
import { stl } from "../kernels/stl/mod.ts";
import { checkLinearExport, type LinearExport } from "./export.ts";

/**
 * One layer ready for its kernel: `kernel.plan` with the configuration `kernel.resolve` builds
 * from `params` for a shape, and `prepared`, runs it; `kernel.reference` checks it.
 *
 * @example
 * ```ts ignore
 * const p = prepareLinear(layer, "f32");
 * const config = p.kernel.resolve(p.params, shape, "f32");
 * const plan = await p.kernel.plan({ ...ctx, shape, config, prepared: p.prepared });
 * ```
 */
export interface PreparedLinear {
  layer: LinearExport;
  // deno-lint-ignore no-explicit-any
  kernel: KernelDescriptor<any>;
  /** Parameters of this layer, for `kernel.resolve` (then plan, work and reference). */
  params: Params;
  prepared: unknown;
}

/** Options of {@link prepareLinear}. */
export interface PrepareLinearOptions {
  /** int4 scale storage: "f32" keeps the given scales exactly (default), "f16" rounds them. */
  scaleDtype?: DType;
  /** ternary: add/subtract (default), lookup-table or multiply-add kernel; the same math. */
  ternaryMethod?: "addsub" | "lut" | "fma";
}

/**
 * Builds a layer's prepared object for storage dtype `dtype` (validating it first):
 * dense uploads W; sparse24 compresses W̃ under the mask `w ≠ 0`; stl takes α, Ŵ, γ as learned;
 * int4 packs the given codes with their scales and zeros (and AWQ's invScale); int8 packs the
 * given codes with their scales, activation factors and outlier rows; ternary packs the given
 * codes with their scales; monarch stores the learned factors R and L in the dtype.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = prepareLinear({ name: "fc", k: 4, n: 1, op: "sparse24", w: new Float32Array([0, 1, 0, 2]) }, "f32");
 * assert.equal(p.kernel.name, "sparse24");
 * ```
 */
export function prepareLinear(
  layer: LinearExport,
  dtype: DType,
  opts: PrepareLinearOptions = {},
): PreparedLinear {
  checkLinearExport(layer);
  const { k, n } = layer;
  switch (layer.op) {
    case "dense":
      return { layer, kernel: dense, params: {}, prepared: toDtypeArray(layer.w!, dtype) };
    case "sparse24":
      return {
        layer,
        kernel: sparse24,
        params: {},
        prepared: givenSparse24Prepared(layer.w!, k, n, dtype),
      };
    case "stl": {
      const s = layer.stl!;
      return {
        layer,
        kernel: stl,
        params: { tile: s.t, rank: s.r },
        prepared: learnedStlPrepared(k, n, dtype, s),
      };
    }
    case "int4": {
      const q = layer.int4!;
      const scaleDtype = opts.scaleDtype ?? "f32";
      return {
        layer,
        kernel: int4,
        params: { method: q.invScale ? "awq" : "rtn", group: q.group, scaleDtype },
        prepared: givenInt4Prepared(k, n, q, scaleDtype),
      };
    }
    case "int8": {
      const q = layer.int8!;
      const params: Record<string, string | number> = { smooth: q.smooth };
      if (q.outliers) {
        params.outliers = "llm-int8";
        params.threshold = q.outliers.threshold;
      }
      return { layer, kernel: int8, params, prepared: givenInt8Prepared(k, n, q, dtype) };
    }
    case "ternary": {
      const q = layer.ternary!;
      return {
        layer,
        kernel: ternary,
        params: { method: opts.ternaryMethod ?? "addsub", group: q.group },
        prepared: givenTernaryPrepared(k, n, q, dtype),
      };
    }
    case "monarch": {
      const q = layer.monarch!;
      const prepared: MonarchPrepared = {
        r: toDtypeArray(q.r, dtype),
        l: toDtypeArray(q.l, dtype),
        relError: NaN,
        iterations: 0,
      };
      return { layer, kernel: monarch, params: { blocks: q.blocks }, prepared };
    }
  }
}
