import assert from "node:assert/strict";
import { convertModel, randomExport } from "../task/convert.ts";
import { flopReduction, modelCost } from "../task/accounting.ts";
import type { ModelConfig } from "../task/model/arch.ts";

const VIT: ModelConfig = { arch: "vit", patch: 7, dim: 32, depth: 2, heads: 2, mlp: 64 };

Deno.test("task accounting: dense ViT FLOPs and parameters by hand", () => {
  const c = modelCost(randomExport(VIT, 1));
  const t = 16, d = 32, m = 64, hd = 16;
  const linears = 2 * (t * 49 * d + 2 * (4 * t * d * d + 2 * t * d * m) + d * 10);
  assert.equal(c.flops.linears.core, linears);
  assert.equal(c.flops.linears.overhead, 0);
  const ln = 8 * t * d;
  const att = 2 * (4 * t * t * hd + 5 * t * t);
  const block = 2 * ln + 3 * t * d + att + 4 * t * d + 10 * t * m;
  assert.equal(c.flops.rest, 2 * t * d + 2 * block + ln + t * d + 10);
  assert.equal(c.flops.total, linears + c.flops.rest);
  const weights = 49 * d + 2 * (4 * d * d + 2 * d * m) + d * 10;
  const biases = d + 2 * (4 * d + m + d) + 10;
  const tensors = t * d + 2 * 4 * d + 2 * d;
  assert.equal(c.params.total, weights + biases + tensors);
});

Deno.test("task accounting: operator FLOP reductions (STL t4 r24 = 64/24, 2:4 = 2, INT4 = 1)", () => {
  const dense = randomExport(VIT, 1);
  const base = modelCost(dense);
  const stl = modelCost(convertModel(dense, { op: "stl", t: 4, r: 24, init: "random" }, new Map()));
  const r = flopReduction(stl, base);
  assert.ok(Math.abs(r.operatorCore - 64 / 24) < 1e-12, String(r.operatorCore));
  // Encode and decode (dense random α, γ) are counted too: at dim 32 they outweigh the savings.
  assert.ok(r.linears < r.operatorCore && r.model < r.operatorCore, JSON.stringify(r));
  assert.ok(stl.flops.linears.overhead > 0);
  // STL stores r/t² = 1.5× the dense weights in its operator linears (plus α, γ).
  const q = stl.layers.find((l) => l.name === "blocks.0.attn.q")!;
  assert.equal(q.params, 24 * 8 * 8 + 2 * 24 * 16 + 32);
  const s24 = modelCost(convertModel(dense, { op: "sparse24", mask: "magnitude" }, new Map()));
  assert.equal(flopReduction(s24, base).operatorCore, 2);
  const i4 = modelCost(convertModel(dense, { op: "int4", group: 16, method: "rtn" }, new Map()));
  assert.equal(flopReduction(i4, base).operatorCore, 1);
  assert.ok(i4.storedBytes < base.storedBytes / 2); // g16, f32 scales: 1/4 in its operator linears
});

Deno.test("task accounting: STL in the MLP executes t rows per sample", () => {
  const dense = randomExport({ arch: "mlp", hidden: 32, depth: 1 }, 1);
  const stl = modelCost(convertModel(dense, { op: "stl", t: 4, r: 24, init: "random" }, new Map()));
  const fc1 = stl.layers[0]!;
  assert.equal(fc1.m, 4);
  assert.equal(fc1.flops.core, 2 * 1 * 196 * 8 * 24);
});

Deno.test("task accounting: int8 and ternary keep dense products in fewer bytes; monarch's FLOPs are 2·b·(K + N) a row", () => {
  const dense = randomExport(VIT, 1);
  const base = modelCost(dense);
  const none = new Map();
  const i8 = modelCost(
    convertModel(dense, { op: "int8", outliers: "none", threshold: 6, smooth: 0 }, none),
  );
  assert.equal(flopReduction(i8, base).operatorCore, 1);
  assert.ok(i8.flops.linears.overhead > base.flops.linears.overhead); // the activation pass
  const t = modelCost(convertModel(dense, { op: "ternary", group: 0, method: "absmean" }, none));
  const q = t.layers.find((l) => l.name === "blocks.0.attn.q")!;
  assert.equal(q.storedBytes, (32 / 4) * 32 + 32 * 4); // 2-bit codes + f32 scales
  const m = modelCost(convertModel(dense, { op: "monarch", blocks: 4 }, none));
  const mq = m.layers.find((l) => l.name === "blocks.0.attn.q")!;
  assert.equal(mq.flops.core, 2 * 16 * 4 * (32 + 32));
  assert.equal(mq.params, 4 * (32 + 32) + 32);
  // q, k, v, o are 32×32 (dense 2·K·N / monarch 2·b·(K + N) = 4) and fc1, fc2 32×64 (16/3).
  const want = (4 * 32 * 32 + 2 * 32 * 64) / (4 * 4 * 64 + 2 * 4 * 96);
  assert.ok(Math.abs(flopReduction(m, base).operatorCore - want) < 1e-12);
});
