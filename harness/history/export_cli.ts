/**
 * `deno task export`: a run's results as CSV, Bencher Metric Format or github-action-benchmark
 * JSON.
 *
 * @module
 */

import { dirname } from "node:path";
import { parseCommandLine, UsageError, withUsage } from "../cli_args.ts";
import { ReportInputError } from "../report/load.ts";
import { EXPORT_FORMATS, type ExportFormat, exportRun } from "./export.ts";
import { readResults } from "./files.ts";

const HELP = `tilebench export — a run's results in another tool's format

usage: deno task export RESULTS.json --format csv|bmf|gab [--out FILE]

  --format F     csv: one row per case (times in ms)
                 bmf: Bencher Metric Format (latency in ns with the 95% CI as bounds;
                      e.g. bencher run --adapter json --file FILE)
                 gab: github-action-benchmark, tool customSmallerIsBetter (µs)
  --out FILE     write here (default: stdout)
  -h, --help     this help

exit codes: 0 written, 2 usage or input error`;

/**
 * Runs the export CLI; returns the exit code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const out = `${Deno.makeTempDirSync()}/cases.csv`;
 * assert.equal(exportMain(["baselines/smoke-llvmpipe.json", "--format", "csv", "--out", out]), 0);
 * const rows = Deno.readTextFileSync(out).trim().split("\n");
 * assert.ok(rows.length > 1); // a header, then one row per case
 * assert.equal(exportMain(["baselines/smoke-llvmpipe.json", "--format", "xml"]), 2);
 * ```
 */
export function exportMain(args: string[]): number {
  try {
    const { values: v, positionals } = parseCommandLine(
      args,
      { format: { type: "string" }, out: { type: "string" } },
      HELP,
      true,
    );
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length !== 1) {
      throw new UsageError(withUsage(`exactly one RESULTS.json is required`, HELP));
    }
    if (v.format === undefined) {
      throw new UsageError(`--format is required: one of ${EXPORT_FORMATS.join(", ")}`);
    }
    if (!EXPORT_FORMATS.includes(v.format as ExportFormat)) {
      throw new UsageError(
        `--format must be one of ${EXPORT_FORMATS.join(", ")}; got ${JSON.stringify(v.format)}`,
      );
    }
    const text = exportRun(readResults(positionals[0]!), v.format as ExportFormat);
    if (v.out) {
      Deno.mkdirSync(dirname(v.out), { recursive: true });
      Deno.writeTextFileSync(v.out, text);
    } else {
      const bytes = new TextEncoder().encode(text);
      for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ReportInputError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
