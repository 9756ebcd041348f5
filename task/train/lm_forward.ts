/**
 * The `lm` forward pass in tfjs (task/model/lm_forward_cpu.ts is the definition): token ids
 * [B, L] → next-token logits [B·L, vocab]. The token embedding is a one-hot product with `tok`
 * (differentiable on every backend); every linear sees its rows one token a sample
 * ([B·L, 1, K]: an STL layer zero-pads each token to its own t-row block, so no position sees a
 * later one); attention adds −1e9 above the diagonal before the softmax.
 *
 * @module
 */

import { tf } from "./tf.ts";
import type { LmConfig } from "../model/arch.ts";
import type { TfLinear } from "./layers.ts";

type Tensor = tf.Tensor;

const masks = new Map<number, Tensor>();

/** The additive causal mask [L, L]: 0 on and below the diagonal, −1e9 above (kept per L). */
function causalMask(len: number): Tensor {
  let m = masks.get(len);
  if (!m || m.isDisposed) {
    const data = new Float32Array(len * len);
    for (let i = 0; i < len; i++) for (let j = i + 1; j < len; j++) data[i * len + j] = -1e9;
    m = tf.keep(tf.tensor2d(data, [len, len]));
    masks.set(len, m);
  }
  return m;
}

/**
 * Logits [B·L, vocab] of token ids [B, L] (int32, L ≤ ctx); `lin` and `ten` give the model's
 * linears and tensors by name. Call inside `tf.tidy`.
 *
 * @example
 * ```ts ignore
 * const logits = lmForwardTf(config, lin, ten, tf.tensor2d(ids, [b, len], "int32"));
 * ```
 */
export function lmForwardTf(
  c: LmConfig,
  lin: (name: string) => TfLinear,
  ten: (name: string) => Tensor,
  ids: Tensor,
  layerNorm: (x: Tensor, g: Tensor, b: Tensor) => Tensor,
  gelu: (x: Tensor) => Tensor,
): Tensor {
  const [b, len] = ids.shape as [number, number];
  if (len > c.ctx) throw new RangeError(`ids: ${len} positions exceed ctx ${c.ctx}`);
  const rows = b * len;
  const d = c.dim;
  const hd = d / c.heads;
  // oneHot's float32 dtype writes integer bits on tfjs-wasm 4.22: cast its int32 result instead.
  const oneHot = tf.cast(tf.oneHot(tf.reshape(ids, [rows]) as tf.Tensor1D, c.vocab), "float32");
  const emb = tf.reshape(tf.matMul(oneHot, ten("tok") as tf.Tensor2D), [b, len, d]);
  let x = tf.add(emb, tf.slice(ten("pos"), [0, 0], [len, d]));
  const rowwise = (name: string, v: Tensor) => {
    const l = lin(name);
    return tf.reshape(l.apply(tf.reshape(v, [rows, 1, l.k])), [b, len, l.n]);
  };
  const heads = (t: Tensor) => tf.transpose(tf.reshape(t, [b, len, c.heads, hd]), [0, 2, 1, 3]);
  const mask = causalMask(len);
  for (let i = 0; i < c.depth; i++) {
    const p = `blocks.${i}`;
    const h = layerNorm(x, ten(`${p}.ln1.g`), ten(`${p}.ln1.b`));
    const q = heads(rowwise(`${p}.attn.q`, h));
    const k = heads(rowwise(`${p}.attn.k`, h));
    const v = heads(rowwise(`${p}.attn.v`, h));
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(hd)), mask);
    const att = tf.matMul(tf.softmax(scores, -1), v); // [b, heads, len, hd]
    const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [b, len, d]);
    x = tf.add(x, rowwise(`${p}.attn.o`, merged));
    const h2 = layerNorm(x, ten(`${p}.ln2.g`), ten(`${p}.ln2.b`));
    x = tf.add(x, rowwise(`${p}.mlp.fc2`, gelu(rowwise(`${p}.mlp.fc1`, h2))));
  }
  x = layerNorm(x, ten("ln.g"), ten("ln.b"));
  return tf.reshape(rowwise("head", x), [rows, c.vocab]);
}
