/**
 * Merging shard results (`--shard I/N` runs) into one run: same suite, seed and tool version;
 * a case in two shards, or a shard given twice, is an error.
 *
 * @module
 */

import { ReportInputError } from "../report/load.ts";
import type { CaseResult, RunResults, ShardRecord } from "../types.ts";

/** A results document and the file it came from. */
export interface NamedRun {
  /** Where it was read from. */
  file: string;
  /** The parsed results. */
  results: RunResults;
}

/** What {@link mergeRuns} returns: the merged run and what a reader should know. */
export interface MergeOutcome {
  /** The merged run. */
  results: RunResults;
  /** E.g. missing shards, shards on different adapters. */
  warnings: string[];
}

/**
 * Merges shard runs. Checks that every run has the suite, seed, tool version and shard count of
 * the first, that no shard index repeats and no case id appears twice (each a
 * `ReportInputError` naming the file and field). The merged meta is the first run's, with the
 * earliest start, the latest finish, `complete` only when every shard is complete and present,
 * and `shards`: per shard its file, adapter, host, peaks and case ids.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { syntheticResults } from "../../tests/fixtures/report_results.ts";
 * import { selectShard } from "../shard.ts";
 * const all = syntheticResults();
 * const [a, b] = [1, 2].map((index) => {
 *   const s = structuredClone(all);
 *   s.meta.shard = { index, count: 2 };
 *   s.results = selectShard(all.results, { index, count: 2 });
 *   s.totals = { ...s.totals, cases: s.results.length };
 *   return s;
 * });
 * const { results, warnings } = mergeRuns([{ file: "a.json", results: a! }, { file: "b.json", results: b! }]);
 * assert.equal(results.results.length, all.results.length);
 * assert.deepEqual(results.meta.shards!.map((s) => s.shard), ["1/2", "2/2"]);
 * assert.deepEqual(warnings, []);
 * // the same shard twice is an error naming the file and field
 * assert.throws(() => mergeRuns([{ file: "a.json", results: a! }, { file: "c.json", results: a! }]), /c\.json: meta\.shard\.index/);
 * ```
 */
export function mergeRuns(runs: readonly NamedRun[]): MergeOutcome {
  if (runs.length === 0) throw new RangeError("nothing to merge");
  const first = runs[0]!;
  const m0 = first.results.meta;
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  const shardSeen = new Map<number, string>();
  const results: CaseResult[] = [];
  const shards: ShardRecord[] = [];
  for (const { file, results: run } of runs) {
    const m = run.meta;
    const same = (field: string, a: unknown, b: unknown) => {
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        throw new ReportInputError(
          file,
          field,
          `${JSON.stringify(b)} differs from ${first.file}'s ${JSON.stringify(a)}; ` +
            `only shards of one suite, seed and tilebench version merge`,
        );
      }
    };
    same("meta.suite", m0.suite, m.suite);
    same("meta.seed", m0.seed, m.seed);
    same("meta.tool.version", m0.tool?.version ?? null, m.tool?.version ?? null);
    same("meta.shard.count", m0.shard?.count ?? null, m.shard?.count ?? null);
    if (m.shard) {
      const prev = shardSeen.get(m.shard.index);
      if (prev !== undefined) {
        throw new ReportInputError(
          file,
          "meta.shard.index",
          `shard ${m.shard.index}/${m.shard.count} is also ${prev}`,
        );
      }
      shardSeen.set(m.shard.index, file);
    }
    if ((m.tool?.commit ?? null) !== (m0.tool?.commit ?? null)) {
      warnings.push(
        `${file} is of commit ${m.tool?.commit ?? "unknown"}, ${first.file} of ${
          m0.tool?.commit ?? "unknown"
        }`,
      );
    }
    run.results.forEach((r, i) => {
      const prev = seen.get(r.id);
      if (prev !== undefined) {
        throw new ReportInputError(file, `results[${i}].id`, `case ${r.id} is also in ${prev}`);
      }
      seen.set(r.id, file);
      results.push(r);
    });
    shards.push({
      shard: m.shard ? `${m.shard.index}/${m.shard.count}` : null,
      file,
      adapter: m.adapter,
      hostname: m.os?.hostname ?? null,
      startedAt: m.startedAt,
      finishedAt: m.finishedAt ?? null,
      complete: m.complete !== false && !m.interrupted,
      peaks: m.peaks ?? null,
      cases: run.results.map((r) => r.id),
    });
  }
  const count = m0.shard?.count ?? null;
  const missing: number[] = [];
  if (count !== null) {
    for (let i = 1; i <= count; i++) if (!shardSeen.has(i)) missing.push(i);
    if (missing.length) {
      warnings.push(`shard(s) ${missing.map((i) => `${i}/${count}`).join(", ")} missing`);
    }
  }
  const adapters = new Set(shards.map((s) => JSON.stringify(s.adapter)));
  if (adapters.size > 1) {
    warnings.push(
      `shards ran on ${adapters.size} different adapters (meta.shards says which ran what); ` +
        `speedups compare cases of one shard only`,
    );
  }
  const starts = runs.map((r) => r.results.meta.startedAt).filter(Boolean).sort();
  const ends = runs.map((r) => r.results.meta.finishedAt).filter((x): x is string => !!x).sort();
  const totals = { cases: 0, ok: 0, failed: 0, skipped: 0, pending: 0 };
  for (const { results: run } of runs) {
    totals.cases += run.totals?.cases ?? run.results.length;
  }
  for (const r of results) totals[r.status]++;
  totals.pending = Math.max(0, totals.cases - results.length);
  const { shard: _drop, ...meta } = m0;
  return {
    results: {
      schemaVersion: first.results.schemaVersion,
      meta: {
        ...meta,
        startedAt: starts[0] ?? m0.startedAt,
        finishedAt: ends.length === runs.length ? ends[ends.length - 1]! : null,
        complete: shards.every((s) => s.complete) && missing.length === 0,
        interrupted: runs.some((r) => r.results.meta.interrupted),
        shards,
      },
      totals,
      results,
    },
    warnings,
  };
}
