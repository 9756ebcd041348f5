/**
 * The task path end to end at CI budget (tasks/mnist-ci.json on the wasm CPU backend): real
 * digits, every operator trained from scratch or converted and fine-tuned, exported, and scored
 * by tfjs and by the CPU forward that defines the models' math.
 */
import assert from "node:assert/strict";
import { parseTaskSuite } from "../task/suite.ts";
import { useBackend } from "../task/train/tf.ts";
import { runTask } from "../task/experiment.ts";
import { parseExportJson } from "../task/export_file.ts";
import { checkLinearExport } from "../task/export.ts";
import type { TaskResults } from "../task/types.ts";
import { createKernelPath } from "../task/kernel_path.ts";
import { head as firstDigits, loadMnist } from "../task/data/mnist.ts";
import { PipelineCache } from "../harness/gpu/pipeline_cache.ts";
import { DEFAULT_MEASURE } from "../harness/measure/options.ts";
import { QUICK_MEASURE, testGpu } from "./helpers.ts";

/** The dense MLP's top-1 floor (%) on the 2,000 held-out digits at the CI budget. */
const DENSE_MLP_FLOOR = 80;
/** Most points tfjs and the CPU forward may disagree on the same exported weights. */
const AGREEMENT = 0.2;

Deno.test({
  name: "task CI: tasks/mnist-ci.json end to end, scored through the kernels too",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await useBackend("wasm");
  const suite = parseTaskSuite(
    await Deno.readTextFile("tasks/mnist-ci.json"),
    "tasks/mnist-ci.json",
  );
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
    const onDisk: TaskResults = JSON.parse(await Deno.readTextFile(`${dir}/results.json`));
    assert.equal(onDisk.variants.length, r.variants.length);
    assert.ok(onDisk.finishedAt);
    const expected = suite.models.reduce((a, m) => a + m.scratch.length + m.convert.length, 0);
    assert.equal(r.variants.length, expected);

    const dense = r.variants.find((v) => v.id === "mlp/scratch/dense")!;
    assert.ok(dense.value.mean >= DENSE_MLP_FLOOR, `dense MLP top-1 ${dense.value.mean}%`);
    assert.ok(dense.loss.last < dense.loss.first / 2, JSON.stringify(dense.loss));

    for (const v of r.variants) {
      // The library's score of the exported weights and the CPU definition agree.
      const d = Math.abs(v.value.mean - v.cpuTop1!.mean);
      assert.ok(d <= AGREEMENT, `${v.id}: tfjs ${v.value.mean}% vs CPU ${v.cpuTop1!.mean}%`);
      // The kernels that are timed score the same weights as the library, every linear checked
      // against its f64 reference, logits within f32 rounding of the CPU forward.
      const k = v.kernel!;
      assert.ok(
        k.checked && k.maxTop1Gap! <= AGREEMENT,
        `${v.id}: kernels ${k.top1} vs ${v.value.values}`,
      );
      assert.ok(k.logitsRelError.every((e) => e < 1e-4), `${v.id}: logits ${k.logitsRelError}`);
      assert.ok(k.latency[0]!.medianMs > 0 && k.latency[0]!.speedupVsDense! > 0, v.id);
      // Better than chance on 10 classes, from scratch and after fine-tuning.
      assert.ok(v.value.mean > 15, `${v.id}: ${v.value.mean}%`);
      assert.ok(v.flops.linearsCore > 0 && v.params.total > 0);
      assert.equal(v.experiment === "finetune", v.before !== undefined, v.id);
      // Every export reloads, validates, and uses the declared operator on the operator layers.
      for (const path of v.exports) {
        const m = parseExportJson(await Deno.readTextFile(`${dir}/${path}`));
        m.layers.forEach(checkLinearExport);
        const ops = new Set(m.layers.map((l) => l.op));
        assert.ok(ops.has(v.operator.op), `${v.id}: ${[...ops]}`);
      }
    }
    // An exact Strassen conversion scores as the dense model it came from (before fine-tuning).
    const exact = r.variants.find((v) => v.id === "mlp/finetune/stl t2 r7 strassen")!;
    assert.ok(Math.abs(exact.before!.mean - dense.value.mean) <= AGREEMENT);
    // 2:4 halves the operator linears' core FLOPs; STL t4 r24 in the ViT cuts them by 64/24.
    const s24 = r.variants.find((v) => v.id === "mlp/scratch/2:4 magnitude")!;
    const head = 2 * 64 * 10; // the dense classifier
    assert.equal((s24.flops.linearsCore - head) * 2, dense.flops.linearsCore - head);
    const vd = r.variants.find((v) => v.id === "vit/scratch/dense")!;
    const vs = r.variants.find((v) => v.id === "vit/scratch/stl t4 r24 cp-als")!;
    const dense12 = vd.flops.linearsCore;
    const patchHead = 2 * (16 * 49 * 16 + 16 * 10);
    const ratio = (dense12 - patchHead) / (vs.flops.linearsCore - patchHead);
    assert.ok(Math.abs(ratio - 64 / 24) < 1e-9, `core FLOP ratio ${ratio}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
