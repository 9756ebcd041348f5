/**
 * A task model in tfjs, built from a {@link ModelExport} (every parameter a tfjs variable) with
 * the forward pass of task/model/forward_cpu.ts, and exported back.
 *
 * @module
 */

import { tf } from "./tf.ts";
import type { ModelExport } from "../export.ts";
import {
  configFromRecord,
  configRecord,
  linearSpecs,
  type ModelConfig,
  tensorSpecs,
  vitTokens,
} from "../model/arch.ts";
import { IMAGE_SIDE } from "../data/mnist.ts";
import { buildLinear, type LinearOptions, type TfLinear } from "./layers.ts";
import { lmForwardTf } from "./lm_forward.ts";
import { geluTf, layerNormTf as layerNorm } from "./norm_act.ts";

type Tensor = tf.Tensor;

/**
 * A model whose parameters live in tfjs variables.
 *
 * @example
 * ```ts ignore
 * const m = buildTfModel(exported, { trainable: true, mask: "fixed", maskEvery: 100 });
 * const logits = m.forward(images); // [B, 784] -> [B, 10]; an LM: ids [B, L] -> [B·L, vocab]
 * ```
 */
export interface TfModel {
  config: ModelConfig;
  linears: Map<string, TfLinear>;
  tensors: Map<string, tf.Variable>;
  /** Logits [B, 10] of images [B, 784]; an LM's next-token logits [B·L, vocab] of ids [B, L]. */
  forward(input: Tensor): Tensor;
  /** Every trainable variable. */
  variables(): tf.Variable[];
  afterStep(step: number): Promise<void>;
  /** The model as an export (reads every variable back asynchronously). */
  toExport(): Promise<ModelExport>;
  dispose(): void;
}

/**
 * Builds the tfjs model of an export. Throws naming the layer or tensor that is missing.
 *
 * @example
 * ```ts ignore
 * const m = buildTfModel(exported, { trainable: false, mask: "fixed", maskEvery: 1 });
 * ```
 */
export function buildTfModel(m: ModelExport, o: LinearOptions): TfModel {
  const config = configFromRecord(m.arch, m.config);
  const by = new Map(m.layers.map((l) => [l.name, l]));
  const linears = new Map<string, TfLinear>();
  for (const spec of linearSpecs(config)) {
    const l = by.get(spec.name);
    if (!l) throw new RangeError(`layers: ${spec.name} missing from the ${m.arch} export`);
    linears.set(spec.name, buildLinear(l, o));
  }
  const tensors = new Map<string, tf.Variable>();
  for (const [name, shape] of Object.entries(tensorSpecs(config))) {
    const t = m.tensors[name];
    if (!t) throw new RangeError(`tensors.${name}: missing from the ${m.arch} export`);
    tensors.set(name, tf.tidy(() => tf.variable(tf.tensor(t.data, shape, "float32"), o.trainable)));
  }
  const lin = (name: string) => linears.get(name)!;
  const ten = (name: string) => tensors.get(name)!;

  const forward = (images: Tensor): Tensor => {
    const b = images.shape[0]!;
    if (config.arch === "mlp") {
      let x: Tensor = tf.reshape(images, [b, 1, images.shape[1]!]);
      for (const spec of linearSpecs(config)) {
        x = lin(spec.name).apply(x);
        if (spec.name !== "head") x = tf.relu(x);
      }
      return tf.reshape(x, [b, x.shape[2]!]);
    }
    const c = config;
    if (c.arch === "lm") return lmForwardTf(c, lin, ten, images, layerNorm, geluTf);
    const side = IMAGE_SIDE / c.patch;
    const tokens = vitTokens(c);
    const patches = tf.reshape(
      tf.transpose(tf.reshape(images, [b, side, c.patch, side, c.patch]), [0, 1, 3, 2, 4]),
      [b, tokens, c.patch * c.patch],
    );
    let x = tf.add(lin("patch").apply(patches), ten("pos"));
    const d = c.dim / c.heads;
    const heads = (t: Tensor) => tf.transpose(tf.reshape(t, [b, tokens, c.heads, d]), [0, 2, 1, 3]);
    for (let i = 0; i < c.depth; i++) {
      const p = `blocks.${i}`;
      const h = layerNorm(x, ten(`${p}.ln1.g`), ten(`${p}.ln1.b`));
      const q = heads(lin(`${p}.attn.q`).apply(h));
      const k = heads(lin(`${p}.attn.k`).apply(h));
      const v = heads(lin(`${p}.attn.v`).apply(h));
      const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d));
      const att = tf.matMul(tf.softmax(scores, -1), v); // [b, heads, tokens, d]
      const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [b, tokens, c.dim]);
      x = tf.add(x, lin(`${p}.attn.o`).apply(merged));
      const h2 = layerNorm(x, ten(`${p}.ln2.g`), ten(`${p}.ln2.b`));
      const f = lin(`${p}.mlp.fc2`).apply(geluTf(lin(`${p}.mlp.fc1`).apply(h2)));
      x = tf.add(x, f);
    }
    x = layerNorm(x, ten("ln.g"), ten("ln.b"));
    const pooled = tf.mean(x, 1, true); // [b, 1, dim]
    return tf.reshape(lin("head").apply(pooled), [b, -1]);
  };

  return {
    config,
    linears,
    tensors,
    forward,
    variables: () => [
      ...[...linears.values()].flatMap((l) => l.variables),
      ...tensors.values(),
    ],
    afterStep: async (step) => {
      for (const l of linears.values()) await l.afterStep(step);
    },
    toExport: async () => {
      const { arch, ...rest } = configRecord(config);
      const layers = [];
      for (const l of linears.values()) layers.push(await l.toExport());
      const out: ModelExport = { arch: String(arch), config: rest, layers, tensors: {} };
      for (const [name, v] of tensors) {
        out.tensors[name] = {
          shape: [...v.shape],
          data: Float32Array.from(await v.data() as Float32Array),
        };
      }
      return out;
    },
    dispose: () => {
      linears.forEach((l) => l.dispose());
      tensors.forEach((v) => v.dispose());
    },
  };
}
