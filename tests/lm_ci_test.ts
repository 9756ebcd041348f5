/**
 * The language-model path end to end at CI budget (tasks/brown-ci.json on the wasm CPU
 * backend): Brown text, a 4-block character LM pretrained, converted and fine-tuned, scored by
 * validation perplexity through tfjs, through the CPU forward that defines the model's math, and
 * through the WGSL kernels (software adapter), with a greedy generation of the fixed prompt.
 */
import assert from "node:assert/strict";
import { parseTaskSuite } from "../task/suite.ts";
import { useBackend } from "../task/train/tf.ts";
import { runTask } from "../task/experiment.ts";
import { parseExportJson } from "../task/export_file.ts";
import { checkLinearExport } from "../task/export.ts";
import { createLmKernelPath } from "../task/lm_kernel_path.ts";
import { loadBrown } from "../task/data/brown.ts";
import { encode } from "../task/data/chars.ts";
import { PipelineCache } from "../harness/gpu/pipeline_cache.ts";
import { LM_QUANT_LOGITS_TOLERANCE } from "../task/gpu/lm_evaluate.ts";
import { testGpu } from "./helpers.ts";

/** The dense LM's validation perplexity ceiling at the CI budget (uniform: 96; ln 20 ≈ 3.0 nats). */
const DENSE_PERPLEXITY_CEILING = 20;
/** Most relative disagreement of two computations of one perplexity (f32 vs f64 rounding). */
const AGREEMENT = 1e-3;

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

Deno.test({
  name: "lm CI: tasks/brown-ci.json end to end, scored and generated through the kernels too",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await useBackend("wasm");
  const suite = parseTaskSuite(
    await Deno.readTextFile("tasks/brown-ci.json"),
    "tasks/brown-ci.json",
  );
  const dir = await Deno.makeTempDir();
  try {
    const gpu = await testGpu();
    const kernels = createLmKernelPath({
      env: { device: gpu.device, features: gpu.features, pipelines: new PipelineCache(gpu.device) },
      validation: (await loadBrown()).validation,
      windows: suite.testSamples,
      checkWindows: suite.testSamples,
      measure: null,
      device: "test",
    });
    const r = await runTask(suite, {
      outDir: dir,
      backend: "wasm",
      log: () => {},
      onExport: kernels.onExport,
    });
    assert.deepEqual(r.failures, []);
    assert.equal(r.dataset.name, "brown");
    assert.equal(r.variants.length, 1 + suite.models[0]!.convert.length);

    const dense = r.variants.find((v) => v.id === "lm/scratch/dense")!;
    assert.equal(dense.metric, "perplexity");
    assert.ok(
      dense.value.mean < DENSE_PERPLEXITY_CEILING,
      `dense validation perplexity ${dense.value.mean}`,
    );
    assert.ok(dense.loss.last < dense.loss.first - 1, JSON.stringify(dense.loss));

    for (const v of r.variants) {
      // tfjs and the CPU definition score the same exported weights alike.
      assert.ok(
        rel(v.value.mean, v.cpuValue!.mean) < AGREEMENT,
        `${v.id}: ${v.value.mean} vs ${v.cpuValue!.mean}`,
      );
      // The kernels: every linear checked, logits at every position within f32 rounding of the
      // CPU forward (INT8: within a flipped activation code, LM_QUANT_LOGITS_TOLERANCE), decode
      // through the KV cache equal to prefill, the same perplexity.
      const k = v.lmKernel!;
      assert.ok(k.checked && k.cacheConsistent, v.id);
      const logitsTol = v.operator.op === "int8" ? LM_QUANT_LOGITS_TOLERANCE : 1e-4;
      assert.equal(k.logitsTolerance, logitsTol, v.id);
      assert.ok(k.logitsMaxRelErr < logitsTol, `${v.id}: logits ${k.logitsMaxRelErr}`);
      assert.ok(
        rel(k.kernelPerplexity!, k.cpuPerplexity!) < AGREEMENT,
        `${v.id}: ${k.kernelPerplexity} vs ${k.cpuPerplexity}`,
      );
      // ... which is the library's perplexity of the same windows (the same predictions scored).
      assert.ok(
        rel(k.kernelPerplexities[0]!, v.value.values[0]!) < AGREEMENT,
        `${v.id}: kernels ${k.kernelPerplexities} vs ${v.value.values}`,
      );
      assert.ok(k.generatedIds.length > 0 && k.generatedText.length === k.generatedIds.length);
      assert.deepEqual([...encode(k.generatedText)], k.generatedIds);
      assert.ok(v.value.mean < 2 * DENSE_PERPLEXITY_CEILING, `${v.id}: ${v.value.mean}`);
      assert.ok(v.flops.linearsCore > 0 && v.params.total > 0);
      assert.equal(v.experiment === "finetune", v.before !== undefined, v.id);
      for (const path of v.exports) {
        const m = parseExportJson(await Deno.readTextFile(`${dir}/${path}`));
        m.layers.forEach(checkLinearExport);
        assert.ok(new Set(m.layers.map((l) => l.op)).has(v.operator.op), v.id);
      }
    }
    // The exact Strassen² conversion (t 4, r 49) scores as the dense model it came from.
    const exact = r.variants.find((v) => v.id === "lm/finetune/stl t4 r49 strassen2")!;
    assert.ok(rel(exact.before!.mean, dense.value.mean) < AGREEMENT);
    // Each token its own zero-padded 4-row tile: STL's core products cost r/t² of dense.
    const c = { dim: 32, mlp: 64, vocab: 96, depth: 4 };
    const headCore = 2 * c.dim * c.vocab;
    const ratio = (exact.flops.linearsCore - headCore) / (dense.flops.linearsCore - headCore);
    assert.ok(Math.abs(ratio - 49 / 16) < 1e-9, `core FLOP ratio ${ratio}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
