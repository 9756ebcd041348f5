/**
 * WGSL generators of the language model's small kernels (task/gpu/lm_forward.ts): token +
 * position embedding fused with the first LayerNorm, residual add fused with the next
 * LayerNorm, causal attention over a per-layer KV cache (q/k/v biases added on read, the rows'
 * K and V written into the cache), the head's bias fused with a greedy argmax that appends the
 * next token id to the sequence on the device, and a position reset.
 *
 * The sequence state lives on the device: `state[0]` is the number of positions already in the
 * KV cache (the position of the first row a pass processes) and `ids` (ctx + 1 u32) holds the
 * sequence's token ids. A pass of `rows` rows processes positions state[0] … state[0] + rows
 * − 1; its argmax writes the next token to `ids[state[0] + rows]` and advances state[0] by rows. So
 * decode steps chain on the device with no CPU round trip per token.
 *
 * Row kernels run one 64-thread workgroup per row (per row and head for attention) and reduce
 * in workgroup memory; activations are stored in the dtype, every value computed in f32. The
 * math is the LM's CPU definition (LayerNorm with the biased variance, max-subtracted softmax).
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import type { OpKernel } from "./ops_wgsl.ts";

/** Threads per workgroup of the row kernels. */
const THREADS = 64;
/** Most workgroups a row kernel dispatches (one grid dimension). */
export const MAX_ROW_GROUPS = 65535;

function header(dtype: DType): string {
  return dtype === "f16" ? "enable f16;\nalias T = f16;\n" : "alias T = f32;\n";
}

const MAIN = `@compute @workgroup_size(${THREADS})\n` +
  "fn main(@builtin(workgroup_id) wid: vec3<u32>, " +
  "@builtin(local_invocation_index) lid: u32) {";

/** Workgroup sum and max over the 64 threads (every thread gets the result). */
const REDUCE = `
var<workgroup> red: array<f32, ${THREADS}>;
fn reduceSum(v: f32, lid: u32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${THREADS / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = red[lid] + red[lid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
fn reduceMax(v: f32, lid: u32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${THREADS / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = max(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
`;

function groups(rows: number, what: string): [number, number, number] {
  if (!(Number.isInteger(rows) && rows >= 1 && rows <= MAX_ROW_GROUPS)) {
    throw new RangeError(`${what}: needs 1…${MAX_ROW_GROUPS} workgroups, got ${rows}`);
  }
  return [rows, 1, 1];
}

/** LayerNorm of row `row` of x into out (WGSL body; x and out are row-major, d wide). */
function layerNormBody(d: number, eps: number): string {
  return `
  let base = row * ${d}u;
  var s = 0.0;
  for (var c = lid; c < ${d}u; c += ${THREADS}u) { s += f32(x[base + c]); }
  let mean = reduceSum(s, lid) / ${d}.0;
  var v = 0.0;
  for (var c = lid; c < ${d}u; c += ${THREADS}u) { let e = f32(x[base + c]) - mean; v += e * e; }
  let inv = inverseSqrt(reduceSum(v, lid) / ${d}.0 + ${eps.toExponential()});
  for (var c = lid; c < ${d}u; c += ${THREADS}u) {
    out[base + c] = T((f32(x[base + c]) - mean) * inv * g[c] + b[c]);
  }`;
}

/**
 * Embedding and the first LayerNorm of `rows` rows at positions state[0] + row:
 * `x = tok[ids[p]] + pos[p]` (ids clamped to the vocabulary, p to the context), `out = LN(x)`.
 * Bindings: 0 = state (u32), 1 = ids (u32), 2 = tok (vocab×d, f32), 3 = pos (ctx×d, f32),
 * 4 = x (rows×d), 5 = out (rows×d), 6 = g, 7 = b (d, f32).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const k = lmEmbedNormWgsl("f32", 3, 32, 96, 16, 1e-5);
 * assert.ok(k.code.includes("tok[") && k.grid[0] === 3);
 * ```
 */
export function lmEmbedNormWgsl(
  dtype: DType,
  rows: number,
  d: number,
  vocab: number,
  ctx: number,
  eps: number,
): OpKernel {
  const code = `${header(dtype)}${REDUCE}
@group(0) @binding(0) var<storage, read> state: array<u32>;
@group(0) @binding(1) var<storage, read> ids: array<u32>;
@group(0) @binding(2) var<storage, read> tok: array<f32>;
@group(0) @binding(3) var<storage, read> pos: array<f32>;
@group(0) @binding(4) var<storage, read_write> x: array<T>;
@group(0) @binding(5) var<storage, read_write> out: array<T>;
@group(0) @binding(6) var<storage, read> g: array<f32>;
@group(0) @binding(7) var<storage, read> b: array<f32>;
${MAIN}
  let row = wid.x;
  let p = min(state[0] + row, ${ctx - 1}u);
  let id = min(ids[p], ${vocab - 1}u);
  for (var c = lid; c < ${d}u; c += ${THREADS}u) {
    x[row * ${d}u + c] = T(tok[id * ${d}u + c] + pos[p * ${d}u + c]);
  }
${layerNormBody(d, eps)}
}
`;
  return { label: `lm-embed-ln-${dtype}-${rows}x${d}`, code, grid: groups(rows, "embedding") };
}

/**
 * Residual add and the next LayerNorm: `x += y + bias`, then `out = LN(x)` per row.
 * Bindings: 0 = x (rows×d), 1 = y (rows×d), 2 = bias (d, f32), 3 = out (rows×d), 4 = g, 5 = b.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(lmAddNormWgsl("f16", 1, 64, 1e-5).code.startsWith("enable f16;"));
 * ```
 */
export function lmAddNormWgsl(dtype: DType, rows: number, d: number, eps: number): OpKernel {
  const code = `${header(dtype)}${REDUCE}
@group(0) @binding(0) var<storage, read_write> x: array<T>;
@group(0) @binding(1) var<storage, read> y: array<T>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<T>;
@group(0) @binding(4) var<storage, read> g: array<f32>;
@group(0) @binding(5) var<storage, read> b: array<f32>;
${MAIN}
  let row = wid.x;
  for (var c = lid; c < ${d}u; c += ${THREADS}u) {
    let i = row * ${d}u + c;
    x[i] = T(f32(x[i]) + f32(y[i]) + bias[c]);
  }
${layerNormBody(d, eps)}
}
`;
  return { label: `lm-add-ln-${dtype}-${rows}x${d}`, code, grid: groups(rows, "residual") };
}

/**
 * Causal multi-head attention of `rows` query rows at positions p = state[0] + row against the
 * KV cache: query row p attends to positions 0 … p, `softmax_j(q·k_j/sqrt(hd))·v_j` per head
 * (max-subtracted, f32). q, k, v are the rows' raw linear products (rows×dim); their biases
 * (q's, k's and v's back to back, 3·dim) are added here. The workgroup of (row, head) stores its row's biased K and V (rounded to the
 * dtype) into the cache at position p; keys and values of positions before state[0] come from
 * the cache, those of this pass's rows from k and v (rounded the same way), so no workgroup
 * reads what another writes. Eight bindings (WebGPU's default storage-buffer limit): 0 = state,
 * 1 = q, 2 = k, 3 = v, 4 = bias (3·dim, f32), 5 = kCache, 6 = vCache (ctx×dim), 7 = out
 * (rows×dim).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const k = lmAttentionWgsl("f32", 8, 32, 2, 16);
 * assert.equal(k.grid[0], 16); // a workgroup per (row, head)
 * assert.ok(k.code.includes("array<f32, 32>")); // the scores of up to ctx positions
 * ```
 */
export function lmAttentionWgsl(
  dtype: DType,
  rows: number,
  ctx: number,
  heads: number,
  hd: number,
): OpKernel {
  const dim = heads * hd;
  const scale = 1 / Math.sqrt(hd);
  const fresh = (buf: string, bias: number, j: string) =>
    `f32(T(f32(${buf}[(${j} - base) * ${dim}u + c0 + c]) + bias[${bias}u + c0 + c]))`;
  const code = `${header(dtype)}${REDUCE}
@group(0) @binding(0) var<storage, read> state: array<u32>;
@group(0) @binding(1) var<storage, read> q: array<T>;
@group(0) @binding(2) var<storage, read> k: array<T>;
@group(0) @binding(3) var<storage, read> v: array<T>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
@group(0) @binding(5) var<storage, read_write> kc: array<T>;
@group(0) @binding(6) var<storage, read_write> vc: array<T>;
@group(0) @binding(7) var<storage, read_write> out: array<T>;
var<workgroup> sc: array<f32, ${ctx}>;
var<workgroup> qv: array<f32, ${hd}>;
${MAIN}
  let row = wid.x / ${heads}u;
  let c0 = (wid.x % ${heads}u) * ${hd}u;
  let base = state[0];
  let p = base + row;
  let seen = min(p + 1u, ${ctx}u);
  for (var c = lid; c < ${hd}u; c += ${THREADS}u) {
    let src = row * ${dim}u + c0 + c;
    if (p < ${ctx}u) {
      kc[p * ${dim}u + c0 + c] = T(f32(k[src]) + bias[${dim}u + c0 + c]);
      vc[p * ${dim}u + c0 + c] = T(f32(v[src]) + bias[${2 * dim}u + c0 + c]);
    }
    qv[c] = f32(q[src]) + bias[c0 + c];
  }
  workgroupBarrier();
  var mx = -3.0e38;
  for (var j = lid; j < seen; j += ${THREADS}u) {
    var dot = 0.0;
    if (j < base) {
      for (var c = 0u; c < ${hd}u; c++) { dot += qv[c] * f32(kc[j * ${dim}u + c0 + c]); }
    } else {
      for (var c = 0u; c < ${hd}u; c++) { dot += qv[c] * ${fresh("k", dim, "j")}; }
    }
    sc[j] = dot * ${scale};
    mx = max(mx, sc[j]);
  }
  mx = reduceMax(mx, lid);
  var sum = 0.0;
  for (var j = lid; j < seen; j += ${THREADS}u) {
    let e = exp(sc[j] - mx);
    sc[j] = e;
    sum += e;
  }
  sum = reduceSum(sum, lid);
  for (var c = lid; c < ${hd}u; c += ${THREADS}u) {
    var acc = 0.0;
    for (var j = 0u; j < seen; j++) {
      if (j < base) {
        acc += sc[j] * f32(vc[j * ${dim}u + c0 + c]);
      } else {
        acc += sc[j] * ${fresh("v", 2 * dim, "j")};
      }
    }
    out[row * ${dim}u + c0 + c] = T(acc / sum);
  }
}
`;
  return {
    label: `lm-attention-${dtype}-${rows}x${dim}h${heads}c${ctx}`,
    code,
    grid: groups(rows * heads, "attention"),
  };
}

/**
 * The head's bias on every row of logits (rows×vocab, in place), and greedy decoding on the
 * last row: its argmax (ties: the lowest id) is written to `ids[state[0] + rows]` and state[0]
 * advances by `rows`. Bindings: 0 = state (u32, read_write), 1 = ids (u32), 2 = logits,
 * 3 = bias (vocab, f32).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const k = lmArgmaxWgsl("f32", 4, 96);
 * assert.ok(k.code.includes("state[0] = p + 4u") && k.grid[0] === 4);
 * ```
 */
export function lmArgmaxWgsl(dtype: DType, rows: number, vocab: number): OpKernel {
  const code = `${header(dtype)}
var<workgroup> bestV: array<f32, ${THREADS}>;
var<workgroup> bestI: array<u32, ${THREADS}>;
@group(0) @binding(0) var<storage, read_write> state: array<u32>;
@group(0) @binding(1) var<storage, read_write> ids: array<u32>;
@group(0) @binding(2) var<storage, read_write> logits: array<T>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
${MAIN}
  let row = wid.x;
  var bv = -3.0e38;
  var bi = 0u;
  for (var c = lid; c < ${vocab}u; c += ${THREADS}u) {
    let i = row * ${vocab}u + c;
    let l = T(f32(logits[i]) + bias[c]);
    logits[i] = l;
    if (f32(l) > bv) { bv = f32(l); bi = c; }
  }
  if (row == ${rows - 1}u) {
    bestV[lid] = bv;
    bestI[lid] = bi;
    workgroupBarrier();
    for (var s = ${THREADS / 2}u; s > 0u; s = s >> 1u) {
      if (lid < s) {
        let ov = bestV[lid + s];
        let oi = bestI[lid + s];
        if (ov > bestV[lid] || (ov == bestV[lid] && oi < bestI[lid])) {
          bestV[lid] = ov;
          bestI[lid] = oi;
        }
      }
      workgroupBarrier();
    }
    if (lid == 0u) {
      let p = state[0];
      ids[p + ${rows}u] = bestI[0];
      state[0] = p + ${rows}u;
    }
  }
}
`;
  return { label: `lm-argmax-${dtype}-${rows}x${vocab}`, code, grid: groups(rows, "argmax") };
}

/**
 * Sets state[0] (the positions in the KV cache) to `position`: starts a prefill (0) or rewinds
 * a timed decode loop to the end of its prompt. Binding: 0 = state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(lmSetPositionWgsl(12).code.includes("state[0] = 12u"));
 * ```
 */
export function lmSetPositionWgsl(position: number): OpKernel {
  const code = `@group(0) @binding(0) var<storage, read_write> state: array<u32>;
@compute @workgroup_size(1)
fn main() {
  state[0] = ${position}u;
}
`;
  return { label: `lm-set-position-${position}`, code, grid: [1, 1, 1] };
}
