/**
 * The report for people who share it, in headless Chromium: the column chooser and the sticky id
 * column at 1400 px, dark mode, error bars and point labels on the speed charts, and a full-page
 * screenshot. Set TILEBENCH_SKIP_BROWSER=1 on a machine without Chromium.
 *
 * @module
 */

import assert from "node:assert/strict";
import { launchChromium } from "../harness/report/browser.ts";
import { renderHtml } from "../harness/report/html.ts";
import { syntheticResults } from "./fixtures/report_results.ts";
import { runCli } from "./run_cli.ts";

const SKIP = Deno.env.get("TILEBENCH_SKIP_BROWSER") === "1";
const BROWSER_TEST = { ignore: SKIP, sanitizeResources: false, sanitizeOps: false } as const;

Deno.test({
  ...BROWSER_TEST,
  name: "report at 1400 px: column chooser, sticky ids, dark mode, error bars, point labels",
  async fn() {
    const dir = Deno.makeTempDirSync();
    const html = `${dir}/report.html`;
    Deno.writeTextFileSync(html, renderHtml(syntheticResults()));
    const b = await launchChromium({ width: 1400, height: 1000 });
    try {
      const page = await b.context.newPage();
      await page.emulateMedia({ colorScheme: "dark" });
      await page.goto(`file://${html}`);
      await page.waitForFunction('document.documentElement.dataset.ready === "true"', null, {
        timeout: 60_000,
      });
      assert.equal(
        await page.evaluate("getComputedStyle(document.body).backgroundColor"),
        "rgb(13, 17, 23)",
      );
      // The column chooser hides a column; the id column stays in view when scrolled sideways.
      assert.equal(
        await page.evaluate("getComputedStyle(document.querySelector('th.col-noise')).display"),
        "table-cell",
      );
      await page.click("#column-chooser summary");
      await page.click("#column-chooser input[data-key='noise']");
      assert.equal(
        await page.evaluate("getComputedStyle(document.querySelector('th.col-noise')).display"),
        "none",
      );
      const offset = await page.evaluate(`(() => {
        const wrap = document.querySelector(".table-wrap");
        wrap.scrollLeft = 300;
        const id = document.querySelector("#cases-table td.id");
        return id.getBoundingClientRect().left - wrap.getBoundingClientRect().left;
      })()`) as number;
      assert.ok(Math.abs(offset) < 2, `id column moved by ${offset}px`);
      // Speed charts carry CI error bars and label their Pareto points.
      const charts = await page.evaluate(`(() => {
        tilebenchReport.renderAll();
        return tilebenchReport.entries.filter((e) => e.name.startsWith("speed vs accuracy")).map((e) => ({
          plugins: e.chart.config.plugins.map((p) => p.id),
          bars: e.chart.data.datasets.filter((d) => d.errorBars).flatMap((d) => d.data)
            .filter((p) => p.yLo <= p.y && p.y <= p.yHi).length,
          labelled: e.chart.data.datasets.some((d) => d.pointLabels && d.data.length > 0),
        }));
      })()`) as { plugins: string[]; bars: number; labelled: boolean }[];
      assert.ok(charts.length > 0);
      for (const c of charts) {
        assert.ok(
          c.plugins.includes("tilebenchErrorBars") && c.plugins.includes("tilebenchPointLabels"),
        );
        assert.ok(c.bars > 0);
        assert.ok(c.labelled);
      }
    } finally {
      await b.close();
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...BROWSER_TEST,
  name: "report --screenshot captures the whole page",
  async fn() {
    const dir = Deno.makeTempDirSync();
    Deno.writeTextFileSync(`${dir}/results.json`, JSON.stringify(syntheticResults()));
    const r = await runCli("harness/report/main.ts", [
      `${dir}/results.json`,
      "--screenshot",
      `${dir}/shot.png`,
      "--quiet",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const png = Deno.readFileSync(`${dir}/shot.png`);
    const view = new DataView(png.buffer, png.byteOffset);
    assert.equal(view.getUint32(16), 1400);
    assert.ok(view.getUint32(20) > 3000, `height ${view.getUint32(20)}: not the whole page`);
    Deno.removeSync(dir, { recursive: true });
  },
});
