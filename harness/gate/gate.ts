/**
 * Gates a run against a baseline: cases matched by id, one verdict each, pass or fail overall.
 * Pure: parsed results in, a {@link GateReport} out.
 *
 * @module
 */

import type { AdapterMeta, CaseResult, RunResults } from "../types.ts";
import { baselineScope } from "../report/compare.ts";
import {
  type GateConfig,
  type GateRules,
  rulesFor,
  type RulesPatch,
  validateScopedRules,
} from "../rules/config.ts";
import { gateCase } from "./compare_case.ts";
import { DeviceMismatchError } from "../rules/errors.ts";
import { fmtSig } from "./compare_time.ts";
import { betweenRunSpread, caseAllowance, MIN_RUN_CASES, runAllowance } from "./spread.ts";
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
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * const { baseline, current, slowerId } = baselinePair();
 * // the fixture's slower case is 25% slower: a 30% threshold lets it pass
 * const o: GateOptions = { flags: { time: { threshold: 0.3 } }, allowDeviceMismatch: true };
 * const v = gateRuns(baseline, current, o).cases.find((c) => c.id === slowerId)!;
 * assert.notEqual(v.verdict, "slower");
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
  /**
   * Pass although baseline cases that were ok are missing from the current run, or the current
   * run is incomplete (interrupted); by default either fails the gate.
   */
  allowMissing?: boolean;
  /** Pass although the two runs share no case (by default that fails: nothing was compared). */
  allowDisjoint?: boolean;
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
  // Vulkan and its OpenGL fallback report the same adapter; the guess tells them apart.
  if (a.backend && b.backend && a.backend.guess !== b.backend.guess) {
    diffs.push(`backend: ${a.backend.guess} vs ${b.backend.guess}`);
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

/** How a single case is confirmed: the command that re-times it against the baseline. */
function confirmCommand(suite: string, ids: string[], baselineFile: string | null): string {
  const filter = ids.join("|").replace(/'/g, "'\\''");
  return `deno task bench --suite ${suite} --filter '${filter}' --baseline ${
    baselineFile ?? "BASELINE.json"
  }`;
}

/**
 * Applies the between-run spread, the sentinel and the confirmation to the time verdicts (see
 * `spread.ts`), and adds a whole-run failure when the median case is slower. Returns the spread.
 */
function applySpread(
  verdicts: CaseVerdict[],
  baseById: Map<string, CaseResult>,
  curById: Map<string, CaseResult>,
  failures: string[],
  ctx: { suite: string; baselineFile: string | null },
): GateReport["timeSpread"] {
  const timed = verdicts.filter((v) =>
    v.time && v.time.test !== "none" && v.rules?.time.enabled &&
    !v.time.decidedBy.includes("differ")
  );
  if (timed.length === 0) return null;
  const spread = betweenRunSpread(timed.map((v) => v.time!.ratio));
  const thresholds = timed.map((v) => v.time!.threshold).sort((a, b) => a - b);
  const runT = thresholds[Math.floor(thresholds.length / 2)]!;
  const unconfirmed: string[] = [];
  for (const v of timed) {
    const t = v.time!;
    const allow = caseAllowance(t.threshold, spread.sigma);
    const base = baseById.get(v.id)!, cur = curById.get(v.id)!;
    if (v.verdict !== "slower") continue; // an accuracy or FLOPs regression stands as it is
    const moved = [["baseline", base], ["current", cur]].filter(([, r]) =>
      (r as CaseResult).time?.sentinel?.flagged
    ).map(([n]) => n);
    const demote = (why: string) => {
      v.verdict = "ambiguous";
      v.regression = false;
      v.summary = `×${fmtSig(t.ratio)} slower, but ${why}`;
    };
    if (moved.length > 0) {
      demote(
        `the sentinel moved while the ${moved.join(" and ")} run timed it (the device ran at ` +
          "another speed): not a measurement to judge by",
      );
      continue;
    }
    if (t.ratio <= allow) {
      demote(
        `within the between-run spread (×${fmtSig(allow)}: same-code runs differ by σ = ${
          fmtSig(spread.sigma, 2)
        } in log time over ${spread.cases} cases)`,
      );
      continue;
    }
    const confirm = cur.time?.confirm;
    if (!confirm) {
      v.needsConfirmation = true;
      unconfirmed.push(v.id);
      demote("not confirmed by a re-measurement in the same job");
      continue;
    }
    const again = confirm.median / t.baselineMedian;
    if (confirm.sentinel?.flagged) {
      demote(
        `the sentinel moved while it was re-measured (×${fmtSig(again)}): not a confirmation`,
      );
    } else if (again > allow) {
      v.summary = `${t.reason}; confirmed by a re-measurement (×${fmtSig(again)})`;
    } else {
      demote(`a re-measurement in the same job gave ×${fmtSig(again)}: not confirmed`);
    }
  }
  if (unconfirmed.length > 0) {
    for (const v of verdicts) {
      if (v.needsConfirmation) {
        v.notes.push(`to confirm: ${confirmCommand(ctx.suite, [v.id], ctx.baselineFile)}`);
      }
    }
  }
  const allowRun = runAllowance(runT, spread.sigma);
  if (spread.cases >= MIN_RUN_CASES && spread.medianRatio > allowRun) {
    failures.push(
      `the whole run is ×${fmtSig(spread.medianRatio)} slower (median over ${spread.cases} ` +
        `timed cases), beyond ×${fmtSig(allowRun)} (the threshold, or the between-run spread)`,
    );
  }
  return {
    ...spread,
    caseAllowance: caseAllowance(runT, spread.sigma),
    runAllowance: allowRun,
    unconfirmed,
  };
}

/**
 * Gates `current` against `baseline`. Cases are matched by `id`; each gets a verdict under the
 * rules resolved for its suite and kernel (see `rulesFor`). Throws {@link DeviceMismatchError}
 * when the adapters differ unless `allowDeviceMismatch`, and `GateInputError` when the current
 * run's `meta.gate` (its suite's gate object) is malformed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * const { baseline, current, failedId, fasterId } = baselinePair();
 * const report = gateRuns(baseline, current, { config: { missing: "warn" } });
 * assert.equal(report.passed, false);
 * assert.equal(report.exitCode, 1);
 * const verdict = (id: string) => report.cases.find((c) => c.id === id)!.verdict;
 * assert.equal(verdict(failedId), "failed");
 * assert.equal(verdict(fasterId), "faster");
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
  const failures: string[] = [];
  const allowMissing = options.allowMissing === true || options.config?.missing === "warn";
  if (mismatch) warnings.push(`adapters differ (${mismatch}); compared anyway as asked`);
  if (options.noise?.size) {
    warnings.push(
      `baseline from history (${baselineFile ?? "store"}): each case's time threshold is ` +
        `widened by the spread of its medians over those runs`,
    );
  }
  if (baseline.meta.complete === false || baseline.meta.interrupted) {
    warnings.push(
      `the baseline run is incomplete${baseline.meta.interrupted ? " (interrupted)" : ""}`,
    );
  }
  if (current.meta.complete === false || current.meta.interrupted) {
    const what = `the current run is incomplete${current.meta.interrupted ? " (interrupted)" : ""}`;
    if (allowMissing) warnings.push(`${what}; allowed by --allow-missing`);
    else failures.push(`${what}: an unfinished run proves nothing (--allow-missing to accept it)`);
  }
  if (baseline.meta.suite !== current.meta.suite) {
    warnings.push(
      `suites differ (${JSON.stringify(baseline.meta.suite)} vs ${
        JSON.stringify(current.meta.suite)
      }); only cases with the same id are compared`,
    );
  }
  if (baseline.meta.seed !== current.meta.seed) {
    const what =
      `seeds differ (${baseline.meta.seed} vs ${current.meta.seed}): inputs differ, so ` +
      `accuracy and FLOPs are not compared`;
    // Same ids on other inputs: only times would be compared, which proves little.
    if (options.allowDisjoint) warnings.push(`${what}; allowed by --allow-disjoint`);
    else failures.push(`${what} (--allow-disjoint to compare times anyway)`);
  }
  const suiteGate = current.meta.gate
    ? validateScopedRules(current.meta.gate, currentFile ?? "<current>", "meta.gate")
    : undefined;
  const sources = { suiteGate, config: options.config, flags: options.flags };
  let missingFails = !allowMissing;

  // The baseline's part the current run was asked to cover: its cases within the current run's
  // --filter and shard (a filtered run, or one shard, is not missing the cases it did not run).
  const scope = baselineScope(baseline, current);
  if (current.meta.shard && !baseline.meta.shard) {
    const { index, count } = current.meta.shard;
    warnings.push(
      `the current run is shard ${index}/${count}: judged on the ${scope.length} baseline ` +
        `case(s) of the shape-and-dtype groups it ran`,
    );
  }
  const baseById = new Map<string, CaseResult>(scope.map((r) => [r.id, r]));
  const curIds = new Set(current.results.map((r) => r.id));
  const overlap = current.results.filter((r) => baseById.has(r.id));
  if (overlap.length === 0) {
    const what =
      `the runs share no case (baseline: ${scope.length} in scope, current: ${current.results.length}): nothing was compared`;
    if (options.allowDisjoint) {
      warnings.push(`${what}; allowed by --allow-disjoint`);
      missingFails = false; // nothing in common: every baseline case is "missing"
    } else {
      failures.push(
        `${what} (renamed ids, another suite, or an empty run; --allow-disjoint to accept it)`,
      );
    }
  }
  const okBase = scope.filter((r) => r.status === "ok").length;
  const okCur = overlap.filter((r) => r.status === "ok").length;
  if (current.results.length > 0 && !current.results.some((r) => r.status === "ok")) {
    // every case skipped or failed: nothing was timed or checked, whatever the baseline holds
    const counts = ["skipped", "failed"]
      .map((s) => [s, current.results.filter((r) => r.status === s).length] as const)
      .filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(", ");
    failures.push(`the current run has no ok case (${counts}): it measured nothing`);
  }
  const okBaseOverlap = overlap.filter((r) => baseById.get(r.id)!.status === "ok").length;
  if (okCur < (allowMissing ? okBaseOverlap : okBase) && overlap.length > 0) {
    failures.push(
      `the current run has ${okCur} ok case(s) of the baseline's ${
        allowMissing ? okBaseOverlap : okBase
      }${allowMissing ? " shared" : ""}`,
    );
  }
  const verdicts: CaseVerdict[] = [];
  for (const cur of current.results) {
    const rules = widen(
      rulesFor({ suite: current.meta.suite, kernel: cur.kernel, family: cur.family }, sources),
      options.noise?.get(cur.id),
    );
    verdicts.push(gateCase(baseById.get(cur.id), cur, rules, missingFails));
  }
  for (const base of scope) {
    if (curIds.has(base.id)) continue;
    const rules = rulesFor(
      { suite: current.meta.suite, kernel: base.kernel, family: base.family },
      sources,
    );
    verdicts.push(gateCase(base, undefined, rules, missingFails && base.status === "ok"));
  }
  const curById = new Map<string, CaseResult>(current.results.map((r) => [r.id, r]));
  const timeSpread = applySpread(verdicts, baseById, curById, failures, {
    suite: current.meta.suite,
    baselineFile,
  });
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
  const passed = !cases.some((c) => c.regression) && failures.length === 0;
  return {
    gateVersion: 1,
    passed,
    exitCode: passed ? 0 : 1,
    failures,
    timeSpread,
    baseline: ref(baseline, baselineFile),
    current: ref(current, currentFile),
    deviceMismatch: mismatch,
    warnings,
    counts,
    cases,
  };
}
