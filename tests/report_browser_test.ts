/**
 * report.html in a real browser: the system's headless Chromium through playwright-core.
 *
 * These tests FAIL when Chromium is missing (CI installs it: `.ci/run`). To skip them on a
 * machine without Chromium, set TILEBENCH_SKIP_BROWSER=1 (they then show as "ignored").
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type BrowserPage,
  type HeadlessBrowser,
  launchChromium,
} from "../harness/report/browser.ts";
import { renderHtml } from "../harness/report/html.ts";
import { HOSTILE, hostileResults, largeSyntheticResults } from "./fixtures/report_results.ts";

const SKIP = Deno.env.get("TILEBENCH_SKIP_BROWSER") === "1";
const BROWSER_TEST = { ignore: SKIP, sanitizeResources: false, sanitizeOps: false } as const;

/** Opens `html` from a file:// URL; collects console errors, page errors and dialogs. */
async function open(b: HeadlessBrowser, html: string, dir: string, name: string) {
  const path = `${dir}/${name}.html`;
  Deno.writeTextFileSync(path, html);
  const page = await b.context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") {
      problems.push(`console.${m.type()}: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", (d) => {
    problems.push(`dialog opened: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  const requests: string[] = [];
  page.on("request", (r) => {
    if (r.url() !== `file://${path}`) requests.push(r.url());
  });
  const t0 = performance.now();
  await page.goto(`file://${path}`);
  await page.waitForFunction('document.documentElement.dataset.ready === "true"', null, {
    timeout: 60_000,
  });
  const wallMs = performance.now() - t0;
  return { page, problems, requests, wallMs, path };
}

/** Per chart: points drawn inside the chart area, and whether the canvas has ink. */
const CHART_STATE = `(() => {
  const out = [];
  for (const e of tilebenchReport.entries) {
    const c = e.chart;
    if (!c) { out.push({ name: e.name, created: false }); continue; }
    let points = 0;
    c.data.datasets.forEach((d, i) => {
      const meta = c.getDatasetMeta(i);
      if (meta.hidden) return;
      for (const el of meta.data) {
        const a = c.chartArea;
        if (Number.isFinite(el.x) && Number.isFinite(el.y) && el.x >= a.left - 1 &&
            el.x <= a.right + 1 && el.y >= a.top - 1 && el.y <= a.bottom + 1) points++;
      }
    });
    const copy = document.createElement("canvas");
    copy.width = e.canvas.width;
    copy.height = e.canvas.height;
    const ctx = copy.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(e.canvas, 0, 0);
    const img = ctx.getImageData(0, 0, copy.width, copy.height).data;
    let ink = 0;
    for (let i = 3; i < img.length; i += 4 * 7) if (img[i] > 0) ink++;
    out.push({ name: e.name, created: true, points, ink, w: e.canvas.width, h: e.canvas.height });
  }
  return out;
})()`;

async function columnTexts(page: BrowserPage, key: string): Promise<string[]> {
  return await page.evaluate(`(() => {
    const heads = [...document.querySelectorAll("#cases-table thead th")];
    const col = heads.findIndex((h) => h.dataset.key === ${JSON.stringify(key)});
    return [...document.querySelectorAll("#cases-table tbody tr")]
      .filter((tr) => !tr.hidden)
      .map((tr) => tr.cells[col].textContent);
  })()`);
}

/** Clicks a column header and returns the ms until the next frame after the re-layout. */
async function timedSort(page: BrowserPage, key: string): Promise<number> {
  return await page.evaluate(`new Promise((done) => {
    const t0 = performance.now();
    document.querySelector('th[data-key="${key}"] button').click();
    document.body.offsetHeight;
    requestAnimationFrame(() => done(performance.now() - t0));
  })`) as number;
}

function numeric(texts: string[]): number[] {
  return texts.filter((t) => t !== "–" && t !== "").map((t) => Number(t.replace(/[+%]/g, "")));
}

function isSorted(xs: number[], dir: 1 | -1): boolean {
  return xs.every((x, i) => i === 0 || (x - xs[i - 1]!) * dir >= 0);
}

Deno.test({
  name: "report.html in headless Chromium: charts drawn, table sorts and filters, text escaped",
  ...BROWSER_TEST,
  async fn() {
    const dir = Deno.makeTempDirSync({ prefix: "tilebench-report-test-" });
    const results = hostileResults();
    // The hostile run compared with a baseline (and a gate verdict) shows every section.
    const baseline = structuredClone(results);
    const slowed = baseline.results.find((c) => c.status === "ok" && c.family === "int4")!;
    slowed.time!.median *= 0.5;
    slowed.time!.ci = {
      ...slowed.time!.ci,
      lo: slowed.time!.ci.lo * 0.5,
      hi: slowed.time!.ci.hi * 0.5,
    };
    const html = renderHtml(results, {
      baseline,
      verdicts: [{ id: slowed.id, verdict: "slower", reason: `${HOSTILE.label} p < 0.001` }],
    });
    const b = await launchChromium();
    try {
      const { page, problems, requests, wallMs } = await open(b, html, dir, "report");
      assert.deepEqual(problems, [], "no console errors, page errors or dialogs");
      assert.deepEqual(requests, [], "nothing fetched while opening the report");

      // Every chart exists, and each drew data points inside its area.
      const charts = await page.evaluate(CHART_STATE) as {
        name: string;
        created: boolean;
        points: number;
        ink: number;
      }[];
      const canvases = await page.evaluate("document.querySelectorAll('canvas').length");
      const groups = await page.evaluate("tilebenchReport.data.groups.length") as number;
      assert.equal(canvases, charts.length);
      // 8 per-shape charts (4 shapes × 2 dtypes) + FLOPs + best + per-shape detail + roofline + deltas.
      assert.equal(charts.length, groups + 5, charts.map((c) => c.name).join(", "));
      for (const c of charts) {
        assert.ok(c.created, `${c.name} created`);
        assert.ok(c.points > 0, `${c.name} has data points (${c.points})`);
        assert.ok(c.ink > 50, `${c.name} drew on its canvas (${c.ink})`);
      }
      assert.equal(await page.isVisible("#roofline"), true);
      assert.equal(await page.isVisible("#baseline"), true);

      // User-supplied strings are text, never markup.
      assert.equal(
        await page.evaluate("document.querySelectorAll('img, b[onmouseover]').length"),
        0,
      );
      assert.equal(await page.evaluate("document.scripts.length"), 3);
      const body = await page.evaluate("document.body.innerText") as string;
      for (const s of [HOSTILE.suite, HOSTILE.adapter, HOSTILE.reason, HOSTILE.label]) {
        assert.ok(body.includes(s), `shown as text: ${s}`);
      }
      assert.equal(await page.title(), `tilebench · ${HOSTILE.suite} · ${results.meta.startedAt}`);

      // Sorting: numeric ascending with blanks last, then descending; text columns too.
      const total = results.results.length;
      assert.equal(await page.textContent("#case-count"), `${total} of ${total} cases match`);
      await page.click('th[data-key="ms"] button');
      let ms = await columnTexts(page, "ms");
      assert.ok(isSorted(numeric(ms), 1), "ascending median");
      assert.equal(ms.at(-1), "–", "cases without a time sort last");
      assert.equal(await page.getAttribute('th[data-key="ms"]', "aria-sort"), "ascending");
      await page.click('th[data-key="ms"] button');
      ms = await columnTexts(page, "ms");
      assert.ok(isSorted(numeric(ms), -1), "descending median");
      assert.equal(ms.at(-1), "–");
      await page.click('th[data-key="delta"] button');
      assert.ok(isSorted(numeric(await columnTexts(page, "delta")), 1));
      await page.click('th[data-key="id"] button');
      const ids = await columnTexts(page, "id");
      assert.deepEqual(
        ids,
        [...ids].sort((x, y) => x.localeCompare(y, undefined, { numeric: true })),
      );
      assert.equal(ids.length, total);

      // Filtering: text, status, family; the count follows.
      await page.fill("#case-filter", "sparse24");
      await page.waitForTimeout(50);
      const sparse = await columnTexts(page, "id");
      const expected = results.results.filter((r) =>
        r.id.toLowerCase().includes("sparse24")
      ).length;
      assert.equal(sparse.length, expected);
      assert.ok(sparse.every((id) => id.includes("sparse24")));
      await page.fill("#case-filter", "");
      await page.selectOption("#status-filter", "failed");
      await page.waitForTimeout(50);
      const failedStatus = await columnTexts(page, "status");
      assert.equal(failedStatus.length, results.totals.failed);
      assert.ok(failedStatus.every((s) => s === "failed"));
      await page.selectOption("#status-filter", "");
      await page.selectOption("#family-filter", "lowrank");
      await page.waitForTimeout(50);
      const fam = await columnTexts(page, "family");
      assert.ok(fam.length > 0 && fam.every((f) => f === "lowrank"), "an unknown family filters");
      await page.selectOption("#family-filter", "");
      await page.fill("#case-filter", "onerror=alert(1)");
      await page.waitForTimeout(50);
      const hostileRows = await columnTexts(page, "shape");
      assert.ok(hostileRows.length > 0 && hostileRows.every((s) => s.includes(HOSTILE.label)));
      await page.fill("#case-filter", "");

      // The baseline section lists the regression, with the gate's reason as text.
      const listed = await page.evaluate(
        "[...document.querySelectorAll('#regressions li')].map((li) => li.textContent)",
      ) as string[];
      assert.equal(listed.length, 1);
      assert.ok(listed[0]!.startsWith(`${slowed.id} — slower, +`), listed[0]);
      assert.ok(listed[0]!.endsWith(`${HOSTILE.label} p < 0.001`));
      // The verdict column shows the gate's verdict; the regression is marked.
      await page.fill("#case-filter", slowed.id);
      await page.waitForTimeout(50);
      assert.deepEqual(await columnTexts(page, "verdict"), ["slower"]);
      await page.fill("#case-filter", "");

      // Switching the headline metric and the throughput shape redraws without errors.
      await page.selectOption("#headline-metric", "eff");
      await page.selectOption("#throughput-shape", { index: 2 });
      const after = await page.evaluate(CHART_STATE) as { points: number }[];
      assert.ok(after.every((c) => c.points > 0));
      assert.deepEqual(problems, []);

      const png = `${dir}/report.png`;
      await page.selectOption("#headline-metric", "speedup");
      await page.evaluate("window.scrollTo(0, 0)");
      await page.screenshot({ path: png, fullPage: true });
      const sig = Deno.readFileSync(png).slice(0, 8);
      assert.deepEqual([...sig], [137, 80, 78, 71, 13, 10, 26, 10], "a PNG");
      console.log(`report screenshot: ${png} (opened in ${wallMs.toFixed(0)} ms)`);

      // A report rendered where Chart.js was missing: no charts, a clear note, a working table.
      const bare = await open(
        b,
        renderHtml(results, { chartJsText: null, chartJs: "optional" }),
        dir,
        "no-charts",
      );
      assert.deepEqual(bare.problems, []);
      assert.equal(await bare.page.evaluate("document.querySelectorAll('canvas').length"), 0);
      assert.match(
        await bare.page.textContent("#no-charts") ?? "",
        /Re-render it with `deno task report results\.json`/,
      );
      assert.equal(
        await bare.page.evaluate("document.querySelectorAll('#cases-table tbody tr').length"),
        total,
      );
    } finally {
      await b.close();
    }
  },
});

Deno.test({
  name: "a 2,340-case report opens fast and every lazy chart renders",
  ...BROWSER_TEST,
  async fn() {
    const dir = Deno.makeTempDirSync({ prefix: "tilebench-report-large-" });
    const results = largeSyntheticResults();
    assert.ok(results.results.length >= 2000);
    const t0 = performance.now();
    const html = renderHtml(results);
    const renderMs = performance.now() - t0;
    const b = await launchChromium();
    try {
      const { page, problems, wallMs } = await open(b, html, dir, "large");
      const readyMs = await page.evaluate("tilebenchReport.readyMs") as number;
      assert.deepEqual(problems, []);
      // The table shows the first 400 matching rows, more on request.
      const rowCount = "document.querySelectorAll('#cases-table tbody tr').length";
      const total = results.results.length;
      assert.equal(await page.evaluate(rowCount), 400);
      assert.equal(
        await page.textContent("#case-count"),
        `${total} of ${total} cases match · first 400 shown`,
      );
      const sortMs = await timedSort(page, "eff");
      assert.ok(isSorted(numeric(await columnTexts(page, "eff")), 1));
      await page.click("#show-more");
      assert.equal(await page.evaluate(rowCount), 800);
      await page.click("#show-all");
      assert.equal(await page.evaluate(rowCount), total);
      assert.equal(await page.textContent("#case-count"), `${total} of ${total} cases match`);
      await page.selectOption("#status-filter", "failed");
      const failed = results.results.filter((r) => r.status === "failed").length;
      assert.equal(await page.evaluate(rowCount), failed);
      await page.selectOption("#status-filter", "");
      assert.equal(await page.evaluate(rowCount), total, "show all survives filtering");
      const sortAllMs = await timedSort(page, "ms");
      const ms = await columnTexts(page, "ms");
      assert.equal(ms.length, total);
      assert.ok(isSorted(numeric(ms), 1));
      // Charts beyond the first screens are created when scrolled near; force the rest.
      const created0 = await page.evaluate("tilebenchReport.entries.filter((e) => e.chart).length");
      const c0 = performance.now();
      const n = await page.evaluate("tilebenchReport.renderAll()") as number;
      const allMs = performance.now() - c0;
      const charts = await page.evaluate(CHART_STATE) as { name: string; points: number }[];
      assert.equal(charts.length, n);
      for (const c of charts) assert.ok(c.points > 0, `${c.name} has data points`);
      assert.deepEqual(problems, []);
      const mb = (html.length / 1e6).toFixed(1);
      console.log(
        `large report: ${results.results.length} cases, ${mb} MB, rendered in ${
          renderMs.toFixed(0)
        } ms; ready ${readyMs.toFixed(0)} ms after navigation (${
          wallMs.toFixed(0)
        } ms wall), ${created0} of ${n} charts drawn at load; sort ${
          sortMs.toFixed(0)
        } ms (400 rows shown), ${sortAllMs.toFixed(0)} ms (all rows shown); all charts ${
          allMs.toFixed(0)
        } ms`,
      );
      // Generous bound for a shared 2-core CI machine (measured: ~0.6 s).
      assert.ok(readyMs < 10_000, `ready after ${readyMs} ms`);
    } finally {
      await b.close();
    }
  },
});
