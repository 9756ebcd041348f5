/**
 * What every tfjs operator layer shares: the layer interface, its options, and small helpers
 * (variables, the batched product, bias, read-back, the straight-through estimator).
 *
 * @module
 */

import { tf } from "./tf.ts";
import type { LinearExport } from "../export.ts";

type Tensor = tf.Tensor;

/** How a sparse24 layer keeps its mask while training. */
export type MaskPolicy = "fixed" | "ste";

/**
 * Options of {@link buildLinear}.
 *
 * @example
 * ```ts
 * const o: LinearOptions = { trainable: true, mask: "fixed", maskEvery: 100 };
 * ```
 */
export interface LinearOptions {
  /** Variables that learn (false: an evaluation copy). */
  trainable: boolean;
  /** sparse24 mask policy while training. */
  mask: MaskPolicy;
  /** sparse24 `ste`: steps between mask updates. */
  maskEvery: number;
}

/**
 * A linear layer of a tfjs model.
 *
 * @example
 * ```ts ignore
 * const y = layer.apply(x); // [B, S, K] -> [B, S, N]
 * ```
 */
export interface TfLinear {
  name: string;
  k: number;
  n: number;
  op: LinearExport["op"];
  apply(x: Tensor): Tensor;
  variables: tf.Variable[];
  /** Called after every optimiser step (1-based). */
  afterStep(step: number): Promise<void>;
  /** The layer in the export format (reads the variables back, asynchronously: WebGPU has no
   * synchronous read under Deno). */
  toExport(): Promise<LinearExport>;
  dispose(): void;
}

/** A tfjs variable of `data` in `shape`. */
export function variable(data: Float32Array, shape: number[], trainable: boolean): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(data, shape, "float32"), trainable));
}

/**
 * x [B, S, K] · w [K, N] (+ bias [N]) → [B, S, N]. The bias is added by the product's own kernel
 * (tfjs's fused matMul: the same sum, one kernel launch instead of two, and its gradient is the
 * add's).
 */
export function matmul3(x: Tensor, w: Tensor, bias: Tensor | null = null): Tensor {
  const [b, s, k] = x.shape as [number, number, number];
  const n = w.shape[1]!;
  const a = tf.reshape(x, [b * s, k]) as tf.Tensor2D;
  const y = bias
    ? tf.fused.matMul({ a, b: w as tf.Tensor2D, bias })
    : tf.matMul(a, w as tf.Tensor2D);
  return tf.reshape(y, [b, s, n]);
}

/** y + bias (y unchanged without one). */
export function addBias(y: Tensor, bias: tf.Variable | null): Tensor {
  return bias ? tf.add(y, bias) : y;
}

/** The layer's bias as a variable, or null. */
export function biasOf(l: LinearExport, trainable: boolean): tf.Variable | null {
  return l.bias ? variable(l.bias, [l.n], trainable) : null;
}

/** A variable's values, copied. */
export async function read(v: tf.Variable): Promise<Float32Array> {
  return Float32Array.from(await v.data() as Float32Array);
}

/** `out` with the bias variable's values read back into it. */
export async function withBias(out: LinearExport, bias: tf.Variable | null): Promise<LinearExport> {
  if (bias) out.bias = await read(bias);
  return out;
}

/** y = x + (f(x) − x) with a straight-through gradient: forward f(x), backward identity. */
export function straightThrough(x: Tensor, f: (x: Tensor) => Tensor): Tensor {
  const op = tf.customGrad((a) => {
    const v = a as Tensor;
    return { value: f(v), gradFunc: (dy) => dy as Tensor };
  });
  return op(x) as Tensor;
}
