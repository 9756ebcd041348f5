/**
 * Incremental, atomic writing of `results.json`: an interrupted run leaves valid JSON of what
 * finished.
 *
 * @module
 */

import { dirname, join } from "node:path";
import type { RunResults } from "../types.ts";

/**
 * Writes `value` as JSON to `path` through a temporary file and a rename, so readers never see a
 * half-written file.
 *
 * @example
 * ```ts ignore
 * writeJsonAtomic("reports/x/results.json", { ok: true });
 * ```
 */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = join(dirname(path), `.${Date.now()}-${Math.random().toString(36).slice(2)}.tmp`);
  Deno.writeTextFileSync(tmp, JSON.stringify(value, null, 1) + "\n");
  Deno.renameSync(tmp, path);
}

/**
 * Keeps `results.json` up to date during a run: writes after a case at most every
 * `intervalMs`, and always on `flush()`.
 *
 * @example
 * ```ts ignore
 * const w = new ResultsWriter("out/results.json", 1000);
 * w.update(results);
 * w.flush(results);
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
