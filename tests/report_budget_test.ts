import assert from "node:assert/strict";
import { DEFAULT_ACCURACY_BUDGET, fastP, withinBudget } from "../harness/report/budget.ts";
import { renderHtml } from "../harness/report/html.ts";
import { renderSummaryMarkdown } from "../harness/report/markdown.ts";
import { buildModel } from "../harness/report/model.ts";
import { syntheticResults } from "./fixtures/report_results.ts";
import { runCli } from "./run_cli.ts";

/** A run where one shape's fastest case is an STL case at 0.79 error, 2.6× dense. */
function crowned() {
  const run = syntheticResults({
    shapes: [{ m: 2048, k: 2048, n: 5632, label: "up" }],
    dtypes: ["f32"],
  });
  const dense = run.results.find((r) => r.kernel === "dense" && r.status === "ok")!;
  const fast = run.results.find((r) => r.family === "stl" && r.status === "ok")!;
  fast.approximation = { ...fast.approximation!, relError: 0.79 };
  fast.time!.median = dense.time!.median / 2.6;
  fast.speedupVsDense = 2.6;
  for (const r of run.results) {
    if (r !== fast && r.status === "ok" && r.time && r.time.median < fast.time!.median) {
      r.time.median = fast.time!.median * 1.5;
      r.speedupVsDense = dense.time!.median / r.time.median;
    }
  }
  return { run, fast };
}

Deno.test("report budget: the fastest case over the budget is not crowned best per shape", () => {
  const { run, fast } = crowned();
  const model = buildModel(run);
  assert.equal(model.accuracyBudget, DEFAULT_ACCURACY_BUDGET);
  const g = model.groups[0]!;
  assert.equal(model.cases[g.fastestOverBudget!]!.id, fast.id);
  const best = model.cases[g.best!]!;
  assert.notEqual(best.id, fast.id);
  assert.ok(best.approx === null || best.approx <= DEFAULT_ACCURACY_BUDGET);
  const md = renderSummaryMarkdown(run);
  assert.match(md, /approximation error ≤ 0\.1/);
  const row = md.split("\n").find((l) => l.includes("faster but over budget"))!;
  assert.ok(row.includes(fast.id.replace(/_/g, "\\_")), row);
  assert.ok(row.includes(best.id.replace(/_/g, "\\_")), row);
  // A budget of 1 lets it through.
  const loose = buildModel(run, { accuracyBudget: 1 });
  assert.equal(loose.cases[loose.groups[0]!.best!]!.id, fast.id);
  assert.equal(loose.groups[0]!.fastestOverBudget, null);
  const html = renderHtml(run, { chartJsText: null, chartJs: "optional" });
  assert.match(html, /<section id="overview"><h2>Best per shape<\/h2>/);
  assert.match(html, /faster, over budget/);
});

Deno.test("report budget: fast_p counts correct, in-budget cases at least p× dense", () => {
  const { run } = crowned();
  const model = buildModel(run);
  const alt = model.cases.filter((c) => c.family !== "dense");
  for (const f of model.fastP) {
    const expected = alt.filter((c) =>
      withinBudget(c, model.accuracyBudget) &&
      (f.p === 0 || (c.batchSpeedup ?? c.speedup ?? 0) >= f.p)
    ).length;
    assert.equal(f.count, expected, `p = ${f.p}`);
    assert.equal(f.total, alt.length);
  }
  // Monotone in p, and the 2.6× case over budget never counts.
  const counts = model.fastP.map((f) => f.count);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  assert.equal(fastP([], 0.1)[0]!.share, 0);
  assert.match(renderSummaryMarkdown(run), /fast_p: share of the \d+ non-dense case/);
});

Deno.test("report --accuracy-budget: changes the crown; a bad value is a usage error", async () => {
  const dir = Deno.makeTempDirSync();
  const { run, fast } = crowned();
  Deno.writeTextFileSync(`${dir}/results.json`, JSON.stringify(run));
  let r = await runCli("harness/report/main.ts", [`${dir}/results.json`, "--accuracy-budget", "1"]);
  assert.equal(r.code, 0, r.stderr);
  const md = Deno.readTextFileSync(`${dir}/summary.md`);
  assert.match(md, /approximation error ≤ 1;/);
  assert.ok(md.includes(`| ${fast.id.replace(/_/g, "\\_")} |`));
  r = await runCli("harness/report/main.ts", [`${dir}/results.json`, "--accuracy-budget=-1"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--accuracy-budget must be a relative error ≥ 0/);
  Deno.removeSync(dir, { recursive: true });
});
