import assert from "node:assert/strict";
import { compareOutputs } from "../harness/analyze/error_metrics.ts";
import { PipelineCache } from "../harness/gpu/pipeline_cache.ts";
import type { DType } from "../harness/types.ts";
import { calibrationInputs, convertModel, randomExport } from "../task/convert.ts";
import { CLASSES, head, loadMnist } from "../task/data/mnist.ts";
import type { ModelExport } from "../task/export.ts";
import { evaluateOnKernels } from "../task/gpu/evaluate.ts";
import { buildGpuForward } from "../task/gpu/forward.ts";
import { measureForward } from "../task/gpu/latency.ts";
import { DEFAULT_MEASURE } from "../harness/measure/options.ts";
import type { ModelConfig } from "../task/model/arch.ts";
import { argmaxRows, forwardCpu, top1 } from "../task/model/forward_cpu.ts";
import { createKernelPath, type KernelVariant } from "../task/kernel_path.ts";
import { operatorLabel, type OperatorSpec } from "../task/operators.ts";
import { GPU_TEST, QUICK_MEASURE, testGpu } from "./helpers.ts";

const MLP: ModelConfig = { arch: "mlp", hidden: 32, depth: 2 };
const VIT: ModelConfig = { arch: "vit", patch: 7, dim: 32, depth: 1, heads: 2, mlp: 64 };
const OPS: OperatorSpec[] = [
  { op: "dense" },
  { op: "stl", t: 4, r: 24, init: "random" },
  { op: "sparse24", mask: "magnitude" },
  { op: "int4", group: 16, method: "rtn" },
  // A low threshold so that some dimensions take the outlier path (with SmoothQuant: a few of
  // the ViT's; without: 306 of the MLP's 784 pixels and 4 of 32 hidden units).
  { op: "int8", outliers: "llm-int8", threshold: 0.9, smooth: 0 },
  { op: "int8", outliers: "llm-int8", threshold: 0.9, smooth: 0.5 },
  { op: "ternary", group: 0, method: "absmean" },
  { op: "ternary", group: 32, method: "absmean" }, // K = 784 ends in a short group of 16
  { op: "monarch", blocks: 4 },
];

let pipelines: PipelineCache | null = null;

async function env() {
  const gpu = await testGpu();
  pipelines ??= new PipelineCache(gpu.device);
  return { device: gpu.device, features: gpu.features, pipelines };
}

/** GPU vs CPU logits: relative Frobenius error bound per activation dtype. */
const LOGIT_TOLERANCE: Record<DType, number> = { f32: 1e-4, f16: 3e-2 };

for (const config of [MLP, VIT]) {
  for (const o of OPS) {
    Deno.test({
      name: `task gpu: ${config.arch} ${
        operatorLabel(o)
      } forward through the kernels matches the CPU forward; every linear matches its f64 reference`,
      ...GPU_TEST,
      async fn() {
        const dense = randomExport(config, 11);
        const calib = calibrationInputs(dense, head(loadMnist().train, 16).images, 16);
        const model: ModelExport = convertModel(dense, o, calib);
        const digits = head(loadMnist().test, 12);
        const e = await env();
        const ev = await evaluateOnKernels(e, model, digits, { batch: 8, seed: 3 });
        const cpu = forwardCpu(model, digits.images, digits.count);
        const err = compareOutputs(ev.logits, cpu).relError;
        assert.ok(err < LOGIT_TOLERANCE.f32, `logits relative error ${err}`);
        assert.equal(ev.checks.length, model.layers.length);
        for (const c of ev.checks) assert.ok(c.ok, `${c.layer}: ${c.relError} > ${c.tolerance}`);
        const agree = argmaxRows(ev.logits, digits.count, CLASSES)
          .every((p, i) => p === argmaxRows(cpu, digits.count, CLASSES)[i]);
        assert.ok(agree || err < 1e-5, "predictions agree with the CPU forward");
      },
    });
  }
}

Deno.test({
  name: "task gpu: f16 activations stay within the f16 tolerance of the CPU forward (ViT, STL)",
  ...GPU_TEST,
  async fn() {
    const e = await env();
    if (!e.features.has("shader-f16")) return;
    const model = convertModel(randomExport(VIT, 5), OPS[1]!, new Map());
    const digits = head(loadMnist().test, 4);
    const ev = await evaluateOnKernels(e, model, digits, { batch: 4, dtype: "f16" });
    const err = compareOutputs(ev.logits, forwardCpu(model, digits.images, digits.count)).relError;
    assert.ok(err < LOGIT_TOLERANCE.f16, `f16 logits relative error ${err}`);
    assert.ok(err > 0, "f16 storage rounds: an exact match would mean f32 ran");
    for (const c of ev.checks) assert.ok(c.ok, `${c.layer}: ${c.relError} > ${c.tolerance}`);
  },
});

Deno.test({
  name: "task gpu: a sample's logits do not depend on the other samples of its batch (STL MLP)",
  ...GPU_TEST,
  async fn() {
    const model = convertModel(randomExport(MLP, 2), OPS[1]!, new Map());
    const digits = head(loadMnist().test, 4);
    const fwd = await buildGpuForward(await env(), model, { batch: 4 });
    try {
      const all = await fwd.run(digits.images, 4);
      const one = await fwd.run(digits.images.subarray(784, 2 * 784), 1);
      assert.deepEqual([...one], [...all.subarray(CLASSES, 2 * CLASSES)]);
    } finally {
      fwd.destroy();
    }
  },
});

Deno.test({
  name: "task gpu: forward latency is timed by the measurement layer over the whole chain",
  ...GPU_TEST,
  async fn() {
    const e = await env();
    const model = convertModel(randomExport(VIT, 1), OPS[2]!, new Map());
    const digits = head(loadMnist().test, 2);
    const l = await measureForward(e, model, { batch: 2 }, {
      ...DEFAULT_MEASURE,
      ...QUICK_MEASURE,
    }, digits.images);
    assert.equal(l.batch, 2);
    assert.ok(l.time.median > 0 && l.time.n >= 2);
    assert.equal(l.time.method, e.features.has("timestamp-query") ? "gpu-timestamp" : "wall");
    assert.ok(l.time.sentinel!.referenceMs > 0 && l.time.sentinel!.attempts >= 1);
    // patchify, patch + pos, per block 2 LN + 3 biased qkv + attention + o + residual + fc1 +
    // GELU + fc2 + residual, final LN, pool, head + bias.
    assert.equal(l.steps, 3 + 1 * (2 + 6 + 1 + 2 + 2 + 2) + 4);
  },
});

Deno.test({
  name: "task gpu: the kernel-path hook fills kernel top-1, checks and latency against dense",
  ...GPU_TEST,
  async fn() {
    const e = await env();
    const test = head(loadMnist().test, 16);
    const kp = createKernelPath({
      env: e,
      test,
      evalBatch: 8,
      latencyBatches: [1, 4],
      measure: { ...DEFAULT_MEASURE, ...QUICK_MEASURE },
    });
    const dense = randomExport(MLP, 4);
    const variants = [
      { model: dense, op: "dense" },
      { model: convertModel(dense, OPS[3]!, new Map()), op: "int4" },
    ];
    const out: KernelVariant[] = [];
    for (const { model, op } of variants) {
      // The library's top-1 here is the CPU forward's: the kernel path must agree within 0.2.
      const lib = top1(forwardCpu(model, test.images, test.count), test.labels);
      const v: KernelVariant = {
        id: `mlp/${op}`,
        model: "mlp",
        operator: { op },
        value: { values: [lib] },
      };
      await kp.onExport(v, 1, model);
      out.push(v);
    }
    for (const v of out) {
      assert.equal(v.kernelTop1!.values.length, 1);
      assert.ok(v.kernel!.maxTop1Gap! <= 0.2, `${v.id}: gap ${v.kernel!.maxTop1Gap}`);
      assert.ok(v.kernel!.logitsRelError[0]! < 1e-4);
      assert.equal(v.kernel!.latency.length, 2);
      for (const l of v.kernel!.latency) {
        assert.ok(l.medianMs > 0 && l.speedupVsDense! > 0);
        assert.ok(l.sentinel!.referenceMs > 0 && l.sentinel!.attempts >= 1); // kept in the result
      }
    }
    assert.deepEqual(out[0]!.kernel!.latency.map((l) => l.speedupVsDense), [1, 1]);
    assert.equal(out[1]!.kernel!.latency[0]!.denseMedianMs, out[0]!.kernel!.latency[0]!.medianMs);
  },
});
