/**
 * The CPU forward pass of the `lm` architecture (task/model/arch.ts), in f64: THE definition of
 * the language model's math (the tfjs training graph and the WGSL prefill/decode match it).
 *
 * For `count` sequences of `len` token ids (sample-major, len ≤ ctx):
 * `x = tok[id] + pos[p]` (p = 0 … len − 1); per block `x += o(attn(LN1(x)))` with causal
 * attention (position p attends to positions 0 … p of its sequence, `softmax(q·kᵀ/sqrt(d))`,
 * d = dim/heads, heads on consecutive d columns), `x += fc2(GELU(fc1(LN2(x))))`; then
 * `LN(x)` and `logits = head(x)` at every position: count·len rows of vocab logits, row
 * `s·len + p` predicting the token after position p of sequence s. LayerNorm and GELU are
 * forward_cpu.ts's. Every linear sees its rows one token a sample (`rowsPerSample` 1: an STL
 * tile holds one real row and t − 1 zero rows), so a position never sees a later one.
 *
 * @module
 */

import type { ModelExport } from "../export.ts";
import { configFromRecord, type LmConfig } from "./arch.ts";
import {
  applier,
  attentionCpu,
  gelu,
  type InputHook,
  layerNormCpu,
  tensor,
} from "./forward_cpu.ts";

/**
 * The export's configuration as an LM configuration (throws when it is another architecture).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const m = { arch: "lm", config: { vocab: 8, ctx: 4, dim: 4, depth: 1, heads: 2, mlp: 8 }, layers: [], tensors: {} };
 * assert.equal(lmConfigOf(m).vocab, 8);
 * ```
 */
export function lmConfigOf(m: ModelExport): LmConfig {
  const c = configFromRecord(m.arch, m.config);
  if (c.arch !== "lm") throw new RangeError(`arch: must be lm, got ${m.arch}`);
  return c;
}

/**
 * The next-token logits (count·len × vocab, f64) of `count` sequences of `len` token ids
 * (`ids` sample-major, at least count·len long; 1 ≤ len ≤ ctx); `hook` sees every linear's
 * input (the calibration rows of Wanda and AWQ).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomExport } from "../convert.ts";
 * const m = randomExport({ arch: "lm", vocab: 11, ctx: 6, dim: 8, depth: 2, heads: 2, mlp: 16 }, 1);
 * const ids = Int32Array.from([3, 1, 4, 1, 5, 9]);
 * const all = lmForwardCpu(m, ids, 1, 6);
 * assert.equal(all.length, 6 * 11);
 * // causal: the logits of the first 3 positions ignore the later tokens
 * const prefix = lmForwardCpu(m, ids.subarray(0, 3), 1, 3);
 * for (let i = 0; i < prefix.length; i++) assert.ok(Math.abs(prefix[i]! - all[i]!) < 1e-12);
 * ```
 */
export function lmForwardCpu(
  m: ModelExport,
  ids: Int32Array,
  count: number,
  len: number,
  hook: InputHook | null = null,
): Float64Array {
  const c = lmConfigOf(m);
  if (!(Number.isInteger(len) && len >= 1 && len <= c.ctx)) {
    throw new RangeError(`len: must be an integer in 1…${c.ctx} (ctx), got ${len}`);
  }
  if (!(Number.isInteger(count) && count >= 0) || ids.length < count * len) {
    throw new RangeError(`ids: ${ids.length} ids do not hold ${count} sequences of ${len}`);
  }
  const apply = applier(m, hook);
  const rows = count * len;
  const d = c.dim;
  const tok = tensor(m, "tok");
  const pos = tensor(m, "pos");
  let x: Float64Array = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) {
    const id = ids[i]!;
    if (!(id >= 0 && id < c.vocab)) {
      throw new RangeError(`ids[${i}]: must be a token id in 0…${c.vocab - 1}, got ${id}`);
    }
    const p = i % len;
    for (let j = 0; j < d; j++) x[i * d + j] = tok[id * d + j]! + pos[p * d + j]!;
  }
  const lin = (name: string, v: Float64Array) => apply(name, v, rows, 1);
  for (let b = 0; b < c.depth; b++) {
    const p = `blocks.${b}`;
    const h = layerNormCpu(x, rows, d, tensor(m, `${p}.ln1.g`), tensor(m, `${p}.ln1.b`));
    const att = attentionCpu(
      lin(`${p}.attn.q`, h),
      lin(`${p}.attn.k`, h),
      lin(`${p}.attn.v`, h),
      rows,
      len,
      d,
      c.heads,
      true,
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
  return lin("head", x);
}

/**
 * Every linear layer's inputs (f32, rows×K) in LM `m` on `count` sequences of `len` ids: the
 * calibration rows of Wanda and AWQ (one row a token). Pass training text only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomExport } from "../convert.ts";
 * const m = randomExport({ arch: "lm", vocab: 8, ctx: 4, dim: 8, depth: 1, heads: 2, mlp: 16 }, 1);
 * const c = lmCalibrationInputs(m, Int32Array.from([1, 2, 3, 4, 5, 6]), 2, 3);
 * assert.equal(c.get("blocks.0.mlp.fc2")!.rows, 6);
 * assert.equal(c.get("blocks.0.mlp.fc2")!.x.length, 6 * 16);
 * ```
 */
export function lmCalibrationInputs(
  m: ModelExport,
  ids: Int32Array,
  count: number,
  len: number,
): Map<string, { x: Float32Array; rows: number }> {
  const out = new Map<string, { x: Float32Array; rows: number }>();
  lmForwardCpu(m, ids, count, len, (name, x, rows) => {
    out.set(name, { x: Float32Array.from(x), rows });
  });
  return out;
}

/**
 * Mean cross-entropy (nats a token) of next-token logits (rows × vocab) against the targets,
 * skipping rows whose target is negative; perplexity is its exponential.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const logits = new Float64Array([0, 0, 5, -5]);
 * const ce = crossEntropy(logits, Int32Array.from([1, -1]), 2);
 * assert.ok(Math.abs(ce - Math.log(2)) < 1e-12); // uniform over 2, the second row skipped
 * ```
 */
export function crossEntropy(
  logits: ArrayLike<number>,
  targets: Int32Array,
  vocab: number,
): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    if (t < 0) continue;
    let mx = -Infinity;
    for (let v = 0; v < vocab; v++) mx = Math.max(mx, logits[i * vocab + v]!);
    let s = 0;
    for (let v = 0; v < vocab; v++) s += Math.exp(logits[i * vocab + v]! - mx);
    sum += mx + Math.log(s) - logits[i * vocab + t]!;
    n++;
  }
  if (n === 0) throw new RangeError("targets: no target ≥ 0 to score");
  return sum / n;
}
