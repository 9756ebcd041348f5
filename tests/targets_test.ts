import assert from "node:assert/strict";
import { readResults } from "../harness/history/files.ts";
import { targets, targetsMarkdown } from "../experiments/targets.ts";

const run = (path: string) => targets(readResults(`data/runs/${path}.json.gz`) as never);
const row = (rows: ReturnType<typeof targets>, start: string) => {
  const r = rows.find((r) => r.target.startsWith(start));
  assert.ok(r, start);
  const values = r.figures.map((f) => f.value);
  return {
    lo: Math.min(...values),
    hi: Math.max(...values),
    met: values.filter((v) => v >= r.bound).length,
    n: values.length,
  };
};

Deno.test("targets: the README's H200 figures come out of the published runs", () => {
  const prefill = run("h200-2026-12-04-c/peers-prefill");
  const cublas = row(prefill, "dense f32 GEMM ÷ cuBLAS");
  assert.deepEqual([cublas.lo.toFixed(2), cublas.hi.toFixed(2), cublas.met, cublas.n], [
    "0.67",
    "0.91",
    1,
    9,
  ]);
  assert.equal(row(prefill, "packed-half dense f16 GEMM").lo.toFixed(2), "1.12");
  const peers = row(prefill, "each case ÷ the fastest comparable WebGPU peer");
  assert.equal(peers.met, peers.n);

  const decode = run("h200-2026-12-04/portable-decode");
  assert.equal(row(decode, "INT4 g128 GEMV ÷ dense f32").lo.toFixed(2), "4.45");
  const streams = row(decode, "INT4 g128 and 2:4 GEMVs");
  assert.deepEqual([Math.round(100 * streams.hi), streams.met, streams.n], [85, 3, 32]);
  assert.equal(Math.round(100 * row(decode, "packed-half dense f16 GEMV").hi), 76);

  const ternary = run("h200-2026-12-04-e/ternary-decode");
  const t = row(ternary, "fastest ternary GEMV ÷ INT4");
  assert.deepEqual([t.lo.toFixed(2), t.hi.toFixed(2), t.met, t.n], ["0.77", "2.10", 2, 16]);
  const tiny1 = row(ternary, "INT4 g128 GEMV ÷ tinygemm");
  assert.deepEqual([tiny1.met, tiny1.n], [8, 8]);
  const tiny16 = row(run("h200-2026-12-04-e/int4-m16-tuned"), "INT4 g128 GEMV ÷ tinygemm");
  assert.deepEqual([tiny16.met, tiny16.n], [2, 8]);

  const int8 = run("h200-2026-12-04-e/int8-decode");
  const i8 = row(int8, "int8 GEMV ÷ the faster dense f16");
  assert.deepEqual([i8.lo.toFixed(2), i8.met, i8.n], ["1.44", 1, 4]);
  assert.equal(Math.round(100 * row(int8, "int8 GEMV, share of copy").hi), 55);
});

Deno.test("targets: a run without the cases or anchors of a target has no row for it", () => {
  const rows = targets({ results: [], meta: { peaks: null, anchors: [] } });
  assert.deepEqual(rows, []);
  assert.equal(targetsMarkdown(rows).split("\n").length, 2);
});
