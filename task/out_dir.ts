/**
 * The `--out` folder of a task run: a folder holding a previous run is refused unless `--force`,
 * which removes that run's files first, so a new run never silently replaces one and no stale
 * model is left beside the new run's.
 *
 * @module
 */

import { join, resolve } from "node:path";

/** What a task run writes into its folder. */
export const TASK_RUN_FILES: readonly string[] = [
  "results.json",
  "summary.md",
  "report.html",
  "models",
];

/** A task `--out` that cannot be used: a one-line message. */
export class TaskOutError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "TaskOutError";
  }
}

/**
 * Checks `out` before a task run: throws {@link TaskOutError} when it holds a previous run's files
 * and `force` is false; with `force`, removes them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * checkTaskOut(dir, false); // an empty folder is fine
 * Deno.writeTextFileSync(`${dir}/results.json`, "{}");
 * Deno.mkdirSync(`${dir}/models`);
 * Deno.writeTextFileSync(`${dir}/models/old.json`, "{}");
 * assert.throws(() => checkTaskOut(dir, false), /holds a previous run \(results.json, models\)/);
 * checkTaskOut(dir, true);
 * assert.deepEqual([...Deno.readDirSync(dir)], []);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function checkTaskOut(out: string, force: boolean): void {
  const previous = TASK_RUN_FILES.filter((f) => {
    try {
      Deno.statSync(join(out, f));
      return true;
    } catch {
      return false;
    }
  });
  if (previous.length === 0) return;
  if (!force) {
    throw new TaskOutError(
      `--out ${out} holds a previous run (${previous.join(", ")}); choose another folder, or ` +
        "pass --force to replace it",
    );
  }
  for (const f of previous) Deno.removeSync(join(out, f), { recursive: true });
}

/**
 * Whether two paths name the same folder (resolved, a trailing `results.json` left out).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(samePath("reports/a", "reports/a/") && samePath("reports/a/results.json", "reports/a"));
 * assert.ok(!samePath("reports/a", "reports/b"));
 * ```
 */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => resolve(p.replace(/\/results\.json$/, ""));
  return norm(a) === norm(b);
}
