import assert from "node:assert/strict";
import { builtinKernels } from "../kernels/mod.ts";
import { faulty } from "./fixtures/faulty_kernel.ts";
import { GPU_TEST, runInline } from "./helpers.ts";
import { renderSummaryMarkdown } from "../harness/report/markdown.ts";
import {
  BATCH_OVER_RATIO,
  isolatedSuspect,
  TRANSIENT_RATIO,
} from "../harness/analyze/transient.ts";

Deno.test({
  name: "each fault is recorded on its case and the run goes on",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [{ m: 9, k: 16, n: 7 }],
      kernels: [
        { kernel: "dense" },
        { kernel: "faulty", mode: ["ok", "wrong", "nan", "no-write", "bad-wgsl", "skip", "throw"] },
      ],
    }, [...builtinKernels, faulty]);
    const by = (mode: string) => res.results.find((r) => r.params.mode === mode)!;
    assert.equal(res.results.length, 8);
    assert.equal(res.results[0]!.status, "ok");
    assert.equal(by("ok").status, "ok");
    assert.ok(by("ok").speedupVsDense! > 0);
    assert.equal(by("wrong").status, "failed");
    assert.match(by("wrong").reason!, /correctness: relative error 1\.0+e-2 > tolerance/);
    assert.equal(by("wrong").time, null, "a failed kernel must not report a time");
    assert.equal(by("wrong").speedupVsDense, null);
    assert.equal(by("nan").status, "failed");
    assert.match(by("nan").reason!, /non-finite/);
    assert.equal(by("no-write").status, "failed");
    assert.match(by("no-write").reason!, /1 non-finite value\(s\) \(NaN\/Inf or unwritten\)/);
    assert.equal(by("bad-wgsl").status, "failed");
    assert.match(by("bad-wgsl").reason!, /plan: shader "faulty-bad-wgsl" failed/);
    assert.equal(by("skip").status, "skipped");
    assert.equal(by("skip").reason, "skip requested by the test");
    assert.equal(by("throw").status, "failed");
    assert.match(by("throw").reason!, /kernel exploded on purpose/);
    assert.deepEqual({ ...res.totals }, { cases: 8, ok: 2, failed: 5, skipped: 1, pending: 0 });
    assert.equal(res.meta.complete, true);
  },
});

Deno.test({
  name: "shapes over the device's buffer limits are skipped with the reason",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [{ m: 1, k: 1 << 16, n: 1 << 16 }],
      kernels: [{ kernel: "dense" }],
    });
    assert.equal(res.results[0]!.status, "skipped");
    assert.match(
      res.results[0]!.reason!,
      /stored weights needs 17179869184 bytes, over the device's storage buffer limit/,
    );
  },
});

Deno.test({
  name: "missing features skip the case with the reason",
  ...GPU_TEST,
  async fn() {
    const needy = { ...faulty, name: "needy", requires: () => ["imaginary-feature"] };
    const res = await runInline(
      { shapes: [{ m: 2, k: 2, n: 2 }], kernels: [{ kernel: "needy" }] },
      [needy],
    );
    assert.equal(res.results[0]!.status, "skipped");
    assert.match(res.results[0]!.reason!, /feature missing: imaginary-feature/);
  },
});

Deno.test({
  name: "offline preparation runs once per weight shape and is shared by every M",
  ...GPU_TEST,
  async fn() {
    let calls = 0;
    const counting = {
      ...faulty,
      name: "counting",
      prepare: (input: { w: Float32Array }) => {
        calls++;
        return input.w;
      },
    };
    const res = await runInline({
      shapes: [{ m: 2, k: 8, n: 4 }, { m: 3, k: 16, n: 4 }, { m: 5, k: 8, n: 4 }],
      kernels: [{ kernel: "counting" }],
    }, [counting]);
    assert.equal(calls, 2);
    // Shapes sharing weights run together; the later one reuses the preparation.
    assert.deepEqual(res.results.map((r) => r.shape.m), [2, 5, 3]);
    assert.deepEqual(res.results.map((r) => r.setup!.prepareCached), [false, true, false]);
  },
});

/** Quick measurement that times every case back to back, rotating buffer copies (cold L2). */
const COLD_BATCH = {
  minSamples: 2,
  maxSamples: 3,
  maxTimeMs: 1,
  warmupMs: 0,
  maxNoise: 0.5,
  batchBelowMs: 1e4,
  l2: "cold" as const,
};

Deno.test({
  name: "short kernels are also timed back to back, rotating buffer copies in cold mode",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [{ m: 1, k: 256, n: 128 }],
      kernels: [{ kernel: "dense" }, { kernel: "faulty" }],
      measure: COLD_BATCH,
    }, [...builtinKernels, faulty]);
    for (const r of res.results) {
      const b = r.batch!;
      assert.ok(b, r.id);
      // Cold: enough copies that their traffic exceeds the (software adapter's 8 MiB) flush size.
      assert.equal(b.copies, Math.min(8, Math.ceil((8 << 20) / r.bytes)));
      assert.equal(b.l2, "rotating");
      assert.equal(b.order, "chained");
      assert.equal(b.dispatchesPerSample % b.copies, 0);
      assert.ok(b.median > 0 && b.min <= b.median);
      assert.ok(Math.abs(b.gbps - r.bytes / (b.median * 1e-3) / 1e9) < 1e-6 * b.gbps);
    }
    assert.equal(res.results[0]!.batch!.speedupVsDense, 1);
    assert.ok(res.results[1]!.batch!.speedupVsDense! > 0);
    const off = await runInline({
      shapes: [{ m: 1, k: 256, n: 128 }],
      kernels: [{ kernel: "dense" }],
      measure: {
        minSamples: 2,
        maxSamples: 3,
        maxTimeMs: 1,
        warmupMs: 0,
        maxNoise: 0.5,
        batchBelowMs: 0,
      },
    });
    assert.equal(off.results[0]!.batch, null);
  },
});

Deno.test({
  name: "batch copies share one output buffer: every family honours PlanContext.output",
  ...GPU_TEST,
  async fn() {
    // Cold batches of every built-in family: the runner throws (case failed) if a copy's plan
    // returns an output other than the one it was given.
    const all = await runInline({
      shapes: [{ m: 2, k: 256, n: 128 }],
      dtypes: ["f32", "f16"],
      kernels: builtinKernels.map((k) => ({ kernel: k.name })),
      measure: COLD_BATCH,
    });
    const timed = new Set<string>();
    for (const r of all.results) {
      if (r.status === "skipped") continue;
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.ok(r.batch!.copies > 1, r.id);
      assert.equal(r.batch!.order, "chained");
      assert.ok(r.batch!.executionDispatches! >= 1, r.id);
      timed.add(r.kernel);
    }
    assert.deepEqual([...timed].sort(), builtinKernels.map((k) => k.name).sort());
    // STL runs encode, GEMM and decode: three dispatches, fenced between executions (so not
    // flagged in the summary); dense runs one
    const stl = all.results.find((r) => r.kernel === "stl" && r.status === "ok")!;
    const dense = all.results.find((r) => r.kernel === "dense" && r.status === "ok")!;
    assert.equal(stl.batch!.executionDispatches, 3, stl.id);
    assert.equal(dense.batch!.executionDispatches, 1, dense.id);
    assert.doesNotMatch(renderSummaryMarkdown(all), /several dispatches an execution/);
    assert.match(
      renderSummaryMarkdown(all),
      /each execution after the previous execution's output/,
    );
    // A kernel that ignores it fails at the batch stage, naming the contract; timed warm (one
    // copy, no rotation) it is fine.
    const own = await runInline({
      shapes: [{ m: 1, k: 256, n: 128 }],
      kernels: [{ kernel: "faulty", mode: "own-output" }],
      measure: COLD_BATCH,
    }, [...builtinKernels, faulty]);
    assert.equal(own.results[0]!.status, "failed");
    assert.match(own.results[0]!.reason!, /ignored PlanContext\.output/);
    const warm = await runInline({
      shapes: [{ m: 1, k: 256, n: 128 }],
      kernels: [{ kernel: "faulty", mode: "own-output" }],
      measure: { ...COLD_BATCH, l2: "warm" },
    }, [...builtinKernels, faulty]);
    assert.equal(warm.results[0]!.status, "ok");
    assert.equal(warm.results[0]!.batch!.copies, 1);
  },
});

/** One cold back-to-back case of each faulty `modes` at 1×256×128, 5 samples each. */
const runModes = (modes: string[]) =>
  runInline({
    shapes: [{ m: 1, k: 256, n: 128 }],
    kernels: [{ kernel: "faulty", mode: modes }],
    measure: { ...COLD_BATCH, minSamples: 5, maxSamples: 5 },
  }, [...builtinKernels, faulty]);

Deno.test({
  name: "an isolated median far above its own back-to-back figure is measured again",
  ...GPU_TEST,
  async fn() {
    // "slow-first" runs 40× its work until its batch starts; the recheck after it is normal.
    const res = await runModes(["ok", "slow-first"]);
    const [ok, slow] = res.results;
    // Whether the normal case is checked again depends on the software adapter's load (its
    // thresholds are tested on isolatedSuspect below); only the slow one must be.
    assert.equal(ok!.status, "ok");
    assert.equal(slow!.status, "ok", slow!.reason ?? "");
    const r = slow!.time!.recheck!;
    assert.ok(r, "recheck recorded");
    assert.ok(r.ratio > TRANSIENT_RATIO, String(r.ratio));
    assert.equal(r.kept, "second");
    assert.ok(r.secondMedian < r.firstMedian / 5, JSON.stringify(r));
    assert.equal(slow!.time!.median, r.secondMedian);
    // Throughput follows the kept median.
    assert.ok(
      Math.abs(slow!.throughput!.gbps - slow!.bytes / (r.secondMedian * 1e-3) / 1e9) <
        1e-6 * slow!.throughput!.gbps,
    );
  },
});

Deno.test({
  name: "a back-to-back median above the isolated one is measured again",
  ...GPU_TEST,
  async fn() {
    // "slow-batch" runs 40× its work on the first batch's copies; the second batch is normal.
    const res = await runModes(["ok", "slow-batch"]);
    const [ok, slow] = res.results;
    assert.equal(ok!.status, "ok");
    assert.equal(slow!.status, "ok", slow!.reason ?? "");
    const r = slow!.batch!.recheck!;
    assert.ok(r, "recheck recorded");
    assert.ok(r.ratio > BATCH_OVER_RATIO, String(r.ratio));
    assert.equal(r.kept, "second");
    assert.ok(r.secondMedian !== null && r.secondMedian < r.firstMedian / 5, JSON.stringify(r));
    assert.equal(slow!.batch!.median, r.secondMedian);
  },
});

Deno.test({
  name: "a batch copy the device rejects fails its case, with the stage and the error",
  ...GPU_TEST,
  async fn() {
    const res = await runModes(["bad-copy", "ok"]);
    const [bad, ok] = res.results;
    assert.equal(bad!.status, "failed");
    assert.match(bad!.reason!, /validation error while timing back to back/);
    assert.equal(ok!.status, "ok", ok!.reason ?? "");
    assert.ok(ok!.batch!.median > 0);
  },
});

Deno.test("isolatedSuspect: the pass cost is subtracted; no batch, no verdict", () => {
  assert.equal(isolatedSuspect(0.0253, 0.017, 0.0049), null);
  assert.ok(isolatedSuspect(0.0876, 0.01355, 0.0049)! > 6);
  // 0.09 ms isolated over 0.03 back to back: 3× without a pass cost, 2.33× with 0.02 ms of it.
  assert.equal(isolatedSuspect(0.09, 0.03, null), 3);
  assert.equal(isolatedSuspect(0.09, 0.03, 0.02), null);
  assert.equal(isolatedSuspect(0.09, 0, 0.01), null);
  // A small kernel 2.9× over, but by only 19 µs (a cold L2's write-back can cost that): not
  // suspect; 25 µs over is.
  assert.equal(isolatedSuspect(0.034, 0.01, 0.005), null);
  assert.ok(isolatedSuspect(0.04, 0.01, 0.005)! > TRANSIENT_RATIO);
});
