/**
 * `deno task merge`: shard results into one results.json and report.
 *
 * @module
 */

import { join } from "node:path";
import { parseCommandLine, UsageError, withUsage } from "../cli_args.ts";
import { ReportInputError } from "../report/load.ts";
import { writeReports } from "../report/write.ts";
import { readResults } from "./files.ts";
import { mergeRuns } from "./merge.ts";

const HELP = `tilebench merge — combine shard results (bench --shard I/N) into one run

usage: deno task merge A.json B.json… --out DIR

  --out DIR     where the merged results.json, summary.md and report.html go (required)
  --quiet       print nothing but errors
  -h, --help    this help

The runs must share suite, seed, tilebench version and shard count; a shard given twice or a
case in two files is an error. meta.shards of the merged run lists each shard's file, adapter,
host, peaks and cases.
exit codes: 0 merged (complete or not: warnings say what is missing), 2 usage or input error`;

/**
 * Runs the merge CLI; returns the exit code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { syntheticResults } from "../../tests/fixtures/report_results.ts";
 * import { selectShard } from "../shard.ts";
 * const dir = Deno.makeTempDirSync();
 * const all = syntheticResults();
 * for (const index of [1, 2]) {
 *   const s = structuredClone(all);
 *   s.meta.shard = { index, count: 2 };
 *   s.results = selectShard(all.results, { index, count: 2 });
 *   Deno.writeTextFileSync(`${dir}/s${index}.json`, JSON.stringify(s));
 * }
 * assert.equal(mergeMain([`${dir}/s1.json`, `${dir}/s2.json`, "--out", `${dir}/merged`, "--quiet"]), 0);
 * const merged = JSON.parse(Deno.readTextFileSync(`${dir}/merged/results.json`));
 * assert.equal(merged.results.length, all.results.length);
 * ```
 */
export function mergeMain(args: string[]): number {
  try {
    const { values: v, positionals } = parseCommandLine(
      args,
      { out: { type: "string" }, quiet: { type: "boolean" } },
      HELP,
      true,
    );
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length === 0) {
      throw new UsageError(withUsage(`RESULTS.json files are required`, HELP));
    }
    if (!v.out) throw new UsageError(withUsage(`--out DIR is required`, HELP));
    const runs = positionals.map((file) => ({ file, results: readResults(file) }));
    const { results, warnings } = mergeRuns(runs);
    Deno.mkdirSync(v.out, { recursive: true });
    writeReports(v.out, results);
    for (const w of warnings) console.error(`warning: ${w}`);
    if (!v.quiet) {
      const t = results.totals;
      console.error(
        `merged ${runs.length} file(s): ${t.ok} ok, ${t.failed} failed, ${t.skipped} skipped` +
          `${results.meta.complete ? "" : " (incomplete)"}\nresults: ${
            join(v.out, "results.json")
          }\nreport: ${join(v.out, "report.html")}`,
      );
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
