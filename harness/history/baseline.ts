/**
 * A baseline taken from history: `--baseline store:BRANCH[@N]` compares a run with the last N
 * runs of BRANCH in the results store instead of with one file. What the gate compares against
 * is built per case from those runs, and their spread becomes the case's noise model, so one
 * slow (or fast) baseline run neither sets the reference nor decides a verdict.
 *
 * @module
 */

import type { CaseResult, RunResults } from "../types.ts";
import { type Store, StoreError } from "./store.ts";

/** The default number of runs a `store:BRANCH` baseline takes. */
export const DEFAULT_HISTORY_RUNS = 5;

/** A parsed `store:BRANCH[@N]`. */
export interface StoreBaselineSpec {
  /** The branch whose runs are the baseline. */
  branch: string;
  /** How many of its last runs. */
  runs: number;
}

/**
 * Parses `store:BRANCH[@N]`; null when `text` does not start with `store:`. Throws `RangeError`
 * for a malformed spec.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseStoreBaseline("store:main@3"), { branch: "main", runs: 3 });
 * assert.deepEqual(parseStoreBaseline("store:main"), { branch: "main", runs: 5 });
 * assert.equal(parseStoreBaseline("base.json"), null);
 * ```
 */
export function parseStoreBaseline(text: string): StoreBaselineSpec | null {
  if (!text.startsWith("store:")) return null;
  const m = /^store:([^@]+)(?:@(\d+))?$/.exec(text);
  const runs = m?.[2] === undefined ? DEFAULT_HISTORY_RUNS : Number(m[2]);
  if (!m || runs < 1) {
    throw new RangeError(
      `must be store:BRANCH or store:BRANCH@N with N ≥ 1 (e.g. store:main@5), got ${
        JSON.stringify(text)
      }`,
    );
  }
  return { branch: m[1]!, runs };
}

/** The spread of one case's medians over the baseline runs. */
export interface CaseSpread {
  /** Runs that timed the case. */
  runs: number;
  /** Their medians (ms), oldest run first. */
  medians: number[];
  /** The median of `medians`: the baseline run whose samples are compared. */
  center: number;
  /**
   * Relative spread: the largest |median / center − 1| over the runs, after setting aside the
   * single most distant run when there are four or more.
   */
  spread: number;
}

/** A baseline built from several stored runs. */
export interface HistoryBaseline {
  /** What the gate compares against: per case, the result of the run at the median. */
  baseline: RunResults;
  /** Per case id, the spread of the runs' medians. */
  spread: Map<string, CaseSpread>;
  /** The stored runs used, oldest first. */
  runIds: number[];
  /** A description for reports, e.g. `store:main@5 (5 runs of reports/history.db)`. */
  label: string;
}

function caseMedian(r: CaseResult): number | null {
  return r.status === "ok" && r.time ? r.time.median : null;
}

/**
 * The spread of a set of medians (see {@link CaseSpread}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = spreadOf([1.0, 1.02, 0.98, 1.01, 1.5]);
 * assert.equal(s.center, 1.01);
 * assert.ok(s.spread < 0.03); // the 1.5 outlier is set aside
 * ```
 */
export function spreadOf(medians: readonly number[]): CaseSpread {
  const sorted = [...medians].sort((a, b) => a - b);
  const center = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const devs = medians.map((m) => Math.abs(m / center - 1)).sort((a, b) => a - b);
  if (devs.length >= 4) devs.pop();
  return { runs: medians.length, medians: [...medians], center, spread: devs.at(-1) ?? 0 };
}

/**
 * Combines runs (oldest first) into one baseline: each case's result is taken from the run whose
 * median is the median of the runs' medians (the lower of the two middle ones for an even
 * count); a case no run timed comes from the newest run that has it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scaleTime, syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const runs = [1, 1.1, 0.9].map((f) => {
 *   const r = syntheticResults();
 *   for (const c of r.results) if (c.time) scaleTime(c, f);
 *   return r;
 * });
 * const { baseline, spread } = combineRuns(runs, [1, 2, 3], "store:main@3");
 * const id = baseline.results.find((c) => c.time)!.id;
 * assert.ok(spread.has(id));
 * // the baseline takes each case from the run at the median: the unscaled one
 * assert.equal(baseline.results.find((c) => c.id === id)!.time!.median, runs[0]!.results.find((c) => c.id === id)!.time!.median);
 * ```
 */
export function combineRuns(
  runs: readonly RunResults[],
  runIds: number[],
  label: string,
): HistoryBaseline {
  const newest = runs[runs.length - 1]!;
  const ids: string[] = [];
  const byId = new Map<string, CaseResult[]>();
  for (const run of runs) {
    for (const r of run.results) {
      if (!byId.has(r.id)) (byId.set(r.id, []), ids.push(r.id));
      byId.get(r.id)!.push(r);
    }
  }
  const spread = new Map<string, CaseSpread>();
  const results: CaseResult[] = [];
  for (const id of ids) {
    const all = byId.get(id)!;
    const timed = all.filter((r) => caseMedian(r) !== null);
    if (timed.length === 0) {
      results.push(all[all.length - 1]!);
      continue;
    }
    const s = spreadOf(timed.map((r) => caseMedian(r)!));
    spread.set(id, s);
    results.push(timed.find((r) => caseMedian(r) === s.center)!);
  }
  const totals = { cases: results.length, ok: 0, failed: 0, skipped: 0, pending: 0 };
  for (const r of results) totals[r.status]++;
  return {
    baseline: { ...newest, meta: { ...newest.meta }, totals, results },
    spread,
    runIds,
    label,
  };
}

/**
 * Loads a `store:BRANCH[@N]` baseline for a run of `suite` on `adapter` (names as the store keeps
 * them): the last N complete runs of that branch, suite and adapter. Throws `StoreError` when
 * there are none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readResults } from "./files.ts";
 * import { recordRuns } from "./record_cli.ts";
 * const path = `${Deno.makeTempDirSync()}/history.db`;
 * const run = readResults("baselines/smoke-llvmpipe.json");
 * const runs = [1, 2, 3].map((day) => ({
 *   file: `run${day}.json`,
 *   results: { ...run, meta: { ...run.meta, startedAt: `2026-01-0${day}T00:00:00.000Z` } },
 * }));
 * recordRuns(path, runs, "main", false, true);
 * import { openStore } from "./store.ts";
 * const store = openStore(path, { readOnly: true });
 * const hb = loadStoreBaseline(store, { branch: "main", runs: 5 }, "smoke", run.meta.adapter.description);
 * store.close();
 * assert.equal(hb.runIds.length, 3); // all the branch has
 * assert.equal(hb.baseline.results.length, run.results.length);
 * ```
 */
export function loadStoreBaseline(
  store: Store,
  spec: StoreBaselineSpec,
  suite: string,
  adapter: string,
): HistoryBaseline {
  const candidates = store.runs({ branch: spec.branch, suite })
    .filter((r) => r.adapter === adapter && r.complete && r.shard === null);
  const chosen = candidates.slice(-spec.runs);
  if (chosen.length === 0) {
    throw new StoreError(
      `${store.path}: no complete run of suite ${JSON.stringify(suite)} on ${
        JSON.stringify(adapter)
      } recorded on branch ${
        JSON.stringify(spec.branch)
      } (deno task history --branch ${spec.branch})`,
    );
  }
  const label = `store:${spec.branch}@${spec.runs} (${chosen.length} run${
    chosen.length === 1 ? "" : "s"
  } of ${store.path}: ${chosen.map((r) => r.id).join(", ")})`;
  return combineRuns(chosen.map((r) => store.load(r.id)), chosen.map((r) => r.id), label);
}

/**
 * The per-case noise the gate widens its time threshold by: each case's relative spread.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const m = new Map([["a", { runs: 3, medians: [1, 1.1, 1], center: 1, spread: 0.1 }]]);
 * assert.equal(noiseOf(m).get("a"), 0.1);
 * ```
 */
export function noiseOf(spread: ReadonlyMap<string, CaseSpread>): Map<string, number> {
  return new Map([...spread].map(([id, s]) => [id, s.spread]));
}
