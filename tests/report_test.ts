import assert from "node:assert/strict";
import denoJson from "../deno.json" with { type: "json" };
import { CHART_JS_BUNDLE_URL, chartJsBundle, chartJsVersion } from "../harness/report/chartjs.ts";
import { compareRuns, isRegressionVerdict } from "../harness/report/compare.ts";
import { escapeHtml, inlineScript, jsonForScript } from "../harness/report/escape.ts";
import { familyPalette } from "../harness/report/families.ts";
import { fillTemplate, renderHtml, TEMPLATE_MARKERS } from "../harness/report/html.ts";
import { loadResultsFile, validateResults, validateVerdicts } from "../harness/report/load.ts";
import { mdCell, renderSummaryMarkdown } from "../harness/report/markdown.ts";
import { buildModel, type ReportModel } from "../harness/report/model.ts";
import { anchorList, batchOrder } from "../harness/report/header.ts";
import { fmtNum } from "../harness/report/format.ts";
import { paretoFront } from "../harness/report/pareto.ts";
import {
  baselinePair,
  HOSTILE,
  hostileResults,
  syntheticResults,
} from "./fixtures/report_results.ts";

function embeddedModel(html: string): ReportModel {
  const m = /<script id="tilebench-data" type="application\/json">([^<]*)<\/script>/.exec(html);
  assert.ok(m, "data element present");
  return JSON.parse(m[1]!);
}

Deno.test("escaping: HTML text, JSON in a script element, inlined scripts", () => {
  assert.equal(
    escapeHtml(`<img src=x onerror="a('1')">&`),
    "&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt;&amp;",
  );
  const hostile = { a: "</script><script>alert(1)</script>", b: "<!-- x -->", c: "\u2028&" };
  const json = jsonForScript(hostile);
  assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(json), hostile);
  assert.equal(inlineScript('x = "</SCRIPT>"; y = "<!--";'), 'x = "<\\/SCRIPT>"; y = "<\\!--";');
  assert.equal(inlineScript("code();\n//# sourceMappingURL=chart.umd.min.js.map\n"), "code();\n");
});

Deno.test("Pareto front: dominance, ties, duplicates, non-finite points", () => {
  assert.deepEqual(paretoFront([]), []);
  const pts = [
    { time: 1.0, error: 1e-7 }, // 0 exact dense
    { time: 1.1, error: 1e-7 }, // 1 same error, slower: dominated
    { time: 0.5, error: 0.4 }, // 2 fastest
    { time: 0.6, error: 0.5 }, // 3 dominated by 2
    { time: 0.7, error: 0.05 }, // 4
    { time: 0.7, error: 0.05 }, // 5 duplicate of 4: also on the front
    { time: 0.9, error: 0.01 }, // 6
    { time: NaN, error: 0 }, // 7 ignored
    { time: 0.95, error: 0.06 }, // 8 dominated by 4
  ];
  assert.deepEqual(paretoFront(pts), [0, 6, 4, 5, 2]);
});

Deno.test("family palette: known order first, unknown families get distinct colours", () => {
  const p = familyPalette(["zeta", "int4", "dense", "alpha", "stl", "sparse24"]);
  assert.deepEqual(p.map((f) => f.name), ["dense", "stl", "sparse24", "int4", "alpha", "zeta"]);
  assert.equal(new Set(p.map((f) => f.color)).size, 6);
  const many = familyPalette(Array.from({ length: 20 }, (_, i) => `f${i}`));
  assert.equal(many.length, 20);
  for (const f of many) assert.match(f.color, /^#[0-9a-f]{6}$/);
});

Deno.test("template: every marker exactly once; values inserted verbatim, never re-scanned", () => {
  assert.equal(fillTemplate("a@@X@@b", { "@@X@@": "$&$1$$" }), "a$&$1$$b");
  assert.equal(
    fillTemplate("@@A@@|@@B@@", { "@@A@@": "@@B@@", "@@B@@": "2" }),
    "@@B@@|2",
    "an inserted value containing a marker is not replaced again",
  );
  assert.throws(
    () => fillTemplate("none", { "@@X@@": "" }),
    /@@X@@ must appear exactly once, found 0/,
  );
  assert.throws(() => fillTemplate("@@X@@@@X@@", { "@@X@@": "" }), /found 2/);
  assert.equal(TEMPLATE_MARKERS.length, 6);
});

Deno.test("Chart.js is the vendored v4 bundle, with its licence beside it", () => {
  const { text, path } = chartJsBundle();
  assert.match(path, /vendor[\\/]chart\.umd\.min\.js$/);
  assert.equal(chartJsVersion(text)!.split(".")[0], "4");
  const licence = Deno.readTextFileSync(new URL("chart.js.LICENSE.md", CHART_JS_BUNDLE_URL));
  assert.match(licence, /MIT License/);
  assert.ok(!("chart.js" in (denoJson as { imports: Record<string, string> }).imports));
});

Deno.test("report.html is self-contained: Chart.js, data and script inlined, nothing fetched", () => {
  const results = syntheticResults({ unknownFamily: true });
  const html = renderHtml(results);
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /Chart\.js v4\.\d+\.\d+/);
  assert.doesNotMatch(html, /sourceMappingURL/);
  assert.doesNotMatch(html, /<script[^>]+src=/i);
  assert.doesNotMatch(html, /<link[^>]+href="(?!data:)/i);
  assert.doesNotMatch(html, /@@[A-Z]+@@/);
  assert.equal((html.match(/<\/script>/g) ?? []).length, 3);
  const model = embeddedModel(html);
  assert.equal(model.cases.length, results.results.length);
  assert.deepEqual(model.families.map((f) => f.name), [
    "dense",
    "stl",
    "sparse24",
    "int4",
    "lowrank",
  ]);
  assert.match(html, /48\.5 TFLOP\/s f32 FMA/);
  assert.match(html, /NVIDIA H100 80GB HBM3/);
  assert.match(html, /shader-f16/);
  assert.match(html, /maxComputeWorkgroupStorageSize/);
});

Deno.test("every user-supplied string is escaped in report.html and summary.md", () => {
  const results = hostileResults();
  const html = renderHtml(results);
  for (const s of Object.values(HOSTILE)) {
    assert.ok(!html.includes(s), `raw ${s} must not appear`);
  }
  assert.doesNotMatch(html, /<img/i);
  assert.doesNotMatch(html, /<b onmouseover/i);
  assert.equal((html.match(/<script/gi) ?? []).length, 3, "no injected script element");
  assert.match(html, /&lt;\/script&gt;&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
  assert.match(html, /&lt;b onmouseover=alert\(4\)&gt;GPU&lt;\/b&gt;/);
  const model = embeddedModel(html);
  assert.equal(model.suite, HOSTILE.suite);
  assert.ok(model.cases.some((c) => c.label === HOSTILE.label));
  assert.ok(model.cases.some((c) => c.reason === HOSTILE.reason));
  const md = renderSummaryMarkdown(results);
  assert.doesNotMatch(md, /(?<!\\)<img/);
  assert.doesNotMatch(md, /(?<!\\)<script/);
  assert.match(md, /\\<img src=x onerror=alert\(1\)\\>/);
  assert.equal(mdCell("a|b\nc"), "a\\|b c");
});

Deno.test("view model: groups per shape and dtype, Pareto marks, FLOP reduction, nulls", () => {
  const results = syntheticResults({ unknownFamily: true });
  const model = buildModel(results);
  assert.equal(model.groups.length, 8, "4 shapes × 2 dtypes");
  for (const g of model.groups) {
    const cs = g.cases.map((i) => model.cases[i]!);
    assert.ok(cs.every((c) => c.group === model.groups.indexOf(g)));
    // The front is exactly the non-dominated ok cases.
    const ok = cs.filter((c) => c.ms !== null && c.approx !== null);
    for (const c of ok) {
      const dominated = ok.some((o) =>
        o !== c && o.ms! <= c.ms! && o.approx! <= c.approx! &&
        (o.ms! < c.ms! || o.approx! < c.approx!)
      );
      assert.equal(c.pareto, !dominated, c.id);
    }
    assert.ok(g.pareto.length >= 1);
    assert.equal(g.hasDense, true);
  }
  const sparse = model.cases.find((c) => c.family === "sparse24" && c.status === "ok")!;
  assert.equal(sparse.flopRed, 2);
  const skipped = model.cases.find((c) => c.status === "skipped")!;
  assert.equal(skipped.ms, null);
  assert.equal(skipped.speedup, null);
  assert.ok(skipped.reason);
  const failed = model.cases.find((c) => c.status === "failed")!;
  assert.equal(failed.corrPassed, false);
  assert.equal(failed.pareto, false);
  assert.equal(model.baseline, null);
  assert.equal(model.peaks?.copyGbps, 3180);
  assert.equal(buildModel(syntheticResults({ peaks: null })).peaks, null);
});

Deno.test("baseline comparison: deltas, status changes, new and missing, verdicts", () => {
  const p = baselinePair();
  const cmp = compareRuns(p.current, p.baseline);
  const by = (id: string) => cmp.deltas.find((d) => d.id === id)!;
  assert.equal(by(p.slowerId).change, "slower");
  assert.ok(Math.abs(by(p.slowerId).delta! - 0.25) < 1e-9);
  assert.equal(by(p.slowerId).regression, true);
  assert.equal(by(p.fasterId).change, "faster");
  assert.equal(by(p.fasterId).regression, false);
  assert.equal(by(p.failedId).change, "newly failed");
  assert.equal(by(p.failedId).regression, true);
  assert.equal(by(p.newId).change, "new");
  assert.deepEqual(cmp.missing.map((m) => m.id), [p.missingId]);
  const same = cmp.deltas.filter((d) =>
    ![p.slowerId, p.fasterId, p.failedId, p.newId].includes(d.id)
  );
  assert.ok(same.every((d) => d.change === "same" || d.change === "not comparable"));
  assert.ok(same.every((d) => !d.regression));
  assert.equal(cmp.adapterMismatch, null);
  assert.equal(cmp.counts["slower"], 1);
  assert.equal(cmp.counts["missing"], 1);

  // Within the threshold: not slower even with disjoint CIs.
  const small = compareRuns(p.current, p.baseline, { threshold: 0.3 });
  assert.equal(small.deltas.find((d) => d.id === p.slowerId)!.change, "same");

  // Gate verdicts decide what counts as a regression.
  const withVerdicts = compareRuns(p.current, p.baseline, {
    verdicts: [
      { id: p.slowerId, verdict: "ambiguous", reason: "U test p = 0.03" },
      { id: p.fasterId, verdict: "accuracy-regressed", reason: "rel. error 0.1 → 0.2" },
      { id: "nowhere", verdict: "slower" },
    ],
  });
  const v = (id: string) => withVerdicts.deltas.find((d) => d.id === id)!;
  assert.equal(v(p.slowerId).regression, false);
  assert.equal(v(p.slowerId).verdictReason, "U test p = 0.03");
  assert.equal(v(p.fasterId).regression, true);
  assert.equal(v(p.failedId).verdict, null);
  assert.deepEqual(withVerdicts.unmatchedVerdicts, ["nowhere"]);
  assert.ok(isRegressionVerdict("failed") && !isRegressionVerdict("same"));

  // A filtered run is not missing the baseline cases outside its filter (as the gate says).
  const filtered = structuredClone(p.current);
  filtered.meta.filter = p.newId;
  assert.deepEqual(compareRuns(filtered, p.baseline).missing, []);
  filtered.meta.filter = `${p.newId}|${p.missingId}`;
  assert.deepEqual(compareRuns(filtered, p.baseline).missing.map((m) => m.id), [p.missingId]);

  const other = structuredClone(p.baseline);
  other.meta.adapter.description = "AMD Instinct MI300X";
  assert.match(compareRuns(p.current, other).adapterMismatch!, /AMD Instinct MI300X/);
});

Deno.test("summary.md: regressions first, failures, best per shape, capped case list", () => {
  const p = baselinePair();
  const md = renderSummaryMarkdown(p.current, { baseline: p.baseline, maxRows: 10 });
  const reg = md.indexOf("## Regressions vs baseline (2)");
  const failed = md.indexOf("## Failed");
  const best = md.indexOf("## Best per shape");
  assert.ok(reg > 0 && failed > reg && best > failed, md);
  const regSection = md.slice(reg, failed);
  assert.ok(regSection.includes(mdCell(p.slowerId)) && regSection.includes("+25.0%"));
  assert.ok(regSection.includes(mdCell(p.failedId)) && regSection.includes("newly failed"));
  assert.ok(!regSection.includes(mdCell(p.fasterId)));
  // One "best" row per shape and dtype: the fastest ok case.
  const bestRows = md.slice(best, md.indexOf("<details>")).split("\n").filter((l) =>
    l.startsWith("| ") && l.includes("×") && !l.startsWith("| shape")
  );
  assert.equal(bestRows.length, 8);
  const model = buildModel(p.current);
  const g0 = model.groups[0]!;
  const fastest = g0.cases.map((i) => model.cases[i]!).filter((c) => c.ms !== null)
    .reduce((a, b) => (b.ms! < a.ms! ? b : a));
  assert.ok(bestRows[0]!.includes(mdCell(fastest.id)));
  // The case list is capped and starts with the regressions.
  const all = md.slice(md.indexOf("<details>"));
  const rows = all.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| case"));
  assert.equal(rows.length, 10);
  assert.ok(rows[0]!.includes(mdCell(p.slowerId)) || rows[0]!.includes(mdCell(p.failedId)));
  assert.match(all, /… and \d+ more in results\.json/);
  assert.match(md, /\| case \| status \| median ms/);

  const plain = renderSummaryMarkdown(syntheticResults());
  assert.doesNotMatch(plain, /Regressions/);
  assert.match(plain, /Skipped \d+: /);
});

Deno.test("results validation names the file and the field", () => {
  const good = syntheticResults();
  assert.equal(
    validateResults(structuredClone(good), "r.json").results.length,
    good.results.length,
  );
  const bad = (mutate: (r: Record<string, unknown>) => void, re: RegExp) => {
    const r = structuredClone(good) as unknown as Record<string, unknown>;
    mutate(r);
    assert.throws(() => validateResults(r, "dir/r.json"), re);
  };
  // deno-lint-ignore no-explicit-any
  type Any = any;
  bad(
    (r) => r.schemaVersion = 2,
    /^ReportInputError: dir\/r\.json: schemaVersion: must be 1 .*; got 2/,
  );
  bad((r) => delete r.meta, /dir\/r\.json: meta: must be an object; got nothing/);
  bad(
    (r) => (r as Any).meta.adapter.description = 5,
    /dir\/r\.json: meta\.adapter\.description: must be a string; got 5/,
  );
  bad(
    (r) => (r as Any).results[3].status = "fine",
    /results\[3\]\.status: must be one of ok, failed, skipped; got "fine"/,
  );
  bad(
    (r) => (r as Any).results[0].shape.m = "1",
    /results\[0\]\.shape\.m: must be a number; got "1"/,
  );
  bad(
    (r) => (r as Any).results[0].time = null,
    /results\[0\]\.time: must be an object for an ok case/,
  );
  bad((r) => (r as Any).results[1].id = (r as Any).results[0].id, /results\[1\]\.id: duplicate id/);
  bad((r) => r.results = {}, /dir\/r\.json: results: must be an array; got \{\}/);
  bad((r) => (r as Any).meta.peaks.copyGbps = null, /meta\.peaks\.copyGbps: must be a number/);
  assert.throws(() => validateResults([], "x.json"), /x\.json: \(top level\): must be an object/);
  assert.throws(
    () => loadResultsFile("/nonexistent/r.json"),
    /\/nonexistent\/r\.json: cannot read the file \(no such file\)/,
  );
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/broken.json`, '{"schemaVersion": 1,');
  assert.throws(() => loadResultsFile(`${dir}/broken.json`), /broken\.json: not valid JSON/);
});

Deno.test("verdict files: a list or {verdicts: [...]}, fields checked", () => {
  assert.equal(validateVerdicts([{ id: "a", verdict: "same" }], "v.json").length, 1);
  assert.equal(
    (validateVerdicts(
      { pass: false, verdicts: [{ id: "a", verdict: "slower", p: 0.001 }] },
      "v",
    )[0] as unknown as {
      p: number;
    }).p,
    0.001,
  );
  assert.throws(() => validateVerdicts({ foo: 1 }, "v.json"), /v\.json: verdicts: must be a list/);
  assert.throws(
    () => validateVerdicts({ verdicts: [{ id: "a" }] }, "v.json"),
    /v\.json: verdicts\[0\]\.verdict: must be a string, got nothing/,
  );
  assert.throws(() => validateVerdicts([{ verdict: "x" }], "v.json"), /v\.json: \[0\]\.id/);
});

Deno.test("without Chart.js the page is still written when charts are optional", () => {
  const results = syntheticResults();
  assert.throws(() => renderHtml(results, { chartJsText: null }), /ChartJsMissingError/);
  const html = renderHtml(results, { chartJsText: null, chartJs: "optional" });
  assert.doesNotMatch(html, /Chart\.js v4/);
  assert.match(html, /Chart\.js was not available/);
  assert.equal(embeddedModel(html).cases.length, results.results.length);
});

Deno.test("model: batch figures and same-machine torch anchors per case; header lists anchors", () => {
  const results = syntheticResults();
  const ok = results.results.find((r) => r.status === "ok" && r.family === "dense")!;
  ok.batch = {
    median: ok.time!.median / 2,
    min: ok.time!.median / 2,
    p10: ok.time!.median / 2,
    p90: ok.time!.median / 2,
    noise: 0.01,
    n: 10,
    dispatchesPerSample: 40,
    copies: 4,
    l2: "rotating",
    effectiveTflops: 1,
    executedTflops: 1,
    gbps: 2000,
    speedupVsDense: 1,
    pctStream: 61,
  };
  results.meta.anchors = [
    {
      anchor: "torch.matmul fp32 (TF32 off)",
      library: "cuBLAS",
      ...ok.shape,
      dtype: ok.dtype,
      medianMs: ok.time!.median / 4,
    },
    { anchor: "torch copy_ (device to device)", bytes: 1 << 30, medianMs: 0.7, gbps: 2900 },
    "not an anchor",
  ];
  const model = buildModel(results);
  const c = model.cases.find((m) => m.id === ok.id)!;
  assert.equal(c.batchMs, ok.time!.median / 2);
  assert.equal(c.batchGbps, 2000);
  assert.equal(c.batchPctStream, 61);
  assert.equal(c.anchorMs, ok.time!.median / 4);
  assert.equal(c.vsAnchor, 0.25);
  // Cases of other shapes or dtypes get no anchor; old results without `batch` render too.
  const other = model.cases.find((m) => m.dims !== c.dims || m.dtype !== c.dtype)!;
  assert.equal(other.anchorMs, null);
  assert.equal(anchorList(results.meta.anchors).length, 2);
  const html = renderHtml(results);
  assert.match(html, /anchors on the same machine \(2\)/);
  assert.match(html, /torch copy_ \(device to device\)/);
  // No `order`: batch figures from before serial ordering are flagged in HTML and summary.
  assert.equal(batchOrder(results), "overlapping");
  assert.match(html, /class="warn">Back-to-back \(batch\) figures from tilebench before/);
  assert.match(renderSummaryMarkdown(results), /could overlap, by an amount/);
  ok.batch.order = "serial";
  assert.equal(batchOrder(results), "serial");
  const serial = renderHtml(results);
  assert.doesNotMatch(serial, /could overlap/);
  assert.match(
    serial,
    /<dt>back to back<\/dt><dd>Back-to-back \(batch\) figures: output writes in order/,
  );
  ok.batch.order = "chained";
  assert.equal(batchOrder(results), "chained");
  assert.match(
    renderHtml(results),
    /<dt>back to back<\/dt><dd>Back-to-back \(batch\) figures: each execution after the previous/,
  );
  delete (ok as Partial<typeof ok>).batch;
  assert.equal(buildModel(results).cases.find((m) => m.id === ok.id)!.batchMs, null);
  assert.equal(batchOrder(results), null);
  assert.doesNotMatch(renderSummaryMarkdown(results), /Back-to-back/);
});

Deno.test("a back-to-back figure still slower than isolated after its recheck is named", () => {
  const results = syntheticResults();
  const ok = results.results.find((r) => r.status === "ok")!;
  const batch = (ratio: number) => ({
    median: ok.time!.median * ratio,
    min: ok.time!.median * ratio,
    p10: ok.time!.median * ratio,
    p90: ok.time!.median * ratio,
    noise: 0.01,
    n: 10,
    dispatchesPerSample: 93,
    copies: 93,
    l2: "rotating" as const,
    order: "chained" as const,
    executionDispatches: 2,
    effectiveTflops: 1,
    executedTflops: 1,
    gbps: 100,
    speedupVsDense: null,
  });
  ok.batch = batch(0.6);
  assert.doesNotMatch(renderHtml(results), /slower back to back than isolated/);
  assert.doesNotMatch(renderSummaryMarkdown(results), /slower back to back than isolated/);
  ok.batch = {
    ...batch(1.38),
    recheck: { ratio: 1.38, firstMedian: 1, secondMedian: 1.01, kept: "first" },
  };
  const note = new RegExp(`1 case stayed slower back to back than isolated .*${escapeRe(ok.id)}`);
  assert.match(renderHtml(results), new RegExp(`class="warn">${note.source.replace(/"/g, "")}`));
  assert.match(renderSummaryMarkdown(results), note);
  // A failed case's figures are not judged.
  ok.status = "failed";
  assert.doesNotMatch(renderSummaryMarkdown(results), /slower back to back than isolated/);
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

Deno.test("summary lists anchors; back-to-back anchor timings show in the note", () => {
  const results = syntheticResults();
  results.meta.anchors = [
    {
      anchor: "torch int4 weight-only bf16",
      library: "tinygemm",
      m: 1,
      k: 4096,
      n: 14336,
      dtype: "bf16",
      medianMs: 0.0296,
      batchMedianMs: 0.0194,
      gbps: 1057,
      batchGbps: 1614,
    },
    { anchor: "torch semi-structured 2:4 fp16", m: 1, k: 8, n: 8, error: "RuntimeError: no" },
  ];
  const rows = anchorList(results.meta.anchors);
  assert.equal(
    rows[0]!.note,
    `back to back: ${fmtNum(0.0194)} ms (${
      fmtNum(1614)
    } GB/s), a host loop (on short kernels the host's launch rate)`,
  );
  assert.equal(rows[1]!.note, "RuntimeError: no");
  const md = renderSummaryMarkdown(results);
  assert.match(md, /Anchors on the same machine \(2\)/);
  assert.match(
    md,
    /\| torch int4 weight-only bf16 \(tinygemm\) \| 1×4096×14336 \| bf16 \| 0\.0296 \|/,
  );
  delete results.meta.anchors;
  assert.doesNotMatch(renderSummaryMarkdown(results), /Anchors on/);
});

Deno.test("summary: each case against the fastest correct WebGPU peer on its shape", () => {
  const r = syntheticResults();
  const c = r.results.find((x) => x.status === "ok" && x.family === "dense")!;
  const { m, k, n } = c.shape;
  const ms = c.time!.median;
  const peer = { kind: "webgpu-peer", m, k, n, correct: true, method: "gpu-timestamp" };
  r.meta.anchors = [
    { ...peer, anchor: "slow peer", medianMs: ms * 4 },
    { ...peer, anchor: "fast peer", medianMs: ms * 2 },
    { ...peer, anchor: "wrong peer", medianMs: ms / 10, correct: false },
    { ...peer, anchor: "polled peer", medianMs: ms / 10, method: "wall" },
    // A product of 4-bit weights: a peer of the INT4 and ternary cases, not of a dense one.
    { ...peer, anchor: "MatMulNBits 4-bit", weights: "int4", medianMs: ms / 5 },
  ];
  const md = renderSummaryMarkdown(r);
  const same = r.results.filter((x) =>
    x.status === "ok" && x.shape.m === m && x.shape.k === k && x.shape.n === n
  );
  assert.match(md, new RegExp(`Against the fastest WebGPU peer: \\d+ of ${same.length} case`));
  const row = md.split("\n").find((l) => l.startsWith(`| ${mdCell(c.id)} |`))!;
  assert.match(row, /\| fast peer \| .* \| 2 \|$/);
  // Without peers there is no such section.
  r.meta.anchors = [];
  assert.doesNotMatch(renderSummaryMarkdown(r), /WebGPU peer/);
});
