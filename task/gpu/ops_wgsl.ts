/**
 * WGSL generators of the small non-linear kernels of a model's forward pass: bias and
 * activation, position embedding, residual add, LayerNorm, multi-head attention, mean pooling,
 * ViT patch extraction and the per-sample row padding of STL layers. Each reads and writes the
 * activation dtype and computes in f32; the math is task/model/forward_cpu.ts's.
 *
 * Every kernel is one thread per output element (or row, or head) over a 2-D grid of 64-thread
 * workgroups (x up to 32768 workgroups, the rest in y), its sizes baked into the code.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";

/** Threads per workgroup of every small kernel. */
export const OP_THREADS = 64;
/** Most workgroups along x before the grid wraps into y. */
const MAX_X = 32768;

/** A generated kernel: its WGSL and its dispatch grid. */
export interface OpKernel {
  /** Short name for pipeline labels. */
  label: string;
  code: string;
  grid: [number, number, number];
}

/** The grid and the thread index prologue for `count` threads. */
function threads(count: number): { grid: [number, number, number]; index: string } {
  const groups = Math.max(1, Math.ceil(count / OP_THREADS));
  const gx = Math.min(groups, MAX_X);
  const gy = Math.ceil(groups / gx);
  return {
    grid: [gx, gy, 1],
    index: `  let i = gid.x + gid.y * ${gx * OP_THREADS}u;\n  if (i >= ${count}u) { return; }`,
  };
}

function header(dtype: DType): string {
  return dtype === "f16" ? "enable f16;\nalias T = f16;\n" : "alias T = f32;\n";
}

const MAIN = `@compute @workgroup_size(${OP_THREADS})\n` +
  "fn main(@builtin(global_invocation_id) gid: vec3<u32>) {";

/** Element-wise activations. */
export type Activation = "none" | "relu" | "gelu";

/** WGSL of `act(v)` for f32 `v` (GELU in its tanh form, as forward_cpu.ts). */
function activation(act: Activation, v: string): string {
  switch (act) {
    case "none":
      return v;
    case "relu":
      return `max(${v}, 0.0)`;
    case "gelu":
      return `gelu(${v})`;
  }
}

const GELU_FN = `
fn gelu(x: f32) -> f32 {
  // 0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³))), tanh written out (WGSL's tanh overflows
  // to NaN for large arguments on some drivers): tanh(u) = 1 − 2/(exp(2u) + 1).
  let u = 0.7978845608028654 * (x + 0.044715 * x * x * x);
  let th = 1.0 - 2.0 / (exp(clamp(2.0 * u, -80.0, 80.0)) + 1.0);
  return 0.5 * x * (1.0 + th);
}
`;

/**
 * In place on y (rows×n): `y = act(y + bias)`. Bindings: 0 = y, 1 = bias (n, f32).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const k = biasActWgsl("f32", 4, 10, "relu");
 * assert.ok(k.code.includes("max(") && k.grid[0] === 1);
 * ```
 */
export function biasActWgsl(dtype: DType, rows: number, n: number, act: Activation): OpKernel {
  const { grid, index } = threads(rows * n);
  const code = `${header(dtype)}${act === "gelu" ? GELU_FN : ""}
@group(0) @binding(0) var<storage, read_write> y: array<T>;
@group(0) @binding(1) var<storage, read> bias: array<f32>;
${MAIN}
${index}
  let v = f32(y[i]) + bias[i % ${n}u];
  y[i] = T(${activation(act, "v")});
}
`;
  return { label: `bias-${act}-${dtype}-${rows}x${n}`, code, grid };
}

/**
 * In place on x (rows×d, `tokens` rows a sample): `x += bias + pos[row mod tokens]`. Bindings:
 * 0 = x, 1 = bias (d, f32), 2 = pos (tokens×d, f32).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(posEmbedWgsl("f32", 32, 8, 16).code.includes("% 16u"));
 * ```
 */
export function posEmbedWgsl(dtype: DType, rows: number, d: number, tokens: number): OpKernel {
  const { grid, index } = threads(rows * d);
  const code = `${header(dtype)}
@group(0) @binding(0) var<storage, read_write> x: array<T>;
@group(0) @binding(1) var<storage, read> bias: array<f32>;
@group(0) @binding(2) var<storage, read> pos: array<f32>;
${MAIN}
${index}
  let row = i / ${d}u;
  let c = i % ${d}u;
  x[i] = T(f32(x[i]) + bias[c] + pos[(row % ${tokens}u) * ${d}u + c]);
}
`;
  return { label: `pos-${dtype}-${rows}x${d}`, code, grid };
}

/**
 * In place on x (rows×d): `x += y + bias` (a residual branch's output and its bias).
 * Bindings: 0 = x, 1 = y, 2 = bias (d, f32).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(residualWgsl("f16", 2, 4).code.startsWith("enable f16;"));
 * ```
 */
export function residualWgsl(dtype: DType, rows: number, d: number): OpKernel {
  const { grid, index } = threads(rows * d);
  const code = `${header(dtype)}
@group(0) @binding(0) var<storage, read_write> x: array<T>;
@group(0) @binding(1) var<storage, read> y: array<T>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
${MAIN}
${index}
  x[i] = T(f32(x[i]) + f32(y[i]) + bias[i % ${d}u]);
}
`;
  return { label: `residual-${dtype}-${rows}x${d}`, code, grid };
}

/**
 * LayerNorm of every row of x (rows×d) into out: `(x − μ)/sqrt(σ² + eps)·g + b`, σ² biased,
 * two passes over the row in f32. One thread per row. Bindings: 0 = x, 1 = out, 2 = g, 3 = b.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(layerNormWgsl("f32", 16, 64, 1e-5).code.includes("inverseSqrt"));
 * ```
 */
export function layerNormWgsl(dtype: DType, rows: number, d: number, eps: number): OpKernel {
  const { grid, index } = threads(rows);
  const code = `${header(dtype)}
@group(0) @binding(0) var<storage, read> x: array<T>;
@group(0) @binding(1) var<storage, read_write> out: array<T>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
${MAIN}
${index}
  let base = i * ${d}u;
  var mean = 0.0;
  for (var c = 0u; c < ${d}u; c++) { mean += f32(x[base + c]); }
  mean = mean / ${d}.0;
  var v = 0.0;
  for (var c = 0u; c < ${d}u; c++) { let e = f32(x[base + c]) - mean; v += e * e; }
  let inv = inverseSqrt(v / ${d}.0 + ${eps.toExponential()});
  for (var c = 0u; c < ${d}u; c++) {
    out[base + c] = T((f32(x[base + c]) - mean) * inv * g[c] + b[c]);
  }
}
`;
  return { label: `layernorm-${dtype}-${rows}x${d}`, code, grid };
}

/**
 * Multi-head self-attention over the `tokens` rows of each sample: for query row i and head h
 * (columns h·hd … h·hd + hd − 1), `Σ_j softmax_j(q_i·k_j/sqrt(hd))·v_j`, max-subtracted, into
 * out (rows×dim, heads concatenated). One thread per (row, head); scores kept in registers.
 * Bindings: 0 = q, 1 = k, 2 = v, 3 = out (all rows×dim).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const k = attentionWgsl("f32", 32, 16, 64, 4);
 * assert.ok(k.code.includes("array<f32, 16>") && k.grid[0] === 2);
 * ```
 */
export function attentionWgsl(
  dtype: DType,
  rows: number,
  tokens: number,
  dim: number,
  heads: number,
): OpKernel {
  const hd = dim / heads;
  const { grid, index } = threads(rows * heads);
  const code = `${header(dtype)}
@group(0) @binding(0) var<storage, read> q: array<T>;
@group(0) @binding(1) var<storage, read> k: array<T>;
@group(0) @binding(2) var<storage, read> v: array<T>;
@group(0) @binding(3) var<storage, read_write> out: array<T>;
${MAIN}
${index}
  let row = i / ${heads}u;
  let c0 = (i % ${heads}u) * ${hd}u;
  let s0 = row - row % ${tokens}u;
  let qb = row * ${dim}u + c0;
  var qv: array<f32, ${hd}>;
  for (var c = 0u; c < ${hd}u; c++) { qv[c] = f32(q[qb + c]); }
  var sc: array<f32, ${tokens}>;
  var mx = -3.0e38;
  for (var j = 0u; j < ${tokens}u; j++) {
    let kb = (s0 + j) * ${dim}u + c0;
    var dot = 0.0;
    for (var c = 0u; c < ${hd}u; c++) { dot += qv[c] * f32(k[kb + c]); }
    sc[j] = dot * ${1 / Math.sqrt(hd)};
    mx = max(mx, sc[j]);
  }
  var sum = 0.0;
  for (var j = 0u; j < ${tokens}u; j++) { sc[j] = exp(sc[j] - mx); sum += sc[j]; }
  var acc: array<f32, ${hd}>;
  for (var j = 0u; j < ${tokens}u; j++) {
    let p = sc[j] / sum;
    let vb = (s0 + j) * ${dim}u + c0;
    for (var c = 0u; c < ${hd}u; c++) { acc[c] += p * f32(v[vb + c]); }
  }
  for (var c = 0u; c < ${hd}u; c++) { out[qb + c] = T(acc[c]); }
}
`;
  return { label: `attention-${dtype}-${rows}x${dim}h${heads}t${tokens}`, code, grid };
}

/**
 * Mean over the `tokens` rows of each sample: x (samples·tokens×d) into out (samples×d).
 * Bindings: 0 = x, 1 = out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(meanPoolWgsl("f32", 2, 16, 64).code.includes("/ 16.0"));
 * ```
 */
export function meanPoolWgsl(dtype: DType, samples: number, tokens: number, d: number): OpKernel {
  const { grid, index } = threads(samples * d);
  const code = `${header(dtype)}
@group(0) @binding(0) var<storage, read> x: array<T>;
@group(0) @binding(1) var<storage, read_write> out: array<T>;
${MAIN}
${index}
  let s = i / ${d}u;
  let c = i % ${d}u;
  var acc = 0.0;
  for (var t = 0u; t < ${tokens}u; t++) { acc += f32(x[(s * ${tokens}u + t) * ${d}u + c]) / ${tokens}.0; }
  out[i] = T(acc);
}
`;
  return { label: `meanpool-${dtype}-${samples}x${tokens}x${d}`, code, grid };
}

/**
 * ViT patches of 28×28 images (f32, samples×784) into rows of patch² values (row-major patch
 * order, row-major pixels within a patch), in the activation dtype. Bindings: 0 = images,
 * 1 = out (samples·tokens×patch²).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(patchifyWgsl("f32", 1, 7, 28).code.includes("% 7u"));
 * ```
 */
export function patchifyWgsl(dtype: DType, samples: number, patch: number, side: number): OpKernel {
  const per = side / patch;
  const pp = patch * patch;
  const { grid, index } = threads(samples * per * per * pp);
  const code = `${header(dtype)}
@group(0) @binding(0) var<storage, read> img: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<T>;
${MAIN}
${index}
  let e = i % ${pp}u;
  let tok = (i / ${pp}u) % ${per * per}u;
  let s = i / ${pp * per * per}u;
  let y = (tok / ${per}u) * ${patch}u + e / ${patch}u;
  let x = (tok % ${per}u) * ${patch}u + e % ${patch}u;
  out[i] = T(img[s * ${side * side}u + y * ${side}u + x]);
}
`;
  return { label: `patchify-${dtype}-${samples}p${patch}`, code, grid };
}

/**
 * Copies samples of `from` rows each (src, samples·from×width) into samples of `to` rows each
 * (dst): row r of a sample is copied when r < from, zero otherwise; rows ≥ to are dropped. It
 * pads a sample's rows to a multiple of the STL tile before an STL layer and drops the padding
 * after it. Bindings: 0 = src, 1 = dst.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(repadRowsWgsl("f32", 8, 1, 4, 16).code.includes("< 1u"));
 * ```
 */
export function repadRowsWgsl(
  dtype: DType,
  samples: number,
  from: number,
  to: number,
  width: number,
): OpKernel {
  const { grid, index } = threads(samples * to * width);
  const code = `${header(dtype)}
@group(0) @binding(0) var<storage, read> src: array<T>;
@group(0) @binding(1) var<storage, read_write> dst: array<T>;
${MAIN}
${index}
  let c = i % ${width}u;
  let r = (i / ${width}u) % ${to}u;
  let s = i / ${to * width}u;
  if (r < ${from}u) {
    dst[i] = src[(s * ${from}u + r) * ${width}u + c];
  } else {
    dst[i] = T(0.0);
  }
}
`;
  return { label: `repad-${dtype}-${samples}x${from}to${to}x${width}`, code, grid };
}
