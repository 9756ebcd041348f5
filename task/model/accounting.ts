/**
 * Model-level FLOPs and stored parameters of an export, per sample, split into the linear layers
 * and the rest (the figures a whole-model FLOP reduction is stated with).
 *
 * Linear layers (x rows×K, W K×N; a multiply-add counts 2 FLOPs):
 * - dense: core 2·rows·K·N.
 * - sparse24: core 2·rows·nnz(W)·… counted as 2·rows·K·N/2 (the kept half).
 * - int4: core 2·rows·K·N (weight-only: the products are dense); overhead 2·K·N to dequantise
 *   each weight once (subtract the zero, multiply by the scale: once a sample at batch 1, which
 *   the kernels run once a batch, GEMV or GEMM row block), plus rows·K for AWQ's invScale.
 * - stl (tile t, rank r, rows padded per sample to Mt·t, Kt = ⌈K/t⌉, Nt = ⌈N/t⌉): core
 *   2·r·Mt·Kt·Nt (the r plane products); overhead: encode ops(α)·Mt·Kt and decode ops(γ)·Mt·Nt,
 *   where ops counts the linear combinations as the generated WGSL executes them
 *   (kernels/stl/linear_combo.ts: a zero coefficient 0, ±1 one add or subtract, any other a
 *   multiply-add 2, the leading term no add but a negation when all are −1), over α's r rows
 *   of t² and γ's t² rows of r (the unfused decode pass). Ŵ is stored encoded, so there is no
 *   weight encoding at run time.
 * - int8 (W8A8): core 2·rows·K·N integer multiply-adds (counted like FLOPs, as kernels/int8
 *   does: they are int8 ops, not floating point); overhead: the activation pass 4·rows·K, the
 *   dequantisation 2·rows·N and the outlier path 2·rows·|O|·N (floating point).
 * - ternary: core rows·K·N adds (no multiplies: each weight adds or subtracts x or skips it,
 *   counted as one op a weight as kernels/ternary's add/subtract kernel executes); overhead:
 *   rows·N·groups scale multiplies (and rows·N·groups adds of the group sums when grouped).
 * - monarch (b blocks): core 2·rows·b·(K + N) (the two block passes, exact for short last
 *   blocks); no overhead beyond the bias.
 * - bias: rows·N, in the overhead.
 *
 * The LM's sample is one token (its linears see one row each, STL padding it to a t-row block)
 * at the mean position of a full context: its attention reads {@link lmMeanKeys} keys. Its rest
 * is the embedding add, the ViT's per-token block terms with T² replaced by that mean, the final
 * LayerNorm; the head is a dense linear.
 *
 * The rest (ViT): position-embedding add, LayerNorm (≈ 8 FLOPs an element), attention scores
 * and weighted sums (4·T²·dim a block), softmax (≈ 5·T² a head), GELU (≈ 10 an element),
 * residual adds, mean pooling; MLP: ReLU (1 an element).
 *
 * Parameters are stored values: dense K·N, sparse24 the kept weights (K·N/2; its 2-bit indices
 * are not counted), int4 K·N codes plus 2 per group and column (and K for invScale), stl
 * r·t² + r·Kt·Nt + t²·r, int8 K·N codes + N scales + K activation factors + |O|·N outlier
 * weights, ternary K·N codes + groups·N scales, monarch b·(K + N); biases N. The rest: position embeddings and LayerNorm gains and biases.
 *
 * docs/task-accuracy.md (Model FLOPs, parameters and latency) states the same rules, and
 * tests/task_accounting_test.ts checks them against each kernel family's own work model.
 *
 * @module
 */

import type { LinearExport, ModelExport } from "../export.ts";
import {
  configFromRecord,
  linearSpecs,
  type LmConfig,
  type ModelConfig,
  tensorSpecs,
  vitTokens,
} from "./arch.ts";
import type { ModelCount } from "../types.ts";
import { comboOps } from "../../kernels/stl/linear_combo.ts";

/** Operations of the `rows` linear combinations of `cols` coefficients each, row-major. */
function comboRowsOps(coefs: Float32Array, rows: number, cols: number): number {
  let ops = 0;
  for (let i = 0; i < rows; i++) {
    ops += comboOps(Array.from(coefs.subarray(i * cols, i * cols + cols)));
  }
  return ops;
}

/**
 * Core and overhead FLOPs of one linear layer on `rowsPerSample` rows (one sample).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l = { name: "fc", k: 4, n: 2, op: "dense" as const, w: new Float32Array(8) };
 * assert.deepEqual(linearFlops(l, 1), { core: 16, overhead: 0 });
 * ```
 */
export function linearFlops(
  l: LinearExport,
  rowsPerSample: number,
): { core: number; overhead: number } {
  const { k, n } = l;
  const rows = rowsPerSample;
  const bias = l.bias ? rows * n : 0;
  switch (l.op) {
    case "dense":
      return { core: 2 * rows * k * n, overhead: bias };
    case "sparse24":
      return { core: rows * k * n, overhead: bias };
    case "int4":
      return {
        core: 2 * rows * k * n,
        overhead: 2 * k * n + (l.int4!.invScale ? rows * k : 0) + bias,
      };
    case "int8": {
      const o = l.int8!.outliers?.dims.length ?? 0;
      return {
        core: 2 * rows * k * n,
        overhead: 4 * rows * k + 2 * rows * n + 2 * rows * o * n + bias,
      };
    }
    case "ternary": {
      const g = l.ternary!.group ? Math.ceil(k / l.ternary!.group) : 1;
      return {
        core: rows * k * n,
        overhead: rows * n * g + (l.ternary!.group ? rows * n * g : 0) + bias,
      };
    }
    case "monarch":
      return { core: 2 * rows * l.monarch!.blocks * (k + n), overhead: bias };
    case "stl": {
      const { t, r, alpha, gamma } = l.stl!;
      const mt = Math.ceil(rows / t);
      const kt = Math.ceil(k / t);
      const nt = Math.ceil(n / t);
      const encode = comboRowsOps(alpha, r, t * t); // per X tile
      const decode = comboRowsOps(gamma, t * t, r); // per Y tile
      return { core: 2 * r * mt * kt * nt, overhead: encode * mt * kt + decode * mt * nt + bias };
    }
  }
}

/**
 * Stored values of one linear layer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l = { name: "fc", k: 4, n: 2, op: "sparse24" as const, w: new Float32Array(8), bias: new Float32Array(2) };
 * assert.equal(linearParams(l), 6);
 * ```
 */
export function linearParams(l: LinearExport): number {
  const { k, n } = l;
  const bias = l.bias ? n : 0;
  switch (l.op) {
    case "dense":
      return k * n + bias;
    case "sparse24":
      return (k * n) / 2 + bias;
    case "int4": {
      const q = l.int4!;
      return k * n + 2 * Math.ceil(k / q.group) * n + (q.invScale ? k : 0) + bias;
    }
    case "stl": {
      const { t, r } = l.stl!;
      return 2 * r * t * t + r * Math.ceil(k / t) * Math.ceil(n / t) + bias;
    }
    case "int8":
      return k * n + n + k + (l.int8!.outliers?.dims.length ?? 0) * n + bias;
    case "ternary":
      return k * n + (l.ternary!.group ? Math.ceil(k / l.ternary!.group) : 1) * n + bias;
    case "monarch":
      return l.monarch!.blocks * (k + n) + bias;
  }
}

function restFlops(c: ModelConfig): number {
  if (c.arch === "mlp") return c.hidden * c.depth;
  if (c.arch === "lm") {
    const keys = lmMeanKeys(c);
    const d = c.dim;
    const perBlock = 2 * 8 * d + 4 * keys * d + 5 * keys * c.heads + 10 * c.mlp + 2 * d;
    return d + c.depth * perBlock + 8 * d; // tok + pos add, blocks, final LN
  }
  const t = vitTokens(c);
  const d = c.dim;
  const perBlock = 2 * 8 * t * d + // two LayerNorms
    4 * t * t * d + // scores and weighted sums
    5 * t * t * c.heads + // softmax
    10 * t * c.mlp + // GELU
    2 * t * d; // residual adds
  return t * d + c.depth * perBlock + 8 * t * d + t * d; // pos add, blocks, final LN, pooling
}

/**
 * Keys a token's attention reads on average over the positions of a full `ctx` sequence:
 * (ctx + 1)/2 (position p reads p + 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(lmMeanKeys({ arch: "lm", vocab: 8, ctx: 127, dim: 8, depth: 1, heads: 1, mlp: 8 }), 64);
 * ```
 */
export function lmMeanKeys(c: LmConfig): number {
  return (c.ctx + 1) / 2;
}

/**
 * FLOPs and stored parameters of a model for one sample (the LM: one token).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomExport } from "../convert.ts";
 * const { flops, params } = modelCounts(randomExport({ arch: "mlp", hidden: 8, depth: 1 }, 1));
 * assert.equal(flops.linearsCore, 2 * (784 * 8 + 8 * 10));
 * assert.equal(params.linears, 784 * 8 + 8 + 8 * 10 + 10);
 * assert.equal(params.rest, 0);
 * const lm = randomExport({ arch: "lm", vocab: 16, ctx: 8, dim: 8, depth: 1, heads: 2, mlp: 16 }, 1);
 * const lc = modelCounts(lm).flops;
 * assert.equal(lc.linearsCore, 2 * (4 * 8 * 8 + 2 * 8 * 16 + 8 * 16)); // one token
 * ```
 */
export function modelCounts(m: ModelExport): { flops: ModelCount; params: ModelCount } {
  const c = configFromRecord(m.arch, m.config);
  const by = new Map(m.layers.map((l) => [l.name, l]));
  let core = 0;
  let over = 0;
  let params = 0;
  for (const s of linearSpecs(c)) {
    const l = by.get(s.name);
    if (!l) throw new RangeError(`layers: ${s.name} missing from the ${m.arch} export`);
    const f = linearFlops(l, s.rowsPerSample);
    core += f.core;
    over += f.overhead;
    params += linearParams(l);
  }
  const rest = restFlops(c);
  let restParams = 0;
  for (const shape of Object.values(tensorSpecs(c))) restParams += shape.reduce((a, b) => a * b, 1);
  return {
    flops: {
      linears: core + over,
      linearsCore: core,
      linearsOverhead: over,
      rest,
      total: core + over + rest,
    },
    params: {
      linears: params,
      linearsCore: params,
      linearsOverhead: 0,
      rest: restParams,
      total: params + restParams,
    },
  };
}
