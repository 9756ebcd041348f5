/**
 * `deno task task merge --out DIR [--suite FILE] SHARD…`: merges task runs that each ran part of
 * one suite (task/merge.ts) into DIR/results.json, DIR/report.html and DIR/summary.md. A SHARD is
 * a run's folder or its results.json. With `--suite` the shards are checked against the suite
 * file and every (variant, seed) it declares that no shard holds is listed as a failure. Exit 2 on
 * a bad argument or a refused merge, 1 when the merged run has failures, 0 otherwise.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { writeTaskReport } from "../harness/report/task_write.ts";
import { mergeTaskResults, TaskMergeError } from "./merge.ts";
import { suiteHash } from "./select.ts";
import { parseTaskSuite, TaskSuiteError } from "./suite.ts";
import type { TaskResults } from "./types.ts";

const USAGE = "usage: deno task task merge --out DIR [--suite FILE] [--quiet] [--force] SHARD...";

function fail(message: string): never {
  console.error(message);
  Deno.exit(2);
}

/**
 * Runs `task merge` with `args` (the arguments after `merge`).
 *
 * @example
 * ```ts ignore
 * await mergeMain(["--out", "reports/full", "reports/shards/a", "reports/shards/b"]);
 * ```
 */
export async function mergeMain(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        out: { type: "string" },
        suite: { type: "string" },
        quiet: { type: "boolean", default: false },
        force: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    fail(`task merge: ${(e as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.out) fail(`task merge: --out: missing\n${USAGE}`);
  if (positionals.length === 0) fail(`task merge: no shard given\n${USAGE}`);
  let held = false;
  try {
    held = Deno.statSync(join(values.out, "results.json")).isFile;
  } catch { /* a new folder */ }
  if (held && !values.force) {
    fail(
      `task merge: --out ${values.out} holds a run (results.json); choose another folder, or ` +
        "pass --force to replace it",
    );
  }
  let suite;
  if (values.suite) {
    try {
      const s = parseTaskSuite(await Deno.readTextFile(values.suite), values.suite);
      suite = { suite: s, hash: suiteHash(s), file: values.suite };
    } catch (e) {
      if (e instanceof TaskSuiteError) fail(e.message);
      fail(`${values.suite}: cannot read (${(e as Error).message})`);
    }
  }
  const inputs = [];
  for (const p of positionals) {
    const file = p.endsWith(".json") ? p : join(p, "results.json");
    let results: TaskResults;
    try {
      results = JSON.parse(await Deno.readTextFile(file));
    } catch (e) {
      fail(`${file}: cannot read (${(e as Error).message.split("\n")[0]})`);
    }
    inputs.push({ file, results });
  }
  let merged;
  try {
    merged = mergeTaskResults(inputs, { outDir: values.out, ...(suite ? { suite } : {}) });
  } catch (e) {
    if (e instanceof TaskMergeError) fail(e.message);
    throw e;
  }
  for (const w of merged.warnings) console.error(`warning: ${w}`);
  const r = merged.results;
  await Deno.mkdir(values.out, { recursive: true });
  const out = join(values.out, "results.json");
  await Deno.writeTextFile(`${out}.tmp`, JSON.stringify(r, null, 2) + "\n");
  await Deno.rename(`${out}.tmp`, out);
  writeTaskReport(r, values.out, values.quiet);
  console.log(
    `merged ${inputs.length} runs: ${r.variants.length} variants over seeds ${
      r.seeds.join(", ")
    }, ${r.failures.length} failures, ${r.skipped.length} skipped; wrote ${out}`,
  );
  if (r.failures.length > 0) Deno.exit(1);
}
