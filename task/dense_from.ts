/**
 * `--dense-from DIR`: fine-tune from the dense models an earlier run of the same suite trained
 * (its `results.json` and `models/`), so the fine-tune variants of a model can run in processes
 * of their own once its dense model exists.
 *
 * @module
 */

import { join } from "node:path";
import type { ModelExport } from "./export.ts";
import { parseExportJson } from "./export_file.ts";
import { SelectionError } from "./select.ts";
import type { TaskResults } from "./types.ts";

/**
 * Reads `dir/results.json` (it must be a run of the suite with fingerprint `hash`) and returns
 * the loader of its trained dense models: `load(model, seed)` reads the `scratch/dense` export of
 * that seed, or throws when the run has none (the caller records the failure). Throws
 * {@link SelectionError} when the directory holds no results of this suite.
 *
 * @example
 * ```ts ignore
 * const from = await denseFrom("reports/dense", suiteHash(suite));
 * const m = await from.load("mlp", 1);
 * ```
 */
export async function denseFrom(
  dir: string,
  hash: string,
): Promise<{ source: string; load: (model: string, seed: number) => Promise<ModelExport> }> {
  const file = join(dir, "results.json");
  let r: TaskResults;
  try {
    r = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    throw new SelectionError(`--dense-from: ${file}: cannot read (${(e as Error).message})`);
  }
  if (r.kind !== "task" || r.suiteHash !== hash) {
    throw new SelectionError(
      `--dense-from: ${file}: not a run of this suite (suiteHash ${
        r.suiteHash ?? "missing"
      }, expected ${hash})`,
    );
  }
  return {
    source: dir,
    async load(model, seed) {
      // Re-read: the dense run may still be writing when this process starts.
      const now: TaskResults = JSON.parse(await Deno.readTextFile(file));
      const v = now.variants.find((x) => x.id === `${model}/scratch/dense`);
      const at = v?.seeds.indexOf(seed) ?? -1;
      if (!v || at < 0 || !v.exports[at]) {
        throw new Error(`${file} has no trained ${model}/scratch/dense of seed ${seed}`);
      }
      return parseExportJson(await Deno.readTextFile(join(dir, v.exports[at]!)));
    },
  };
}
