/**
 * The `--out` folder of a run: checked before any GPU work, so a bad path is a usage error and
 * a new run never mixes its files with a previous run's.
 *
 * @module
 */

import { join } from "node:path";
import { UsageError } from "../cli_args.ts";

/** The files a run (and its gate) writes into its folder. */
export const RUN_FILES = ["results.json", "summary.md", "report.html", "gate.md", "gate.json"];

/**
 * Checks `--out` before the run: not empty, writable, not an existing file, and not a folder
 * holding a previous run's files (`files`: a bench run's by default) unless `force`. Throws
 * {@link UsageError} (exit code 2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * checkOutDir(dir, false); // an empty folder is fine
 * Deno.writeTextFileSync(`${dir}/results.json`, "{}");
 * assert.throws(() => checkOutDir(dir, false), /holds a previous run \(results.json\)/);
 * checkOutDir(dir, true);
 * assert.throws(() => checkOutDir(`${dir}/results.json`, true), /is a file/);
 * assert.throws(() => checkOutDir("", false), /--out needs a folder/);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function checkOutDir(
  outDir: string,
  force: boolean,
  files: readonly string[] = RUN_FILES,
): void {
  if (outDir.trim() === "") {
    throw new UsageError(`--out needs a folder, got ${JSON.stringify(outDir)}`);
  }
  // asked up front where Deno may prompt (a terminal), so the answer comes before any GPU work
  const write = { name: "write", path: outDir } as const;
  let state = Deno.permissions.querySync(write).state;
  if (state === "prompt") state = Deno.permissions.requestSync(write).state;
  if (state !== "granted") {
    throw new UsageError(
      `--out ${outDir}: this command may not write there (deno task bench writes under ` +
        "reports/ and /tmp); choose a folder there, or run harness/run/main.ts with deno run " +
        "and --allow-write for it",
    );
  }
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(outDir);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return; // created when the run starts
    throw new UsageError(`--out ${outDir}: cannot use it: ${(e as Error).message}`);
  }
  if (!info.isDirectory) {
    throw new UsageError(`--out ${outDir} is a file, not a folder; give a folder for the run`);
  }
  const previous = files.filter((f) => exists(join(outDir, f)));
  if (previous.length > 0 && !force) {
    throw new UsageError(
      `--out ${outDir} holds a previous run (${previous.join(", ")}); choose another folder, ` +
        "or pass --force to replace it",
    );
  }
}

/**
 * Removes a previous run's files (`files`, folders included: a bench run's by default) from
 * `outDir` (for `--force`), so none of them survives next to the new run's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/report.html`, "old");
 * Deno.writeTextFileSync(`${dir}/notes.txt`, "mine");
 * clearPreviousRun(dir);
 * assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["notes.txt"]);
 * // another tool's run: its files and folders
 * Deno.mkdirSync(`${dir}/models`);
 * Deno.writeTextFileSync(`${dir}/models/old.json`, "{}");
 * clearPreviousRun(dir, ["results.json", "models"]);
 * assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["notes.txt"]);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function clearPreviousRun(outDir: string, files: readonly string[] = RUN_FILES): void {
  for (const f of files) {
    try {
      Deno.removeSync(join(outDir, f), { recursive: true });
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
