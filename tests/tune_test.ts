import assert from "node:assert/strict";
import {
  adapterToolKey,
  cachedChoice,
  chooseFastest,
  emptyTuneCache,
  kernelTuneKey,
  loadTuneCache,
  recordChoice,
  saveTuneCache,
  shapeClass,
  TuneCacheError,
  tuneEntryKey,
} from "../harness/tune/mod.ts";
import { buildModel } from "../harness/report/model.ts";
import { builtinKernels } from "../kernels/mod.ts";
import { GPU_TEST, runInline, testGpu } from "./helpers.ts";
import { runCli } from "./run_cli.ts";

Deno.test("the tuner keeps the fastest candidate of a fake sampler; failures are recorded", async () => {
  const times = [3, 1.5, NaN, 1.2, 2];
  let i = 0;
  const out = await chooseFastest(
    [{}, { tile: "a" }, { tile: "bad" }, { tile: "b" }, { tile: "c" }],
    (tune) => {
      const t = times[i++]!;
      if (tune.tile === "bad") return Promise.reject(new Error("plan refused"));
      return Promise.resolve(t);
    },
  );
  assert.deepEqual(out.best, { tile: "b" });
  assert.equal(out.medianMs, 1.2);
  assert.deepEqual(out.trials[2], { tune: { tile: "bad" }, medianMs: null, error: "plan refused" });
  // Ties keep the earlier (the shipped default, listed first).
  const tie = await chooseFastest([{}, { tile: "a" }], () => Promise.resolve(1));
  assert.deepEqual(tie.best, {});
  const none = await chooseFastest([{}], () => Promise.reject(new Error("x")));
  assert.equal(none.best, null);
});

Deno.test("the cache is keyed by adapter and tool version, then kernel, dtype, shape class, params", async () => {
  const h200 = { vendor: "nvidia", architecture: "hopper", device: "", description: "H200" };
  const a = adapterToolKey(h200, { name: "tilebench", version: "0.1.0" });
  const b = adapterToolKey(h200, { name: "tilebench", version: "0.2.0" });
  const c = adapterToolKey({ ...h200, description: "H100" }, {
    name: "tilebench",
    version: "0.1.0",
  });
  assert.notEqual(a, b);
  assert.notEqual(a, c);
  assert.equal(shapeClass({ m: 3000, k: 4096, n: 14336 }), "4096x4096x16384");
  assert.notEqual(shapeClass({ m: 1, k: 64, n: 64 }), shapeClass({ m: 2, k: 64, n: 64 }));
  const key = tuneEntryKey("dense", "f32", { m: 3000, k: 4096, n: 14336 }, {});
  assert.equal(key, tuneEntryKey("dense", "f32", { m: 4096, k: 4096, n: 16384 }, {}));
  assert.notEqual(key, tuneEntryKey("dense", "f16", { m: 3000, k: 4096, n: 14336 }, {}));
  const cache = emptyTuneCache();
  const choice = {
    tune: { tile: "64x64" },
    medianMs: 2,
    shape: "3000x4096x14336",
    trials: [],
    at: "t",
  };
  recordChoice(cache, a, key, choice);
  assert.equal(cachedChoice(cache, a, key), choice);
  assert.equal(cachedChoice(cache, b, key), null);
  assert.equal(cachedChoice(cache, c, key), null);

  const dir = await Deno.makeTempDir();
  const file = `${dir}/sub/cache.json`;
  await saveTuneCache(file, cache);
  assert.deepEqual(await loadTuneCache(file), cache);
  assert.match(await Deno.readTextFile(file), /\n {2}"adapters": \{\n/); // readable: indented
  await Deno.writeTextFile(file, "{ nope");
  await assert.rejects(() => loadTuneCache(file), (e: Error) => {
    assert.ok(e instanceof TuneCacheError);
    assert.match(e.message, /sub\/cache\.json: not JSON/);
    return true;
  });
  await Deno.writeTextFile(
    file,
    JSON.stringify({ format: 1, adapters: { [a]: { [key]: { ...choice, medianMs: -1 } } } }),
  );
  await assert.rejects(
    () => loadTuneCache(file),
    /\["dense\/f32\/4096x4096x16384\/-"\]\.medianMs: must be a positive number/,
  );
  await Deno.writeTextFile(file, JSON.stringify({ format: 7, adapters: {} }));
  await assert.rejects(() => loadTuneCache(file), /format: must be 1, got 7/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("bench --tune: a bad mode or cache file is a one-line usage error naming it", async () => {
  const dir = await Deno.makeTempDir();
  const bench = (args: string[]) => runCli("harness/run/main.ts", args);
  let r = await bench(["--tune", "sometimes", "--out", `${dir}/o1`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--tune must be one of off, cached, full; got "sometimes"/);
  await Deno.writeTextFile(`${dir}/bad.json`, "[]");
  r = await bench(["--tune-cache", `${dir}/bad.json`, "--out", `${dir}/o2`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad\.json: \(top level\): must be an object/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test(
  "tuning on the software adapter: full times the candidates, cached reuses, a suite's tune wins",
  GPU_TEST,
  async () => {
    const dir = await Deno.makeTempDir();
    const file = `${dir}/cache.json`;
    const run = (mode: "off" | "cached" | "full", tune?: Record<string, string>) =>
      runInline(
        {
          name: "tune",
          seed: 5,
          dtypes: ["f32"],
          shapes: [{ m: 32, k: 32, n: 64 }],
          kernels: [{ kernel: "dense", ...(tune ? { tune } : {}) }],
        },
        builtinKernels,
        { mode, file },
      );
    const full = await run("full");
    const r = full.results[0]!;
    assert.equal(r.status, "ok", r.reason ?? "");
    assert.equal(r.tuneSource, "tuned");
    const trials = r.notes.tuneTrials as { tune: Record<string, unknown>; medianMs: number }[];
    // The default (32x64), the other tile M = 32 fills, the default tile double-buffered, 32 deep,
    // both, with 8x4 warp lanes, with row slabs and with the last three together, and the X slab
    // not shifted (auto shifts it on 32x64), each timed.
    assert.deepEqual(trials.map((t) => t.tune), [
      {},
      { tile: "16x64" },
      { tile: "32x64", buffers: "2" },
      { tile: "32x64", bk: "32" },
      { tile: "32x64", bk: "32", buffers: "2" },
      { tile: "32x64", lanes: "8x4" },
      { tile: "32x64", slabs: "rows" },
      { tile: "32x64", slabs: "rows", buffers: "2", lanes: "8x4" },
      { xSkew: "off" },
    ]);
    assert.ok(trials.every((t) => t.medianMs > 0));
    const fastest = trials.reduce((a, b) => (b.medianMs < a.medianMs ? b : a));
    assert.equal(r.tune!.tile, fastest.tune.tile ?? "auto");
    assert.equal(full.meta.tune?.mode, "full");
    assert.match(buildModel(full).cases[0]!.params, /\(tuned\)$/); // the report says so
    const cache = await loadTuneCache(file);
    // The dense kernel's tuning revision is part of its key: older choices are not reused.
    const key = tuneEntryKey("dense@5", "f32", { m: 32, k: 32, n: 64 }, { math: "f32" });
    assert.deepEqual(cachedChoice(cache, full.meta.tune!.adapterKey!, key)?.tune, fastest.tune);

    const cached = (await run("cached")).results[0]!;
    assert.equal(cached.tuneSource, "cached");
    assert.deepEqual(cached.tune, r.tune);
    const off = (await run("off")).results[0]!;
    assert.equal(off.tuneSource, "default");
    assert.equal(off.tune!.tile, "auto");
    const given = (await run("full", { tile: "16x64" })).results[0]!;
    assert.equal(given.tuneSource, "suite");
    assert.equal(given.tune!.tile, "16x64");
    await Deno.remove(dir, { recursive: true });
  },
);

Deno.test(
  "the tuner does not time a candidate that compiles the default's shader again",
  GPU_TEST,
  async () => {
    const dir = await Deno.makeTempDir();
    // INT4 at M = 12 with 16 column-threads: the default already takes 64 K slices
    const res = await runInline(
      {
        name: "tune-dedupe",
        seed: 5,
        dtypes: ["f32"],
        shapes: [{ m: 12, k: 256, n: 64 }],
        kernels: [{ kernel: "int4", group: 128 }],
      },
      builtinKernels,
      { mode: "full", file: `${dir}/cache.json` },
    );
    const r = res.results[0]!;
    assert.equal(r.status, "ok", r.reason ?? "");
    const int4 = builtinKernels.find((k) => k.name === "int4")!;
    const auto = int4.resolve({ group: 128 }, r.shape, "f32", {}) as {
      layout: { gemv: { slices: number } };
    };
    assert.equal(auto.layout.gemv.slices, 64);
    const timed = (r.notes.tuneTrials as { tune: Record<string, unknown> }[]).map((t) => t.tune);
    assert.deepEqual(timed[0], {});
    assert.ok(!timed.some((t) => t.gemvSlices === "64"), JSON.stringify(timed));
    assert.ok(timed.some((t) => t.gemvSlices === "32") && timed.some((t) => t.gemvSlices === "16"));
    // from M = 8 the 16-row GEMM is timed beside the GEMV, whole K and split in two
    const gemm = timed.filter((t) => t.variant === "gemm").map((t) => t.splitK);
    assert.deepEqual(gemm, ["1", "2"]);
    await Deno.remove(dir, { recursive: true });
  },
);

/**
 * Runs int8 at `shape` with `--tune cached`: once with an empty cache (for its adapter key), then
 * with `tune` cached for the class of `choiceShape`. Returns the second run's result.
 */
async function cachedInt8Case(
  shape: { m: number; k: number; n: number },
  choiceShape: { m: number; k: number; n: number },
  tune: Record<string, string>,
) {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/cache.json`;
  const gpu = await testGpu();
  const run = () =>
    runInline(
      {
        name: "tune-cached",
        seed: 5,
        dtypes: ["f32"],
        shapes: [shape],
        kernels: [{ kernel: "int8" }],
      },
      builtinKernels,
      { mode: "cached", file },
    );
  try {
    const firstRun = await run();
    const first = firstRun.results[0]!;
    assert.equal(first.tuneSource, "default");
    const int8 = builtinKernels.find((k) => k.name === "int8")!;
    const key = kernelTuneKey(int8, "f32", choiceShape, first.params);
    assert.equal(key, kernelTuneKey(int8, "f32", shape, first.params), "one shape class");
    const cache = emptyTuneCache();
    const at = `${choiceShape.m}x${choiceShape.k}x${choiceShape.n}`;
    recordChoice(cache, firstRun.meta.tune!.adapterKey!, key, {
      tune,
      medianMs: 1,
      shape: at,
      trials: [],
      at: "",
    });
    await saveTuneCache(file, cache);
    return { gpu, result: (await run()).results[0]! };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test(
  "a cached choice this shape cannot run leaves the case on its defaults, noted",
  GPU_TEST,
  async () => {
    // 8×5000×64 and 8×6000×64 share a shape class; 4 int8 column blocks fit the first only
    const { result: r } = await cachedInt8Case(
      { m: 8, k: 6000, n: 64 },
      { m: 8, k: 5000, n: 64 },
      { blocks: "4" },
    );
    assert.equal(r.status, "ok", r.reason ?? "");
    assert.equal(r.tuneSource, "default");
    assert.match(String(r.notes.tuneCachedRejected), /"blocks":"4".*rows of codes staged/);
  },
);

Deno.test(
  "a cached choice this device's plan refuses leaves the case on its defaults, noted",
  GPU_TEST,
  async () => {
    // 8 rows of 5,000 codes: `check` (48 KiB assumed) lets 4 int8 column blocks stage them, a
    // device with less workgroup storage (the software adapter's 32 KiB) does not
    const shape = { m: 8, k: 5000, n: 64 };
    const { gpu, result: r } = await cachedInt8Case(shape, shape, { blocks: "4" });
    assert.equal(r.status, "ok", r.reason ?? "");
    if (gpu.device.limits.maxComputeWorkgroupStorageSize < 8 * 5000) {
      assert.equal(r.tuneSource, "default");
      assert.equal(r.tune!.blocks, "auto");
      assert.match(String(r.notes.tuneCachedRejected), /rows of codes staged .* on this device/);
    } else {
      assert.equal(r.tuneSource, "cached");
    }
  },
);
