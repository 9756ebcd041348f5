/**
 * For a run made with `--tune full`: each tuned case's shipped default against its best candidate
 * (from `notes.tuneTrials`), the gap in percent, and the cases where the default is more than
 * `--within` percent (default 10) slower than the best.
 *
 *   deno run --allow-read experiments/tune_gap.ts reports/portable-prefill/results.json [--within 10]
 *
 * Exit 1 when some default is outside the bound, 2 for a file without tune trials.
 *
 * @module
 */

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

if (import.meta.main) {
  const file = Deno.args[0];
  const wi = Deno.args.indexOf("--within");
  const within = wi >= 0 ? Number(Deno.args[wi + 1]) : 10;
  if (!file || !(within >= 0)) {
    console.error("usage: tune_gap.ts RESULTS.json [--within PERCENT]");
    Deno.exit(2);
  }
  const results = JSON.parse(await Deno.readTextFile(file)) as {
    results: { id: string; notes?: { tuneTrials?: Trial[] }; tune?: Record<string, unknown> }[];
  };
  let n = 0;
  let outside = 0;
  for (const r of results.results) {
    const trials = r.notes?.tuneTrials;
    if (!trials) continue;
    n++;
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
  Deno.exit(outside > 0 ? 1 : 0);
}
