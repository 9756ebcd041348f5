import assert from "node:assert/strict";
import { readResults } from "../harness/history/files.ts";
import { joinRuns, targets, targetsMarkdown, unorderedFigures } from "../experiments/targets.ts";
import { unorderedBatch } from "../harness/analyze/batch_order.ts";

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

type Case = ReturnType<typeof readResults>["results"][number];

const shapeOf = (c: Case) => `${c.shape.m}x${c.shape.k}x${c.shape.n}`;

/** Each ok case's median (`time`) under its `key`. */
const medians = (file: string, key: (c: Case) => string, time: (c: Case) => number) =>
  new Map(readResults(file).results.filter((c) => c.status === "ok").map((c) => [key(c), time(c)]));

/** Time of each case whose key starts with `over` ÷ that of the case with `base` in its place. */
const timeRatios = (t: Map<string, number>, over: string, base: string) =>
  [...t].filter(([k]) => k.startsWith(over)).map(([k, v]) => v / t.get(k.replace(over, base))!);

/** [count, lowest, highest] of some ratios, to two decimals. */
const span = (r: number[]) => [r.length, Math.min(...r).toFixed(2), Math.max(...r).toFixed(2)];

/** A target row's [lowest, highest] figure to two decimals, the cases at its bound, and all cases. */
const rowFigures = (rows: ReturnType<typeof targets>, start: string) => {
  const r = row(rows, start);
  return [r.lo.toFixed(2), r.hi.toFixed(2), r.met, r.n];
};

/** Each ok case's back-to-back median under its id. */
const batchMedians = (file: string) => medians(file, (c) => c.id, (c) => c.batch!.median);

/** `now` ÷ `then` for every key both hold. */
const sharedRatios = (now: Map<string, number>, then: Map<string, number>) =>
  [...now].filter(([k]) => then.has(k)).map(([k, v]) => v / then.get(k)!);

Deno.test("targets: the README's H200 figures come out of the published job", () => {
  const dir = "data/runs/h200-2026-12-05-b";
  const files = ["targets-prefill", "targets-decode-m1", "targets-decode-m16"].map((f) =>
    readResults(`${dir}/${f}.json.gz`)
  );
  const job = targets(joinRuns(files as never));
  const cublas = row(job, "dense f32 GEMM ÷ cuBLAS");
  assert.deepEqual([cublas.lo.toFixed(2), cublas.hi.toFixed(2), cublas.met, cublas.n], [
    "0.69",
    "0.97",
    1,
    9,
  ]);
  assert.equal(row(job, "packed-half dense f16 GEMM").lo.toFixed(2), "1.12");
  const gemvHalf = row(job, "packed-half dense f16 GEMV");
  assert.deepEqual([Math.round(100 * gemvHalf.lo), Math.round(100 * gemvHalf.hi)], [6, 71]);
  const copy = row(job, "harness copy peak against torch copy_");
  assert.deepEqual([Math.round(100 * copy.lo), copy.met, copy.n], [96, 3, 3]);
  const peers = row(job, "each case ÷ the fastest comparable WebGPU peer");
  assert.deepEqual([peers.met, peers.n, peers.lo.toFixed(2)], [239, 239, "1.75"]);

  assert.equal(row(job, "INT4 g128 GEMV ÷ dense f32").lo.toFixed(2), "4.15");
  const streams = row(job, "INT4 g128 and 2:4 GEMVs");
  assert.deepEqual([Math.round(100 * streams.hi), streams.met, streams.n], [87, 3, 32]);
  const tiny = row(job, "INT4 g128 GEMV ÷ tinygemm");
  assert.deepEqual([tiny.lo.toFixed(2), tiny.hi.toFixed(2), tiny.met, tiny.n], [
    "0.53",
    "3.10",
    8,
    16,
  ]);

  const i8 = row(job, "int8 GEMV ÷ the faster dense f16");
  assert.deepEqual([i8.lo.toFixed(2), i8.hi.toFixed(2), i8.met, i8.n], ["1.21", "2.55", 1, 8]);
  const i8copy = row(job, "int8 GEMV, share of copy");
  assert.deepEqual([Math.round(100 * i8copy.lo), Math.round(100 * i8copy.hi)], [4, 54]);
  const t = row(job, "fastest ternary GEMV ÷ INT4");
  assert.deepEqual([t.lo.toFixed(2), t.hi.toFixed(2), t.met, t.n], ["1.08", "1.62", 5, 16]);
  const tcopy = row(job, "fastest ternary GEMV, share of copy");
  assert.deepEqual([Math.round(100 * tcopy.lo), Math.round(100 * tcopy.hi)], [1, 31]);
});

Deno.test("targets: a run without the cases or anchors of a target has no row for it", () => {
  const rows = targets({ results: [], meta: { peaks: null, anchors: [] } });
  assert.deepEqual(rows, []);
  assert.equal(targetsMarkdown(rows).split("\n").length, 2);
});

Deno.test("targets: the README's H100 figures come out of the published runs", () => {
  const dir = "data/runs/h100-2026-12-05";
  const run = (f: string) => targets(readResults(`${dir}/${f}.json.gz`) as never);
  // defaults within 10% of their best candidate: tuned M = 16 and the held-out sets
  const m16 = run("targets-decode-m16-int4-dense-tuned");
  const met = (rows: ReturnType<typeof targets>, family: string) => {
    const r = row(rows, `${family} default's speed`);
    return [r.met, r.n];
  };
  assert.deepEqual(met(m16, "dense"), [13, 16]);
  assert.deepEqual(met(m16, "int4"), [9, 16]);
  assert.deepEqual(met(run("int4-heldout2-tuned"), "int4"), [15, 24]);
  assert.deepEqual(met(run("int8-heldout-tuned"), "int8"), [11, 16]);
  assert.deepEqual(met(run("int8-m1-tuned"), "int8"), [10, 14]);
  assert.deepEqual(met(run("dense-heldout4-f32-tuned"), "dense"), [3, 10]);
  // shares of the same-size read stream at M = 1
  const m1 = run("targets-decode-m1-part");
  const stream = m1.find((r) => r.target.startsWith("INT4 g128 and 2:4 GEMVs"))!.stream!;
  const pct = stream.map((s) => Math.round(100 * s.value));
  assert.deepEqual([Math.min(...pct), Math.max(...pct)], [33, 91]);
  const tiny = row(m1, "INT4 g128 GEMV ÷ tinygemm");
  assert.deepEqual([tiny.lo.toFixed(2), tiny.hi.toFixed(2), tiny.met, tiny.n], [
    "1.90",
    "3.06",
    6,
    6,
  ]);
  const tinyM16 = row(m16, "INT4 g128 GEMV ÷ tinygemm");
  assert.deepEqual([tinyM16.lo.toFixed(2), tinyM16.hi.toFixed(2), tinyM16.met], [
    "0.52",
    "0.92",
    0,
  ]);
});

Deno.test("targets: the held-out figures of the second H200 and H100 runs of 2026-12-05", () => {
  const run = (f: string) => targets(readResults(`data/runs/${f}.json.gz`) as never);
  const met = (rows: ReturnType<typeof targets>, family: string) => {
    const r = row(rows, `${family} default's speed`);
    return [r.met, r.n];
  };
  // INT4 at M = 10 and 12 (H200), and 2:4, STL and Monarch prefill held out (H100)
  assert.deepEqual(met(run("h200-2026-12-05-c/int4-heldout3-m10-m12-tuned"), "int4"), [11, 16]);
  const pre = run("h100-2026-12-05-b/prefill-heldout-tuned");
  assert.deepEqual(["sparse24", "stl", "monarch"].map((f) => met(pre, f)), [[3, 6], [2, 12], [
    8,
    12,
  ]]);
  // INT4 ÷ dense f32 at the decode target shape on the H200
  const m1 = run("h200-2026-12-05-c/targets-decode-m1-llama3-mlp-part");
  assert.equal(row(m1, "INT4 g128 GEMV ÷ dense f32 GEMV").lo.toFixed(2), "4.20");
});

Deno.test("targets: the H100 run of X staged by steps and of STL tuned", () => {
  const dir = "data/runs/h100-2026-12-05-c";
  const stl = row(targets(readResults(`${dir}/stl-tuned.json.gz`) as never), "stl default's speed");
  assert.deepEqual([stl.met, stl.n], [55, 60]);
  // staged ÷ unstaged, back to back, per arithmetic (data/runs/h100-2026-12-05-c/README.md)
  const times = medians(
    `${dir}/int4-stage-steps.json.gz`,
    (c) => `${c.params.gemvMath}/${c.tune?.gemvStageX}/${shapeOf(c)}`,
    (c) => c.batch!.median,
  );
  const ratios = (math: string) => timeRatios(times, `${math}/on/`, `${math}/off/`);
  assert.deepEqual(span(ratios("f32")), [12, "1.24", "2.51"]);
  assert.deepEqual(span(ratios("f16x2")), [16, "0.98", "1.90"]);
});

Deno.test("targets: the H100 prefill targets and INT4 at M = 14 held out", () => {
  const dir = "data/runs/h100-2026-12-05-d";
  const job = targets(readResults(`${dir}/targets-prefill.json.gz`) as never);
  const cublas = row(job, "dense f32 GEMM ÷ cuBLAS");
  assert.deepEqual([cublas.lo.toFixed(2), cublas.hi.toFixed(2), cublas.met, cublas.n], [
    "0.68",
    "0.94",
    1,
    9,
  ]);
  assert.equal(row(job, "packed-half dense f16 GEMM").lo.toFixed(2), "1.11");
  const peers = row(job, "each case ÷ the fastest comparable WebGPU peer");
  assert.deepEqual([peers.met, peers.n, peers.lo.toFixed(2)], [63, 63, "3.49"]);
  const int4 = row(
    targets(readResults(`${dir}/int4-heldout3-m14-tuned.json.gz`) as never),
    "int4 default's speed",
  );
  assert.deepEqual([int4.met, int4.n], [5, 8]);
});

Deno.test("targets: the 2:4 GEMM against dense at M ≥ 2048, f32 and packed halves, both GPUs", () => {
  const spans = (file: string) => {
    const t = medians(
      `data/runs/${file}.json.gz`,
      (c) => `${c.id.split("/")[0]}/${c.dtype}/${shapeOf(c)}`,
      (c) => c.time!.median,
    );
    // dense time ÷ 2:4 time: the 2:4 GEMM's speed against dense
    const over = (sparse: string, dense: string) =>
      span(timeRatios(t, sparse, dense).map((r) => 1 / r));
    return [over("sparse24/f32/", "dense/f32/"), over("sparse24/f16/", "dense(math=f16x2)/f16/")];
  };
  assert.deepEqual(spans("h100-2026-12-05-d/targets-prefill"), [[9, "0.65", "0.82"], [
    9,
    "1.01",
    "1.25",
  ]]);
  assert.deepEqual(spans("h200-2026-12-05-b/targets-prefill"), [[9, "0.65", "0.80"], [
    9,
    "1.01",
    "1.25",
  ]]);
});

Deno.test("targets: INT4 with fewer registers against the default, H100 (e)", () => {
  const file = "data/runs/h100-2026-12-05-e/int4-lean";
  const t = medians(
    `${file}.json.gz`,
    (c) => `${c.id.split("/")[0]}/${c.dtype}/${shapeOf(c)}`,
    (c) => c.batch!.median,
  );
  const r = timeRatios(t, "int4(gemvLean=on)/", "int4(gemvLean=off)/");
  assert.deepEqual(span(r), [48, "0.70", "1.17"]);
  assert.equal(Math.exp(r.reduce((s, x) => s + Math.log(x), 0) / r.length).toFixed(2), "0.98");
  assert.deepEqual([r.filter((x) => x < 0.95).length, r.filter((x) => x > 1.05).length], [12, 6]);
  // tinygemm's back-to-back figure of this run came from a host loop, and the row says so
  const tiny = targets(readResults(`${file}.json.gz`) as never).find((r) =>
    r.target.startsWith("INT4 g128 GEMV ÷ tinygemm")
  );
  assert.match(tiny!.target, /host loop/);
});

Deno.test("targets: a tinygemm anchor replayed from a CUDA graph gets the plain row", () => {
  const run = readResults("data/runs/h100-2026-12-05-e/int4-lean.json.gz") as never as {
    meta: { anchors: { library?: string; batchMethod?: string }[] };
  };
  for (const a of run.meta.anchors) if (a.library === "tinygemm") a.batchMethod = "cuda-graph";
  const tiny = targets(run as never).find((r) => r.target.startsWith("INT4 g128 GEMV ÷ tinygemm"));
  assert.equal(tiny!.target, "INT4 g128 GEMV ÷ tinygemm int4 (bf16), M ≤ 16, f16 X (back to back)");
});

Deno.test("targets: the H100 prefill and four M = 1 shapes at 55135a1 (2026-12-07-e)", () => {
  const dir = "data/runs/h100-2026-12-07-e";
  const files = ["targets-prefill", "targets-decode-m1-b"].map((f) =>
    readResults(`${dir}/${f}.json.gz`)
  );
  const job = targets(joinRuns(files as never));
  const fig = (start: string) => rowFigures(job, start);
  assert.deepEqual(fig("dense f32 GEMM ÷ cuBLAS"), ["0.71", "0.85", 1, 9]);
  assert.deepEqual(fig("packed-half dense f16 GEMM ÷ our f32"), ["1.22", "1.22", 0, 1]);
  assert.deepEqual(fig("int8 GEMV ÷ the faster dense f16"), ["1.40", "2.02", 1, 4]);
  assert.deepEqual(fig("fastest ternary GEMV ÷ INT4"), ["1.06", "1.44", 3, 8]);
  assert.deepEqual(fig("INT4 g128 GEMV ÷ tinygemm"), ["0.71", "0.98", 0, 4]);
  // run to run: the same 52 back-to-back medians in the earlier job on another machine loan
  const now = batchMedians(`${dir}/targets-decode-m1-b.json.gz`);
  const then = batchMedians("data/runs/h100-2026-12-07-d/targets-decode-m1-b.json.gz");
  assert.deepEqual(span(sharedRatios(now, then)), [52, "1.00", "1.01"]);
});

Deno.test("targets: the H100 decode shapes of 2026-12-07-f and the INT4 GEMV's small grids", () => {
  const dir = "data/runs/h100-2026-12-07-f";
  const job = targets(joinRuns([readResults(`${dir}/targets-decode-m1-c.json.gz`)] as never));
  const fig = (start: string) => rowFigures(job, start);
  assert.deepEqual(fig("INT4 g128 GEMV ÷ dense f32 GEMV"), ["5.57", "5.57", 1, 1]);
  assert.deepEqual(fig("INT4 g128 GEMV ÷ tinygemm"), ["0.41", "1.23", 2, 11]);
  assert.deepEqual(fig("int8 GEMV ÷ the faster dense f16"), ["1.54", "1.80", 1, 4]);
  assert.deepEqual(fig("fastest ternary GEMV ÷ INT4"), ["0.98", "1.63", 3, 7]);
  assert.deepEqual(fig("INT4 g128 and 2:4 GEMVs, share of copy"), ["0.02", "0.90", 4, 16]);
  const tinygemm = job.find((r) => r.target.startsWith("INT4 g128 GEMV ÷ tinygemm"))!;
  const m16 = tinygemm.figures.filter((f) => f.id.includes("/16x")).map((f) => f.value);
  assert.deepEqual(span(m16), [7, "0.41", "0.84"]);
  // run to run: the M = 1 cases h100-2026-12-07-d timed too
  const now = batchMedians(`${dir}/targets-decode-m1-c.json.gz`);
  const then = new Map([
    ...batchMedians("data/runs/h100-2026-12-07-d/targets-decode-m1-a.json.gz"),
    ...batchMedians("data/runs/h100-2026-12-07-d/targets-decode-m1-b.json.gz"),
  ]);
  const r = sharedRatios(now, then).sort((a, b) => a - b);
  const three = (x: number) => x.toFixed(3);
  assert.deepEqual([r.length, three(r[0]), three(r[r.length >> 1]), three(r.at(-1)!)], [
    50,
    "0.993",
    "1.001",
    "1.010",
  ]);
  // the grid: the default ÷ the fastest geometry back to back, and how far behind that the
  // geometry ranked first isolated falls
  const grid = readResults(`${dir}/int4-gemv-grid-small.json.gz`).results.filter((c) =>
    c.kernel === "int4" && c.status === "ok"
  );
  const out: string[][] = [];
  for (const shape of ["1x2048x2048", "1x2048x5632", "1x4096x1024"]) {
    const cs = grid.filter((c) => shapeOf(c) === shape);
    const def = cs.find((c) => c.tuneSource === "default")!;
    const iso = cs.reduce((a, c) => c.time!.median < a.time!.median ? c : a);
    const best = cs.reduce((a, c) => c.batch!.median < a.batch!.median ? c : a);
    const fastest = best.batch!.median;
    // column-threads × K slices, packed rows a step
    const geo = (c: Case) => {
      const n = c.notes as Record<string, number>;
      return `${n.columnsPerWorkgroup / n.columnsPerThread}x${n.slices}u${n.unroll}`;
    };
    out.push([
      geo(def),
      geo(best),
      geo(iso),
      (def.batch!.median / fastest).toFixed(2),
      (iso.batch!.median / fastest).toFixed(3),
    ]);
  }
  assert.deepEqual(out, [
    ["4x32u2", "4x64u4", "4x64u2", "1.15", "1.043"],
    ["4x32u2", "4x64u2", "4x64u2", "1.02", "1.000"],
    ["4x64u2", "4x128u2", "4x128u2", "1.18", "1.000"],
  ]);
});

Deno.test("targets: the figures possibly too fast are those the back-to-back rows read", () => {
  const job = (dir: string, files: string[]) =>
    joinRuns(files.map((f) => readResults(`data/runs/${dir}/${f}.json.gz`)) as never);
  const h200 = job("h200-2026-12-05-b", [
    "targets-prefill",
    "targets-decode-m1",
    "targets-decode-m16",
  ]);
  // its dense GEMMs at M = 16 split K (two dispatches an execution, before the fence), but the
  // rows read them only isolated, against the WebGPU peers
  const split = h200.results.filter((r) => unorderedBatch(r));
  assert.equal(split.length, 24);
  assert.ok(split.every((r) => r.family === "dense" && r.shape.m === 16));
  assert.deepEqual(unorderedFigures(h200, targets(h200)), []);
  // the W1.58A8 GEMV with X quantised in a dispatch of its own, read back to back
  const dp4a = job("h200-2026-12-06-b", ["targets-decode-m1"]);
  assert.deepEqual(unorderedFigures(dp4a, targets(dp4a)), [
    "ternary(method=dp4a)/f32/1x5632x2048@tinyllama.mlp.down.m1",
    "ternary(method=dp4a)/f16/1x5632x2048@tinyllama.mlp.down.m1",
  ]);
});
