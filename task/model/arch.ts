/**
 * The task models' architectures: configurations, layer names in forward order, which linears
 * take the operator under test and which stay dense, and the constants of their math.
 *
 * Two models classify 28×28 MNIST digits into 10 classes:
 *
 * - `mlp`: 784 → hidden → … → hidden → 10 with ReLU between. The `depth` hidden linears
 *   (`fc1` … `fc<depth>`) take the operator; the classifier `head` stays dense.
 * - `vit`: a small pre-LN vision transformer. The image is cut into (28/patch)² non-overlapping
 *   patches in row-major patch order, each flattened row-major (patch² pixels); a dense `patch`
 *   linear embeds them into `dim` (its K = patch² is not a multiple of a tile or a 2:4 group,
 *   and it is a small share of the FLOPs), plus a learned position embedding `pos`. Then `depth`
 *   blocks of `x = x + o(MHA(LN1(x)))`, `x = x + fc2(GELU(fc1(LN2(x))))`, a final LN, the mean
 *   over tokens (no class token, so a sample's tokens stay a multiple of the STL tile) and a
 *   dense `head`. Every q, k, v, o, fc1 and fc2 takes the operator.
 *
 * Math constants (the CPU forward in forward_cpu.ts is the definition): LayerNorm
 * `(x − mean)/sqrt(var + LN_EPS)·g + b` with the biased variance; GELU in its tanh form;
 * attention `softmax(q·kᵀ/sqrt(dim/heads))` per head over all tokens of the sample (no mask),
 * heads taking consecutive `dim/heads` columns of q, k, v.
 *
 * One model predicts the next token of English text (docs/lm.md):
 *
 * - `lm`: a pre-LN GPT-style decoder over `ctx` positions. `x = tok[id] + pos[p]` (p the 0-based
 *   position); `depth` blocks of `x = x + o(MHA_causal(LN1(x)))`,
 *   `x = x + fc2(GELU(fc1(LN2(x))))`; a final LN and a dense `head` (dim × vocab) giving the
 *   logits of the next token at every position. Causal attention: position p attends to
 *   positions 0 … p of its own sequence. Every q, k, v, o, fc1 and fc2 takes the operator; the
 *   token and position embeddings (lookups, no products) and the head stay dense.
 *
 * STL tiles mix the t rows of a tile, so the rows of a tile must belong to one sample. In the
 * ViT a sample's rows are its tokens (a multiple of t). In the MLP a sample is one row: each
 * sample is given its own t-row block, zero-padded (rows 1 … t−1 are zeros and their outputs
 * are dropped), which costs t× the rows of an unpadded product: STL in the MLP is a
 * correctness-preserving baseline, not a speed claim; the ViT carries the STL comparison.
 * The LM does the same (`rowsPerSample: 1`): t consecutive positions in one tile would let a
 * position see later ones, so every token is its own zero-padded t-row block. That is causal and
 * identical in training, prefill and KV-cached decode, and it costs t× the rows: an LM linear's
 * STL core FLOPs are r/t² of dense (r/t³ with full tiles), so t = 4, r = 24 costs 1.5× dense and
 * r = 49 about 3× dense: the FLOP counts (task/model/accounting.ts) say so.
 *
 * @module
 */

import { CLASSES, IMAGE_PIXELS, IMAGE_SIDE } from "../data/mnist.ts";

/** Model names. */
export const MODELS = ["mlp", "vit", "lm"] as const;
/** A model name. */
export type ModelName = typeof MODELS[number];

/** LayerNorm epsilon. */
export const LN_EPS = 1e-5;

/**
 * The MLP's configuration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c: MlpConfig = { arch: "mlp", hidden: 256, depth: 2 };
 * assert.equal(configProblem(c), null);
 * assert.deepEqual(linearSpecs(c).map((l) => [l.k, l.n]), [[784, 256], [256, 256], [256, 10]]);
 * ```
 */
export interface MlpConfig {
  arch: "mlp";
  /** Width of every hidden layer. */
  hidden: number;
  /** Hidden linears (each followed by ReLU). */
  depth: number;
}

/**
 * The ViT's configuration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c: VitConfig = { arch: "vit", patch: 7, dim: 64, depth: 2, heads: 4, mlp: 128 };
 * assert.equal(configProblem(c), null);
 * assert.equal(vitTokens(c), (28 / 7) ** 2); // 16 patches of 7×7 pixels
 * ```
 */
export interface VitConfig {
  arch: "vit";
  /** Patch side in pixels (divides 28). */
  patch: number;
  /** Token width. */
  dim: number;
  /** Transformer blocks. */
  depth: number;
  /** Attention heads (divides dim). */
  heads: number;
  /** Hidden width of a block's MLP. */
  mlp: number;
}

/**
 * The language model's configuration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c: LmConfig = { arch: "lm", vocab: 96, ctx: 32, dim: 32, depth: 4, heads: 2, mlp: 64 };
 * assert.equal(configProblem(c), null);
 * assert.equal(linearSpecs(c).length, 4 * 6 + 1); // q, k, v, o, fc1, fc2 per block; the head
 * ```
 */
export interface LmConfig {
  arch: "lm";
  /** Token ids 0 … vocab − 1 (the tokenizer's size). */
  vocab: number;
  /** Trained context length: the positions of `pos`. */
  ctx: number;
  /** Model width. */
  dim: number;
  /** Transformer blocks. */
  depth: number;
  /** Attention heads (divides dim). */
  heads: number;
  /** Hidden width of a block's MLP. */
  mlp: number;
}

/** A model configuration. */
export type ModelConfig = MlpConfig | VitConfig | LmConfig;

/** Default configurations of each model. */
export const DEFAULT_CONFIGS: Record<ModelName, ModelConfig> = {
  mlp: { arch: "mlp", hidden: 256, depth: 2 },
  vit: { arch: "vit", patch: 7, dim: 64, depth: 2, heads: 4, mlp: 128 },
  lm: { arch: "lm", vocab: 96, ctx: 128, dim: 128, depth: 4, heads: 4, mlp: 512 },
};

/**
 * One linear layer of an architecture: y = x·W + b, x rows×k.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l: LinearSpec = { name: "head", k: 256, n: 10, operator: false, rowsPerSample: 1 };
 * assert.deepEqual(linearSpecs({ arch: "mlp", hidden: 256, depth: 2 }).at(-1), l);
 * ```
 */
export interface LinearSpec {
  name: string;
  k: number;
  n: number;
  /** Takes the operator under test (false: always dense). */
  operator: boolean;
  /** Rows of x that belong to one sample (tokens; 1 in the MLP). */
  rowsPerSample: number;
}

/**
 * Tokens of a ViT sample.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(vitTokens({ arch: "vit", patch: 7, dim: 64, depth: 2, heads: 4, mlp: 128 }), 16);
 * ```
 */
export function vitTokens(c: VitConfig): number {
  const side = IMAGE_SIDE / c.patch;
  return side * side;
}

/**
 * The linears of a model in forward order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const ls = linearSpecs({ arch: "mlp", hidden: 256, depth: 2 });
 * assert.deepEqual(ls.map((l) => l.name), ["fc1", "fc2", "head"]);
 * assert.equal(ls[0]!.k, 784);
 * ```
 */
export function linearSpecs(c: ModelConfig): LinearSpec[] {
  if (c.arch === "mlp") {
    const out: LinearSpec[] = [];
    for (let i = 0; i < c.depth; i++) {
      out.push({
        name: `fc${i + 1}`,
        k: i === 0 ? IMAGE_PIXELS : c.hidden,
        n: c.hidden,
        operator: true,
        rowsPerSample: 1,
      });
    }
    out.push({ name: "head", k: c.hidden, n: CLASSES, operator: false, rowsPerSample: 1 });
    return out;
  }
  if (c.arch === "lm") {
    const out: LinearSpec[] = [];
    const lin = (name: string, k: number, n: number) =>
      out.push({ name, k, n, operator: true, rowsPerSample: 1 });
    for (let b = 0; b < c.depth; b++) {
      for (const p of ["q", "k", "v", "o"]) lin(`blocks.${b}.attn.${p}`, c.dim, c.dim);
      lin(`blocks.${b}.mlp.fc1`, c.dim, c.mlp);
      lin(`blocks.${b}.mlp.fc2`, c.mlp, c.dim);
    }
    out.push({ name: "head", k: c.dim, n: c.vocab, operator: false, rowsPerSample: 1 });
    return out;
  }
  const tokens = vitTokens(c);
  const rows = tokens;
  const out: LinearSpec[] = [
    { name: "patch", k: c.patch * c.patch, n: c.dim, operator: false, rowsPerSample: rows },
  ];
  for (let b = 0; b < c.depth; b++) {
    for (const p of ["q", "k", "v", "o"]) {
      out.push({
        name: `blocks.${b}.attn.${p}`,
        k: c.dim,
        n: c.dim,
        operator: true,
        rowsPerSample: rows,
      });
    }
    out.push({
      name: `blocks.${b}.mlp.fc1`,
      k: c.dim,
      n: c.mlp,
      operator: true,
      rowsPerSample: rows,
    });
    out.push({
      name: `blocks.${b}.mlp.fc2`,
      k: c.mlp,
      n: c.dim,
      operator: true,
      rowsPerSample: rows,
    });
  }
  out.push({ name: "head", k: c.dim, n: CLASSES, operator: false, rowsPerSample: 1 });
  return out;
}

/**
 * The non-linear tensors of a model (name → shape): position embedding and LayerNorm gains and
 * biases of the ViT; the LM's token embedding `tok` [vocab, dim] first, then the same; none in
 * the MLP.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t = tensorSpecs({ arch: "vit", patch: 7, dim: 64, depth: 1, heads: 4, mlp: 128 });
 * assert.deepEqual(t["pos"], [16, 64]);
 * assert.deepEqual(Object.keys(t), ["pos", "blocks.0.ln1.g", "blocks.0.ln1.b", "blocks.0.ln2.g", "blocks.0.ln2.b", "ln.g", "ln.b"]);
 * const l = tensorSpecs({ arch: "lm", vocab: 96, ctx: 32, dim: 16, depth: 1, heads: 2, mlp: 32 });
 * assert.deepEqual([l["tok"], l["pos"], l["ln.g"]], [[96, 16], [32, 16], [16]]);
 * ```
 */
export function tensorSpecs(c: ModelConfig): Record<string, number[]> {
  if (c.arch === "mlp") return {};
  const out: Record<string, number[]> = c.arch === "lm"
    ? { tok: [c.vocab, c.dim], pos: [c.ctx, c.dim] }
    : { pos: [vitTokens(c), c.dim] };
  for (let b = 0; b < c.depth; b++) {
    for (const ln of ["ln1", "ln2"]) {
      out[`blocks.${b}.${ln}.g`] = [c.dim];
      out[`blocks.${b}.${ln}.b`] = [c.dim];
    }
  }
  out["ln.g"] = [c.dim];
  out["ln.b"] = [c.dim];
  return out;
}

/**
 * Why a configuration is unusable (one line naming the field), or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(configProblem({ arch: "vit", patch: 5, dim: 64, depth: 2, heads: 4, mlp: 128 }),
 *   "patch: must divide 28, got 5");
 * ```
 */
export function configProblem(c: ModelConfig): string | null {
  const posInt = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
  if (c.arch === "mlp") {
    if (!posInt(c.hidden)) return `hidden: must be an integer ≥ 1, got ${c.hidden}`;
    if (!posInt(c.depth)) return `depth: must be an integer ≥ 1, got ${c.depth}`;
    return null;
  }
  if (c.arch === "lm") {
    for (const f of ["vocab", "ctx", "dim", "depth", "heads", "mlp"] as const) {
      if (!posInt(c[f])) return `${f}: must be an integer ≥ 1, got ${c[f]}`;
    }
    if (c.dim % c.heads !== 0) return `heads: must divide dim ${c.dim}, got ${c.heads}`;
    return null;
  }
  if (c.arch !== "vit") return `arch: must be one of ${MODELS.join(", ")}`;
  if (!posInt(c.patch) || IMAGE_SIDE % c.patch !== 0) {
    return `patch: must divide ${IMAGE_SIDE}, got ${c.patch}`;
  }
  for (const f of ["dim", "depth", "heads", "mlp"] as const) {
    if (!posInt(c[f])) return `${f}: must be an integer ≥ 1, got ${c[f]}`;
  }
  if (c.dim % c.heads !== 0) return `heads: must divide dim ${c.dim}, got ${c.heads}`;
  return null;
}

/**
 * The configuration as a ModelExport's flat `config` record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(configRecord({ arch: "mlp", hidden: 8, depth: 1 }), { arch: "mlp", hidden: 8, depth: 1 });
 * ```
 */
export function configRecord(c: ModelConfig): Record<string, number | string> {
  return { ...c };
}

/**
 * A ModelExport's `arch` and `config` back as a typed configuration (throws naming the field).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(configFromRecord("mlp", { hidden: 8, depth: 1 }).arch, "mlp");
 * ```
 */
export function configFromRecord(arch: string, rec: Record<string, number | string>): ModelConfig {
  const num = (f: string) => {
    const v = rec[f];
    if (typeof v !== "number") throw new TypeError(`config.${f}: must be a number, got ${v}`);
    return v;
  };
  let c: ModelConfig;
  if (arch === "mlp") c = { arch, hidden: num("hidden"), depth: num("depth") };
  else if (arch === "vit") {
    c = {
      arch,
      patch: num("patch"),
      dim: num("dim"),
      depth: num("depth"),
      heads: num("heads"),
      mlp: num("mlp"),
    };
  } else if (arch === "lm") {
    c = {
      arch,
      vocab: num("vocab"),
      ctx: num("ctx"),
      dim: num("dim"),
      depth: num("depth"),
      heads: num("heads"),
      mlp: num("mlp"),
    };
  } else {throw new TypeError(
      `arch: must be one of ${MODELS.join(", ")}; got ${JSON.stringify(arch)}`,
    );}
  const p = configProblem(c);
  if (p) throw new RangeError(`config.${p}`);
  return c;
}
