/**
 * The gate for task runs: each variant's task accuracy compared with the baseline's like an
 * approximation error. The error is `100 − top-1` (points), or the LM's validation perplexity
 * itself (lower is better; the same rule in perplexity units); it regresses
 * (`accuracy-regressed`) when the current error exceeds `baseline × (1 + rel) + abs + 2·s`,
 * s the larger seed standard deviation of the two runs (a spread the seeds show is not a
 * regression). The score through the kernels is compared when both runs have it for every
 * seed, else the training library's. A variant whose (variant, seed) failed in the current run
 * only is `failed`; one in the baseline only is `missing` (a regression, unless the run was asked
 * for part of the suite without it, or `allowMissing`); one in the current run only is `new`. A
 * run that did not finish fails the gate unless `allowMissing`.
 *
 * @module
 */

import type { ToleranceRules } from "../rules/config.ts";
import { globRegExp } from "../types.ts";
import {
  taskAccuracy,
  taskError,
  type TaskResultsView,
  type TaskVariantView,
} from "../report/task_model.ts";
import type { Verdict } from "./verdict.ts";

/** Default tolerance on the top-1 error in points: 10% of the baseline's error plus 0.5. */
export const TASK_ACCURACY_RULES: ToleranceRules = { enabled: true, rel: 0.1, abs: 0.5 };

/** The accuracy comparison of one variant. */
export interface TaskAccuracyCheck {
  /** The metric compared: top-1 error (classification) or perplexity (the language model). */
  metric: "task.top1Error" | "task.perplexity";
  /** Whose score: through the WGSL kernels (when both runs have it) or the training library's. */
  source: "kernels" | "library";
  /** 100 − top-1 mean, in points (or the mean perplexity). */
  baseline: number;
  /** The same for the current run. */
  current: number;
  /** Largest current error that passes. */
  limit: number;
  /** `worse`: above the limit; `better`: below the baseline by more than the tolerance. */
  outcome: "same" | "better" | "worse";
}

/** The verdict on one variant. */
export interface TaskVariantVerdict {
  /** The variant's id (`model/experiment/variant`). */
  id: string;
  /** Its verdict (the names of the bench gate's). */
  verdict: Extract<Verdict, "failed" | "accuracy-regressed" | "missing" | "new" | "fixed" | "same">;
  /** Whether the verdict fails the gate. */
  regression: boolean;
  /** One line: why. */
  summary: string;
  /** The accuracy comparison, when both runs have the variant. */
  check: TaskAccuracyCheck | null;
}

/** The task gate's report (`gate.json` of a task comparison). */
export interface TaskGateReport {
  /** Format version of this report. */
  gateVersion: 1;
  /** Always "task": tells it from the bench gate's report. */
  kind: "task";
  /** Whether the gate passed. */
  passed: boolean;
  /** The command's exit code: 0 pass, 1 fail. */
  exitCode: 0 | 1;
  /** The baseline run: its file, suite and start. */
  baseline: { file: string | null; suite: string; startedAt: string };
  /** The current run: its file, suite and start. */
  current: { file: string | null; suite: string; startedAt: string };
  /** The tolerance applied to every variant's error. */
  rules: ToleranceRules;
  /** Why the whole run fails, besides its variants' verdicts (an unfinished run). */
  failures: string[];
  /** Observations that do not fail the gate (other suites or test sets, allowed omissions). */
  warnings: string[];
  /** One verdict per variant, regressions first. */
  variants: TaskVariantVerdict[];
}

/** Options of {@link gateTaskRuns}. */
export interface TaskGateOptions {
  /** File names for the report. */
  baseline?: string | null;
  /** See `baseline`. */
  current?: string | null;
  /**
   * Pass although variants of the baseline are missing from the current run, or the run did not
   * finish (interrupted, or its time limit left pairs unstarted); by default either fails.
   */
  allowMissing?: boolean;
}

/**
 * Whether a run was asked for a variant: its `selection` (a run made with `--only`), or for a
 * merged run any of its shards' `--only` patterns (`*` matches anything; a shard without them asked
 * for every variant).
 */
function askedFor(r: TaskResultsView): (id: string) => boolean {
  if (r.selection) {
    const ids = new Set(r.selection.variants);
    return (id) => ids.has(id);
  }
  if (!r.shards?.length || r.shards.some((s) => s.only === null)) return () => true;
  const globs = r.shards.flatMap((s) => s.only ?? []).map(globRegExp);
  return (id) => globs.some((g) => g.test(id));
}

function failedIds(r: TaskResultsView): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of r.failures) if (!m.has(f.id)) m.set(f.id, `seed ${f.seed}: ${f.error}`);
  return m;
}

/**
 * Compares `current` with `baseline` per variant id with tolerance `rules` (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeVariant, fakeTaskRun, typicalTaskRun } from "../../tests/fixtures/task_runs.ts";
 * const base = typicalTaskRun();
 * assert.equal(gateTaskRuns(base, typicalTaskRun()).exitCode, 0);
 * // the dense variant loses two points of top-1: beyond the tolerance
 * const cur = fakeTaskRun([
 *   ...base.variants.filter((v) => v.variant !== "dense"),
 *   fakeVariant("dense", "scratch", [95, 95.2], 1000, [1, 1], [95, 95.2]),
 * ]);
 * const report = gateTaskRuns(base, cur);
 * assert.equal(report.exitCode, 1);
 * assert.equal(report.variants.find((v) => v.id === "vit/scratch/dense")!.verdict, "accuracy-regressed");
 * ```
 */
export function gateTaskRuns(
  baseline: TaskResultsView,
  current: TaskResultsView,
  rules: ToleranceRules = TASK_ACCURACY_RULES,
  options: TaskGateOptions = {},
): TaskGateReport {
  const warnings: string[] = [];
  const failures: string[] = [];
  const allowMissing = options.allowMissing === true;
  const unfinished = [
    ...(current.finishedAt ? [] : ["did not finish (interrupted: no finishedAt)"]),
    ...(current.skipped?.length
      ? [`left ${current.skipped.length} (variant, seed) pair(s) unstarted at its time limit`]
      : []),
  ];
  for (const what of unfinished) {
    if (allowMissing) warnings.push(`the current run ${what}; allowed by --allow-missing`);
    else {
      failures.push(
        `the current run ${what}: an unfinished run proves nothing (--allow-missing to accept it)`,
      );
    }
  }
  // a run asked for part of the suite (--only) is not missing the variants it was not asked for
  const asked = askedFor(current);
  if (baseline.suite !== current.suite) {
    warnings.push(`different suites: ${baseline.suite} (baseline) vs ${current.suite}`);
  }
  if (baseline.dataset.test !== current.dataset.test) {
    warnings.push(
      `different test sets: ${baseline.dataset.test} vs ${current.dataset.test} samples`,
    );
  }
  const base = new Map(baseline.variants.map((v) => [v.id, v]));
  const cur = new Map(current.variants.map((v) => [v.id, v]));
  const curFailed = failedIds(current);
  const baseFailed = failedIds(baseline);
  const ids = [...new Set([...base.keys(), ...cur.keys(), ...curFailed.keys()])];
  const out: TaskVariantVerdict[] = [];
  for (const id of ids) {
    const b = base.get(id), c = cur.get(id);
    const v: TaskVariantVerdict = {
      id,
      verdict: "same",
      regression: false,
      summary: "",
      check: null,
    };
    if (curFailed.has(id) && !baseFailed.has(id)) {
      v.verdict = "failed";
      v.regression = true;
      v.summary = `failed in the current run (${curFailed.get(id)})`;
    } else if (!b) {
      v.verdict = "new";
      v.summary = "new variant";
    } else if (!c) {
      if (!asked(id)) continue; // outside the run's --only
      v.verdict = "missing";
      v.regression = !allowMissing;
      v.summary = "in the baseline, not in the current run" +
        (allowMissing ? " (allowed by --allow-missing)" : "");
    } else {
      v.check = compareAccuracy(b, c, rules);
      if (v.check.outcome === "worse") {
        v.verdict = "accuracy-regressed";
        v.regression = true;
      } else if (baseFailed.has(id) && !curFailed.has(id)) v.verdict = "fixed";
      const k = v.check;
      v.summary =
        `${k.metric === "task.perplexity" ? "perplexity" : "top-1 error"} (${k.source}) ` +
        `${k.baseline.toFixed(2)} → ${k.current.toFixed(2)}` +
        `${k.metric === "task.perplexity" ? "" : " points"}` +
        `${k.outcome === "worse" ? ` (limit ${k.limit.toFixed(2)})` : ""}`;
    }
    out.push(v);
  }
  const order = ["failed", "accuracy-regressed", "missing", "new", "fixed", "same"];
  out.sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict));
  const passed = !out.some((v) => v.regression) && failures.length === 0;
  return {
    gateVersion: 1,
    kind: "task",
    passed,
    exitCode: passed ? 0 : 1,
    baseline: {
      file: options.baseline ?? null,
      suite: baseline.suite,
      startedAt: baseline.startedAt,
    },
    current: { file: options.current ?? null, suite: current.suite, startedAt: current.startedAt },
    rules,
    failures,
    warnings,
    variants: out,
  };
}

function compareAccuracy(
  b: TaskVariantView,
  c: TaskVariantView,
  rules: ToleranceRules,
): TaskAccuracyCheck {
  const kb = taskAccuracy(b), kc = taskAccuracy(c);
  const both = kb.source === "kernels" && kc.source === "kernels";
  const sb = both ? kb.top1 : b.value;
  const sc = both ? kc.top1 : c.value;
  const be = taskError(b, sb.mean), ce = taskError(c, sc.mean);
  const spread = 2 * Math.max(sb.std, sc.std);
  const limit = be * (1 + rules.rel) + rules.abs + spread;
  let outcome: TaskAccuracyCheck["outcome"] = "same";
  if (!rules.enabled) outcome = "same";
  else if (ce > limit) outcome = "worse";
  else if (be > ce * (1 + rules.rel) + rules.abs + spread) outcome = "better";
  return {
    metric: c.metric === "perplexity" ? "task.perplexity" : "task.top1Error",
    source: both ? "kernels" : "library",
    baseline: be,
    current: ce,
    limit,
    outcome,
  };
}

/**
 * Markdown of a task gate report.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typicalTaskRun } from "../../tests/fixtures/task_runs.ts";
 * const md = renderTaskGateMarkdown(gateTaskRuns(typicalTaskRun(), typicalTaskRun()));
 * assert.match(md, /^## Task gate: passed/);
 * assert.match(md, /\| vit\/scratch\/dense \| same \|/);
 * ```
 */
export function renderTaskGateMarkdown(r: TaskGateReport): string {
  const lines = [
    `## Task gate: ${r.passed ? "passed" : "FAILED"}`,
    "",
    `Baseline ${r.baseline.file ?? r.baseline.suite} (${r.baseline.startedAt}) → current ` +
    `${r.current.file ?? r.current.suite} (${r.current.startedAt}). Top-1 error may grow by ` +
    `${(100 * r.rules.rel).toFixed(0)}% + ${r.rules.abs} points + twice the seed spread.`,
    "",
  ];
  for (const f of r.failures ?? []) lines.push(`- **fail**: ${f}`);
  for (const w of r.warnings) lines.push(`- warning: ${w}`);
  if (r.warnings.length || r.failures?.length) lines.push("");
  lines.push("| variant | verdict | why |", "|---|---|---|");
  for (const v of r.variants) {
    lines.push(`| ${v.id} | ${v.regression ? `**${v.verdict}**` : v.verdict} | ${v.summary} |`);
  }
  lines.push("");
  return lines.join("\n");
}
