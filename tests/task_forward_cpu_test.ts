import assert from "node:assert/strict";
import { calibrationInputs, convertModel, randomExport } from "../task/convert.ts";
import { checkLinearExport, effectiveWeights, type ModelExport } from "../task/export.ts";
import type { MlpConfig, VitConfig } from "../task/model/arch.ts";
import { forwardCpu, top1 } from "../task/model/forward_cpu.ts";
import { Rng } from "../harness/data/prng.ts";

const VIT: VitConfig = { arch: "vit", patch: 7, dim: 16, depth: 2, heads: 2, mlp: 32 };
const MLP: MlpConfig = { arch: "mlp", hidden: 32, depth: 2 };

function images(count: number, seed: number): Float32Array {
  const rng = new Rng(seed, "test-images");
  return Float32Array.from({ length: count * 784 }, () => rng.next());
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

/** The model with every linear replaced by a dense layer of its effective weights. */
function densified(m: ModelExport): ModelExport {
  return {
    ...m,
    layers: m.layers.map((l) => ({
      ...l,
      op: "dense",
      w: Float32Array.from(effectiveWeights(l)!),
    })),
  };
}

Deno.test("forward_cpu: exact STL encoders reproduce the dense model (ViT tokens, MLP padded rows)", () => {
  const x = images(6, 1);
  for (
    const [cfg, op] of [
      [VIT, { op: "stl", t: 4, r: 49, init: "strassen2" }],
      [VIT, { op: "stl", t: 2, r: 7, init: "strassen" }],
      [MLP, { op: "stl", t: 4, r: 49, init: "strassen2" }],
    ] as const
  ) {
    const dense = randomExport(cfg, 7);
    const stl = convertModel(dense, op, new Map());
    for (const l of stl.layers) checkLinearExport(l);
    assert.ok(stl.layers.some((l) => l.op === "stl"));
    const a = forwardCpu(dense, x, 6);
    const b = forwardCpu(stl, x, 6);
    assert.ok(maxRelDiff(b, a) < 1e-5, `${cfg.arch} ${op.init}: ${maxRelDiff(b, a)}`);
  }
});

Deno.test("forward_cpu: an approximate STL differs from dense, and a sample never sees another", () => {
  const x = images(5, 2);
  for (const cfg of [VIT, MLP]) {
    const dense = randomExport(cfg, 3);
    const stl = convertModel(dense, { op: "stl", t: 4, r: 8, init: "random" }, new Map());
    const all = forwardCpu(stl, x, 5);
    assert.ok(maxRelDiff(all, forwardCpu(dense, x, 5)) > 1e-2);
    // One sample at a time gives the very same logits as the batch.
    assert.deepEqual(forwardCpu(stl, x, 5, 1), all);
    // Changing sample 0 leaves the others' logits unchanged.
    const y = x.slice();
    y.fill(0.5, 0, 784);
    const changed = forwardCpu(stl, y, 5);
    assert.notDeepEqual(changed.subarray(0, 10), all.subarray(0, 10));
    assert.deepEqual(changed.subarray(10), all.subarray(10));
  }
});

Deno.test("forward_cpu: 2:4 and INT4 exports compute with their effective weights", () => {
  const x = images(4, 3);
  for (const cfg of [VIT, MLP]) {
    const dense = randomExport(cfg, 5);
    const calib = calibrationInputs(dense, images(8, 4), 8);
    for (
      const op of [
        { op: "sparse24", mask: "magnitude" },
        { op: "sparse24", mask: "wanda" },
        { op: "int4", group: 16, method: "rtn" },
        { op: "int4", group: 16, method: "awq" },
      ] as const
    ) {
      const m = convertModel(dense, op, calib);
      for (const l of m.layers) checkLinearExport(l);
      const got = forwardCpu(m, x, 4);
      assert.ok(maxRelDiff(got, forwardCpu(densified(m), x, 4)) < 1e-6);
      // A close approximation of the dense model, not the dense model itself.
      const d = maxRelDiff(got, forwardCpu(dense, x, 4));
      assert.ok(d > 0 && d < 1, `${cfg.arch} ${JSON.stringify(op)}: ${d}`);
    }
    const awq = convertModel(dense, { op: "int4", group: 16, method: "awq" }, calib);
    assert.ok(awq.layers.filter((l) => l.op === "int4").every((l) => l.int4!.invScale));
  }
});

Deno.test("forward_cpu: top-1 and chunking", () => {
  const m = randomExport(VIT, 9);
  const x = images(7, 5);
  assert.deepEqual(forwardCpu(m, x, 7, 3), forwardCpu(m, x, 7));
  const logits = forwardCpu(m, x, 7);
  const labels = new Uint8Array(7);
  for (let i = 0; i < 7; i++) {
    let b = 0;
    for (let c = 1; c < 10; c++) if (logits[i * 10 + c]! > logits[i * 10 + b]!) b = c;
    labels[i] = i < 3 ? b : (b + 1) % 10;
  }
  assert.equal(top1(logits, labels), (100 * 3) / 7);
});
