/**
 * Gates a run against a baseline: cases matched by id, one verdict each, pass or fail overall.
 * Pure: parsed results in, a {@link GateReport} out.
 *
 * @module
 */

import type { AdapterMeta, CaseResult, RunResults } from "../types.ts";
import {
  type GateConfig,
  type GateRules,
  rulesFor,
  type RulesPatch,
  validateScopedRules,
} from "../rules/config.ts";
import { gateCase } from "./compare_case.ts";
import { DeviceMismatchError } from "../rules/errors.ts";
import {
  type CaseVerdict,
  type GateReport,
  type RunRef,
  type Verdict,
  VERDICTS,
} from "./verdict.ts";

/**
 * Options of {@link gateRuns}.
 *
 * @example
 * ```ts
 * const o: GateOptions = { flags: { time: { threshold: 0.1 } }, allowDeviceMismatch: true };
 * ```
 */
export interface GateOptions {
  /** A validated config (see `validateGateConfig`). */
  config?: GateConfig;
  /** Rules from the command line (`--threshold`, `--alpha`). */
  flags?: RulesPatch;
  /**
   * Compare runs from different adapters instead of throwing {@link DeviceMismatchError} (the
   * config's `allowDeviceMismatch` does the same).
   */
  allowDeviceMismatch?: boolean;
  /**
   * Per case id, the relative spread of the baseline's own history (a `store:BRANCH@N`
   * baseline): the case's time threshold `t` becomes `(1 + t)(1 + spread) − 1`, so a change
   * within what the baseline runs showed among themselves is not a verdict.
   */
  noise?: ReadonlyMap<string, number>;
  /** File names for the report and for error messages. */
  baselineFile?: string | null;
  /** See `baselineFile`. */
  currentFile?: string | null;
}

/**
 * How two adapters differ (vendor, device, description), or null when they are the same.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const a = { vendor: "x", architecture: "", device: "1", description: "GPU A", isFallbackAdapter: false };
 * assert.equal(adapterDifferences(a, a), null);
 * assert.equal(adapterDifferences(a, { ...a, device: "2" }), 'device: "1" vs "2"');
 * ```
 */
export function adapterDifferences(a: AdapterMeta, b: AdapterMeta): string | null {
  const diffs: string[] = [];
  for (const k of ["vendor", "device", "description"] as const) {
    if (a[k] !== b[k]) diffs.push(`${k}: ${JSON.stringify(a[k])} vs ${JSON.stringify(b[k])}`);
  }
  return diffs.length > 0 ? diffs.join("; ") : null;
}

/** Rules with the time threshold widened by a case's history spread (see `GateOptions.noise`). */
function widen(rules: GateRules, spread: number | undefined): GateRules {
  if (!spread || !(spread > 0)) return rules;
  const threshold = (1 + rules.time.threshold) * (1 + spread) - 1;
  return { ...rules, time: { ...rules.time, threshold } };
}

function ref(r: RunResults, file: string | null): RunRef {
  return {
    file,
    suite: r.meta.suite,
    seed: r.meta.seed,
    adapter: r.meta.adapter,
    startedAt: r.meta.startedAt ?? null,
    commit: r.meta.tool?.commit ?? null,
    complete: r.meta.complete !== false,
  };
}

/**
 * Gates `current` against `baseline`. Cases are matched by `id`; each gets a verdict under the
 * rules resolved for its suite and kernel (see `rulesFor`). Throws {@link DeviceMismatchError}
 * when the adapters differ unless `allowDeviceMismatch`, and `GateInputError` when the current
 * run's `meta.gate` (its suite's gate object) is malformed.
 *
 * @example
 * ```ts ignore
 * const report = gateRuns(baseline, current, { config });
 * console.log(report.passed, report.counts.slower);
 * ```
 */
export function gateRuns(
  baseline: RunResults,
  current: RunResults,
  options: GateOptions = {},
): GateReport {
  const baselineFile = options.baselineFile ?? null;
  const currentFile = options.currentFile ?? null;
  const mismatch = adapterDifferences(baseline.meta.adapter, current.meta.adapter);
  if (mismatch && !options.allowDeviceMismatch && !options.config?.allowDeviceMismatch) {
    throw new DeviceMismatchError(mismatch);
  }
  const warnings: string[] = [];
  if (mismatch) warnings.push(`adapters differ (${mismatch}); compared anyway as asked`);
  if (options.noise?.size) {
    warnings.push(
      `baseline from history (${baselineFile ?? "store"}): each case's time threshold is ` +
        `widened by the spread of its medians over those runs`,
    );
  }
  for (const [name, r] of [["baseline", baseline], ["current", current]] as const) {
    if (r.meta.complete === false || r.meta.interrupted) {
      warnings.push(`the ${name} run is incomplete${r.meta.interrupted ? " (interrupted)" : ""}`);
    }
  }
  if (baseline.meta.suite !== current.meta.suite) {
    warnings.push(
      `suites differ (${JSON.stringify(baseline.meta.suite)} vs ${
        JSON.stringify(current.meta.suite)
      }); only cases with the same id are compared`,
    );
  }
  if (baseline.meta.seed !== current.meta.seed) {
    warnings.push(
      `seeds differ (${baseline.meta.seed} vs ${current.meta.seed}): inputs differ, so accuracy ` +
        `and FLOPs are not compared`,
    );
  }
  const suiteGate = current.meta.gate
    ? validateScopedRules(current.meta.gate, currentFile ?? "<current>", "meta.gate")
    : undefined;
  const sources = { suiteGate, config: options.config, flags: options.flags };
  const missingFails = options.config?.missing === "fail";

  const baseById = new Map<string, CaseResult>(baseline.results.map((r) => [r.id, r]));
  const curIds = new Set(current.results.map((r) => r.id));
  const verdicts: CaseVerdict[] = [];
  for (const cur of current.results) {
    const rules = widen(
      rulesFor({ suite: current.meta.suite, kernel: cur.kernel, family: cur.family }, sources),
      options.noise?.get(cur.id),
    );
    verdicts.push(gateCase(baseById.get(cur.id), cur, rules, missingFails));
  }
  for (const base of baseline.results) {
    if (curIds.has(base.id)) continue;
    const rules = rulesFor(
      { suite: current.meta.suite, kernel: base.kernel, family: base.family },
      sources,
    );
    verdicts.push(gateCase(base, undefined, rules, missingFails));
  }
  const order = new Map(VERDICTS.map((v, i) => [v, i]));
  const cases = verdicts
    .map((v, i) => ({ v, i }))
    .sort((a, b) =>
      Number(b.v.regression) - Number(a.v.regression) ||
      order.get(a.v.verdict)! - order.get(b.v.verdict)! || a.i - b.i
    )
    .map((x) => x.v);
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const c of cases) counts[c.verdict]++;
  const passed = !cases.some((c) => c.regression);
  return {
    gateVersion: 1,
    passed,
    exitCode: passed ? 0 : 1,
    baseline: ref(baseline, baselineFile),
    current: ref(current, currentFile),
    deviceMismatch: mismatch,
    warnings,
    counts,
    cases,
  };
}
