/**
 * For a run made with `--tune full`: each tuned case's shipped default against its best candidate
 * (from `notes.tuneTrials`), the gap in percent, and the cases where the default is more than
 * `--within` percent (default 10) slower than the best.
 *
 *   deno run --allow-read experiments/tune_gap.ts reports/portable-prefill/results.json [--within 10]
 *
 * A `.json.gz` file (as kept under `data/runs/`) is read as well.
 *
 * Then, per candidate (its `tune` values, across cases): how many cases timed it, in how many it
 * was the fastest, and the geometric mean of its time over the default's (below 1: faster), so a
 * candidate that never pays can be deleted and one that always does can become the default.
 *
 * Exit 1 when some default is outside the bound, 2 for a file without tune trials.
 *
 * @module
 */

import { readResults } from "../harness/history/files.ts";

interface Trial {
  tune: Record<string, unknown>;
  medianMs: number | null;
}

/**
 * The gap of a case's default to its best trial, in percent (0: the default is the best); null
 * when the default or every candidate failed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(defaultGap([{ tune: {}, medianMs: 1.5 }, { tune: { t: 1 }, medianMs: 1 }]), 50);
 * assert.equal(defaultGap([{ tune: {}, medianMs: null }]), null);
 * ```
 */
export function defaultGap(trials: Trial[]): number | null {
  const def = trials.find((t) => Object.keys(t.tune).length === 0)?.medianMs ?? null;
  const times = trials.map((t) => t.medianMs).filter((v): v is number => v !== null);
  if (def === null || times.length === 0) return null;
  return 100 * (def / Math.min(...times) - 1);
}

/** Per candidate: cases timed, cases won, geometric mean of time / default time. */
export interface CandidateStats {
  timed: number;
  won: number;
  geomeanVsDefault: number;
}

/**
 * Each candidate's record over several cases' trials (keyed by its `tune` values as JSON; `{}` is
 * the default). Cases whose default has no time are left out of the ratio.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = candidateStats([
 *   [{ tune: {}, medianMs: 2 }, { tune: { t: 1 }, medianMs: 1 }],
 *   [{ tune: {}, medianMs: 1 }, { tune: { t: 1 }, medianMs: 4 }],
 * ]);
 * const t = s.get('{"t":1}')!; // 0.5× and 4× the default
 * assert.ok(t.timed === 2 && t.won === 1 && Math.abs(t.geomeanVsDefault - Math.SQRT2) < 1e-12);
 * assert.equal(s.get("{}")!.won, 1);
 * ```
 */
export function candidateStats(cases: Trial[][]): Map<string, CandidateStats> {
  const acc = new Map<string, { timed: number; won: number; logSum: number; n: number }>();
  for (const trials of cases) {
    const def = trials.find((t) => Object.keys(t.tune).length === 0)?.medianMs ?? null;
    const times = trials.map((t) => t.medianMs).filter((v): v is number => v !== null);
    const best = times.length ? Math.min(...times) : null;
    for (const t of trials) {
      if (t.medianMs === null) continue;
      const key = JSON.stringify(t.tune);
      const a = acc.get(key) ?? { timed: 0, won: 0, logSum: 0, n: 0 };
      a.timed++;
      if (t.medianMs === best) a.won++;
      if (def !== null) {
        a.logSum += Math.log(t.medianMs / def);
        a.n++;
      }
      acc.set(key, a);
    }
  }
  const out = new Map<string, CandidateStats>();
  for (const [k, a] of acc) {
    out.set(k, {
      timed: a.timed,
      won: a.won,
      geomeanVsDefault: a.n ? Math.exp(a.logSum / a.n) : NaN,
    });
  }
  return out;
}

if (import.meta.main) {
  const file = Deno.args[0];
  const wi = Deno.args.indexOf("--within");
  const within = wi >= 0 ? Number(Deno.args[wi + 1]) : 10;
  if (!file || !(within >= 0)) {
    console.error("usage: tune_gap.ts RESULTS.json [--within PERCENT]");
    Deno.exit(2);
  }
  const results = readResults(file) as unknown as {
    results: { id: string; notes?: { tuneTrials?: Trial[] }; tune?: Record<string, unknown> }[];
  };
  let n = 0;
  let outside = 0;
  const all: Trial[][] = [];
  for (const r of results.results) {
    const trials = r.notes?.tuneTrials;
    if (!trials) continue;
    n++;
    all.push(trials);
    const gap = defaultGap(trials);
    const best = trials.reduce((a, b) =>
      b.medianMs !== null && (a.medianMs === null || b.medianMs < a.medianMs) ? b : a
    );
    const flag = gap !== null && gap > within ? "  <-- default outside the bound" : "";
    if (flag) outside++;
    console.log(
      `${r.id}: default ${gap === null ? "n/a" : `+${gap.toFixed(1)}%`} vs best ${
        JSON.stringify(best.tune)
      }${flag}`,
    );
  }
  if (n === 0) {
    console.error(`${file}: no case has notes.tuneTrials (run the bench with --tune full)`);
    Deno.exit(2);
  }
  console.log(`${n} tuned case(s); ${outside} default(s) more than ${within}% above the best`);
  console.log("\ncandidate: cases timed, cases won, geometric mean time / default");
  const stats = [...candidateStats(all)].sort((a, b) =>
    a[1].geomeanVsDefault - b[1].geomeanVsDefault
  );
  for (const [key, st] of stats) {
    console.log(`${key}: ${st.timed} timed, ${st.won} won, ×${st.geomeanVsDefault.toFixed(3)}`);
  }
  Deno.exit(outside > 0 ? 1 : 0);
}
