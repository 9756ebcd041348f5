/**
 * `deno task record`: append results files to the results store.
 *
 * @module
 */

import { parseCommandLine, UsageError, withUsage } from "../cli_args.ts";
import { ReportInputError } from "../report/load.ts";
import { detectBranch } from "./branch.ts";
import { readResults } from "./files.ts";
import { openStore, StoreError } from "./store.ts";

/** Where the store is when `--store` is not given. */
export const DEFAULT_STORE = "reports/history.db";

const HELP = `tilebench record — append runs to the results store (SQLite)

usage: deno task record RESULTS.json… [--store DB] [--branch NAME] [--drop-samples]

  --store DB        the store file, created when missing (default: ${DEFAULT_STORE})
  --branch NAME     the branch the runs belong to (default: $GITHUB_HEAD_REF,
                    $GITHUB_REF_NAME, else the checked-out git branch)
  --drop-samples    keep medians and intervals but not the raw samples (a smaller store)
  --quiet           print nothing on success
  -h, --help        this help

A file already recorded (same start time, host, suite, adapter, commit, shard) is skipped.
Files may be gzip-compressed (.json.gz).
exit codes: 0 recorded, 2 usage or input error`;

/**
 * Runs the record CLI; returns the exit code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const store = `${Deno.makeTempDirSync()}/history.db`;
 * const args = ["baselines/smoke-llvmpipe.json", "--store", store, "--branch", "main", "--quiet"];
 * assert.equal(recordMain(args), 0);
 * assert.equal(recordMain(args), 0); // the same file again is skipped, not an error
 * assert.equal(recordMain(["--store", store]), 2); // no file given
 * ```
 */
export function recordMain(args: string[]): number {
  try {
    const { values: v, positionals } = parseCommandLine(
      args,
      {
        store: { type: "string" },
        branch: { type: "string" },
        "drop-samples": { type: "boolean" },
        quiet: { type: "boolean" },
      },
      HELP,
      true,
    );
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError(withUsage(`RESULTS.json is required`, HELP));
    const runs = positionals.map((f) => ({ file: f, results: readResults(f) }));
    const path = v.store ?? DEFAULT_STORE;
    const branch = detectBranch(v.branch);
    recordRuns(path, runs, branch, v["drop-samples"] ?? false, v.quiet ?? false);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ReportInputError || e instanceof StoreError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/**
 * Records already-read runs into the store at `path` and prints one line per run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readResults } from "./files.ts";
 * import { openStore } from "./store.ts";
 * const path = `${Deno.makeTempDirSync()}/history.db`;
 * const results = readResults("baselines/smoke-llvmpipe.json");
 * recordRuns(path, [{ file: "r.json", results }], "main", false, true);
 * const store = openStore(path, { readOnly: true });
 * assert.equal(store.runs({}).length, 1);
 * store.close();
 * ```
 */
export function recordRuns(
  path: string,
  runs: { file: string; results: import("../types.ts").RunResults }[],
  branch: string | null,
  dropSamples: boolean,
  quiet: boolean,
): void {
  const store = openStore(path);
  try {
    for (const { file, results } of runs) {
      const out = store.record(results, { branch, source: file, dropSamples });
      if (!quiet) {
        console.error(
          out.added
            ? `recorded ${file}: run ${out.runId}, ${out.cases} case(s), suite ${results.meta.suite}` +
              `${branch ? `, branch ${branch}` : ""} -> ${path}`
            : `skipped ${file}: already in ${path} as run ${out.runId}`,
        );
      }
    }
  } finally {
    store.close();
  }
}
