/**
 * Running a task suite in parts: `--seeds`/`--only` selection, `--dense-from`, `task merge`
 * (means over all seeds, refusals, missing results) and the separate latency pass.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseSelection, suiteHash, variantIds } from "../task/select.ts";
import { parseTaskSuite, type TaskSuite } from "../task/suite.ts";
import { type MergeInput, mergeTaskResults } from "../task/merge.ts";
import { SHARD_IDS, shardRun } from "./fixtures/task_shards.ts";
import type { TaskResults } from "../task/types.ts";
import { GPU_TEST, QUICK_MEASURE, testGpu } from "./helpers.ts";

const FULL = "tasks/mnist-full.json";
const full = () => parseTaskSuite(Deno.readTextFileSync(FULL), FULL);

Deno.test("task select: --seeds and --only pick seeds and variants in the suite's order", () => {
  const suite = full();
  const counts = (m: string) => {
    const t = suite.models.find((x) => x.model === m)!;
    return { scratch: t.scratch.length, convert: t.convert.length };
  };
  const vit = counts("vit");
  const mlp = counts("mlp");
  const all = parseSelection(suite, undefined, undefined);
  assert.deepEqual(all.seeds, [1, 2, 3]);
  assert.equal(all.variants.length, vit.scratch + vit.convert + mlp.scratch + mlp.convert);
  assert.deepEqual(all.variants, variantIds(suite));
  assert.equal(all.only, null);
  const s = parseSelection(suite, "3,1", "vit/finetune/*,vit/scratch/dense");
  assert.deepEqual(s.seeds, [1, 3]);
  assert.equal(s.variants[0], "vit/scratch/dense");
  assert.equal(s.variants.length, 1 + vit.convert);
  assert.ok(s.variants.slice(1).every((id) => id.startsWith("vit/finetune/")));
  // fine-tune variants alone need the dense models of an earlier run
  const ft = parseSelection(suite, "2", "mlp/finetune/*", true);
  assert.equal(ft.variants.length, mlp.convert);
  assert.ok(ft.variants.every((id) => id.startsWith("mlp/finetune/")));
  assert.equal(
    variantIds(suite).filter((id) => id.startsWith("mlp/")).length,
    mlp.scratch + mlp.convert,
  );
});

Deno.test("task select: bad --seeds and --only are one-line errors naming the option", () => {
  const suite = full();
  const bad: [string | undefined, string | undefined, RegExp][] = [
    ["4", undefined, /^--seeds: 4 is not a seed of mnist-full \(its seeds: 1, 2, 3\)$/],
    ["1,x", undefined, /^--seeds: must be seeds separated by commas; got 1,x$/],
    ["", undefined, /^--seeds:/],
    [undefined, "cnn/*", /^--only: cnn\/\* matches no variant of mnist-full/],
    [undefined, "mlp/scratch/dense,", /^--only: empty pattern/],
    [undefined, "mlp/finetune/*", /^--only: the mlp\/finetune\/ variants .* --dense-from DIR/],
  ];
  for (const [seeds, only, re] of bad) {
    assert.throws(() => parseSelection(suite, seeds, only), (e: Error) => {
      assert.match(e.message, re);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
});

Deno.test("task select: the suite fingerprint ignores name, description and the seeds list only", () => {
  const text = Deno.readTextFileSync(FULL);
  const a = suiteHash(parseTaskSuite(text, "a"));
  assert.equal(a, suiteHash(parseTaskSuite(text.replace('"mnist-full"', '"other"'), "b")));
  assert.equal(
    a,
    suiteHash(parseTaskSuite(text.replace('"seeds": [1, 2, 3]', '"seeds": [1, 2]'), "c")),
  );
  assert.notEqual(
    a,
    suiteHash(parseTaskSuite(text.replace('"calibSamples": 128', '"calibSamples": 64'), "d")),
  );
});

const top1 = (s: number) => 96 + s; // seeds 1, 2, 3 → 97, 98, 99

function merge(inputs: MergeInput[]) {
  return mergeTaskResults(inputs, { outDir: "out" });
}

Deno.test("task merge: values, means and spreads over all seeds; exports and loss", () => {
  const { results: r, warnings } = merge([
    { file: "s/b/results.json", results: shardRun([2, 3], { top1 }) },
    { file: "s/a/results.json", results: shardRun([1], { top1 }) },
  ]);
  assert.deepEqual(warnings, []);
  assert.deepEqual(r.seeds, [1, 2, 3]);
  assert.deepEqual(r.variants.map((v) => v.id), SHARD_IDS);
  const d = r.variants[0]!;
  assert.deepEqual(d.seeds, [1, 2, 3]);
  assert.deepEqual(d.value.values, [97, 98, 99]);
  assert.equal(d.value.mean, 98);
  assert.equal(d.value.std, 1);
  assert.deepEqual([d.value.min, d.value.max], [97, 99]);
  assert.deepEqual(d.trainMs.values, [1001, 1002, 1003]);
  assert.deepEqual(d.exports, [
    "../s/a/models/mlp-scratch-dense-s1.json",
    "../s/b/models/mlp-scratch-dense-s2.json",
    "../s/b/models/mlp-scratch-dense-s3.json",
  ]);
  // the mean curve over the three seeds: [2, 1, 0.5] + mean(seed) / 10
  for (const [i, x] of d.loss.curve.entries()) {
    assert.ok(Math.abs(x - ([2, 1, 0.5][i]! + 0.2)) < 1e-12);
  }
  assert.ok(Math.abs(d.loss.first - 2.2) < 1e-12 && Math.abs(d.loss.last - 0.7) < 1e-12);
  const ft = r.variants[1]!;
  assert.deepEqual(ft.before!.values, [87, 88, 89]);
  assert.deepEqual(ft.kernelTop1!.values, [97.05, 98.05, 99.05]);
  assert.ok(Math.abs(ft.kernel!.maxTop1Gap! - 0.05) < 1e-9);
  assert.equal(ft.kernel!.worstCheck!.relError, 2e-7); // the worse of the two shards'
  assert.deepEqual(r.failures, []);
  assert.equal(r.shards!.length, 2);
  assert.deepEqual(r.shards!.map((s) => s.variants), [4, 2]);
  assert.ok(r.finishedAt);
});

Deno.test("task merge: refuses shards of different runs, with the file and field", () => {
  const a = { file: "a/results.json", results: shardRun([1], { top1 }) };
  const other = (patch: Partial<TaskResults>) => ({
    file: "b/results.json",
    results: { ...shardRun([2], { top1 }), ...patch },
  });
  const cases: [MergeInput, RegExp][] = [
    [
      other({ suite: "mnist-x" }),
      /^b\/results.json: suite: "mnist-x" differs from a\/results.json's "mnist-shards"/,
    ],
    [
      other({ suiteHash: "ffffffffffffffff" }),
      /^b\/results.json: suiteHash: "ffffffffffffffff" differs/,
    ],
    [other({ backend: "wasm" }), /^b\/results.json: backend: "wasm" differs/],
    [
      other({ dataset: { name: "mnist", train: 2000, test: 2000, splitSeed: 20240601 } }),
      /^b\/results.json: dataset:/,
    ],
    [
      { file: "b/results.json", results: shardRun([1], { top1 }) },
      /^b\/results.json: selection: mlp\/scratch\/dense seed 1 is also selected by a\/results.json/,
    ],
    [
      { file: "b/results.json", results: shardRun([2], { top1, kernelGap: null }) },
      /^b\/results.json: variants\[0\].kernel: the kernel path ran for mlp\/scratch\/dense in a\/results.json but not in b\/results.json/,
    ],
  ];
  for (const [b, re] of cases) {
    assert.throws(() => merge([a, b]), (e: Error) => {
      assert.match(e.message, re);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
  const changed = shardRun([2], { top1 });
  changed.variants[1]!.operator = { op: "int4", group: 32, method: "rtn" };
  assert.throws(
    () => merge([a, { file: "b/results.json", results: changed }]),
    /variants\[1\].operator: differs/,
  );
  // the same (variant, seed) in two files even without selections
  const x = shardRun([1], { top1 });
  delete x.selection;
  assert.throws(
    () => merge([a, { file: "x/results.json", results: x }]),
    /mlp\/scratch\/dense seed 1 is also in a\/results.json/,
  );
});

Deno.test("task merge: counts that differ by seed are the first seed's model's", () => {
  // INT8's outlier dimensions are found in each seed's trained weights, so its FLOPs and stored
  // values may differ between seeds; the merge keeps the first seed's, whichever file comes first.
  const a = shardRun([1], { top1 });
  const b = shardRun([2, 3], { top1 });
  const bumped = structuredClone(b.variants[1]!.flops);
  bumped.total += 1234;
  b.variants[1]!.flops = bumped;
  b.variants[1]!.params = { ...b.variants[1]!.params, total: b.variants[1]!.params.total + 7 };
  const { results: r } = merge([
    { file: "s/b/results.json", results: b },
    { file: "s/a/results.json", results: a },
  ]);
  assert.deepEqual(r.variants[1]!.seeds, [1, 2, 3]);
  assert.deepEqual(r.variants[1]!.flops, a.variants[1]!.flops);
  assert.deepEqual(r.variants[1]!.params, a.variants[1]!.params);
  assert.notDeepEqual(r.variants[1]!.flops, bumped);
});

Deno.test("task merge: a shard that did not finish is merged and its missing work listed", () => {
  const cut = shardRun([2], { top1, ids: [SHARD_IDS[0]!] });
  cut.selection!.variants = SHARD_IDS; // selected both, finished only the dense model
  delete cut.finishedAt;
  const { results: r, warnings } = merge([
    { file: "a/results.json", results: shardRun([1], { top1 }) },
    { file: "b/results.json", results: cut },
  ]);
  assert.deepEqual(r.variants[1]!.seeds, [1]);
  assert.deepEqual(r.variants[0]!.seeds, [1, 2]);
  assert.deepEqual(r.failures.map((f) => [f.id, f.seed]), [[SHARD_IDS[1], 2]]);
  assert.match(
    r.failures[0]!.error,
    /no result: b\/results.json selected it but did not finish it/,
  );
  assert.ok(warnings.some((w) => /b\/results.json: did not finish/.test(w)));
  assert.equal(r.finishedAt, undefined);
});

/** A tiny suite: a 16-wide MLP, 256 training digits, two seeds, one conversion. */
const TINY = JSON.stringify({
  name: "mnist-tiny",
  task: {
    dataset: "mnist",
    seeds: [1, 2],
    trainSamples: 256,
    testSamples: 64,
    calibSamples: 16,
    models: [{
      model: "mlp",
      config: { hidden: 16, depth: 1 },
      train: { epochs: 0.5, batch: 32, lr: 0.01 },
      finetune: { epochs: 0.25, batch: 32, lr: 0.003 },
      scratch: [{ op: "sparse24", mask: "magnitude" }],
      convert: [{ op: "int4", group: 16, method: "rtn" }],
    }],
  },
});

Deno.test({
  name:
    "task shards: seeds and variants run apart (fine-tunes from --dense-from) merge into the whole run; the latency pass times them",
  ...GPU_TEST,
  async fn() {
    const { useBackend } = await import("../task/train/tf.ts");
    const { runTask } = await import("../task/experiment.ts");
    const { denseFrom } = await import("../task/dense_from.ts");
    const { timeRunLatency } = await import("../task/latency_pass.ts");
    const { PipelineCache } = await import("../harness/gpu/pipeline_cache.ts");
    const { DEFAULT_MEASURE } = await import("../harness/measure/options.ts");
    const { head, loadMnist } = await import("../task/data/mnist.ts");
    await useBackend("cpu");
    const suite: TaskSuite = parseTaskSuite(TINY, "tiny.json");
    const root = await Deno.makeTempDir();
    const run = (
      name: string,
      seeds?: string,
      only?: string,
      from?: Awaited<ReturnType<typeof denseFrom>>,
    ) =>
      runTask(suite, {
        outDir: join(root, name),
        backend: "cpu",
        log: () => {},
        ...(seeds || only
          ? { selection: parseSelection(suite, seeds, only, from !== undefined) }
          : {}),
        ...(from ? { denseFrom: from } : {}),
      });
    try {
      const whole = await run("whole");
      await run("s1", "1");
      await run("s2-dense", "2", "mlp/scratch/dense");
      await run(
        "s2-rest",
        "2",
        "mlp/scratch/2:4*,mlp/finetune/*",
        await denseFrom(join(root, "s2-dense"), suiteHash(suite)),
      );
      const inputs: MergeInput[] = ["s1", "s2-dense", "s2-rest"].map((n) => {
        const file = join(root, n, "results.json");
        return { file, results: JSON.parse(Deno.readTextFileSync(file)) };
      });
      const out = join(root, "merged");
      const { results: m } = mergeTaskResults(inputs, {
        outDir: out,
        suite: { suite, hash: suiteHash(suite), file: "tiny.json" },
      });
      assert.equal(m.failures.length, 0, JSON.stringify(m.failures));
      assert.deepEqual(m.variants.map((v) => v.id), whole.variants.map((v) => v.id));
      for (const v of m.variants) {
        const w = whole.variants.find((x) => x.id === v.id)!;
        // same seeds, same data order, same budget: the parts reproduce the whole run exactly
        assert.deepEqual(v.value, w.value, v.id);
        assert.deepEqual(v.before, w.before, v.id);
        assert.deepEqual(v.loss.curve, w.loss.curve, v.id);
      }
      // the suite file with fewer seeds (its fingerprint leaves the seeds list out) merges the
      // same shards: its seeds first, then the others the shards ran
      const fewer = parseTaskSuite(TINY.replace('"seeds":[1,2]', '"seeds":[2]'), "tiny1.json");
      assert.deepEqual(fewer.seeds, [2]);
      const { results: m2 } = mergeTaskResults(inputs, {
        outDir: out,
        suite: { suite: fewer, hash: suiteHash(fewer), file: "tiny1.json" },
      });
      assert.deepEqual(m2.seeds, [2, 1]);
      assert.equal(m2.failures.length, 0, JSON.stringify(m2.failures));
      for (const v of m2.variants) {
        const w = whole.variants.find((x) => x.id === v.id)!;
        assert.deepEqual(v.seeds, [2, 1], v.id);
        assert.deepEqual(v.value.values, [...w.value.values].reverse(), v.id);
      }
      // a suite that changed since the shards ran is refused
      const other = parseTaskSuite(TINY.replace('"lr":0.01', '"lr":0.02'), "tiny2.json");
      assert.throws(
        () =>
          mergeTaskResults(inputs, {
            outDir: out,
            suite: { suite: other, hash: suiteHash(other), file: "tiny2.json" },
          }),
        /the suite changed since the shards ran/,
      );

      // The latency pass on the merged run: each variant's seed-1 model, against dense.
      const gpu = await testGpu();
      await Deno.mkdir(out, { recursive: true });
      const pass = await timeRunLatency(m, {
        env: {
          device: gpu.device,
          features: gpu.features,
          pipelines: new PipelineCache(gpu.device),
        },
        dir: out,
        batches: [1, 8],
        measure: { ...DEFAULT_MEASURE, ...QUICK_MEASURE },
        images: head(loadMnist().test, 8).images,
        device: "test adapter",
      });
      assert.equal(pass.seedRule, "first");
      assert.equal(m.failures.length, 0);
      for (const v of m.variants) {
        assert.equal(v.kernel!.latencySeed, 1, v.id);
        assert.deepEqual(v.kernel!.latency.map((l) => l.batch), [1, 8]);
        for (const l of v.kernel!.latency) assert.ok(l.medianMs > 0 && l.speedupVsDense! > 0);
      }
      assert.deepEqual(m.variants[0]!.kernel!.latency.map((l) => l.speedupVsDense), [1, 1]);
      const d1 = m.variants[0]!.kernel!.latency[0]!.medianMs;
      assert.equal(m.variants[1]!.kernel!.latency[0]!.denseMedianMs, d1);
      // a model that cannot be read is a failure of that variant, not of the pass
      m.variants[1]!.exports[0] = "missing.json";
      await timeRunLatency(m, {
        env: {
          device: gpu.device,
          features: gpu.features,
          pipelines: new PipelineCache(gpu.device),
        },
        dir: out,
        batches: [1],
        measure: { ...DEFAULT_MEASURE, ...QUICK_MEASURE },
        images: head(loadMnist().test, 1).images,
        device: "test adapter",
      });
      assert.deepEqual(m.failures.map((f) => [f.id, f.seed]), [[m.variants[1]!.id, 1]]);
      assert.match(m.failures[0]!.error, /^latency: /);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("task merge: a variant field it cannot combine is kept from the first file, with a warning", () => {
  const a = shardRun([1], { top1 });
  const b = shardRun([2], { top1 });
  (a.variants[0] as unknown as Record<string, unknown>).extra = { x: 1 };
  (b.variants[0] as unknown as Record<string, unknown>).extra = { x: 2 };
  const { results: r, warnings } = merge([
    { file: "a/results.json", results: a },
    { file: "b/results.json", results: b },
  ]);
  assert.deepEqual((r.variants[0] as unknown as Record<string, unknown>).extra, { x: 1 });
  assert.deepEqual(warnings, [
    "mlp/scratch/dense: extra kept from a/results.json only (task merge cannot combine it)",
  ]);
});

Deno.test("task merge CLI: an --out holding a run is refused unless --force", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/results.json`, "{}");
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", "task/main.ts", "merge", "--out", dir, "x"],
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(out.stderr).trim();
    assert.equal(out.code, 2, err);
    assert.equal(
      err,
      `task merge: --out ${dir} holds a run (results.json); choose another folder, or pass ` +
        "--force to replace it",
    );
    assert.equal(await Deno.readTextFile(`${dir}/results.json`), "{}");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
