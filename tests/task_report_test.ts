import assert from "node:assert/strict";
import {
  gateTaskRuns,
  renderTaskGateMarkdown,
  TASK_ACCURACY_RULES,
} from "../harness/gate/task_gate.ts";
import { renderTaskHtml, taskChartData } from "../harness/report/task_html.ts";
import { renderTaskSummary } from "../harness/report/task_markdown.ts";
import { taskPareto, validateTaskResults } from "../harness/report/task_model.ts";
import {
  fakeLmVariant,
  fakeTaskRun,
  fakeVariant,
  typicalLmRun,
  typicalTaskRun,
} from "./fixtures/task_runs.ts";
import { runCli } from "./run_cli.ts";

Deno.test("task report: Pareto front of accuracy against speedup per batch", () => {
  const r = typicalTaskRun();
  // Batch 1: STL is the most accurate, 2:4 the fastest, dense between and dominated by neither.
  assert.deepEqual(taskPareto(r, "vit", 1).sort(), [
    "vit/scratch/2:4 magnitude",
    "vit/scratch/dense",
    "vit/scratch/stl t4 r24",
  ]);
  // Batch 256: STL is faster than dense and more accurate: dense drops off the front.
  assert.deepEqual(taskPareto(r, "vit", 256).sort(), [
    "vit/scratch/2:4 magnitude",
    "vit/scratch/stl t4 r24",
  ]);
});

Deno.test("task report: summary table with kernel top-1, FLOP ratios, speedups and the front", () => {
  const md = renderTaskSummary(typicalTaskRun());
  assert.match(md, /### vit · scratch/);
  assert.match(md, /### vit · finetune/);
  assert.match(
    md,
    /\| variant \| top-1 \| kernels \| core FLOPs \| model FLOPs \| speedup b1 \| speedup b256 \|/,
  );
  assert.match(
    md,
    /\| stl t4 r24 \| 97.60 ± 0.14 \| 97.60 ± 0.14 \(Δ ≤ 0.05\) \| 2.67× \| 2.29× \| 0.80× ★ \| 1.20× ★ \|/,
  );
  assert.match(md, /\| int4 g32 rtn \| 95.10 ± 0.14 \| .* \| 1.00× \| 1.00× \| 0.90× \| 0.90× \|/);
  assert.match(md, /\| before \|/); // the fine-tune table shows accuracy before fine-tuning
  assert.doesNotMatch(md, /⚠/);
  // A latency timed while the sentinel stayed off marks its speedup, and the mark is explained.
  const r = typicalTaskRun();
  const stl = r.variants.find((v) => v.id === "vit/scratch/stl t4 r24")!;
  stl.kernel!.latency[0]!.sentinel = { flagged: true };
  const marked = renderTaskSummary(r);
  assert.match(marked, /\| stl t4 r24 \| .* \| 0.80× ★ ⚠ \| 1.20× ★ \|/);
  assert.match(marked, /⚠ The sentinel/);
});

Deno.test("task report: chart data and a self-contained page", () => {
  const r = typicalTaskRun();
  const d = taskChartData(r);
  assert.equal(d.scatter.length, 2);
  assert.equal(d.scatter[0]!.points.length, 5);
  assert.equal(d.scatter[0]!.source, "through the kernels");
  assert.deepEqual(d.scatter[1]!.front.map((p) => p.speedup), [1.2, 1.3]);
  assert.equal(d.loss.length, 2);
  const html = renderTaskHtml(r, "/* chart */");
  assert.match(html, /<script id="task-data" type="application\/json">/);
  assert.match(html, /<td>stl t4 r24<\/td>/);
  assert.ok(!html.includes("<script src"));
});

Deno.test("task report: malformed task results name the field", () => {
  const r = typicalTaskRun() as unknown as { variants: { value: unknown }[] };
  r.variants[1]!.value = 97;
  assert.throws(() => validateTaskResults(r, "t.json"), /t.json: variants\[1\].value: must be/);
});

Deno.test("task gate: accuracy-regressed past the threshold, spread and small moves pass", () => {
  const base = typicalTaskRun();
  const same = typicalTaskRun();
  same.variants[1] = fakeVariant("stl t4 r24", "scratch", [97.3, 97.5], 375, [0.8, 1.2], [
    97.3,
    97.5,
  ]);
  let g = gateTaskRuns(base, same);
  assert.ok(g.passed, JSON.stringify(g.variants.filter((v) => v.regression)));
  const worse = typicalTaskRun();
  worse.variants[2] = fakeVariant("2:4 magnitude", "scratch", [96, 96.2], 500, [1.5, 1.3], [
    93,
    93.2,
  ]);
  g = gateTaskRuns(base, worse);
  assert.ok(!g.passed);
  const v = g.variants[0]!;
  assert.equal(v.id, "vit/scratch/2:4 magnitude");
  assert.equal(v.verdict, "accuracy-regressed");
  assert.equal(v.check!.source, "kernels");
  // error 3.9 → 6.9 points; limit 3.9·1.1 + 0.5 + 2·0.141.
  assert.ok(Math.abs(v.check!.limit - (3.9 * 1.1 + 0.5 + 2 * Math.SQRT2 / 10)) < 1e-9);
  assert.equal(gateTaskRuns(base, worse, { ...TASK_ACCURACY_RULES, abs: 5 }).passed, true);
});

Deno.test("task gate: failed, new and missing variants", () => {
  const base = typicalTaskRun();
  const cur = fakeTaskRun(base.variants.slice(0, 3), [{
    id: "vit/scratch/int4 g32 rtn",
    seed: 2,
    error: "diverged",
  }]);
  cur.variants.push(fakeVariant("stl t4 r49", "scratch", [97, 97], 1000, [0.5, 0.5]));
  const g = gateTaskRuns(base, cur);
  const by = new Map(g.variants.map((v) => [v.id, v]));
  assert.equal(by.get("vit/scratch/int4 g32 rtn")!.verdict, "failed");
  assert.equal(by.get("vit/finetune/int4 g32 rtn")!.verdict, "missing");
  assert.equal(by.get("vit/scratch/stl t4 r49")!.verdict, "new");
  assert.equal(g.exitCode, 1);
});

Deno.test("task gate: missing variants and unfinished runs fail unless allowed or not asked for", () => {
  const base = typicalTaskRun();
  const fewer = fakeTaskRun(base.variants.slice(0, 4));
  const missing = gateTaskRuns(base, fewer);
  assert.equal(missing.passed, false);
  assert.deepEqual(
    missing.variants.filter((v) => v.regression).map((v) => [v.id, v.verdict]),
    [["vit/finetune/int4 g32 rtn", "missing"]],
  );
  assert.equal(gateTaskRuns(base, fewer, undefined, { allowMissing: true }).passed, true);
  // a run asked for part of the suite (--only) is judged on that part
  const only = {
    ...fewer,
    selection: { seeds: [1, 2], only: ["*/scratch/*"], variants: fewer.variants.map((v) => v.id) },
  };
  const part = gateTaskRuns(base, only);
  assert.equal(part.passed, true, JSON.stringify(part.variants));
  assert.ok(!part.variants.some((v) => v.verdict === "missing"));
  // a merged run: its shards' --only patterns say what it was asked for
  const shardOf = (only: string[] | null) => ({
    file: "s/results.json",
    seeds: [1, 2],
    only,
    variants: 4,
    finishedAt: "2026-12-03T12:10:00Z",
  });
  const merged = { ...fewer, shards: [shardOf(["*/scratch/*"]), shardOf(["vit/scratch/d*"])] };
  assert.equal(gateTaskRuns(base, merged).passed, true);
  const mergedAll = { ...fewer, shards: [shardOf(["*/scratch/*"]), shardOf(null)] };
  assert.equal(gateTaskRuns(base, mergedAll).passed, false);
  // interrupted (no finishedAt), or pairs left at the time limit
  const { finishedAt: _, ...cut } = typicalTaskRun();
  const interrupted = gateTaskRuns(base, cut);
  assert.equal(interrupted.passed, false);
  assert.match(interrupted.failures[0]!, /did not finish .*--allow-missing to accept it/);
  assert.match(renderTaskGateMarkdown(interrupted), /\*\*fail\*\*: the current run did not finish/);
  const limited = { ...typicalTaskRun(), skipped: [{ id: "vit/scratch/dense", seed: 2 }] };
  assert.match(gateTaskRuns(base, limited).failures[0]!, /left 1 \(variant, seed\) pair/);
  assert.equal(gateTaskRuns(base, limited, undefined, { allowMissing: true }).passed, true);
});

Deno.test("task report and gate CLIs on task results files", async () => {
  const dir = Deno.makeTempDirSync();
  const base = `${dir}/base.json`, cur = `${dir}/cur.json`;
  Deno.writeTextFileSync(base, JSON.stringify(typicalTaskRun()));
  const worse = typicalTaskRun();
  worse.variants[0] = fakeVariant("dense", "scratch", [90, 90], 1000, [1, 1], [90, 90]);
  Deno.writeTextFileSync(cur, JSON.stringify(worse));
  let r = await runCli("harness/report/main.ts", [base, "--quiet"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(Deno.readTextFileSync(`${dir}/summary.md`), /## Task accuracy: mnist-test/);
  assert.match(Deno.readTextFileSync(`${dir}/report.html`), /top-1/);
  r = await runCli("harness/gate/main.ts", ["--baseline", base, "--current", base]);
  assert.equal(r.code, 0, r.stderr);
  r = await runCli("harness/gate/main.ts", [
    "--baseline",
    base,
    "--current",
    cur,
    "--json",
    `${dir}/g.json`,
  ]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /\| vit\/scratch\/dense \| \*\*accuracy-regressed\*\* \|/);
  assert.equal(JSON.parse(Deno.readTextFileSync(`${dir}/g.json`)).kind, "task");
  r = await runCli("harness/gate/main.ts", [
    "--baseline",
    base,
    "--current",
    cur,
    "--accuracy-threshold",
    "x",
  ]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--accuracy-threshold must be points/);
});

Deno.test("task report and gate: an LM run shows perplexity (lower is better), decode speed and generated text", () => {
  const r = typicalLmRun();
  // Lower perplexity is better: STL is slower and worse, off the front.
  assert.deepEqual(taskPareto(r, "lm", 1).sort(), [
    "lm/finetune/dense",
    "lm/finetune/int4 g32 rtn",
  ]);
  const md = renderTaskSummary(r);
  assert.match(md, /Validation perplexity, lower is better/);
  assert.match(md, /\| variant \| perplexity \| before \| kernels \|/);
  assert.match(md, /\| int4 g32 rtn \| 4\.250 ± 0\.071 \| 5\.250 ± 0\.071 \| 4\.200, 4\.300 \|/);
  assert.match(md, /1\.80× ★ \| 1800 \| 18000 \| 30% \|/);
  assert.doesNotMatch(md, /⚠/);
  // A decode timed while the sentinel stayed off is marked, and the mark explained.
  const int4 = r.variants.find((v) => v.id === "lm/finetune/int4 g32 rtn")!;
  const sentinel = {
    referenceMs: 1,
    beforeMs: 2,
    afterMs: 2,
    ratio: 2,
    attempts: 3,
    flagged: true,
  };
  int4.lmKernel!.decode = { sentinel };
  const marked = renderTaskSummary(r);
  assert.match(marked, /1\.80× ★ ⚠ \| 1800 ⚠ \| 18000 \| 30% \|/);
  assert.match(marked, /⚠ The sentinel .* stayed more than 30% off/);
  assert.match(md, /lm\/finetune\/stl t4 r24: " that the stl t4 r24"/);
  const html = renderTaskHtml(r, null);
  assert.ok(html.includes("decode speedup"));
  // The gate: a perplexity that grows beyond 10% + 0.5 + twice the spread regresses.
  assert.equal(gateTaskRuns(r, r).exitCode, 0);
  const worse = typicalLmRun();
  worse.variants[0] = fakeLmVariant("dense", "finetune", [5.5, 5.5], 1000, 1);
  const g = gateTaskRuns(r, worse);
  const v = g.variants.find((x) => x.id === "lm/finetune/dense")!;
  assert.equal(v.verdict, "accuracy-regressed");
  assert.equal(v.check!.metric, "task.perplexity");
  assert.match(v.summary, /^perplexity \(kernels\) 4\.05 → 5\.50 \(limit/);
});
