/**
 * The CPU forward pass of a {@link ModelExport}, in f64: THE definition of the task models' math
 * (the tfjs training graph and the WGSL forward pass both match it).
 *
 * - Linear layers compute `y = x·W + b` through their operator exactly as task/export.ts states:
 *   dense and sparse24 with `w`, int4 with the dequantised codes (AWQ: x scaled by `invScale`
 *   first), ternary with codes·scales, monarch with the dense M of its factors, int8 by
 *   quantising each row of x at run time (linear_f64 int8F64), STL by encode → r plane
 *   products → decode on t-row tiles. A batch is laid out
 *   sample-major; STL tiles never cross samples: a sample's rows are zero-padded to a multiple of
 *   t (the MLP's single row becomes a t-row block) and the padding rows dropped after the layer.
 * - `mlp`: `x → ReLU(fc1) → … → ReLU(fc<depth>) → head`.
 * - `vit`: patches (row-major patch order, row-major pixels within a patch) → `patch` + `pos`;
 *   per block `x += o(attn(LN1(x)))`, `x += fc2(GELU(fc1(LN2(x))))`; `LN(x)`, mean over the
 *   tokens, `head`. LayerNorm: `(x − μ)/sqrt(σ² + LN_EPS)·g + b`, σ² the biased variance.
 *   GELU: `0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³)))`. Attention: per head h (columns
 *   h·d … h·d + d − 1 of q, k, v, d = dim/heads), `softmax_j(q_i·k_j / sqrt(d))·v_j` over all
 *   tokens of the sample (max-subtracted softmax), heads concatenated in order before `o`.
 *
 * @module
 */

import { effectiveWeights, type LinearExport, type ModelExport } from "../export.ts";
import { int8F64 } from "../linear_f64.ts";
import { CLASSES, IMAGE_PIXELS, IMAGE_SIDE } from "../data/mnist.ts";
import {
  configFromRecord,
  linearSpecs,
  LN_EPS,
  type MlpConfig,
  type ModelConfig,
  type VitConfig,
  vitTokens,
} from "./arch.ts";

const weightCache = new WeakMap<LinearExport, Float64Array>();

function weightsOf(l: LinearExport): Float64Array {
  let w = weightCache.get(l);
  if (!w) {
    w = effectiveWeights(l)!;
    weightCache.set(l, w);
  }
  return w;
}

/**
 * One linear layer on `rows` rows of x (rows×K, sample-major with `rowsPerSample` rows a
 * sample), returning rows×N in f64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l = { name: "fc", k: 2, n: 1, op: "dense" as const, w: new Float32Array([1, 2]), bias: new Float32Array([0.5]) };
 * assert.deepEqual([...linearCpu(l, new Float64Array([3, 4]), 1, 1)], [11.5]);
 * ```
 */
export function linearCpu(
  l: LinearExport,
  x: Float64Array,
  rows: number,
  rowsPerSample: number,
): Float64Array {
  const { k, n } = l;
  if (x.length !== rows * k) {
    throw new RangeError(`layer ${l.name}: input has ${x.length} values, expected ${rows}×${k}`);
  }
  let y: Float64Array;
  if (l.op === "stl") y = stlCpu(l, x, rows, rowsPerSample);
  else if (l.op === "int8") {
    y = new Float64Array(rows * n);
    int8F64(l, x, rows, y);
  } else y = matmulCpu(weightsOf(l), x, rows, k, n);
  if (l.bias) {
    for (let i = 0; i < rows; i++) for (let c = 0; c < n; c++) y[i * n + c]! += l.bias[c]!;
  }
  return y;
}

function matmulCpu(w: Float64Array, x: Float64Array, rows: number, k: number, n: number) {
  const y = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    const yb = i * n;
    for (let kk = 0; kk < k; kk++) {
      const xv = x[i * k + kk]!;
      if (xv === 0) continue;
      const wb = kk * n;
      for (let c = 0; c < n; c++) y[yb + c]! += xv * w[wb + c]!;
    }
  }
  return y;
}

/** STL on sample-major rows: each sample's rows padded to a multiple of t. */
function stlCpu(l: LinearExport, x: Float64Array, rows: number, rowsPerSample: number) {
  const { k, n } = l;
  const { t, r, alpha, wh, gamma } = l.stl!;
  const tt = t * t;
  const kt = Math.ceil(k / t);
  const nt = Math.ceil(n / t);
  if (rows % rowsPerSample !== 0) {
    throw new RangeError(`layer ${l.name}: ${rows} rows are not whole samples of ${rowsPerSample}`);
  }
  const samples = rows / rowsPerSample;
  const blocks = Math.ceil(rowsPerSample / t);
  const y = new Float64Array(rows * n);
  const xh = new Float64Array(r * kt);
  const p = new Float64Array(r * nt);
  const tile = new Float64Array(tt);
  for (let s = 0; s < samples; s++) {
    for (let blk = 0; blk < blocks; blk++) {
      const row0 = blk * t; // within the sample
      for (let kk = 0; kk < kt; kk++) {
        for (let a = 0; a < t; a++) {
          const rr = row0 + a;
          for (let b = 0; b < t; b++) {
            const cc = kk * t + b;
            tile[a * t + b] = rr < rowsPerSample && cc < k
              ? x[(s * rowsPerSample + rr) * k + cc]!
              : 0;
          }
        }
        for (let rho = 0; rho < r; rho++) {
          let v = 0;
          for (let e = 0; e < tt; e++) v += alpha[rho * tt + e]! * tile[e]!;
          xh[rho * kt + kk] = v;
        }
      }
      p.fill(0);
      for (let rho = 0; rho < r; rho++) {
        const plane = rho * kt * nt;
        for (let kk = 0; kk < kt; kk++) {
          const xv = xh[rho * kt + kk]!;
          if (xv === 0) continue;
          const wb = plane + kk * nt;
          for (let j = 0; j < nt; j++) p[rho * nt + j]! += xv * wh[wb + j]!;
        }
      }
      for (let a = 0; a < t; a++) {
        const rr = row0 + a;
        if (rr >= rowsPerSample) break;
        const yb = (s * rowsPerSample + rr) * n;
        for (let j = 0; j < nt; j++) {
          for (let b = 0; b < t; b++) {
            const col = j * t + b;
            if (col >= n) continue;
            const e = a * t + b;
            let v = 0;
            for (let rho = 0; rho < r; rho++) v += gamma[e * r + rho]! * p[rho * nt + j]!;
            y[yb + col] = v;
          }
        }
      }
    }
  }
  return y;
}

/**
 * LayerNorm of every row (rows×d) with gain g and bias b (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const y = layerNormCpu(new Float64Array([1, 3]), 1, 2, new Float32Array([1, 1]), new Float32Array([0, 0]));
 * assert.ok(Math.abs(y[0]! + 1) < 1e-4 && Math.abs(y[1]! - 1) < 1e-4);
 * ```
 */
export function layerNormCpu(
  x: Float64Array,
  rows: number,
  d: number,
  g: Float32Array,
  b: Float32Array,
): Float64Array {
  const y = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) {
    let mean = 0;
    for (let c = 0; c < d; c++) mean += x[i * d + c]!;
    mean /= d;
    let v = 0;
    for (let c = 0; c < d; c++) v += (x[i * d + c]! - mean) ** 2;
    const inv = 1 / Math.sqrt(v / d + LN_EPS);
    for (let c = 0; c < d; c++) y[i * d + c] = (x[i * d + c]! - mean) * inv * g[c]! + b[c]!;
  }
  return y;
}

/**
 * GELU, tanh form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(gelu(0), 0);
 * assert.ok(Math.abs(gelu(1) - 0.8412) < 1e-3);
 * ```
 */
export function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}

/**
 * Multi-head self-attention over the tokens of each sample: q, k, v rows×dim (sample-major,
 * `tokens` rows a sample), returns the heads' outputs concatenated (rows×dim), before `o`.
 * `causal`: token i attends to tokens 0 … i of its sample only (the LM).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const v = new Float64Array([1, 3]);
 * const y = attentionCpu(new Float64Array(2), new Float64Array(2), v, 2, 2, 1, 1);
 * assert.deepEqual([...y], [2, 2]); // equal scores: the mean of v
 * const c = attentionCpu(new Float64Array(2), new Float64Array(2), v, 2, 2, 1, 1, true);
 * assert.deepEqual([...c], [1, 2]); // token 0 sees only itself
 * ```
 */
export function attentionCpu(
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  rows: number,
  tokens: number,
  dim: number,
  heads: number,
  causal = false,
): Float64Array {
  const d = dim / heads;
  const scale = 1 / Math.sqrt(d);
  const out = new Float64Array(rows * dim);
  const sc = new Float64Array(tokens);
  for (let s0 = 0; s0 < rows; s0 += tokens) {
    for (let h = 0; h < heads; h++) {
      const c0 = h * d;
      for (let i = 0; i < tokens; i++) {
        const qi = (s0 + i) * dim + c0;
        const seen = causal ? i + 1 : tokens;
        let mx = -Infinity;
        for (let j = 0; j < seen; j++) {
          const kj = (s0 + j) * dim + c0;
          let dot = 0;
          for (let c = 0; c < d; c++) dot += q[qi + c]! * k[kj + c]!;
          sc[j] = dot * scale;
          if (sc[j]! > mx) mx = sc[j]!;
        }
        let sum = 0;
        for (let j = 0; j < seen; j++) {
          sc[j] = Math.exp(sc[j]! - mx);
          sum += sc[j]!;
        }
        const ob = (s0 + i) * dim + c0;
        for (let j = 0; j < seen; j++) {
          const p = sc[j]! / sum;
          const vj = (s0 + j) * dim + c0;
          for (let c = 0; c < d; c++) out[ob + c]! += p * v[vj + c]!;
        }
      }
    }
  }
  return out;
}

/**
 * The ViT's patch rows of `count` images: count·tokens rows of patch² pixels (row-major patch
 * order, row-major pixels within a patch).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const img = Float32Array.from({ length: 784 }, (_, i) => i);
 * const p = patchify(img, 1, 7);
 * assert.equal(p[0], 0);
 * assert.equal(p[7], 28); // second pixel row of the first patch
 * assert.equal(p[49], 7); // the second patch starts at column 7
 * ```
 */
export function patchify(images: Float32Array, count: number, patch: number): Float64Array {
  const side = IMAGE_SIDE / patch;
  const pp = patch * patch;
  const out = new Float64Array(count * side * side * pp);
  let o = 0;
  for (let s = 0; s < count; s++) {
    const base = s * IMAGE_PIXELS;
    for (let py = 0; py < side; py++) {
      for (let px = 0; px < side; px++) {
        for (let dy = 0; dy < patch; dy++) {
          for (let dx = 0; dx < patch; dx++) {
            out[o++] = images[base + (py * patch + dy) * IMAGE_SIDE + px * patch + dx]!;
          }
        }
      }
    }
  }
  return out;
}

function layerByName(m: ModelExport): Map<string, LinearExport> {
  return new Map(m.layers.map((l) => [l.name, l]));
}

/**
 * A named non-linear tensor of an export (throws naming it when missing).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const m = { arch: "lm", config: {}, layers: [], tensors: { "ln.g": { shape: [1], data: new Float32Array([2]) } } };
 * assert.deepEqual([...tensor(m, "ln.g")], [2]);
 * ```
 */
export function tensor(m: ModelExport, name: string): Float32Array {
  const t = m.tensors[name];
  if (!t) throw new RangeError(`tensors.${name}: missing from the ${m.arch} export`);
  return t.data;
}

/** Sees every linear layer's input (rows×K, f64) during a forward pass. */
export type InputHook = (layer: string, x: Float64Array, rows: number) => void;

/**
 * A function applying the export's linear `name` to rows of x (sample-major, `rowsPerSample`
 * rows a sample), calling `hook` with every input first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l = { name: "fc", k: 1, n: 1, op: "dense" as const, w: new Float32Array([3]) };
 * const apply = applier({ arch: "mlp", config: {}, layers: [l], tensors: {} }, null);
 * assert.deepEqual([...apply("fc", new Float64Array([2]), 1, 1)], [6]);
 * ```
 */
export function applier(
  m: ModelExport,
  hook: InputHook | null,
): (name: string, x: Float64Array, rows: number, rowsPerSample: number) => Float64Array {
  const by = layerByName(m);
  return (name: string, x: Float64Array, rows: number, rowsPerSample: number) => {
    const l = by.get(name);
    if (!l) throw new RangeError(`layers: ${name} missing from the export`);
    if (hook) hook(name, x, rows);
    return linearCpu(l, x, rows, rowsPerSample);
  };
}

function mlpForward(
  m: ModelExport,
  c: MlpConfig,
  images: Float32Array,
  count: number,
  hook: InputHook | null,
) {
  const apply = applier(m, hook);
  let x: Float64Array = Float64Array.from(images.subarray(0, count * IMAGE_PIXELS));
  for (const spec of linearSpecs(c)) {
    x = apply(spec.name, x, count, 1);
    if (spec.name !== "head") { for (let i = 0; i < x.length; i++) if (x[i]! < 0) x[i] = 0; }
  }
  return x;
}

function vitForward(
  m: ModelExport,
  c: VitConfig,
  images: Float32Array,
  count: number,
  hook: InputHook | null,
) {
  const apply = applier(m, hook);
  const tokens = vitTokens(c);
  const rows = count * tokens;
  const d = c.dim;
  let x = apply("patch", patchify(images, count, c.patch), rows, tokens);
  const pos = tensor(m, "pos");
  for (let i = 0; i < rows; i++) {
    const tb = (i % tokens) * d;
    for (let j = 0; j < d; j++) x[i * d + j]! += pos[tb + j]!;
  }
  const lin = (name: string, v: Float64Array) => apply(name, v, rows, tokens);
  for (let b = 0; b < c.depth; b++) {
    const p = `blocks.${b}`;
    const h = layerNormCpu(x, rows, d, tensor(m, `${p}.ln1.g`), tensor(m, `${p}.ln1.b`));
    const att = attentionCpu(
      lin(`${p}.attn.q`, h),
      lin(`${p}.attn.k`, h),
      lin(`${p}.attn.v`, h),
      rows,
      tokens,
      d,
      c.heads,
    );
    const o = lin(`${p}.attn.o`, att);
    for (let i = 0; i < x.length; i++) x[i]! += o[i]!;
    const h2 = layerNormCpu(x, rows, d, tensor(m, `${p}.ln2.g`), tensor(m, `${p}.ln2.b`));
    const f1 = lin(`${p}.mlp.fc1`, h2);
    for (let i = 0; i < f1.length; i++) f1[i] = gelu(f1[i]!);
    const f2 = lin(`${p}.mlp.fc2`, f1);
    for (let i = 0; i < x.length; i++) x[i]! += f2[i]!;
  }
  x = layerNormCpu(x, rows, d, tensor(m, "ln.g"), tensor(m, "ln.b"));
  const pooled = new Float64Array(count * d);
  for (let s = 0; s < count; s++) {
    for (let tkn = 0; tkn < tokens; tkn++) {
      const xb = (s * tokens + tkn) * d;
      for (let j = 0; j < d; j++) pooled[s * d + j]! += x[xb + j]! / tokens;
    }
  }
  return apply("head", pooled, count, 1);
}

/**
 * The model's logits (count×10, f64) for `count` images (count×784), computed in chunks of
 * `chunk` samples (a sample's result never depends on its chunk); `hook` sees every linear's
 * input.
 *
 * @example
 * ```ts ignore
 * const logits = forwardCpu(model, test.images, test.count);
 * ```
 */
export function forwardCpu(
  m: ModelExport,
  images: Float32Array,
  count: number,
  chunk = 256,
  hook: InputHook | null = null,
): Float64Array {
  const c: ModelConfig = configFromRecord(m.arch, m.config);
  if (c.arch === "lm") throw new RangeError("arch: lm takes token ids: use lmForwardCpu");
  const out = new Float64Array(count * CLASSES);
  for (let s0 = 0; s0 < count; s0 += chunk) {
    const n = Math.min(chunk, count - s0);
    const imgs = images.subarray(s0 * IMAGE_PIXELS, (s0 + n) * IMAGE_PIXELS);
    const y = c.arch === "mlp" ? mlpForward(m, c, imgs, n, hook) : vitForward(m, c, imgs, n, hook);
    out.set(y, s0 * CLASSES);
  }
  return out;
}

/**
 * The predicted class of every row of count×classes logits (ties: the lowest class).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual([...argmaxRows(new Float64Array([0, 2, 1, 5, 5, 0]), 2, 3)], [1, 0]);
 * ```
 */
export function argmaxRows(logits: ArrayLike<number>, count: number, classes: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (logits[i * classes + c]! > logits[i * classes + best]!) best = c;
    }
    out[i] = best;
  }
  return out;
}

/**
 * Top-1 accuracy in percent of logits against labels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(top1(new Float64Array([0, 2, 1, 5]), new Uint8Array([1, 0]), 2), 50);
 * ```
 */
export function top1(logits: ArrayLike<number>, labels: Uint8Array, classes = CLASSES): number {
  const pred = argmaxRows(logits, labels.length, classes);
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) ok++;
  return (100 * ok) / labels.length;
}
