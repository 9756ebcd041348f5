/**
 * The static site `deno task publish` writes from a results store: an index of runs by adapter
 * and suite, each run's page and report, and a trend page per case across runs with the noise
 * band. Plain HTML and inline SVG with relative links: any static host (GitHub Pages) serves it.
 *
 * @module
 */

import { join } from "node:path";
import { escapeHtml as e } from "../report/escape.ts";
import { writeReports } from "../report/write.ts";
import { fnv1a } from "../data/prng.ts";
import { shortCommit } from "./history_cli.ts";
import type { Store, StoredRun, TrendPoint } from "./store.ts";
import { type ChartPoint, sparkSvg, trendSvg } from "./trend_svg.ts";

const STYLE = `:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #59636e;
  --line: #d0d7de; --accent: #0969da; --band: rgba(9,105,218,.18); --bad: #cf222e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1;
  --line: #30363d; --accent: #4493f8; --band: rgba(68,147,248,.25); --bad: #f85149; } }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg);
  max-width: 1200px; margin: 0 auto; padding: 16px 24px; }
a { color: var(--accent); } .muted { color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0 20px; }
th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid var(--line); }
td.num { text-align: right; font-variant-numeric: tabular-nums; } code { font-size: 13px; }
svg.trend { max-width: 100%; height: auto; } svg .grid { stroke: var(--line); }
svg .axis { fill: var(--muted); font-size: 11px; } svg .fail { fill: var(--bad); }
svg .band { fill: var(--band); stroke: none; }
svg .median { fill: none; stroke: var(--accent); stroke-width: 1.5; }
svg .batch { fill: none; stroke: var(--muted); stroke-dasharray: 4 3; }
svg .batch-point { fill: var(--bg); stroke: var(--muted); stroke-width: 1.5; }
svg .point { fill: var(--accent); } svg.spark polyline { fill: none; stroke: var(--accent); }
nav { margin-bottom: 12px; }`;

function page(title: string, root: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${e(title)}</title><link rel="stylesheet" href="${root}style.css"></head><body>` +
    `<nav><a href="${root}index.html">runs</a> · <a href="${root}trends/index.html">trends</a></nav>` +
    `${body}</body></html>\n`;
}

/**
 * A file-name-safe, stable slug for `text`: readable characters kept, a hash appended.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(slug("dense/f16/1x4096x14336@up"), /^dense-f16-1x4096x14336-up-[0-9a-f]{8}$/);
 * ```
 */
export function slug(text: string): string {
  const readable = text.replace(/[^A-Za-z0-9.=_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80);
  return `${readable}-${fnv1a(text).toString(16).padStart(8, "0")}`;
}

function runSlug(r: StoredRun): string {
  return slug(
    `${r.suite}-${
      (r.startedAt ?? "").replace(/[:.]/g, "")
    }|${r.adapter}|${r.commit}|${r.shard}|${r.source}`,
  );
}

function fmtTime(ms: number | null): string {
  if (ms === null) return "–";
  return ms >= 1 ? `${Number(ms.toPrecision(4))} ms` : `${Number((ms * 1000).toPrecision(4))} µs`;
}

/** What {@link buildSite} wrote. */
export interface SiteSummary {
  /** Runs published. */
  runs: number;
  /** Trend pages written. */
  trendPages: number;
  /** Files written. */
  files: number;
}

/** Options of {@link buildSite}. */
export interface SiteOptions {
  /** Site title (default "tilebench results"). */
  title?: string;
}

/**
 * Writes the site for every run in `store` into `outDir`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordMain } from "./record_cli.ts";
 * import { openStore } from "./store.ts";
 * const dir = Deno.makeTempDirSync();
 * assert.equal(recordMain(["baselines/smoke-llvmpipe.json", "--store", `${dir}/h.db`, "--quiet"]), 0);
 * const store = openStore(`${dir}/h.db`, { readOnly: true });
 * const summary = buildSite(store, `${dir}/site`);
 * store.close();
 * assert.equal(summary.runs, 1);
 * assert.ok(Deno.statSync(`${dir}/site/index.html`).isFile);
 * ```
 */
export function buildSite(store: Store, outDir: string, options: SiteOptions = {}): SiteSummary {
  const title = options.title ?? "tilebench results";
  let files = 0;
  const write = (path: string, text: string) => {
    Deno.writeTextFileSync(join(outDir, path), text);
    files++;
  };
  Deno.mkdirSync(join(outDir, "runs"), { recursive: true });
  Deno.mkdirSync(join(outDir, "trends"), { recursive: true });
  write("style.css", STYLE + "\n");
  write(".nojekyll", "");

  const runs = store.runs({});
  const slugs = new Map(runs.map((r) => [r.id, runSlug(r)]));
  const points = store.trend({});
  const byCase = new Map<string, TrendPoint[]>();
  for (const p of points) byCase.set(p.caseId, [...(byCase.get(p.caseId) ?? []), p]);
  const caseSlug = new Map([...byCase.keys()].map((id) => [id, slug(id)]));

  // Each run: its report files and a page linking them and its cases' trends.
  for (const r of runs) {
    const dir = join(outDir, "runs", slugs.get(r.id)!);
    Deno.mkdirSync(dir, { recursive: true });
    const results = store.load(r.id);
    writeReports(dir, results);
    files += 3;
    const rows = results.results.map((c) =>
      `<tr><td><a href="../../trends/${caseSlug.get(c.id)}.html"><code>${e(c.id)}</code></a></td>` +
      `<td>${e(c.status)}</td><td class="num">${fmtTime(c.time?.median ?? null)}</td>` +
      `<td class="num">${fmtTime(c.batch?.median ?? null)}</td><td class="num">${
        c.speedupVsDense !== null ? `${c.speedupVsDense.toFixed(2)}×` : "–"
      }</td></tr>`
    ).join("");
    write(
      join("runs", slugs.get(r.id)!, "index.html"),
      page(
        `${r.suite} · ${r.adapter} · ${r.startedAt}`,
        "../../",
        `<h1>${e(r.suite)} <span class="muted">on ${e(r.adapter)}</span></h1>` +
          `<p>${e(r.startedAt ?? "")} · commit <code>${e(shortCommit(r.commit, r.dirty))}</code>${
            r.dirty ? " (uncommitted changes)" : ""
          }${r.branch ? ` · branch ${e(r.branch)}` : ""}${
            r.shard ? ` · shard ${e(r.shard)}` : ""
          } · ${r.ok}/${r.cases} ok${
            r.complete ? "" : " · incomplete"
          }</p><p><a href="report.html">report</a> · <a href="summary.md">summary.md</a> · ` +
          `<a href="results.json">results.json</a>${
            r.source ? ` <span class="muted">(recorded from ${e(r.source)})</span>` : ""
          }</p><table><tr><th>case (trend)</th><th>status</th><th>median</th><th>back to back</th>` +
          `<th>× dense</th></tr>${rows}</table>`,
      ),
    );
  }

  // The index: runs by adapter, then suite, newest first.
  const byAdapter = new Map<string, Map<string, StoredRun[]>>();
  for (const r of runs) {
    const suites = byAdapter.get(r.adapter) ?? new Map<string, StoredRun[]>();
    suites.set(r.suite, [...(suites.get(r.suite) ?? []), r]);
    byAdapter.set(r.adapter, suites);
  }
  const sections: string[] = [];
  for (const [adapter, suites] of [...byAdapter].sort((a, b) => a[0].localeCompare(b[0]))) {
    sections.push(`<h2>${e(adapter)}</h2>`);
    for (const [suite, rs] of [...suites].sort((a, b) => a[0].localeCompare(b[0]))) {
      sections.push(
        `<h3>${e(suite)}</h3><table><tr><th>started</th><th>commit</th><th>branch</th>` +
          `<th>cases</th><th>shard</th><th>source</th></tr>` +
          rs.slice().reverse().map((r) =>
            `<tr><td><a href="runs/${slugs.get(r.id)}/index.html">${
              e((r.startedAt ?? "–").slice(0, 16).replace("T", " "))
            }</a></td><td><code>${e(shortCommit(r.commit, r.dirty))}</code></td><td>${
              e(r.branch ?? "–")
            }</td><td>${r.ok}/${r.cases} ok${r.complete ? "" : " (incomplete)"}</td><td>${
              e(r.shard ?? "")
            }</td><td class="muted">${e(r.source ?? "")}</td></tr>`
          ).join("") + `</table>`,
      );
    }
  }
  write(
    "index.html",
    page(
      title,
      "",
      `<h1>${e(title)}</h1><p>${runs.length} run(s) on ${byAdapter.size} adapter(s); ` +
        `<a href="trends/index.html">per-case trends</a>. A <code>*</code> after a commit: ` +
        `run from a tree with uncommitted changes.</p>${sections.join("")}`,
    ),
  );

  // A trend page per case: one chart per adapter, then the runs.
  const trendIndex = new Map<string, string[]>();
  for (const [id, ps] of byCase) {
    const blocks: string[] = [];
    const adapters = new Map<string, TrendPoint[]>();
    for (const p of ps) adapters.set(p.adapter, [...(adapters.get(p.adapter) ?? []), p]);
    for (const [adapter, aps] of adapters) {
      const chart: ChartPoint[] = aps.map((p) => ({
        label: `${(p.startedAt ?? "").slice(0, 16).replace("T", " ")} ${
          shortCommit(p.commit, p.dirty)
        }`,
        href: `../runs/${slugs.get(p.runId)}/report.html`,
        median: p.status === "ok" ? p.median : null,
        lo: p.status === "ok" ? p.ciLo : null,
        hi: p.status === "ok" ? p.ciHi : null,
        batch: p.status === "ok" ? p.batchMedian : null,
      }));
      blocks.push(
        `<h2>${e(adapter)}</h2>${trendSvg(chart)}<table><tr><th>run</th><th>commit</th>` +
          `<th>branch</th><th>status</th><th>median</th><th>95% CI</th><th>back to back</th>` +
          `<th>× dense</th><th>rel. error</th></tr>` +
          aps.slice().reverse().map((p) =>
            `<tr><td><a href="../runs/${slugs.get(p.runId)}/index.html">${
              e((p.startedAt ?? "–").slice(0, 16).replace("T", " "))
            }</a></td><td><code>${e(shortCommit(p.commit, p.dirty))}</code></td><td>${
              e(p.branch ?? "–")
            }</td><td>${e(p.status)}</td><td class="num">${fmtTime(p.median)}</td>` +
            `<td class="num">${
              p.ciLo !== null && p.ciHi !== null ? `${fmtTime(p.ciLo)} – ${fmtTime(p.ciHi)}` : "–"
            }</td><td class="num">${fmtTime(p.batchMedian)}</td><td class="num">${
              p.speedup !== null ? `${p.speedup.toFixed(2)}×` : "–"
            }</td><td class="num">${
              p.relError !== null ? p.relError.toPrecision(3) : "–"
            }</td></tr>`
          ).join("") + `</table>`,
      );
      const suite = aps[0]!.suite;
      const last = aps.at(-1)!;
      trendIndex.set(suite, [
        ...(trendIndex.get(suite) ?? []),
        `<tr><td><a href="${caseSlug.get(id)}.html"><code>${e(id)}</code></a></td><td>${
          e(adapter)
        }</td><td class="num">${aps.length}</td><td>${
          sparkSvg(aps.map((p) => p.batchMedian ?? p.median))
        }</td><td class="num">${fmtTime(last.batchMedian ?? last.median)}</td></tr>`,
      ]);
    }
    write(
      join("trends", `${caseSlug.get(id)}.html`),
      page(
        id,
        "../",
        `<h1><code>${e(id)}</code></h1><p class="muted">Isolated median per run (line and ` +
          `points; a point links to that run's report), the 95% confidence interval of each ` +
          `median (shaded: the noise band) and the back-to-back median (dashed line, hollow ` +
          `points) where the case ` +
          `has one. × marks a run where the case did not run ok. Oldest run on the left.</p>` +
          blocks.join(""),
      ),
    );
  }
  write(
    join("trends", "index.html"),
    page(
      `${title}: trends`,
      "../",
      `<h1>Trends</h1><p class="muted">Every case with its runs per adapter; the sparkline and ` +
        `the last figure use the back-to-back median where there is one.</p>` +
        [...trendIndex].sort((a, b) => a[0].localeCompare(b[0])).map(([suite, rows]) =>
          `<h2>${e(suite)}</h2><table><tr><th>case</th><th>adapter</th><th>runs</th>` +
          `<th>trend</th><th>last</th></tr>${rows.join("")}</table>`
        ).join(""),
    ),
  );
  return { runs: runs.length, trendPages: byCase.size, files };
}
