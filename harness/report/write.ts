/**
 * Writing a run's files: `results.json` atomically and incrementally (an interrupted run leaves
 * valid JSON of what finished), and the rendered summary.md and report.html beside it. The runner
 * and the gate both write through here.
 *
 * @module
 */

import { dirname, join } from "node:path";
import type { RunResults } from "../types.ts";
import { renderHtml } from "./html.ts";
import { renderSummaryMarkdown } from "./markdown.ts";
import type { ReportOptions } from "./model.ts";

/**
 * Writes `text` to `path` through a temporary file in the same directory and a rename, so a
 * reader (or a run interrupted mid-write) never sees a half-written file: the old content or the
 * new, nothing between.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * writeTextAtomic(`${dir}/a.md`, "# hello\n");
 * assert.equal(Deno.readTextFileSync(`${dir}/a.md`), "# hello\n");
 * assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["a.md"]);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function writeTextAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${Date.now()}-${Math.random().toString(36).slice(2)}.tmp`);
  try {
    Deno.writeTextFileSync(tmp, text);
    Deno.renameSync(tmp, path);
  } catch (e) {
    try {
      Deno.removeSync(tmp);
    } catch { /* never created */ }
    throw e;
  }
}

/**
 * Writes `value` as JSON to `path` atomically (see {@link writeTextAtomic}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * writeJsonAtomic(`${dir}/results.json`, { ok: true });
 * assert.deepEqual(JSON.parse(Deno.readTextFileSync(`${dir}/results.json`)), { ok: true });
 * ```
 */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeTextAtomic(path, JSON.stringify(value, null, 1) + "\n");
}

/**
 * Keeps `results.json` up to date during a run: writes after a case at most every
 * `intervalMs`, and always on `flush()`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair, syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const dir = Deno.makeTempDirSync();
 * const results = syntheticResults();
 * const w = new ResultsWriter(`${dir}/results.json`, 1000);
 * w.update(results); // written at most once a second
 * w.flush(results); // written now
 * assert.equal(JSON.parse(Deno.readTextFileSync(`${dir}/results.json`)).results.length, results.results.length);
 * ```
 */
export class ResultsWriter {
  #path: string;
  #intervalMs: number;
  #last = 0;

  /** Creates a writer for `path`. */
  constructor(path: string, intervalMs = 1000) {
    this.#path = path;
    this.#intervalMs = intervalMs;
  }

  /** Path written. */
  get path(): string {
    return this.#path;
  }

  /** Writes if the last write is older than the interval. */
  update(results: RunResults): void {
    if (performance.now() - this.#last >= this.#intervalMs) this.flush(results);
  }

  /** Writes now. */
  flush(results: RunResults): void {
    writeJsonAtomic(this.#path, results);
    this.#last = performance.now();
  }
}

/**
 * Writes the report files of a run (results.json, summary.md, report.html) into `outDir`;
 * `options` adds a baseline comparison (and gate verdicts) to summary.md and report.html.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair, syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const dir = Deno.makeTempDirSync();
 * writeReports(dir, syntheticResults());
 * const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
 * assert.deepEqual(files, ["report.html", "results.json", "summary.md"]);
 * ```
 */
export function writeReports(
  outDir: string,
  results: RunResults,
  options: ReportOptions = {},
): void {
  writeJsonAtomic(join(outDir, "results.json"), results);
  writeTextAtomic(join(outDir, "summary.md"), renderSummaryMarkdown(results, options));
  // Without the Chart.js npm package (an offline machine), the page is written without charts
  // and says how to re-render it; `deno task report` later needs no GPU.
  writeTextAtomic(
    join(outDir, "report.html"),
    renderHtml(results, { ...options, chartJs: "optional" }),
  );
}
