import assert from "node:assert/strict";
import { calibrationInputs, convertModel, randomExport } from "../task/convert.ts";
import { checkLinearExport, effectiveWeights, type ModelExport } from "../task/export.ts";
import type { MlpConfig, VitConfig } from "../task/model/arch.ts";
import { forwardCpu } from "../task/model/forward_cpu.ts";
import { tf, useBackend } from "../task/train/tf.ts";
import { buildTfModel } from "../task/train/model.ts";
import { fakeQuant } from "../task/train/layers.ts";
import { fakeTernary } from "../task/train/ternary_layer.ts";
import { decodeCodes, quantizeTernary } from "../kernels/ternary/format.ts";
import { predict, shiftedBatch, trainModel } from "../task/train/train.ts";
import { quantizeRtn } from "../kernels/int4/rtn.ts";
import { dequantize } from "../kernels/int4/format.ts";
import { Rng } from "../harness/data/prng.ts";
import type { OperatorSpec } from "../task/operators.ts";
import { runCli } from "./run_cli.ts";

const VIT: VitConfig = { arch: "vit", patch: 7, dim: 16, depth: 2, heads: 2, mlp: 32 };
const MLP: MlpConfig = { arch: "mlp", hidden: 32, depth: 2 };
const OPS: OperatorSpec[] = [
  { op: "dense" },
  { op: "stl", t: 4, r: 8, init: "random" },
  { op: "stl", t: 2, r: 7, init: "strassen" },
  { op: "sparse24", mask: "wanda" },
  { op: "int4", group: 16, method: "awq" },
  { op: "int4", group: 16, method: "rtn" },
  { op: "int8", outliers: "llm-int8", threshold: 0.2, smooth: 0.5 },
  { op: "int8", outliers: "none", threshold: 6, smooth: 0 },
  { op: "ternary", group: 0, method: "absmean" },
  { op: "ternary", group: 32, method: "qat" }, // the MLP's K = 784 ends in a short group
  { op: "monarch", blocks: 4 },
];

function digits(count: number, seed: number) {
  const rng = new Rng(seed, "test-digits");
  return {
    images: Float32Array.from({ length: count * 784 }, () => rng.next()),
    labels: Uint8Array.from({ length: count }, () => rng.nextInt(10)),
    count,
  };
}

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

await useBackend("wasm");

Deno.test("tfjs forward of every operator's export matches forward_cpu (evaluation and training copies)", async () => {
  const data = digits(6, 1);
  for (const cfg of [MLP, VIT]) {
    const dense = randomExport(cfg, 2);
    const calib = calibrationInputs(dense, digits(8, 3).images, 8);
    for (const op of OPS) {
      const m = convertModel(dense, op, calib);
      const want = forwardCpu(m, data.images, data.count);
      for (const trainable of [false, true]) {
        const model = buildTfModel(m, { trainable, mask: "fixed", maskEvery: 1 });
        const got = await predict(model, data);
        model.dispose();
        const d = maxRel(got, want);
        assert.ok(d < 1e-4, `${cfg.arch} ${JSON.stringify(op)} trainable ${trainable}: ${d}`);
      }
    }
  }
  assert.equal(tf.memory().numTensors, 0);
});

Deno.test("fake quantiser equals kernels/int4 RTN dequantisation", () => {
  const rng = new Rng(4, "fq");
  const k = 32;
  const n = 6;
  const w = Float32Array.from({ length: k * n }, () => rng.next() * 2 - 0.7);
  const want = dequantize(quantizeRtn(w, k, n, 16, "f32"));
  const got = tf.tidy(() => fakeQuant(tf.tensor2d(w, [k, n]), 16).dataSync());
  assert.ok(maxRel(got, want) < 1e-5, `${maxRel(got, want)}`);
});

Deno.test("fake ternary quantiser equals kernels/ternary absmean (per column, and groups with a short last one)", () => {
  const rng = new Rng(5, "ft");
  const k = 40;
  const n = 5;
  const w = Float32Array.from({ length: k * n }, () => rng.next() * 2 - 0.9);
  for (const group of [0, 16]) {
    const p = quantizeTernary(w, { m: 1, k, n }, group, "f32");
    const q = decodeCodes(p, k, n);
    const want = Float32Array.from(q, (v, i) => {
      const g = group ? Math.floor(Math.floor(i / n) / group) : 0;
      return v * p.scales[g * n + (i % n)]!;
    });
    const got = tf.tidy(() => fakeTernary(tf.tensor2d(w, [k, n]), group).dataSync());
    assert.ok(maxRel(got, want) < 1e-6, `group ${group}: ${maxRel(got, want)}`);
  }
});

Deno.test("training: every operator learns, exports keep their format, 2:4 masks and INT4 grids hold", async () => {
  const data = digits(64, 5);
  for (const cfg of [MLP, VIT]) {
    const dense = randomExport(cfg, 6);
    const calib = calibrationInputs(dense, data.images, 16);
    for (const op of OPS) {
      const start = convertModel(dense, op, calib);
      const model = buildTfModel(start, { trainable: true, mask: "fixed", maskEvery: 1 });
      const run = await trainModel(model, data, { epochs: 8, batch: 32, lr: 3e-3 }, 1);
      const out: ModelExport = await model.toExport();
      model.dispose();
      assert.ok(run.losses.at(-1)! < run.losses[0]!, `${cfg.arch} ${op.op}: ${run.losses}`);
      for (const l of out.layers) checkLinearExport(l);
      const before = new Map(start.layers.map((l) => [l.name, l]));
      for (const l of out.layers) {
        const b = before.get(l.name)!;
        assert.equal(l.op, b.op);
        if (l.op === "sparse24") {
          // Fine-tuning keeps the mask: pruned weights stay exactly zero.
          for (let i = 0; i < l.w!.length; i++) if (b.w![i] === 0) assert.equal(l.w![i], 0);
        }
        if (l.op === "int4") assert.deepEqual(l.int4!.invScale, b.int4!.invScale);
        if (l.op === "int8") {
          // The activation factors and the outlier set stay; the codes move.
          assert.deepEqual(l.int8!.invScale, b.int8!.invScale);
          assert.deepEqual(l.int8!.outliers?.dims, b.int8!.outliers?.dims);
          assert.notDeepEqual(
            [l.int8!.codes, l.int8!.outliers?.w],
            [b.int8!.codes, b.int8!.outliers?.w],
          );
        } else if (l.op !== "stl") {
          assert.notDeepEqual(effectiveWeights(l), effectiveWeights(b));
        }
      }
    }
  }
  assert.equal(tf.memory().numTensors, 0);
});

Deno.test("training: from-scratch 2:4 recomputes its mask and keeps the 2:4 pattern", async () => {
  const data = digits(64, 7);
  const start = convertModel(
    randomExport(MLP, 8),
    { op: "sparse24", mask: "magnitude" },
    new Map(),
  );
  const model = buildTfModel(start, { trainable: true, mask: "ste", maskEvery: 2 });
  await trainModel(model, data, { epochs: 8, batch: 32, lr: 1e-2 }, 1);
  const out = await model.toExport();
  model.dispose();
  const a = start.layers[0]!.w!;
  const b = out.layers[0]!;
  checkLinearExport(b);
  let moved = 0;
  for (let i = 0; i < a.length; i++) if ((a[i] === 0) !== (b.w![i] === 0)) moved++;
  assert.ok(moved > 0, "the straight-through mask never changed");
});

Deno.test("shift augmentation moves each image by at most ±shift pixels, seeded", () => {
  const img = new Float32Array(2 * 784);
  img[14 * 28 + 14] = 1; // one inked pixel in the middle of image 0
  img[784 + 0] = 1; // and in the corner of image 1
  const out = new Float32Array(2 * 784);
  const seen = new Set<string>();
  const rng = new Rng(3, "shift");
  for (let trial = 0; trial < 50; trial++) {
    shiftedBatch(img, [0, 1], 2, rng, out);
    const at = out.subarray(0, 784).indexOf(1);
    assert.notEqual(at, -1);
    const dy = Math.floor(at / 28) - 14;
    const dx = (at % 28) - 14;
    assert.ok(Math.abs(dx) <= 2 && Math.abs(dy) <= 2, `${dx}, ${dy}`);
    seen.add(`${dx},${dy}`);
    // The corner pixel either moves inside the image or falls off it; nothing else is inked.
    const ink = out.subarray(784).reduce((a, v) => a + v, 0);
    assert.ok(ink === 0 || ink === 1);
  }
  assert.ok(seen.size > 10, `only ${seen.size} distinct shifts`);
  shiftedBatch(img, [1, 0], 0, new Rng(1), out);
  assert.deepEqual(out.subarray(0, 784), img.subarray(784));
  assert.deepEqual(out.subarray(784), img.subarray(0, 784));
});

Deno.test("an STL layer runs a language model's training batch on tfjs-backend-webgpu (chunked past the dispatch limit)", async () => {
  const out = await runCli("tests/fixtures/stl_webgpu_rows.ts", []);
  assert.equal(out.code, 0, out.stderr.slice(-2000));
  const [ok, len, diff] = out.stdout.trim().split(" ");
  assert.equal(ok, "ok");
  assert.equal(Number(len), 16384 * 128);
  assert.ok(Number(diff) < 1e-4, `webgpu vs cpu: mean |diff| ${diff}`);
});
