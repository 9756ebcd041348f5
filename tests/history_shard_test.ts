import assert from "node:assert/strict";
import { mergeRuns } from "../harness/history/merge.ts";
import { parseShard, selectShard, shardGroup, shardPlan } from "../harness/shard.ts";
import type { RunResults } from "../harness/types.ts";
import { syntheticResults } from "./fixtures/report_results.ts";
import { runCli } from "./run_cli.ts";

Deno.test("shard: I/N parsing, and every case lands in exactly one stable shard", () => {
  assert.deepEqual(parseShard(" 3/3 "), { index: 3, count: 3 });
  for (const bad of ["0/3", "4/3", "1/0", "a/b", "1", "1/2/3", "-1/2"]) {
    assert.throws(() => parseShard(bad), RangeError, bad);
  }
  const run = syntheticResults();
  for (const count of [1, 2, 3, 5]) {
    const parts = Array.from(
      { length: count },
      (_, i) => selectShard(run.results, { index: i + 1, count }),
    );
    assert.deepEqual(parts.flat().map((r) => r.id).sort(), run.results.map((r) => r.id).sort());
    // A case and the dense baseline of its shape and dtype share a shard.
    for (const part of parts) {
      for (const r of part) {
        const dense = run.results.find((d) =>
          d.kernel === "dense" && shardGroup(d) === shardGroup(r)
        );
        if (dense) assert.ok(part.includes(dense), `${r.id} without ${dense.id}`);
      }
    }
  }
  // The plan depends on the set of cases, not on their order.
  assert.deepEqual(shardPlan([...run.results].reverse(), 3), shardPlan(run.results, 3));
});

Deno.test("shard: the plan balances case counts, also for the even counts a hash split badly", async () => {
  const { loadSuite } = await import("../harness/suite/load.ts");
  const { expandCases } = await import("../harness/suite/expand.ts");
  const { builtinKernels } = await import("../kernels/mod.ts");
  for (const name of ["llm-decode", "int4", "smoke"]) {
    const cases = expandCases(await loadSuite(name, builtinKernels), builtinKernels);
    const sizes = new Map<string, number>();
    for (const c of cases) sizes.set(shardGroup(c), (sizes.get(shardGroup(c)) ?? 0) + 1);
    const largest = Math.max(...sizes.values());
    for (const count of [2, 3, 4, 8]) {
      const counts = Array.from(
        { length: count },
        (_, i) => selectShard(cases, { index: i + 1, count }).length,
      );
      assert.equal(counts.reduce((a, b) => a + b), cases.length, `${name} ${count}`);
      assert.ok(
        Math.max(...counts) - Math.min(...counts) <= largest,
        `${name} ${count}: ${counts}`,
      );
      if (sizes.size >= count) assert.ok(Math.min(...counts) > 0, `${name} ${count}: ${counts}`);
    }
  }
});

function shards(count: number): RunResults[] {
  const run = syntheticResults();
  return Array.from({ length: count }, (_, i) => {
    const s = structuredClone(run);
    s.meta.shard = { index: i + 1, count };
    s.meta.adapter = { ...s.meta.adapter, description: `GPU ${i}` };
    s.meta.startedAt = `2025-06-01T12:0${i}:00.000Z`;
    s.meta.finishedAt = `2025-06-01T12:0${i}:30.000Z`;
    s.results = selectShard(run.results, { index: i + 1, count });
    s.totals = { ...s.totals, cases: s.results.length };
    return s;
  });
}

Deno.test("merge: shards combine into one run that says which adapter ran what", () => {
  const parts = shards(3);
  const { results, warnings } = mergeRuns(
    parts.map((r, i) => ({ file: `s${i}.json`, results: r })),
  );
  const all = syntheticResults();
  assert.deepEqual(results.results.map((r) => r.id).sort(), all.results.map((r) => r.id).sort());
  assert.equal(results.meta.shard, undefined);
  assert.equal(results.meta.complete, true);
  assert.equal(results.meta.startedAt, "2025-06-01T12:00:00.000Z");
  assert.equal(results.meta.finishedAt, "2025-06-01T12:02:30.000Z");
  assert.equal(results.totals.cases, all.results.length);
  assert.equal(results.meta.shards!.length, 3);
  assert.equal(results.meta.shards![1]!.adapter.description, "GPU 1");
  assert.deepEqual(results.meta.shards![1]!.cases, parts[1]!.results.map((r) => r.id));
  assert.ok(warnings.some((w) => /3 different adapters/.test(w)));
});

Deno.test("merge: conflicts are errors naming the file and field; a missing shard warns", () => {
  const [a, b, c] = shards(3);
  const named = (xs: RunResults[]) => xs.map((r, i) => ({ file: `s${i}.json`, results: r }));
  assert.throws(
    () => mergeRuns(named([a!, structuredClone(a!)])),
    /s1\.json: meta\.shard\.index: shard 1\/3 is also s0\.json/,
  );
  const dup = structuredClone(b!);
  dup.results.push(structuredClone(a!.results[0]!));
  assert.throws(
    () => mergeRuns(named([a!, dup])),
    /s1\.json: results\[\d+\]\.id: case .* is also in s0\.json/,
  );
  for (
    const [field, change] of [
      ["meta.suite", (r: RunResults) => (r.meta.suite = "other")],
      ["meta.seed", (r: RunResults) => (r.meta.seed = 99)],
      ["meta.tool.version", (r: RunResults) => (r.meta.tool.version = "9.9.9")],
      ["meta.shard.count", (r: RunResults) => (r.meta.shard = { index: 2, count: 4 })],
    ] as const
  ) {
    const x = structuredClone(b!);
    change(x);
    assert.throws(
      () => mergeRuns(named([a!, x])),
      new RegExp(`s1\\.json: ${field.replace(/\./g, "\\.")}: `),
    );
  }
  const partial = mergeRuns(named([a!, c!]));
  assert.equal(partial.results.meta.complete, false);
  assert.ok(partial.warnings.some((w) => w.includes("2/3 missing")));
});

Deno.test("bench --shard and deno task merge end to end; the Vulkan loader picks the adapter", async () => {
  const dir = Deno.makeTempDirSync();
  const common = ["--suite", "smoke", "--filter", "dense|sparse24/f32", "--no-peaks", "--quiet"];
  const timing = ["--max-time-ms", "1", "--min-samples", "2"];
  // Each shard process sees only the driver it is given (here lavapipe), as on a multi-GPU host.
  const env = { DENO_WEBGPU_BACKEND: "vulkan", VK_LOADER_DRIVERS_SELECT: "*lvp*" };
  for (const i of [1, 2]) {
    const r = await runCli("harness/run/main.ts", [
      ...common,
      ...timing,
      "--shard",
      `${i}/2`,
      "--out",
      `${dir}/s${i}`,
    ], { env });
    assert.equal(r.code, 0, r.stderr);
    const saved = JSON.parse(Deno.readTextFileSync(`${dir}/s${i}/results.json`));
    assert.deepEqual(saved.meta.shard, { index: i, count: 2 });
    assert.match(saved.meta.adapter.description, /llvmpipe/);
  }
  const r = await runCli("harness/history/main.ts", [
    "merge",
    `${dir}/s1/results.json`,
    `${dir}/s2/results.json`,
    "--out",
    `${dir}/merged`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const merged = JSON.parse(Deno.readTextFileSync(`${dir}/merged/results.json`));
  assert.equal(merged.meta.complete, true);
  assert.equal(merged.meta.shards.length, 2);
  const one = await runCli("harness/run/main.ts", [...common, ...timing, "--out", `${dir}/one`]);
  assert.equal(one.code, 0, one.stderr);
  const whole = JSON.parse(Deno.readTextFileSync(`${dir}/one/results.json`));
  assert.deepEqual(
    merged.results.map((c: { id: string }) => c.id).sort(),
    whole.results.map((c: { id: string }) => c.id).sort(),
  );
  assert.match(Deno.readTextFileSync(`${dir}/merged/summary.md`), /Merged shards:/);
  // A driver filter that matches nothing leaves no adapter: a usage error, no results.
  const none = await runCli("harness/run/main.ts", [...common, "--out", `${dir}/none`], {
    env: { DENO_WEBGPU_BACKEND: "vulkan", VK_LOADER_DRIVERS_SELECT: "*no-such-driver*" },
  });
  assert.equal(none.code, 2, none.stderr);
  const bad = await runCli("harness/run/main.ts", [...common, "--shard", "3/2"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--shard must be I\/N/);
  Deno.removeSync(dir, { recursive: true });
});
