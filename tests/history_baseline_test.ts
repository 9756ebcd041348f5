import assert from "node:assert/strict";
import { combineRuns, parseStoreBaseline, spreadOf } from "../harness/history/baseline.ts";
import { openStore } from "../harness/history/store.ts";
import type { RunResults } from "../harness/types.ts";
import { syntheticResults } from "./fixtures/report_results.ts";
import { runCli } from "./run_cli.ts";

/** The fixture run with every timed case's samples (and summary) scaled by `f(id)`. */
function scaled(startedAt: string, f: (id: string) => number): RunResults {
  const r = syntheticResults({ shapes: [{ m: 128, k: 4096, n: 4096 }], dtypes: ["f16"] });
  r.meta.startedAt = startedAt;
  for (const c of r.results) {
    const t = c.time;
    if (!t) continue;
    const k = f(c.id);
    t.samples = t.samples.map((s) => s * k);
    for (const key of ["median", "min", "max", "p10", "p90", "mean", "stddev"] as const) {
      t[key] *= k;
    }
    t.ci = { ...t.ci, lo: t.ci.lo * k, hi: t.ci.hi * k };
  }
  return r;
}

Deno.test("store baseline spec: store:BRANCH[@N]", () => {
  assert.deepEqual(parseStoreBaseline("store:release/1.x@12"), { branch: "release/1.x", runs: 12 });
  assert.equal(parseStoreBaseline("baselines/smoke.json"), null);
  for (const bad of ["store:", "store:main@0", "store:main@x", "store:a@1@2"]) {
    assert.throws(() => parseStoreBaseline(bad), RangeError, bad);
  }
});

Deno.test("history baseline: the run at the median is compared, one outlier run sets nothing", () => {
  assert.deepEqual(spreadOf([2]), { runs: 1, medians: [2], center: 2, spread: 0 });
  const factors = [1.0, 1.03, 0.98, 1.8, 0.99];
  const runs = factors.map((k, i) => scaled(`2025-06-0${i + 1}T00:00:00.000Z`, () => k));
  const hb = combineRuns(runs, [1, 2, 3, 4, 5], "store:main@5");
  const id = runs[0]!.results.find((c) => c.status === "ok")!.id;
  const base0 = runs[0]!.results.find((c) => c.id === id)!.time!.median;
  const s = hb.spread.get(id)!;
  assert.equal(s.runs, 5);
  assert.ok(Math.abs(s.center / base0 - 1.0) < 1e-12, "the center is the run at 1.00");
  assert.ok(Math.abs(s.spread - 0.03) < 1e-9, `spread ${s.spread}: the 1.8 run is set aside`);
  assert.equal(hb.baseline.results.find((c) => c.id === id)!.time!.median, s.center);
  assert.equal(hb.baseline.results.length, runs[0]!.results.length);
});

Deno.test("gate --baseline store:main@N: the history's spread is the noise model", async () => {
  const dir = Deno.makeTempDirSync();
  const db = `${dir}/h.db`;
  // Five main runs whose medians wander by up to ±6%, and one run on another branch.
  const store = openStore(db);
  [1.0, 1.06, 0.97, 1.03, 1.0].forEach((k, i) =>
    store.record(scaled(`2025-06-0${i + 1}T00:00:00.000Z`, () => k), { branch: "main" })
  );
  store.record(scaled("2025-06-09T00:00:00.000Z", () => 0.5), { branch: "feature" });
  store.close();
  const target = syntheticResults({ shapes: [{ m: 128, k: 4096, n: 4096 }], dtypes: ["f16"] })
    .results.find((c) => c.status === "ok" && c.kernel !== "dense")!.id;
  const gate = async (k: number, baseline: string) => {
    const cur = scaled("2025-07-01T00:00:00.000Z", (id) => (id === target ? k : 1));
    // The gate judges `slower` only when a re-measurement in the same job confirms it.
    for (const c of cur.results) {
      if (c.time) c.time.confirm = { median: c.time.median, samples: c.time.samples };
    }
    Deno.writeTextFileSync(`${dir}/cur.json`, JSON.stringify(cur));
    const r = await runCli("harness/gate/main.ts", [
      "--baseline",
      baseline,
      "--store",
      db,
      "--current",
      `${dir}/cur.json`,
      "--json",
      `${dir}/gate.json`,
    ]);
    const report = r.code === 2 ? null : JSON.parse(Deno.readTextFileSync(`${dir}/gate.json`));
    return { r, verdict: report?.cases.find((c: { id: string }) => c.id === target)?.verdict };
  };
  // 8% slower: beyond the 5% threshold against one file, within the history's spread.
  Deno.writeTextFileSync(
    `${dir}/one.json`,
    JSON.stringify(scaled("2025-06-01T00:00:00.000Z", () => 1)),
  );
  let g = await gate(1.08, `${dir}/one.json`);
  assert.equal(g.r.code, 1, g.r.stdout);
  assert.equal(g.verdict, "slower");
  g = await gate(1.08, "store:main@5");
  assert.equal(g.r.code, 0, g.r.stdout + g.r.stderr);
  assert.equal(g.verdict, "same");
  assert.match(g.r.stdout, /store:main@5 \(5 runs of/);
  // 40% slower is a regression either way.
  g = await gate(1.4, "store:main@5");
  assert.equal(g.r.code, 1);
  assert.equal(g.verdict, "slower");
  // No runs on that branch, or no store: a clear input error.
  g = await gate(1, "store:nope@3");
  assert.equal(g.r.code, 2);
  assert.match(g.r.stderr, /no complete run of suite .* recorded on branch "nope"/);
  const missing = await runCli("harness/gate/main.ts", [
    "--baseline",
    "store:main",
    "--store",
    `${dir}/none.db`,
    "--current",
    `${dir}/cur.json`,
  ]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /none\.db: no store there/);
  Deno.removeSync(dir, { recursive: true });
});
