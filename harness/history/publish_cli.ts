/**
 * `deno task publish`: a static site of the runs in a results store.
 *
 * @module
 */

import { join, relative } from "node:path";
import { parseCommandLine, UsageError, withUsage } from "../cli_args.ts";
import { ReportInputError } from "../report/load.ts";
import { readResults } from "./files.ts";
import { DEFAULT_STORE, recordRuns } from "./record_cli.ts";
import { buildSite } from "./site.ts";
import { openStore, StoreError } from "./store.ts";

const HELP = `tilebench publish — a static site of the runs in a results store

usage: deno task publish --out DIR [--store DB] [--import DIR] [--branch NAME] [--title TEXT]

  --out DIR       where the site goes (index.html, runs/, trends/); required
  --store DB      the store (default: ${DEFAULT_STORE})
  --import DIR    first record every results file under DIR (*.json.gz, results.json,
                  baseline.json) into the store; files already there are skipped
  --branch NAME   the branch imported runs are recorded under (default: none)
  --title TEXT    the site's title
  --quiet         print nothing on success
  -h, --help      this help

exit codes: 0 written, 2 usage or input error`;

function* resultFiles(dir: string): Generator<string> {
  const entries = [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const p = join(dir, entry.name);
    if (entry.isDirectory) yield* resultFiles(p);
    else if (/(^results\.json|^baseline\.json|\.json\.gz)$/.test(entry.name)) yield p;
  }
}

/**
 * Runs the publish CLI; returns the exit code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * Deno.mkdirSync(`${dir}/runs`);
 * Deno.copyFileSync("baselines/smoke-llvmpipe.json", `${dir}/runs/baseline.json`);
 * const args = ["--import", `${dir}/runs`, "--store", `${dir}/site.db`, "--out", `${dir}/site`, "--quiet"];
 * assert.equal(publishMain(args), 0);
 * assert.ok(Deno.statSync(`${dir}/site/index.html`).isFile);
 * ```
 */
export function publishMain(args: string[]): number {
  try {
    const { values: v } = parseCommandLine(
      args,
      {
        out: { type: "string" },
        store: { type: "string" },
        import: { type: "string" },
        branch: { type: "string" },
        title: { type: "string" },
        quiet: { type: "boolean" },
      },
      HELP,
    );
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    if (!v.out) throw new UsageError(withUsage(`--out DIR is required`, HELP));
    const path = v.store ?? DEFAULT_STORE;
    if (v.import !== undefined) {
      let files: string[];
      try {
        files = [...resultFiles(v.import)];
      } catch (e) {
        throw new UsageError(`--import ${v.import}: ${(e as Error).message}`);
      }
      const runs = files.map((f) => ({ file: relative(Deno.cwd(), f), results: readResults(f) }));
      recordRuns(path, runs, v.branch ?? null, false, true);
      if (!v.quiet) console.error(`imported ${runs.length} file(s) from ${v.import} into ${path}`);
    }
    const store = openStore(path, { readOnly: true });
    try {
      const s = buildSite(store, v.out, v.title ? { title: v.title } : {});
      if (!v.quiet) {
        console.error(
          `site: ${join(v.out, "index.html")} (${s.runs} run(s), ${s.trendPages} trend page(s), ` +
            `${s.files} files)`,
        );
      }
    } finally {
      store.close();
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ReportInputError || e instanceof StoreError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
