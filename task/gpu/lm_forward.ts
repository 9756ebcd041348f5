/**
 * The language model's forward pass through tilebench's WGSL kernels: a prefill of the prompt's
 * L tokens as one batch of L rows, and KV-cached decode steps of one row (M = 1: the families'
 * GEMV paths), with greedy decoding on the device.
 *
 * Every linear (q, k, v, o, fc1, fc2 of every block, and the dense head) runs through its kernel
 * family's plan exactly as in the vision models (task/gpu/linear.ts: STL gives every token its
 * own zero-padded t-row block, `rowsPerSample` 1; a decode step keeps the blocks without
 * copies except before fc2). The rest are the small kernels of lm_wgsl.ts and ops_wgsl.ts,
 * fused where simple: embedding + LN1, attention (q/k/v biases, KV-cache write, causal
 * softmax), residual + next LN, bias + GELU, head bias + argmax. A block is 6 linears and 4
 * small kernels; a pass adds the embedding, the head and its argmax.
 *
 * The sequence lives on the device (lm_wgsl.ts): a pass reads its start position from a state
 * buffer, reads its tokens from the device's id buffer, writes K and V into each layer's cache
 * (ctx rows) and ends by appending the greedy next token and advancing the position. So a
 * prefill and N − 1 decode steps are recorded into one command buffer and submitted once; the
 * generated ids are read back once at the end. What is synchronised with the CPU: uploads of the
 * prompt (and of teacher-forced tokens in {@link LmGpu.decodeStep}), and every readback
 * (logits, ids), which waits for all work submitted before it.
 *
 * @module
 */

import {
  createStorageBuffer,
  decodeDtype,
  dtypeBytes,
  readBuffer,
} from "../../harness/gpu/buffers.ts";
import type { DType } from "../../harness/types.ts";
import type { Workload } from "../../harness/measure/workload.ts";
import { type LinearExport, type ModelExport, stlRows } from "../export.ts";
import { type LmConfig, LN_EPS } from "../model/arch.ts";
import { lmConfigOf } from "../model/lm_forward_cpu.ts";
import { prepareLinear, type PrepareLinearOptions } from "../prepare_linear.ts";
import {
  type Alloc,
  checkLinear,
  type GpuEnv,
  type LinearCheck,
  type LinearStep,
  planLinear,
} from "./linear.ts";
import {
  lmAddNormWgsl,
  lmArgmaxWgsl,
  lmAttentionWgsl,
  lmEmbedNormWgsl,
  lmSetPositionWgsl,
} from "./lm_wgsl.ts";
import { type OpStep, opStep } from "./op_step.ts";
import { biasActWgsl } from "./ops_wgsl.ts";

/** Options of {@link buildLmGpu}. */
export interface LmGpuOptions extends PrepareLinearOptions {
  /** Storage dtype of activations, KV cache and weights (default f32). */
  dtype?: DType;
}

/** A step of a pass, tagged linear (a family's kernel, with its STL row padding) or not. */
export interface LmStep extends OpStep {
  /** "linear": a linear layer's kernel (or its STL row padding); "other": a small kernel. */
  part: "linear" | "other";
}

/** A planned pass over a fixed number of rows (a prefill of that length, or a decode step). */
export interface LmPass {
  rows: number;
  steps: LmStep[];
  /** The planned linears in forward order. */
  linears: LinearStep[];
  /** rows×vocab logits (the head's bias added by the argmax step). */
  logits: GPUBuffer;
}

/**
 * The LM planned on one device: its KV cache, its sequence state and its passes.
 *
 * @example
 * ```ts ignore
 * const lm = await buildLmGpu(env, model);
 * const logits = await lm.prefill(Int32Array.from([1, 2, 3])); // 3×vocab
 * const next = await lm.decodeStep(); // 1×vocab, at position 3, on the greedy token
 * const { ids } = await lm.generate(Int32Array.from([1, 2, 3]), 16);
 * lm.destroy();
 * ```
 */
export interface LmGpu {
  config: LmConfig;
  dtype: DType;
  /** The decode step's pass (one row). */
  decode: LmPass;
  /** The prefill pass of `len` tokens (planned on first use, then kept). */
  prefillPass(len: number): Promise<LmPass>;
  /** Positions in the KV cache (what the next decode step processes), as the CPU tracks it. */
  position(): number;
  /**
   * Runs the prompt (1…ctx ids) from position 0 as one pass; returns every position's logits
   * (len×vocab). The greedy next token is appended on the device.
   */
  prefill(ids: Int32Array): Promise<Float32Array>;
  /**
   * {@link prefill} one step at a time, checking every linear's kernel output against its
   * family's f64 reference on the real activations (sampled rows).
   */
  prefillChecked(
    ids: Int32Array,
    seed: number,
  ): Promise<{ logits: Float32Array; checks: LinearCheck[] }>;
  /**
   * One decode step at the current position on the token already in the sequence (the greedy
   * one), or on `force` (teacher forcing). Returns its 1×vocab logits. Throws when the
   * sequence fills the context.
   */
  decodeStep(force?: number): Promise<Float32Array>;
  /**
   * Greedy generation: the prompt's prefill and then decode steps, recorded into one command
   * buffer and submitted once; the ids are read back once. Generates `tokens` ids or as many as
   * fit the context (prompt + generated ≤ ctx), and says whether the context stopped it.
   */
  generate(prompt: Int32Array, tokens: number): Promise<{ ids: Int32Array; stoppedAtCtx: boolean }>;
  /**
   * The prefill of `len` tokens as a workload (from position 0, on the ids on the device: run
   * {@link prefill} first so they hold the prompt).
   */
  prefillWorkload(len: number): Promise<Workload>;
  /**
   * `steps` decode steps from position `from` as one workload (rewinding to `from` first, so
   * every execution does the same work); `part` keeps only the linears' or only the other
   * steps. Run a prefill of `from` tokens first so the cache and ids hold its prompt.
   */
  decodeWorkload(from: number, steps: number, part?: "all" | "linear" | "other"): Promise<Workload>;
  destroy(): void;
}

/** What the passes share: the model's tensors, the KV cache and the sequence state. */
interface Shared {
  env: GpuEnv;
  model: ModelExport;
  c: LmConfig;
  dtype: DType;
  opts: LmGpuOptions;
  alloc: Alloc;
  layers: Map<string, LinearExport>;
  /** f32 tensors and biases on the device, by name. */
  params: Map<string, GPUBuffer>;
  state: GPUBuffer;
  ids: GPUBuffer;
  kCache: GPUBuffer[];
  vCache: GPUBuffer[];
}

function param(sh: Shared, name: string, data: () => Float32Array): GPUBuffer {
  let b = sh.params.get(name);
  if (!b) {
    b = sh.alloc(name, data());
    sh.params.set(name, b);
  }
  return b;
}

function tensorBuf(sh: Shared, name: string): GPUBuffer {
  return param(sh, name, () => {
    const t = sh.model.tensors[name];
    if (!t) throw new RangeError(`tensors.${name}: missing from the lm export`);
    return t.data;
  });
}

function layerOf(sh: Shared, name: string): LinearExport {
  const l = sh.layers.get(name);
  if (!l) throw new RangeError(`layers: ${name} missing from the lm export`);
  return l;
}

function biasBuf(sh: Shared, name: string): GPUBuffer {
  const l = layerOf(sh, name);
  return param(sh, `${name}:bias`, () => l.bias ?? new Float32Array(l.n));
}

/** The q, k and v biases of block `p`, back to back (the attention kernel's one binding). */
function qkvBias(sh: Shared, p: string): GPUBuffer {
  return param(sh, `${p}.attn:qkv-bias`, () => {
    const [q, k, v] = ["q", "k", "v"].map((n) => layerOf(sh, `${p}.attn.${n}`));
    const out = new Float32Array(q!.n + k!.n + v!.n);
    out.set(q!.bias ?? [], 0);
    out.set(k!.bias ?? [], q!.n);
    out.set(v!.bias ?? [], q!.n + k!.n);
    return out;
  });
}

/** Plans one pass of `rows` rows; its buffers and plans are released by `destroy`. */
async function buildPass(sh: Shared, rows: number): Promise<LmPass & { destroy(): void }> {
  const { env, c, dtype } = sh;
  const b = dtypeBytes(dtype);
  const d = c.dim;
  const owned: GPUBuffer[] = [];
  const alloc: Alloc = (label, data) => {
    const buf = createStorageBuffer(env.device, label, data);
    owned.push(buf);
    return buf;
  };
  const steps: LmStep[] = [];
  const linears: LinearStep[] = [];
  const destroy = () => {
    for (const l of linears) l.plan.destroy();
    for (const buf of owned) buf.destroy();
  };
  const op = async (k: Parameters<typeof opStep>[1], buffers: GPUBuffer[]) => {
    steps.push({ ...(await opStep(env, k, buffers)), part: "other" });
  };
  // A decode step (one row) keeps STL's t-row blocks without copies where it can: the buffers
  // the small kernels write hold `pad` rows whose rows after the first stay zero, so an STL
  // linear reads them as its padded block, and every linear's output stays in its padded buffer
  // (its first row is the token's). Only fc2, whose input is fc1's padded output (its other
  // rows are not zero), copies its row in.
  const one = rows === 1;
  const pad = one ? Math.max(1, ...sh.model.layers.map((l) => l.stl ? stlRows(1, l.stl.t) : 1)) : 1;
  const linear = async (name: string, input: GPUBuffer, inputPadded = one) => {
    const prepared = prepareLinear(layerOf(sh, name), dtype, sh.opts);
    const r = await planLinear(env, alloc, prepared, dtype, rows, 1, input, {
      inputPadded,
      keepPadded: one,
    });
    for (const s of r.steps) steps.push({ ...s, part: "linear" });
    linears.push(r.linear);
    return r.output;
  };
  try {
    const x = alloc(`lm${rows}:x`, rows * d * b);
    const h = alloc(`lm${rows}:h`, pad * rows * d * b);
    const att = alloc(`lm${rows}:att`, pad * rows * d * b);
    const ln = (p: string) => [tensorBuf(sh, `${p}.g`), tensorBuf(sh, `${p}.b`)];
    await op(lmEmbedNormWgsl(dtype, rows, d, c.vocab, c.ctx, LN_EPS), [
      sh.state,
      sh.ids,
      tensorBuf(sh, "tok"),
      tensorBuf(sh, "pos"),
      x,
      h,
      ...ln("blocks.0.ln1"),
    ]);
    for (let i = 0; i < c.depth; i++) {
      const p = `blocks.${i}`;
      const q = await linear(`${p}.attn.q`, h);
      const k = await linear(`${p}.attn.k`, h);
      const v = await linear(`${p}.attn.v`, h);
      await op(lmAttentionWgsl(dtype, rows, c.ctx, c.heads, d / c.heads), [
        sh.state,
        q,
        k,
        v,
        qkvBias(sh, p),
        sh.kCache[i]!,
        sh.vCache[i]!,
        att,
      ]);
      const o = await linear(`${p}.attn.o`, att);
      await op(lmAddNormWgsl(dtype, rows, d, LN_EPS), [
        x,
        o,
        biasBuf(sh, `${p}.attn.o`),
        h,
        ...ln(`${p}.ln2`),
      ]);
      const f1 = await linear(`${p}.mlp.fc1`, h);
      await op(biasActWgsl(dtype, rows, c.mlp, "gelu"), [f1, biasBuf(sh, `${p}.mlp.fc1`)]);
      const f2 = await linear(`${p}.mlp.fc2`, f1, false);
      const next = i + 1 < c.depth ? `blocks.${i + 1}.ln1` : "ln";
      await op(lmAddNormWgsl(dtype, rows, d, LN_EPS), [
        x,
        f2,
        biasBuf(sh, `${p}.mlp.fc2`),
        h,
        ...ln(next),
      ]);
    }
    const logits = await linear("head", h);
    await op(lmArgmaxWgsl(dtype, rows, c.vocab), [sh.state, sh.ids, logits, biasBuf(sh, "head")]);
    return { rows, steps, linears, logits, destroy };
  } catch (e) {
    destroy();
    throw e;
  }
}

function checkIds(ids: Int32Array, c: LmConfig, what: string): void {
  if (!(ids.length >= 1 && ids.length <= c.ctx)) {
    throw new RangeError(`${what}: must hold 1…${c.ctx} (ctx) token ids, got ${ids.length}`);
  }
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!(Number.isInteger(id) && id >= 0 && id < c.vocab)) {
      throw new RangeError(`${what}[${i}]: must be a token id in 0…${c.vocab - 1}, got ${id}`);
    }
  }
}

/**
 * Plans the LM export `model` on the device: uploads its tensors, allocates the KV cache (ctx
 * rows a layer) and plans the decode step; prefill passes are planned per prompt length on
 * first use. Throws a one-line error naming the field for a malformed export.
 *
 * @example
 * ```ts ignore
 * const lm = await buildLmGpu({ device, features, pipelines }, model, { dtype: "f32" });
 * ```
 */
export async function buildLmGpu(
  env: GpuEnv,
  model: ModelExport,
  opts: LmGpuOptions = {},
): Promise<LmGpu> {
  const c = lmConfigOf(model);
  const dtype = opts.dtype ?? "f32";
  const b = dtypeBytes(dtype);
  const { device } = env;
  const owned: GPUBuffer[] = [];
  const alloc: Alloc = (label, data) => {
    const buf = createStorageBuffer(device, label, data);
    owned.push(buf);
    return buf;
  };
  const passes = new Map<number, Promise<LmPass & { destroy(): void }>>();
  const built: { destroy(): void }[] = [];
  const resets = new Map<number, Promise<OpStep>>();
  const destroyAll = () => {
    for (const p of built) p.destroy();
    for (const buf of owned) buf.destroy();
  };
  let sh: Shared;
  let decode: LmPass & { destroy(): void };
  try {
    sh = {
      env,
      model,
      c,
      dtype,
      opts,
      alloc,
      layers: new Map(model.layers.map((l) => [l.name, l])),
      params: new Map(),
      state: alloc("lm:state", new Uint32Array(4)),
      ids: alloc("lm:ids", new Uint32Array(c.ctx + 1)),
      kCache: Array.from({ length: c.depth }, (_, i) => alloc(`lm:k${i}`, c.ctx * c.dim * b)),
      vCache: Array.from({ length: c.depth }, (_, i) => alloc(`lm:v${i}`, c.ctx * c.dim * b)),
    };
    decode = await buildPass(sh, 1);
    built.push(decode);
    passes.set(1, Promise.resolve(decode));
  } catch (e) {
    destroyAll();
    throw e;
  }
  const pass = (len: number) => {
    let p = passes.get(len);
    if (!p) {
      p = buildPass(sh, len).then((built1) => {
        built.push(built1);
        return built1;
      });
      passes.set(len, p);
    }
    return p;
  };
  const reset = (position: number) => {
    let r = resets.get(position);
    if (!r) {
      r = opStep(env, lmSetPositionWgsl(position), [sh.state]);
      resets.set(position, r);
    }
    return r;
  };
  let pos = 0;
  const write = (buf: GPUBuffer, offset: number, data: Uint32Array) =>
    device.queue.writeBuffer(
      buf,
      offset,
      data.buffer as ArrayBuffer,
      data.byteOffset,
      data.length * 4,
    );
  const startPrefill = async (ids: Int32Array) => {
    checkIds(ids, c, "prompt");
    const p = await pass(ids.length);
    write(sh.ids, 0, Uint32Array.from(ids));
    write(sh.state, 0, Uint32Array.of(0));
    return p;
  };
  const submit = (stepLists: OpStep[][]) => {
    const enc = device.createCommandEncoder({ label: "lm" });
    const cp = enc.beginComputePass({ label: "lm" });
    for (const list of stepLists) for (const s of list) s.dispatch(cp);
    cp.end();
    device.queue.submit([enc.finish()]);
  };
  const readLogits = async (p: LmPass) =>
    decodeDtype(await readBuffer(device, p.logits, p.rows * c.vocab * b), dtype, p.rows * c.vocab);
  return {
    config: c,
    dtype,
    decode,
    prefillPass: pass,
    position: () => pos,
    async prefill(ids) {
      const p = await startPrefill(ids);
      submit([p.steps]);
      pos = ids.length;
      return await readLogits(p);
    },
    async prefillChecked(ids, seed) {
      const p = await startPrefill(ids);
      const byLabel = new Map(p.linears.map((l) => [`${l.name} (${l.op})`, l]));
      const checks: LinearCheck[] = [];
      for (const s of p.steps) {
        submit([[s]]);
        const l = byLabel.get(s.label);
        if (l) checks.push(await checkLinear(env, l, dtype, seed));
      }
      pos = ids.length;
      return { logits: await readLogits(p), checks };
    },
    async decodeStep(force) {
      if (pos >= c.ctx) {
        throw new RangeError(`decodeStep: the sequence fills the context (ctx ${c.ctx})`);
      }
      if (pos === 0) throw new RangeError("decodeStep: run a prefill first");
      if (force !== undefined) {
        if (!(Number.isInteger(force) && force >= 0 && force < c.vocab)) {
          throw new RangeError(`force: must be a token id in 0…${c.vocab - 1}, got ${force}`);
        }
        write(sh.ids, 4 * pos, Uint32Array.of(force));
      }
      submit([decode.steps]);
      pos++;
      return await readLogits(decode);
    },
    async generate(prompt, tokens) {
      if (!(Number.isInteger(tokens) && tokens >= 0)) {
        throw new RangeError(`tokens: must be an integer ≥ 0, got ${tokens}`);
      }
      const n = Math.min(tokens, c.ctx - prompt.length);
      const p = await startPrefill(prompt);
      const lists: OpStep[][] = [p.steps];
      for (let i = 1; i < n; i++) lists.push(decode.steps);
      submit(lists);
      pos = prompt.length + Math.max(0, n - 1);
      const all = new Uint32Array(await readBuffer(device, sh.ids, 4 * (c.ctx + 1)));
      return {
        ids: Int32Array.from(all.subarray(prompt.length, prompt.length + Math.max(0, n))),
        stoppedAtCtx: n < tokens,
      };
    },
    async prefillWorkload(len) {
      const p = await pass(len);
      const r = await reset(0);
      return {
        label: `lm prefill ${len}`,
        dispatch(cp) {
          r.dispatch(cp);
          for (const s of p.steps) s.dispatch(cp);
        },
      };
    },
    async decodeWorkload(from, steps, part = "all") {
      if (!(Number.isInteger(from) && from >= 1 && Number.isInteger(steps) && steps >= 1)) {
        throw new RangeError(`decode: needs a prompt ≥ 1 and steps ≥ 1, got ${from}, ${steps}`);
      }
      if (from + steps > c.ctx) {
        throw new RangeError(
          `decode: ${from} prompt + ${steps} steps exceed the context (ctx ${c.ctx})`,
        );
      }
      const r = await reset(from);
      const kept = part === "all" ? decode.steps : decode.steps.filter((s) => s.part === part);
      return {
        label: `lm decode ${steps} from ${from}${part === "all" ? "" : ` (${part} steps)`}`,
        dispatch(cp) {
          r.dispatch(cp);
          for (let i = 0; i < steps; i++) for (const s of kept) s.dispatch(cp);
        },
      };
    },
    destroy: destroyAll,
  };
}
