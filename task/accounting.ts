/**
 * Model-level accounting: FLOPs and parameters of a model per sample, split into its linears
 * (counted by each kernel family's own work model, as executed) and the rest (biases,
 * activations, norms, attention, pooling), so a whole-model FLOP reduction can be stated next to
 * the linears' one.
 *
 * Counting rules for the rest (one op = one add, multiply, compare, divide or transcendental, as
 * task/model/forward_cpu.ts computes them): bias add 1 per output; ReLU 1 and GELU 9 per element;
 * LayerNorm 8 per element (mean 1, variance 3, normalise with gain and bias 4); attention per
 * sample and head 2·T²·hd for q·kᵀ, T² for the scale, 4·T² for the softmax (subtract, exp, sum,
 * divide) and 2·T²·hd for the weighted sum of v; position embedding 2 per element (its add and
 * the patch bias); residual add 2 per element (the branch and its bias); mean pooling 1 per
 * element.
 *
 * The LM's sample is one token at the mean position of a full context (its attention reads
 * (ctx + 1)/2 keys); its embedding add is 1 per element (no bias), its head bias vocab.
 *
 * Linears are counted at batch 1 as the kernels execute them: STL pads each sample's rows to a
 * multiple of t (the MLP's single row becomes a t-row block, t× the rows of the product).
 *
 * @module
 */

import type { DType, Flops } from "../harness/types.ts";
import { CLASSES } from "./data/mnist.ts";
import { type ModelExport, stlRows } from "./export.ts";
import { configFromRecord, linearSpecs, vitTokens } from "./model/arch.ts";
import { lmMeanKeys } from "./model/accounting.ts";
import { prepareLinear } from "./prepare_linear.ts";

/** One linear's share. */
export interface LinearCost {
  name: string;
  op: string;
  /** Rows the kernel multiplies for one sample (STL: padded to a multiple of t). */
  m: number;
  k: number;
  n: number;
  flops: Flops;
  /** Stored values (the kernel's count, plus STL's α and γ) and bias. */
  params: number;
  /** Bytes the kernel stores for the weights, metadata included. */
  storedBytes: number;
}

/**
 * FLOPs and parameters of a model for one sample.
 *
 * @example
 * ```ts ignore
 * const c = modelCost(model);
 * console.log(c.flops.total, c.flops.linears.core);
 * ```
 */
export interface ModelCost {
  flops: {
    /** Sum over the linears of their kernels' counts. */
    linears: Flops;
    /** Everything else (see the module doc's rules). */
    rest: number;
    total: number;
  };
  params: { linears: number; rest: number; total: number };
  /** Bytes of the linears' stored weights. */
  storedBytes: number;
  layers: LinearCost[];
}

/**
 * The per-sample cost of `model` with weights stored in `dtype`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomExport } from "./convert.ts";
 * const c = modelCost(randomExport({ arch: "mlp", hidden: 8, depth: 1 }, 1));
 * assert.equal(c.flops.linears.core, 2 * (784 * 8 + 8 * 10));
 * assert.equal(c.flops.rest, 8 + 8 + 10); // fc1 bias + ReLU, head bias
 * assert.equal(c.params.total, 784 * 8 + 8 + 8 * 10 + 10);
 * ```
 */
export function modelCost(model: ModelExport, dtype: DType = "f32"): ModelCost {
  const c = configFromRecord(model.arch, model.config);
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const layers: LinearCost[] = [];
  for (const spec of linearSpecs(c)) {
    const l = byName.get(spec.name);
    if (!l) throw new RangeError(`layers: ${spec.name} missing from the export`);
    const p = prepareLinear(l, dtype);
    const m = l.op === "stl" ? stlRows(spec.rowsPerSample, l.stl!.t) : spec.rowsPerSample;
    const shape = { m, k: l.k, n: l.n };
    const work = p.kernel.work(shape, p.kernel.resolve(p.params, shape, dtype), dtype, p.prepared);
    const extra = l.op === "stl" ? 2 * l.stl!.r * l.stl!.t * l.stl!.t : 0;
    layers.push({
      name: l.name,
      op: l.op,
      m,
      k: l.k,
      n: l.n,
      flops: work.flops,
      params: work.paramsStored + extra + (l.bias ? l.n : 0),
      storedBytes: work.storedBytes,
    });
  }
  const linears: Flops = { total: 0, core: 0, overhead: 0 };
  for (const l of layers) {
    linears.total += l.flops.total;
    linears.core += l.flops.core;
    linears.overhead += l.flops.overhead;
  }
  let rest = 0;
  if (c.arch === "mlp") {
    rest = 2 * c.depth * c.hidden + CLASSES; // bias + ReLU per hidden unit; head bias
  } else if (c.arch === "lm") {
    const t = lmMeanKeys(c); // one token at the mean position of a full context
    const d = c.dim;
    const hd = d / c.heads;
    const ln = 8 * d;
    const attention = c.heads * (2 * t * hd + t + 4 * t + 2 * t * hd);
    const block = ln + 3 * d + attention + 2 * d + ln + 10 * c.mlp + 2 * d;
    rest = d + c.depth * block + ln + c.vocab;
  } else {
    const t = vitTokens(c);
    const d = c.dim;
    const hd = d / c.heads;
    const ln = 8 * t * d;
    const attention = c.heads * (2 * t * t * hd + t * t + 4 * t * t + 2 * t * t * hd);
    const block = ln + 3 * t * d + attention + 2 * t * d + ln + 10 * t * c.mlp + 2 * t * d;
    rest = 2 * t * d + c.depth * block + ln + t * d + CLASSES;
  }
  let tensorParams = 0;
  for (const t of Object.values(model.tensors)) tensorParams += t.data.length;
  const linearParams = layers.reduce((s, l) => s + l.params, 0);
  return {
    flops: { linears, rest, total: linears.total + rest },
    params: { linears: linearParams, rest: tensorParams, total: linearParams + tensorParams },
    storedBytes: layers.reduce((s, l) => s + l.storedBytes, 0),
    layers,
  };
}

/**
 * How many times fewer FLOPs `variant` needs than `baseline`: over the operator linears' core
 * products (what the paper's ×2.67 counts), over all linears as executed, and over the whole
 * model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { convertModel, randomExport } from "./convert.ts";
 * const d = randomExport({ arch: "vit", patch: 7, dim: 32, depth: 1, heads: 2, mlp: 64 }, 1);
 * const s = convertModel(d, { op: "stl", t: 4, r: 24, init: "random" }, new Map());
 * const r = flopReduction(modelCost(s), modelCost(d));
 * assert.ok(Math.abs(r.operatorCore - 64 / 24) < 1e-9);
 * assert.ok(r.model < r.operatorCore);
 * ```
 */
export function flopReduction(
  variant: ModelCost,
  baseline: ModelCost,
): { operatorCore: number; linears: number; model: number } {
  const ops = new Set(variant.layers.filter((l) => l.op !== "dense").map((l) => l.name));
  const core = (c: ModelCost) =>
    c.layers.filter((l) => ops.has(l.name)).reduce((s, l) => s + l.flops.core, 0);
  return {
    operatorCore: ops.size > 0 ? core(baseline) / core(variant) : 1,
    linears: baseline.flops.linears.total / variant.flops.linears.total,
    model: baseline.flops.total / variant.flops.total,
  };
}
