/**
 * The int8, ternary and monarch task operators end to end at CI budget
 * (tasks/mnist-ci-families.json on the wasm CPU backend; a separate suite so that the main CI
 * task test stays fast): trained or converted and fine-tuned on real digits, exported, and
 * scored by tfjs, by the CPU forward and through the families' WGSL kernels.
 */
import assert from "node:assert/strict";
import { parseTaskSuite } from "../task/suite.ts";
import { useBackend } from "../task/train/tf.ts";
import { runTask } from "../task/experiment.ts";
import { parseExportJson } from "../task/export_file.ts";
import { checkLinearExport } from "../task/export.ts";
import { createKernelPath } from "../task/kernel_path.ts";
import { head as firstDigits, loadMnist } from "../task/data/mnist.ts";
import { PipelineCache } from "../harness/gpu/pipeline_cache.ts";
import { DEFAULT_MEASURE } from "../harness/measure/options.ts";
import { QUICK_MEASURE, testGpu } from "./helpers.ts";

/** Most points tfjs, the CPU forward and the kernels may disagree on the same exported weights. */
const AGREEMENT = 0.2;
const SUITE = "tasks/mnist-ci-families.json";

Deno.test({
  name: "task CI: int8, ternary and monarch variants end to end, scored through their kernels",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await useBackend("wasm");
  const suite = parseTaskSuite(await Deno.readTextFile(SUITE), SUITE);
  const dir = await Deno.makeTempDir();
  try {
    const gpu = await testGpu();
    const kernels = createKernelPath({
      env: { device: gpu.device, features: gpu.features, pipelines: new PipelineCache(gpu.device) },
      test: firstDigits(loadMnist().test, suite.testSamples),
      latencyBatches: [1],
      measure: { ...DEFAULT_MEASURE, ...QUICK_MEASURE },
    });
    const r = await runTask(suite, {
      outDir: dir,
      backend: "wasm",
      log: () => {},
      onExport: kernels.onExport,
    });
    assert.deepEqual(r.failures, []);
    const expected = suite.models.reduce((a, m) => a + m.scratch.length + m.convert.length, 0);
    assert.equal(r.variants.length, expected);
    const dense = r.variants.find((v) => v.id === "mlp/scratch/dense")!;
    for (const v of r.variants) {
      const d = Math.abs(v.value.mean - v.cpuTop1!.mean);
      assert.ok(d <= AGREEMENT, `${v.id}: tfjs ${v.value.mean}% vs CPU ${v.cpuTop1!.mean}%`);
      const k = v.kernel!;
      assert.ok(
        k.checked && k.maxTop1Gap! <= AGREEMENT,
        `${v.id}: kernels ${k.top1} vs ${v.value.values}`,
      );
      // int8 quantises every layer's input at run time: an f32 value (kernels) and its f64 twin
      // (CPU) a rounding apart can land on the two sides of a code boundary, so its logits
      // differ by more than f32 rounding; the top-1 still agrees.
      const tol = v.operator.op === "int8" ? 2e-3 : 1e-4;
      assert.ok(k.logitsRelError.every((e) => e < tol), `${v.id}: logits ${k.logitsRelError}`);
      assert.ok(k.latency[0]!.medianMs > 0, v.id);
      assert.ok(v.value.mean > 15, `${v.id}: ${v.value.mean}%`);
      for (const path of v.exports) {
        const m = parseExportJson(await Deno.readTextFile(`${dir}/${path}`));
        m.layers.forEach(checkLinearExport);
        assert.ok(m.layers.some((l) => l.op === v.operator.op), v.id);
      }
    }
    // W8A8 after training loses little of the dense MLP (per-token scales, 127 levels).
    const i8 = r.variants.find((v) => v.id === "mlp/finetune/int8 llm-int8 t6")!;
    assert.ok(dense.value.mean - i8.before!.mean < 2, `int8 before ${i8.before!.mean}%`);
    // Monarch b4 does 2·b·(K + N) per row in its operator linears: fc1 784×64, fc2 64×64.
    const mo = r.variants.find((v) => v.id === "mlp/finetune/monarch b4")!;
    const head = 2 * 64 * 10;
    assert.equal(mo.flops.linearsCore - head, 2 * 4 * (784 + 64) + 2 * 4 * (64 + 64));
    assert.equal(dense.flops.linearsCore - head, 2 * (784 * 64 + 64 * 64));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
