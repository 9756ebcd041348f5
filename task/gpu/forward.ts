/**
 * A trained model's forward pass through tilebench's WGSL kernels: the layers as a chain of
 * dispatches on one device, for a fixed batch of samples.
 *
 * Every linear runs through its kernel family's `plan` (dense, stl, sparse24, int4) reading the
 * previous step's buffer and writing its own; the non-linear parts are the small kernels of
 * `ops_wgsl.ts`: bias + ReLU/GELU after a linear, position embedding, residual adds (with the
 * branch's bias), LayerNorm, multi-head attention, mean pooling, ViT patch extraction, and the
 * per-sample row padding of STL layers whose samples' rows are not a multiple of t (the MLP:
 * each sample gets its own t-row block). The math is task/model/forward_cpu.ts's; activations
 * are stored in the dtype (f32 or f16) and every small kernel computes in f32.
 *
 * @module
 */

import {
  createStorageBuffer,
  decodeDtype,
  dtypeBytes,
  readBuffer,
  toDtypeArray,
} from "../../harness/gpu/buffers.ts";
import type { DType } from "../../harness/types.ts";
import { CLASSES, IMAGE_PIXELS, IMAGE_SIDE } from "../data/mnist.ts";
import type { LinearExport, ModelExport } from "../export.ts";
import {
  configFromRecord,
  LN_EPS,
  type MlpConfig,
  type VitConfig,
  vitTokens,
} from "../model/arch.ts";
import { prepareLinear, type PrepareLinearOptions } from "../prepare_linear.ts";
import {
  type Alloc,
  checkLinear,
  type GpuEnv,
  type LinearCheck,
  type LinearStep,
  planLinear,
} from "./linear.ts";
import { type OpStep, opStep } from "./op_step.ts";
import {
  attentionWgsl,
  biasActWgsl,
  layerNormWgsl,
  meanPoolWgsl,
  patchifyWgsl,
  posEmbedWgsl,
  residualWgsl,
} from "./ops_wgsl.ts";

/** Options of {@link buildGpuForward}. */
export interface GpuForwardOptions extends PrepareLinearOptions {
  /** Storage dtype of activations and weights (default f32). */
  dtype?: DType;
  /** Samples per forward pass (the M of the MLP's linears; tokens × batch in the ViT). */
  batch: number;
}

/**
 * A model planned on the device for one batch size.
 *
 * @example
 * ```ts ignore
 * const fwd = await buildGpuForward(env, model, { batch: 256 });
 * const logits = await fwd.run(images, 256);
 * fwd.destroy();
 * ```
 */
export interface GpuForward {
  batch: number;
  dtype: DType;
  /** Every step in execution order. */
  steps: OpStep[];
  /** The planned linears, in forward order. */
  linears: LinearStep[];
  /** Writes `count` ≤ batch images (count×784, [0, 1]) into the input; the rest are zeros. */
  upload(images: Float32Array, count: number): void;
  /** Records the whole forward pass (every step) into `pass`: what latency measures. */
  dispatch(pass: GPUComputePassEncoder): void;
  /** Runs the forward pass on `count` images and returns their count×10 logits. */
  run(images: Float32Array, count: number): Promise<Float32Array>;
  /**
   * Runs the forward pass step by step on `count` images, checking every linear's kernel output
   * against its family's f64 reference on the real activations; returns the logits too.
   */
  runChecked(
    images: Float32Array,
    count: number,
    seed: number,
  ): Promise<{ logits: Float32Array; checks: LinearCheck[] }>;
  destroy(): void;
}

/** What the builders share while planning. */
interface Builder {
  env: GpuEnv;
  dtype: DType;
  alloc: Alloc;
  steps: OpStep[];
  linears: LinearStep[];
  layers: Map<string, LinearExport>;
  opts: GpuForwardOptions;
}

function zeros(n: number): Float32Array {
  return new Float32Array(n);
}

/** Plans a linear (weights prepared from the export) and appends its steps. */
async function linear(
  bd: Builder,
  name: string,
  rows: number,
  rowsPerSample: number,
  input: GPUBuffer,
): Promise<{ y: GPUBuffer; bias: GPUBuffer; layer: LinearExport }> {
  const layer = bd.layers.get(name);
  if (!layer) throw new RangeError(`layers: ${name} missing from the export`);
  const prepared = prepareLinear(layer, bd.dtype, bd.opts);
  const r = await planLinear(bd.env, bd.alloc, prepared, bd.dtype, rows, rowsPerSample, input);
  bd.steps.push(...r.steps);
  bd.linears.push(r.linear);
  const bias = bd.alloc(`${name}:bias`, layer.bias ?? zeros(layer.n));
  return { y: r.output, bias, layer };
}

async function step(bd: Builder, k: Parameters<typeof opStep>[1], buffers: GPUBuffer[]) {
  bd.steps.push(await opStep(bd.env, k, buffers));
}

function tensor(m: ModelExport, name: string): Float32Array {
  const t = m.tensors[name];
  if (!t) throw new RangeError(`tensors.${name}: missing from the ${m.arch} export`);
  return t.data;
}

/** The MLP: x → ReLU(fc1) → … → head. Returns the input and logits buffers. */
async function buildMlp(bd: Builder, c: MlpConfig, batch: number) {
  const b = dtypeBytes(bd.dtype);
  const input = bd.alloc("images", batch * IMAGE_PIXELS * b);
  let x = input;
  for (let i = 1; i <= c.depth; i++) {
    const l = await linear(bd, `fc${i}`, batch, 1, x);
    await step(bd, biasActWgsl(bd.dtype, batch, l.layer.n, "relu"), [l.y, l.bias]);
    x = l.y;
  }
  const head = await linear(bd, "head", batch, 1, x);
  await step(bd, biasActWgsl(bd.dtype, batch, CLASSES, "none"), [head.y, head.bias]);
  return { input, inputF32: false, logits: head.y };
}

/** The ViT: patches → embed + pos → blocks → LN → mean over tokens → head. */
async function buildVit(bd: Builder, m: ModelExport, c: VitConfig, batch: number) {
  const { dtype, alloc } = bd;
  const b = dtypeBytes(dtype);
  const tokens = vitTokens(c);
  const rows = batch * tokens;
  const d = c.dim;
  const input = alloc("images", batch * IMAGE_PIXELS * 4);
  const patches = alloc("patches", rows * c.patch * c.patch * b);
  await step(bd, patchifyWgsl(dtype, batch, c.patch, IMAGE_SIDE), [input, patches]);
  const emb = await linear(bd, "patch", rows, tokens, patches);
  const pos = alloc("pos", tensor(m, "pos"));
  await step(bd, posEmbedWgsl(dtype, rows, d, tokens), [emb.y, emb.bias, pos]);
  const x = emb.y; // the residual stream, updated in place
  const ln = async (prefix: string) => {
    const out = alloc(`${prefix}:out`, rows * d * b);
    const g = alloc(`${prefix}.g`, tensor(m, `${prefix}.g`));
    const bb = alloc(`${prefix}.b`, tensor(m, `${prefix}.b`));
    await step(bd, layerNormWgsl(dtype, rows, d, LN_EPS), [x, out, g, bb]);
    return out;
  };
  const biased = async (name: string, input: GPUBuffer) => {
    const l = await linear(bd, name, rows, tokens, input);
    await step(bd, biasActWgsl(dtype, rows, l.layer.n, "none"), [l.y, l.bias]);
    return l.y;
  };
  for (let i = 0; i < c.depth; i++) {
    const p = `blocks.${i}`;
    const h = await ln(`${p}.ln1`);
    const q = await biased(`${p}.attn.q`, h);
    const k = await biased(`${p}.attn.k`, h);
    const v = await biased(`${p}.attn.v`, h);
    const att = alloc(`${p}.attn:out`, rows * d * b);
    await step(bd, attentionWgsl(dtype, rows, tokens, d, c.heads), [q, k, v, att]);
    const o = await linear(bd, `${p}.attn.o`, rows, tokens, att);
    await step(bd, residualWgsl(dtype, rows, d), [x, o.y, o.bias]);
    const h2 = await ln(`${p}.ln2`);
    const f1 = await linear(bd, `${p}.mlp.fc1`, rows, tokens, h2);
    await step(bd, biasActWgsl(dtype, rows, c.mlp, "gelu"), [f1.y, f1.bias]);
    const f2 = await linear(bd, `${p}.mlp.fc2`, rows, tokens, f1.y);
    await step(bd, residualWgsl(dtype, rows, d), [x, f2.y, f2.bias]);
  }
  const hf = await ln("ln");
  const pooled = alloc("pooled", batch * d * b);
  await step(bd, meanPoolWgsl(dtype, batch, tokens, d), [hf, pooled]);
  const head = await linear(bd, "head", batch, 1, pooled);
  await step(bd, biasActWgsl(dtype, batch, CLASSES, "none"), [head.y, head.bias]);
  return { input, inputF32: true, logits: head.y };
}

/**
 * Plans `model` on the device for `opts.batch` samples: prepares every linear in its family's
 * format, plans its kernel and the small kernels between, and returns the chain.
 *
 * @example
 * ```ts ignore
 * const fwd = await buildGpuForward({ device, features, pipelines }, model, { batch: 1 });
 * ```
 */
export async function buildGpuForward(
  env: GpuEnv,
  model: ModelExport,
  opts: GpuForwardOptions,
): Promise<GpuForward> {
  const dtype = opts.dtype ?? "f32";
  const batch = opts.batch;
  if (!(Number.isInteger(batch) && batch >= 1)) {
    throw new RangeError(`batch: must be an integer ≥ 1, got ${batch}`);
  }
  const owned: GPUBuffer[] = [];
  const alloc: Alloc = (label, data) => {
    const buf = createStorageBuffer(env.device, label, data);
    owned.push(buf);
    return buf;
  };
  const bd: Builder = {
    env,
    dtype,
    alloc,
    steps: [],
    linears: [],
    layers: new Map(model.layers.map((l) => [l.name, l])),
    opts,
  };
  const destroy = () => {
    for (const l of bd.linears) l.plan.destroy();
    for (const buf of owned) buf.destroy();
  };
  let io: { input: GPUBuffer; inputF32: boolean; logits: GPUBuffer };
  try {
    const c = configFromRecord(model.arch, model.config);
    if (c.arch === "lm") throw new RangeError("arch: lm runs through its own prefill and decode");
    io = c.arch === "mlp" ? await buildMlp(bd, c, batch) : await buildVit(bd, model, c, batch);
  } catch (e) {
    destroy();
    throw e;
  }
  const { device } = env;
  const b = dtypeBytes(dtype);
  const upload = (images: Float32Array, count: number) => {
    if (!(count >= 0 && count <= batch)) {
      throw new RangeError(`count: ${count} images do not fit a batch of ${batch}`);
    }
    const all = new Float32Array(batch * IMAGE_PIXELS);
    all.set(images.subarray(0, count * IMAGE_PIXELS));
    const data = io.inputF32 ? all : toDtypeArray(all, dtype);
    device.queue.writeBuffer(
      io.input,
      0,
      data.buffer as ArrayBuffer,
      data.byteOffset,
      data.byteLength,
    );
  };
  const dispatch = (pass: GPUComputePassEncoder) => {
    for (const s of bd.steps) s.dispatch(pass);
  };
  const readLogits = async (count: number) =>
    decodeDtype(await readBuffer(device, io.logits, batch * CLASSES * b), dtype, batch * CLASSES)
      .slice(0, count * CLASSES);
  const submit = (steps: OpStep[]) => {
    const enc = device.createCommandEncoder({ label: "forward" });
    const pass = enc.beginComputePass({ label: "forward" });
    for (const s of steps) s.dispatch(pass);
    pass.end();
    device.queue.submit([enc.finish()]);
  };
  return {
    batch,
    dtype,
    steps: bd.steps,
    linears: bd.linears,
    upload,
    dispatch,
    async run(images, count) {
      upload(images, count);
      submit(bd.steps);
      return await readLogits(count);
    },
    async runChecked(images, count, seed) {
      upload(images, count);
      const checks: LinearCheck[] = [];
      // A linear's kernel step is the step whose label names it; check right after it ran.
      const byLabel = new Map(bd.linears.map((l) => [`${l.name} (${l.op})`, l]));
      for (const s of bd.steps) {
        submit([s]);
        const l = byLabel.get(s.label);
        if (l) checks.push(await checkLinear(env, l, dtype, seed));
      }
      return { logits: await readLogits(count), checks };
    },
    destroy,
  };
}
