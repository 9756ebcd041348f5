import assert from "node:assert/strict";
import {
  DEFAULT_MEASURE,
  isLevelShift,
  isSettled,
  measureReported,
  measureWorkload,
  type Workload,
} from "../harness/measure/mod.ts";
import { createFlushWorkload } from "../harness/measure/flush.ts";
import { measureBatch } from "../harness/measure/batch.ts";
import { GPU_TEST, testGpu } from "./helpers.ts";

Deno.test("warm-up settles only when recent batch medians agree", () => {
  assert.equal(isSettled([]), false);
  assert.equal(isSettled([[22, 0], [22.1, 30], [22.05, 60]]), true);
  assert.equal(isSettled([[22, 0], [14, 100], [9, 200]]), false);
  // A clock ramp: slow batches long ago do not matter, recent ones must agree.
  assert.equal(
    isSettled([[40, 0], [20, 50], [8.5, 400], [8.52, 450], [8.49, 500], [8.5, 560]]),
    true,
  );
  assert.equal(isSettled([[8.5, 0], [8.5, 50], [8.5, 100], [9.5, 150]]), false);
});

Deno.test("a clock change during sampling is a level shift; noise is not", () => {
  assert.equal(isLevelShift([0.43, 0.43, 0.431, 0.43], [0.131, 0.132, 0.131]), true);
  assert.equal(isLevelShift([2.13, 2.12], [0.59]), true);
  assert.equal(isLevelShift([0.43, 0.44, 0.42], [0.435, 0.43]), false);
  assert.equal(isLevelShift([], [1]), false);
});

/** A property of a proxied GPU object as it is, methods bound to the object. */
function bound<T extends object>(o: T, k: string | symbol): unknown {
  const v = Reflect.get(o, k);
  return typeof v === "function" ? v.bind(o) : v;
}

async function busyWork(device: GPUDevice): Promise<Workload> {
  const code = `
@group(0) @binding(0) var<storage, read_write> buf: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  var x = buf[g.x];
  for (var i = 0u; i < 2000u; i++) { x = fma(x, 0.999, 0.001); }
  buf[g.x] = x;
}`;
  const module = device.createShaderModule({ code });
  const pipeline = await device.createComputePipelineAsync({
    layout: "auto",
    compute: { module, entryPoint: "main" },
  });
  const buf = device.createBuffer({ size: 64 * 64 * 4, usage: GPUBufferUsage.STORAGE });
  const bg = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: buf } }],
  });
  return {
    label: "busy",
    dispatch(pass) {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bg);
      pass.dispatchWorkgroups(64);
    },
  };
}

Deno.test({
  name: "measureWorkload: timestamps, wall clock and cold-L2 mode give sane samples",
  ...GPU_TEST,
  async fn() {
    const gpu = await testGpu();
    const work = await busyWork(gpu.device);
    const opts = { ...DEFAULT_MEASURE, minSamples: 8, maxSamples: 12, maxTimeMs: 50, warmupMs: 20 };
    const ts = await measureWorkload(gpu, work, opts);
    assert.equal(ts.method, gpu.features.has("timestamp-query") ? "gpu-timestamp" : "wall");
    assert.ok(ts.n >= 8 && ts.n <= 12, `n=${ts.n}`);
    assert.equal(ts.samples.length, ts.n);
    assert.ok(ts.median > 0 && ts.min <= ts.median && ts.median <= ts.max);
    assert.ok(ts.ci.lo <= ts.median && ts.median <= ts.ci.hi);
    assert.ok(ts.warmupRuns! >= 2);
    assert.equal(typeof ts.warmupSettled, "boolean");
    assert.ok(ts.restarts! >= 0 && ts.restarts! <= 3);
    assert.ok(["noise", "time", "max-samples"].includes(ts.stoppedBy!));
    const wall = await measureWorkload(gpu, work, { ...opts, method: "wall" });
    assert.equal(wall.method, "wall");
    assert.ok(wall.n >= 8);
    // Wall time includes submission overhead but must be the same order of magnitude.
    assert.ok(wall.median < ts.median * 50 + 5, `wall ${wall.median} vs gpu ${ts.median}`);
    const flush = await createFlushWorkload(gpu.device, 1 << 20);
    const cold = await measureWorkload(gpu, work, { ...opts, l2: "cold" }, flush);
    assert.equal(cold.l2, "cold");
    assert.ok(cold.n >= 8);
    flush.destroy();
  },
});

Deno.test("measureReported: reps sized from the first execution, capped; a failure propagates", async () => {
  const opts = { ...DEFAULT_MEASURE, warmupMs: 1, maxTimeMs: 5, minSamples: 3 };
  // 5 µs an execution: 25 ms would be 5,000 executions a call; the cap is 1,024.
  const asked: number[] = [];
  const t = await measureReported("tiny", (reps) => {
    asked.push(reps);
    return Promise.resolve(0.005 * reps);
  }, opts);
  assert.equal(asked[0], 1);
  assert.ok(asked.slice(1).every((r) => r === 1024), String(asked.slice(1, 4)));
  assert.ok(Math.abs(t.median - 0.005) < 1e-12);
  // A batch of samples ends after about 50 ms of wall time, whatever count was asked for.
  let calls = 0;
  const slow = await measureReported("slow", async (reps) => {
    calls++;
    await new Promise((r) => setTimeout(r, 30));
    return 40 * reps;
  }, { ...opts, maxTimeMs: 1, minSamples: 2, maxSamples: 100 });
  assert.equal(slow.median, 40);
  assert.ok(calls < 40, `${calls} calls`);
  await assert.rejects(
    measureReported(
      "broken",
      (reps) => reps === 1 ? Promise.resolve(1) : Promise.reject(new Error("lost the timestamps")),
      opts,
    ),
    /lost the timestamps/,
  );
});

Deno.test({
  name: "measureBatch: a plan of several dispatches needs its output, and is fenced on it",
  ...GPU_TEST,
  async fn() {
    const gpu = await testGpu();
    const work = await busyWork(gpu.device);
    const two: Workload = {
      label: "two",
      dispatch(pass) {
        work.dispatch(pass);
        work.dispatch(pass);
      },
    };
    const opts = { ...DEFAULT_MEASURE, minSamples: 4, maxSamples: 6, maxTimeMs: 30, warmupMs: 10 };
    await assert.rejects(
      () => measureBatch(gpu, two, () => Promise.reject(new Error("no copies")), 2, 0.1, opts),
      /"two" records 2 dispatches an execution and needs work\.output/,
    );
    // The fence binds the shared output, read-write, and is recorded into the timed passes: seen
    // on a device that logs the bind groups it makes and the ones its passes set. One-dispatch
    // plans get none.
    const output = gpu.device.createBuffer({ size: 256, usage: GPUBufferUsage.STORAGE });
    const fences = new Set<GPUBindGroup>();
    let recorded = 0;
    const pass = (p: GPUComputePassEncoder) =>
      new Proxy(p, {
        get: (t, k) =>
          k === "setBindGroup"
            ? (i: number, g: GPUBindGroup) => (fences.has(g) && recorded++, t.setBindGroup(i, g))
            : bound(t, k),
      });
    const encoder = (e: GPUCommandEncoder) =>
      new Proxy(e, {
        get: (t, k) =>
          k === "beginComputePass"
            ? (d?: GPUComputePassDescriptor) => pass(t.beginComputePass(d))
            : bound(t, k),
      });
    const device = new Proxy(gpu.device, {
      get(t, k) {
        if (k === "createBindGroup") {
          return (d: GPUBindGroupDescriptor) => {
            const g = t.createBindGroup(d);
            const onOutput = [...d.entries].some((e) =>
              (e.resource as GPUBufferBinding).buffer === output
            );
            if (onOutput) fences.add(g);
            return g;
          };
        }
        if (k === "createCommandEncoder") {
          return (d?: GPUCommandEncoderDescriptor) => encoder(t.createCommandEncoder(d));
        }
        return bound(t, k);
      },
    });
    const logged = { device, features: gpu.features };
    const copy = () => Promise.resolve({ dispatch: two.dispatch, destroy() {} });
    await measureBatch(logged, { ...work, output }, copy, 2, 0.1, opts);
    assert.equal(fences.size, 0);
    const b = await measureBatch(logged, { ...two, output }, copy, 2, 0.1, opts);
    assert.equal(fences.size, 1);
    assert.ok(recorded > 0, "the fence is recorded into the timed passes");
    assert.equal(b.executionDispatches, 2);
    assert.equal(b.order, "chained");
    output.destroy();
  },
});

Deno.test({
  name: "measureBatch: the prime hook runs once, after the copies are made, before any timing",
  ...GPU_TEST,
  async fn() {
    const gpu = await testGpu();
    const work = await busyWork(gpu.device);
    const opts = { ...DEFAULT_MEASURE, minSamples: 4, maxSamples: 6, maxTimeMs: 30, warmupMs: 10 };
    const events: string[] = [];
    const copy = () => {
      events.push("copy");
      return Promise.resolve({ dispatch: work.dispatch, destroy() {} });
    };
    const submit = gpu.device.queue.submit.bind(gpu.device.queue);
    const queue = new Proxy(gpu.device.queue, {
      get: (q, k) =>
        k === "submit"
          ? (b: GPUCommandBuffer[]) => {
            if (events.at(-1) !== "submit") events.push("submit");
            submit(b);
          }
          : bound(q, k),
    });
    const device = new Proxy(gpu.device, { get: (d, k) => k === "queue" ? queue : bound(d, k) });
    const b = await measureBatch(
      { device, features: gpu.features },
      work,
      copy,
      3,
      0.1,
      opts,
      () => Promise.resolve(void events.push("prime")),
    );
    assert.deepEqual(events, ["copy", "copy", "prime", "submit"]);
    assert.ok(b.median > 0);
    // Without the hook nothing else changes.
    events.length = 0;
    await measureBatch({ device, features: gpu.features }, work, copy, 3, 0.1, opts);
    assert.deepEqual(events, ["copy", "copy", "submit"]);
  },
});
