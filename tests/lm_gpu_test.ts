import assert from "node:assert/strict";
import { compareOutputs } from "../harness/analyze/error_metrics.ts";
import { PipelineCache } from "../harness/gpu/pipeline_cache.ts";
import { convertModel, randomExport } from "../task/convert.ts";
import type { ModelExport } from "../task/export.ts";
import { buildLmGpu } from "../task/gpu/lm_forward.ts";
import { lmOnKernels } from "../task/gpu/lm_evaluate.ts";
import { DEFAULT_MEASURE } from "../harness/measure/options.ts";
import type { LmConfig } from "../task/model/arch.ts";
import { lmForwardCpu } from "../task/model/lm_forward_cpu.ts";
import { type OperatorSpec, parseOperator } from "../task/operators.ts";
import { Rng } from "../harness/data/prng.ts";
import { GPU_TEST, QUICK_MEASURE, testGpu } from "./helpers.ts";

const LM: LmConfig = { arch: "lm", vocab: 13, ctx: 8, dim: 16, depth: 2, heads: 2, mlp: 32 };
const OPS: OperatorSpec[] = [
  { op: "dense" },
  { op: "stl", t: 4, r: 24, init: "random" },
  { op: "sparse24", mask: "magnitude" },
  { op: "int4", group: 16, method: "rtn" },
  parseOperator({ op: "int8" }, "int8"),
  parseOperator({ op: "ternary", method: "absmean" }, "ternary"),
  { op: "monarch", blocks: 4 },
];
/** Kernel-path logits vs the f64 definition, relative Frobenius error (f32 storage). */
const LOGITS_TOLERANCE = 1e-4;
/** Decode-step logits vs the prefill's of the same prefix (kernels differ: GEMV vs GEMM). */
const CACHE_TOLERANCE = 1e-5;

let pipelines: PipelineCache | null = null;
async function env() {
  const gpu = await testGpu();
  pipelines ??= new PipelineCache(gpu.device);
  return { device: gpu.device, features: gpu.features, pipelines };
}

/** A random LM whose biases, norms and embeddings are all nonzero (every term is exercised). */
function randomLm(c: LmConfig, seed: number): ModelExport {
  const m = randomExport(c, seed);
  const rng = new Rng(seed, "test:lm");
  const u = (s: number) => s * (2 * rng.next() - 1);
  for (const l of m.layers) l.bias = Float32Array.from({ length: l.n }, () => u(0.1));
  for (const [name, t] of Object.entries(m.tensors)) {
    if (name.endsWith(".g")) t.data = Float32Array.from(t.data, () => 1 + u(0.2));
    else if (name.endsWith(".b")) t.data = Float32Array.from(t.data, () => u(0.1));
    else t.data = Float32Array.from(t.data, () => u(1));
  }
  return m;
}

function seq(len: number, seed: number, vocab: number): Int32Array {
  const rng = new Rng(seed, "test:ids");
  return Int32Array.from({ length: len }, () => Math.floor(rng.next() * vocab));
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

for (const o of OPS) {
  Deno.test({
    name:
      `lm gpu: ${o.op} prefill logits match lmForwardCpu at every position; decode steps match the prefill (KV cache); greedy generation stops at ctx`,
    ...GPU_TEST,
    async fn() {
      const model = convertModel(randomLm(LM, 7), o, new Map());
      const lm = await buildLmGpu(await env(), model);
      try {
        const ids = seq(LM.ctx, 3, LM.vocab);
        const { logits, checks } = await lm.prefillChecked(ids, 1);
        const cpu = lmForwardCpu(model, ids, 1, LM.ctx);
        const err = compareOutputs(logits, cpu).relError;
        assert.ok(err < LOGITS_TOLERANCE, `logits relative error ${err}`);
        assert.equal(checks.length, model.layers.length);
        for (const c of checks) assert.ok(c.ok, `${c.layer}: ${c.relError} > ${c.tolerance}`);
        // A decode step: embedding, per block 6 linears and 4 small kernels, head, argmax; STL
        // copies only fc2's input row into its block (the other blocks need no copies).
        const copies = o.op === "stl" ? LM.depth : 0;
        assert.equal(lm.decode.steps.length, 1 + 10 * LM.depth + 2 + copies);

        // KV cache: a prefill of 3, then teacher-forced decode steps over the rest.
        const p = 3;
        const pre = await lm.prefill(ids.subarray(0, p));
        const v = LM.vocab;
        assert.ok(compareOutputs(pre, logits.subarray(0, p * v)).relError < CACHE_TOLERANCE);
        for (let i = p; i < LM.ctx; i++) {
          const step = await lm.decodeStep(ids[i]!);
          const e = compareOutputs(step, logits.subarray(i * v, (i + 1) * v)).relError;
          assert.ok(e < CACHE_TOLERANCE, `position ${i}: decode vs prefill ${e}`);
        }
        assert.equal(lm.position(), LM.ctx);
        await assert.rejects(() => lm.decodeStep(), /fills the context \(ctx 8\)/);

        // Greedy generation on the device vs the CPU definition's greedy decoding.
        const prompt = ids.subarray(0, 3);
        const gen = await lm.generate(prompt, 100);
        assert.equal(gen.ids.length, LM.ctx - prompt.length);
        assert.ok(gen.stoppedAtCtx);
        const cur = Array.from(prompt);
        for (let i = 0; i < gen.ids.length; i++) {
          const all = lmForwardCpu(model, Int32Array.from(cur), 1, cur.length);
          const row = all.subarray((cur.length - 1) * v, cur.length * v);
          const best = argmax(row);
          const sorted = [...row].sort((a, b) => b - a);
          if (sorted[0]! - sorted[1]! < 1e-4) break; // a near tie: either token is right
          assert.equal(gen.ids[i], best, `generated token ${i}`);
          cur.push(best);
        }
      } finally {
        lm.destroy();
      }
    },
  });
}

Deno.test({
  name: "lm gpu: bad prompts, forced tokens and token counts give one-line errors",
  ...GPU_TEST,
  async fn() {
    const lm = await buildLmGpu(await env(), randomLm(LM, 2));
    try {
      await assert.rejects(() => lm.decodeStep(), /run a prefill first/);
      await assert.rejects(() => lm.prefill(new Int32Array(0)), /prompt: must hold 1…8/);
      await assert.rejects(() => lm.prefill(new Int32Array(9)), /prompt: must hold 1…8 \(ctx\)/);
      await assert.rejects(() => lm.prefill(Int32Array.of(1, 13)), /prompt\[1\]: .* 0…12, got 13/);
      await lm.prefill(Int32Array.of(1, 2));
      await assert.rejects(() => lm.decodeStep(-1), /force: must be a token id/);
      await assert.rejects(() => lm.generate(Int32Array.of(1), 1.5), /tokens: must be an integer/);
      await assert.rejects(() => lm.decodeWorkload(4, 5), /exceed the context \(ctx 8\)/);
      const g = await lm.generate(Int32Array.of(1, 2), 2);
      assert.equal(g.ids.length, 2);
      assert.ok(!g.stoppedAtCtx);
    } finally {
      lm.destroy();
    }
  },
});

Deno.test({
  name:
    "lm gpu: lmOnKernels checks, generates and times decode and prefill per variant against dense",
  ...GPU_TEST,
  async fn() {
    const e = await env();
    const dense = randomLm(LM, 4);
    const measure = { ...DEFAULT_MEASURE, ...QUICK_MEASURE };
    const prompt = Int32Array.of(1, 2, 3);
    const sequences = seq(3 * LM.ctx, 9, LM.vocab);
    const opts = { prompt, tokens: 4, sequences, len: LM.ctx, checkSequences: 3, measure };
    const d = await lmOnKernels(e, dense, opts);
    const q = await lmOnKernels(e, convertModel(dense, OPS[3]!, new Map()), { ...opts, dense: d });
    for (const r of [d, q]) {
      assert.ok(r.checked && r.cacheConsistent);
      assert.ok(r.logitsMaxRelErr > 0 && r.logitsMaxRelErr < r.logitsTolerance);
      assert.equal(r.generatedIds.length, 4);
      assert.equal(r.decodeSteps, 4);
      assert.ok(!r.stoppedAtCtx);
      // 1 embedding + 2 blocks × (6 linears + 4 small kernels) + head + argmax.
      assert.equal(r.dispatchesPerToken, 1 + 2 * 10 + 2);
      assert.ok(r.decodeTokensPerS! > 0 && r.prefillTokensPerS! > 0);
      const share = 1 - r.decodeLinears!.medianMs / r.decode!.medianMs;
      assert.ok(Math.abs(r.outsideLinearsShare! - share) < 1e-12 && share < 1);
      assert.ok(r.decodeOther!.medianMs > 0);
      assert.ok(r.decode!.samples >= 2 && r.generateWall!.medianMs > 0);
      // Prefill and decode were timed between sentinel readings of the pass's reference.
      for (const t of [r.prefill!, r.decode!]) {
        const s = t.sentinel!;
        assert.ok(s.referenceMs > 0 && s.beforeMs > 0 && s.afterMs > 0 && s.attempts >= 1);
        assert.equal(s.ratio, Math.max(s.beforeMs, s.afterMs) / s.referenceMs);
      }
      assert.equal(r.method, e.features.has("timestamp-query") ? "gpu-timestamp" : "wall");
      // The kernels' perplexity is the CPU definition's on the same (all checked) sequences.
      const rel = Math.abs(r.kernelPerplexity! - r.cpuPerplexity!) / r.cpuPerplexity!;
      assert.ok(rel < 1e-4, `perplexity ${r.kernelPerplexity} vs ${r.cpuPerplexity}`);
    }
    assert.equal(d.decodeSpeedupVsDense, null);
    assert.ok(Math.abs(q.decodeSpeedupVsDense! - q.decodeTokensPerS! / d.decodeTokensPerS!) < 1e-9);
    await assert.rejects(
      () => lmOnKernels(e, dense, { ...opts, prompt: new Int32Array(LM.ctx) }),
      /prompt: must hold 1…7 ids/,
    );
  },
});

Deno.test({
  name: "lm gpu: f16 storage stays within the f16 tolerances (STL)",
  ...GPU_TEST,
  async fn() {
    const e = await env();
    if (!e.features.has("shader-f16")) return;
    const model = convertModel(randomLm(LM, 5), OPS[1]!, new Map());
    const r = await lmOnKernels(e, model, {
      prompt: Int32Array.of(4, 5),
      tokens: 6,
      dtype: "f16",
      measure: null,
    });
    assert.ok(r.logitsMaxRelErr > 0, "f16 storage rounds: an exact match would mean f32 ran");
    assert.ok(r.logitsMaxRelErr < r.logitsTolerance && r.cacheConsistent);
    assert.equal(r.generatedIds.length, 6);
    assert.ok(r.stoppedAtCtx === false && r.decodeTokensPerS === null);
  },
});
