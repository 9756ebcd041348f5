/**
 * The `report` command line: re-render report.html and summary.md from a saved results.json,
 * optionally against a baseline (and the gate's verdicts). No GPU needed.
 *
 * @module
 */

import { writeTextAtomic } from "./write.ts";
import { dirname, join } from "node:path";
import { escapeControl, parseCommandLine, UsageError, withUsage } from "../cli_args.ts";
import type { RunResults } from "../types.ts";
import { BrowserMissingError } from "./browser.ts";
import { ChartJsMissingError } from "./chartjs.ts";
import type { VerdictInput } from "./compare.ts";
import { renderHtml } from "./html.ts";
import { loadResultsFile, loadVerdictsFile, ReportInputError } from "./load.ts";
import { renderSummaryMarkdown } from "./markdown.ts";
import { readTaskResults, TaskResultsError } from "./task_model.ts";
import { writeTaskReport } from "./task_write.ts";

const HELP = `tilebench report — re-render report.html and summary.md from a saved results.json
(a benchmark run, or a task run: accuracy against speedup, loss curves, the task table)

usage: deno task report RESULTS.json [--baseline BASE.json] [--verdicts GATE.json] [--out DIR]

  --baseline FILE     a results.json to compare with (per-case time deltas, status changes)
  --verdicts FILE     the gate's verdicts for the comparison: a list of {id, verdict, reason?}
                      or an object with such a list under "verdicts" (needs --baseline)
  --threshold PCT     time change counted as slower/faster when no verdicts are given
                      (default 5%)
  --accuracy-budget E the approximation error a case may have to be crowned best per shape
                      and counted in fast_p (default 0.1)
  --out DIR           where report.html and summary.md go (default: the folder of RESULTS.json)
  --screenshot FILE   also save a PNG of the whole report page drawn by headless Chromium
  --quiet             print nothing on success
  -h, --help          this help

exit codes: 0 written, 2 usage or input error (the message names the file and the field)`;

function parseThreshold(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(v.trim());
  const x = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!Number.isFinite(x) || x <= 0 || x >= 10) {
    throw new UsageError(
      `--threshold must be a positive percentage like 5%, got ${JSON.stringify(v)}`,
    );
  }
  return x;
}

/**
 * Runs the report CLI with `args`; returns the exit code (0 written, 2 usage or input error).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * Deno.copyFileSync("baselines/smoke-llvmpipe.json", `${dir}/results.json`);
 * assert.equal(await reportMain([`${dir}/results.json`, "--quiet"]), 0);
 * assert.ok(Deno.statSync(`${dir}/report.html`).isFile);
 * assert.equal(await reportMain([`${dir}/missing.json`, "--quiet"]), 2); // input error
 * ```
 */
export async function reportMain(args: string[]): Promise<number> {
  try {
    const parsed = parseCommandLine(
      args,
      {
        baseline: { type: "string" },
        verdicts: { type: "string" },
        threshold: { type: "string" },
        "accuracy-budget": { type: "string" },
        out: { type: "string" },
        screenshot: { type: "string" },
        quiet: { type: "boolean" },
      },
      HELP,
      true,
    );
    const v = parsed.values;
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    if (parsed.positionals.length !== 1) {
      throw new UsageError(withUsage(
        `expected one RESULTS.json, got ${parsed.positionals.length}${
          parsed.positionals.length ? `: ${parsed.positionals.join(" ")}` : ""
        }`,
        HELP,
      ));
    }
    if (v.verdicts !== undefined && v.baseline === undefined) {
      throw new UsageError("--verdicts needs --baseline (verdicts compare two runs)");
    }
    const threshold = parseThreshold(v.threshold);
    const file = parsed.positionals[0]!;
    const task = readTaskResults(file);
    if (task) {
      if (v.baseline !== undefined) {
        throw new UsageError("--baseline: task results are compared by the gate, not the report");
      }
      const outDir = v.out ?? dirname(file);
      writeTaskReport(task, outDir, v.quiet ?? false);
      if (v.screenshot) {
        const { screenshotReport } = await import("./browser.ts");
        await screenshotReport(join(outDir, "report.html"), v.screenshot);
      }
      return 0;
    }
    const results = loadResultsFile(file);
    const baseline: RunResults | null = v.baseline ? loadResultsFile(v.baseline) : null;
    const verdicts: VerdictInput[] | null = v.verdicts ? loadVerdictsFile(v.verdicts) : null;
    const outDir = v.out ?? dirname(file);
    Deno.mkdirSync(outDir, { recursive: true });
    const budgetText = v["accuracy-budget"];
    const accuracyBudget = budgetText === undefined ? undefined : Number(budgetText);
    if (accuracyBudget !== undefined && !(accuracyBudget >= 0 && Number.isFinite(accuracyBudget))) {
      throw new UsageError(
        `--accuracy-budget must be a relative error ≥ 0 like 0.1, got ${
          JSON.stringify(budgetText)
        }`,
      );
    }
    const opts = { baseline, verdicts, threshold, accuracyBudget };
    const html = join(outDir, "report.html");
    const md = join(outDir, "summary.md");
    writeTextAtomic(html, renderHtml(results, opts));
    writeTextAtomic(md, renderSummaryMarkdown(results, opts));
    if (v.screenshot) {
      const { screenshotReport } = await import("./browser.ts");
      await screenshotReport(html, v.screenshot, { fullPage: true });
    }
    if (!v.quiet) {
      console.error(
        `report: ${html}\nsummary: ${md}${v.screenshot ? `\nscreenshot: ${v.screenshot}` : ""}`,
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) {
      console.error(
        `error: ${e.message}\n(the deno task may write only under reports/ and /tmp; run the ` +
          `module with deno run and wider permissions to write elsewhere)`,
      );
      return 2;
    }
    if (
      e instanceof ReportInputError || e instanceof UsageError || e instanceof TaskResultsError ||
      e instanceof ChartJsMissingError || e instanceof BrowserMissingError
    ) {
      console.error(`error: ${escapeControl(e.message, true)}`);
      return 2;
    }
    throw e;
  }
}
