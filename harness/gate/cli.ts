/**
 * The `gate` command line and the file side of the gate: read and check the inputs, gate, write
 * the markdown and JSON reports, pick the exit code.
 *
 * @module
 */

import { basename, dirname, join, resolve } from "node:path";
import { escapeControl, parseCommandLine, UsageError, withUsage } from "../cli_args.ts";
import { writeReports, writeTextAtomic } from "../report/write.ts";
import { jsonSyntaxProblem, type RunResults } from "../types.ts";
import {
  type GateConfig,
  parseAlpha,
  parseThreshold,
  type RulesPatch,
  validateGateConfig,
} from "../rules/config.ts";
import { DeviceMismatchError, GateInputError } from "../rules/errors.ts";
import { gateRuns } from "./gate.ts";
import { validateRunResults } from "./input.ts";
import {
  loadStoreBaseline,
  noiseOf,
  parseStoreBaseline,
  type StoreBaselineSpec,
} from "../history/baseline.ts";
import { adapterName, openStore, StoreError } from "../history/store.ts";
import { renderGateMarkdown } from "./markdown.ts";
import { isTaskResults } from "../report/task_model.ts";
import { gateTaskFiles } from "./task_cli.ts";
import type { GateReport } from "./verdict.ts";

/** Gate exit codes: 0 pass (improvements never fail), 1 regression, 2 usage or input error. */
export const GATE_EXIT = { pass: 0, regression: 1, usage: 2 } as const;

const HELP = `tilebench gate — compare a run with a baseline; fail on regressions

usage: deno task gate --baseline BASE.json --current CUR.json [options]

  --baseline FILE           results.json of the reference run (required), or
                            store:BRANCH[@N]: the last N (default 5) runs of BRANCH in the
                            results store, of the same suite and adapter; their spread widens
                            each case's time threshold
  --store DB                the results store for store:… (default reports/history.db)
  --current FILE            results.json of the run to judge (required)
  --threshold T             time change that matters: 5% (default) or 0.05; a bare
                            number of 1 or more is refused ("500%" says ×6)
  --alpha A                 significance level of the time test (default 0.01)
  --config FILE             gate config: thresholds per metric, suite and kernel
                            (also --gate-config, as bench names it)
  --markdown FILE           also write the markdown report here
  --json FILE               write the JSON verdict here
  --allow-device-mismatch   compare runs from different adapters
  --allow-missing           pass although baseline cases (or task variants) that were ok are
                            missing from the current run, or it is incomplete (by default both
                            fail)
  --allow-disjoint          pass although the runs share no case or used different seeds
                            (by default either fails)
  --accuracy-threshold P    task runs (kind "task"): top-1 error may grow by P points
                            (default 0.5) plus 10% and twice the seed spread
  -h, --help                this help

The markdown report goes to stdout, and is appended to $GITHUB_STEP_SUMMARY when set.
A "slower" verdict read from files is a single measurement; confirm it by re-timing the
flagged cases in one job: deno task bench --suite S --filter 'ID1|ID2' --baseline BASE.json
(bench re-measures every case it finds slower before failing).

exit codes: 0 pass, 1 regression (failed, accuracy-regressed, flops-regressed, slower, missing,
            an incomplete run, no case in common, no ok case), 2 usage or input error`;

/**
 * Reads and parses a JSON file; a missing file or bad JSON is a {@link GateInputError} naming it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/ok.json`, '{ "a": 1 }');
 * assert.deepEqual(readJsonFile(`${dir}/ok.json`), { a: 1 });
 * Deno.writeTextFileSync(`${dir}/bad.json`, "{ a: ");
 * assert.throws(() => readJsonFile(`${dir}/bad.json`), /bad\.json: /);
 * ```
 */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "file not found"
      : e instanceof Deno.errors.IsADirectory
      ? "is a directory, not a file"
      : `cannot read: ${(e as Error).message}`;
    throw new GateInputError(path, "", why);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new GateInputError(path, "", jsonSyntaxProblem(e, text));
  }
}

/**
 * Reads a `results.json` and checks it has what the gate needs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const base = loadRunResults("baselines/smoke-llvmpipe.json");
 * assert.equal(base.meta.suite, "smoke");
 * assert.ok(base.results.length > 0);
 * ```
 */
export function loadRunResults(path: string): RunResults {
  return validateRunResults(readJsonFile(path), path);
}

/**
 * Reads and validates a gate config file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const config = loadGateConfig(".ci/gate-llvmpipe.json");
 * assert.equal(config.time?.threshold, 9); // "900%"
 * ```
 */
export function loadGateConfig(path: string): GateConfig {
  return validateGateConfig(readJsonFile(path), path);
}

/** Where {@link emitGateReport} writes. */
export interface GateOutputs {
  /** Also write the markdown here. */
  markdownFile?: string | null;
  /** Write the JSON verdict here. */
  jsonFile?: string | null;
  /** Print the markdown to stdout (default true). */
  stdout?: boolean;
}

function ensureDir(file: string): void {
  Deno.mkdirSync(dirname(file), { recursive: true });
}

/**
 * Writes a gate report: markdown to stdout, to `markdownFile` and appended to
 * `$GITHUB_STEP_SUMMARY` when that is set; JSON to `jsonFile`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * import { gateRuns } from "./gate.ts";
 * const { baseline } = baselinePair();
 * const report = gateRuns(baseline, structuredClone(baseline));
 * const dir = Deno.makeTempDirSync();
 * emitGateReport(report, { jsonFile: `${dir}/gate.json`, markdownFile: `${dir}/gate.md`, stdout: false });
 * assert.equal(JSON.parse(Deno.readTextFileSync(`${dir}/gate.json`)).passed, true);
 * assert.match(Deno.readTextFileSync(`${dir}/gate.md`), /tilebench gate: PASS/);
 * ```
 */
export function emitGateReport(report: GateReport, out: GateOutputs = {}): void {
  const md = renderGateMarkdown(report);
  if (out.stdout !== false) console.log(md);
  if (out.markdownFile) {
    ensureDir(out.markdownFile);
    writeTextAtomic(out.markdownFile, md);
  }
  if (out.jsonFile) {
    ensureDir(out.jsonFile);
    writeTextAtomic(out.jsonFile, JSON.stringify(report, null, 2) + "\n");
  }
  let summary: string | undefined;
  try {
    summary = Deno.env.get("GITHUB_STEP_SUMMARY");
  } catch {
    summary = undefined;
  }
  if (summary) {
    try {
      Deno.writeTextFileSync(summary, md + "\n", { append: true });
    } catch (e) {
      // `deno task bench` may write only under reports/: the verdict still stands.
      if (!(e instanceof Deno.errors.NotCapable)) throw e;
      console.error(
        `warning: not appended to $GITHUB_STEP_SUMMARY (${e.message}); run the gate with ` +
          `deno task gate to have it there`,
      );
    }
  }
}

/**
 * Parses `--threshold` and `--alpha` into rules, or throws {@link UsageError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(flagRules("5%", undefined).time?.threshold === 0.05);
 * assert.ok(flagRules("900%", undefined).time?.threshold === 9);
 * assert.throws(() => flagRules("5", undefined), /write "5%" for 5%, or "500%" if that is meant/);
 * ```
 */
export function flagRules(threshold: string | undefined, alpha: string | undefined): RulesPatch {
  const time: RulesPatch["time"] = {};
  try {
    if (threshold !== undefined) {
      time.threshold = parseThreshold(threshold);
      if (time.threshold >= 1 && !threshold.includes("%")) {
        const pct = `${+(time.threshold * 100).toFixed(6)}%`;
        throw new RangeError(
          `${threshold} would be ${pct} (×${+(1 + time.threshold).toFixed(6)} slower): ` +
            `write "${threshold}%" for ${threshold}%, or "${pct}" if that is meant`,
        );
      }
    }
  } catch (e) {
    throw new UsageError(`--threshold ${(e as Error).message}`);
  }
  try {
    if (alpha !== undefined) time.alpha = parseAlpha(alpha);
  } catch (e) {
    throw new UsageError(`--alpha ${(e as Error).message}`);
  }
  return Object.keys(time).length > 0 ? { time } : {};
}

/**
 * Whether an error is bad input or usage (exit code 2, message without a stack trace).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "../cli_args.ts";
 * assert.ok(isGateInputError(new UsageError("--current FILE is required")));
 * assert.ok(!isGateInputError(new Error("bug")));
 * ```
 */
export function isGateInputError(e: unknown): e is Error {
  return e instanceof GateInputError || e instanceof DeviceMismatchError ||
    e instanceof UsageError;
}

/** The real path of `p` (or its absolute path when it does not exist yet). */
function canonical(p: string): string {
  try {
    return Deno.realPathSync(p);
  } catch {
    try {
      return join(Deno.realPathSync(dirname(resolve(p))), basename(p));
    } catch {
      return resolve(p);
    }
  }
}

/**
 * Throws {@link UsageError} when an output file is one of the inputs (`--json base.json` would
 * overwrite the baseline), or when both outputs are the same file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.throws(
 *   () => refuseOverwrite({ "--json": "a.json" }, { "--baseline": "./a.json" }),
 *   /--json a.json is the --baseline file/,
 * );
 * refuseOverwrite({ "--json": "gate.json" }, { "--baseline": "a.json" });
 * ```
 */
export function refuseOverwrite(
  outputs: Record<string, string | null | undefined>,
  inputs: Record<string, string | null | undefined>,
): void {
  const seen = new Map<string, string>();
  for (const [flag, p] of Object.entries(inputs)) if (p) seen.set(canonical(p), flag);
  for (const [flag, p] of Object.entries(outputs)) {
    if (!p) continue;
    const other = seen.get(canonical(p));
    if (other) {
      throw new UsageError(
        `${flag} ${p} is the ${other} file; refusing to overwrite it (write elsewhere)`,
      );
    }
    seen.set(canonical(p), flag);
  }
}

/**
 * Runs the gate CLI with `args` and returns the exit code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const base = "baselines/smoke-llvmpipe.json";
 * const dir = Deno.makeTempDirSync();
 * // a run against itself passes; the JSON verdict says so
 * assert.equal(gateMain(["--baseline", base, "--current", base, "--json", `${dir}/g.json`]), 0);
 * assert.equal(JSON.parse(Deno.readTextFileSync(`${dir}/g.json`)).passed, true);
 * assert.equal(gateMain(["--baseline", base]), 2); // --current is required
 * ```
 */
export function gateMain(args: string[]): number {
  try {
    const parsed = parseCommandLine(
      args,
      {
        baseline: { type: "string" },
        current: { type: "string" },
        threshold: { type: "string" },
        alpha: { type: "string" },
        config: { type: "string" },
        "gate-config": { type: "string" },
        markdown: { type: "string" },
        json: { type: "string" },
        "allow-device-mismatch": { type: "boolean" },
        store: { type: "string" },
        "allow-missing": { type: "boolean" },
        "allow-disjoint": { type: "boolean" },
        "accuracy-threshold": { type: "string" },
      },
      HELP,
    );
    const v = parsed.values;
    if (v.help) {
      console.log(HELP);
      return GATE_EXIT.pass;
    }
    // bench names it --gate-config: the gate takes both spellings, one at a time
    if (v.config !== undefined && v["gate-config"] !== undefined) {
      throw new UsageError("--config and --gate-config name the same file: give one");
    }
    const configFile = v.config ?? v["gate-config"];
    if (!v.baseline || !v.current) {
      throw new UsageError(
        withUsage(`${!v.baseline ? "--baseline" : "--current"} FILE is required`, HELP),
      );
    }
    refuseOverwrite(
      { "--json": v.json, "--markdown": v.markdown },
      { "--baseline": v.baseline, "--current": v.current, "--config": configFile },
    );
    const rawCurrent = readJsonFile(v.current);
    if (isTaskResults(rawCurrent)) {
      const benchOnly = {
        "--threshold": v.threshold,
        "--alpha": v.alpha,
        "--config": v.config,
        "--gate-config": v["gate-config"],
        "--store": v.store,
        "--allow-device-mismatch": v["allow-device-mismatch"],
        "--allow-disjoint": v["allow-disjoint"],
      };
      const given = Object.entries(benchOnly).filter(([, x]) => x !== undefined).map(([k]) => k);
      if (given.length > 0) {
        throw new UsageError(
          `${given.join(", ")}: for bench runs; ${v.current} is a task run (its gate takes ` +
            "--accuracy-threshold and --allow-missing)",
        );
      }
      return gateTaskFiles(v.baseline, v.current, rawCurrent, v["accuracy-threshold"], {
        markdownFile: v.markdown ?? null,
        jsonFile: v.json ?? null,
        allowMissing: v["allow-missing"] ?? false,
      });
    }
    if (v["accuracy-threshold"] !== undefined) {
      throw new UsageError(
        `--accuracy-threshold: for task runs; ${v.current} is a bench run (--threshold sets its ` +
          "time threshold)",
      );
    }
    const flags = flagRules(v.threshold, v.alpha);
    const config = configFile ? loadGateConfig(configFile) : undefined;
    const spec = storeSpec(v.baseline);
    const current = loadRunResults(v.current);
    const base = resolveBaseline(v.baseline, spec, v.store, current);
    const report = gateRuns(base.baseline, current, {
      config,
      flags,
      allowDeviceMismatch: v["allow-device-mismatch"] ?? false,
      noise: base.noise ?? undefined,
      baselineFile: base.label,
      allowMissing: v["allow-missing"] ?? false,
      allowDisjoint: v["allow-disjoint"] ?? false,
      currentFile: v.current,
    });
    emitGateReport(report, { markdownFile: v.markdown ?? null, jsonFile: v.json ?? null });
    return report.exitCode;
  } catch (e) {
    if (isGateInputError(e)) {
      console.error(`error: ${escapeControl(e.message, true)}`);
      return GATE_EXIT.usage;
    }
    throw e;
  }
}

/** The results store `store:` baselines read when no store is named. */
export const DEFAULT_STORE_PATH = "reports/history.db";

function storeSpec(baseline: string): StoreBaselineSpec | null {
  try {
    return parseStoreBaseline(baseline);
  } catch (e) {
    throw new UsageError(`--baseline ${(e as Error).message}`);
  }
}

/** A baseline ready for the gate: the run to compare with, its noise model and a label. */
export interface ResolvedBaseline {
  /** The run (or the run built from history) to compare with. */
  baseline: RunResults;
  /** Per case, the spread of a history baseline (null for a file). */
  noise: Map<string, number> | null;
  /** The file, or a description of the stored runs. */
  label: string;
}

/**
 * Resolves `--baseline`: a results file, or `store:BRANCH[@N]` read from the store at
 * `storePath` for `current`'s suite and adapter (a store problem is a `GateInputError`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readResults } from "../history/files.ts";
 * import { recordRuns } from "../history/record_cli.ts";
 * const path = `${Deno.makeTempDirSync()}/history.db`;
 * const run = readResults("baselines/smoke-llvmpipe.json");
 * const runs = [1, 2, 3].map((day) => ({
 *   file: `run${day}.json`,
 *   results: { ...run, meta: { ...run.meta, startedAt: `2026-01-0${day}T00:00:00.000Z` } },
 * }));
 * recordRuns(path, runs, "main", false, true);
 * import { parseStoreBaseline } from "../history/baseline.ts";
 * const base = resolveBaseline("store:main@3", parseStoreBaseline("store:main@3"), path, run);
 * assert.equal(base.baseline.meta.suite, "smoke");
 * assert.ok(base.noise !== null); // the runs' spread: the noise model of the gate
 * ```
 */
export function resolveBaseline(
  baseline: string,
  spec: StoreBaselineSpec | null,
  storePath: string | undefined,
  current: RunResults,
): ResolvedBaseline {
  if (!spec) return { baseline: loadRunResults(baseline), noise: null, label: baseline };
  const path = storePath ?? DEFAULT_STORE_PATH;
  try {
    const store = openStore(path, { readOnly: true });
    try {
      const hb = loadStoreBaseline(
        store,
        spec,
        current.meta.suite,
        adapterName(current.meta.adapter),
      );
      return { baseline: hb.baseline, noise: noiseOf(hb.spread), label: hb.label };
    } finally {
      store.close();
    }
  } catch (e) {
    if (e instanceof StoreError) {
      throw new GateInputError(path, "", e.message.replace(`${path}: `, ""));
    }
    throw e;
  }
}

/** Cases `bench --baseline` re-measures at most (the most slowed first). */
export const MAX_CONFIRMATIONS = 24;

/**
 * A gate prepared before a benchmark runs (`deno task bench --baseline`): the baseline and the
 * config are read and checked first, so bad input stops the command before any GPU work.
 */
export interface PreparedGate {
  /** Ids of the cases measured slower that need a re-measurement before they can fail. */
  toConfirm(current: RunResults): string[];
  /** Gates the finished run, writes `gate.md` and `gate.json` into `outDir` (when given) and
   * the markdown to stdout; returns the gate's exit code. */
  finish(current: RunResults, outDir: string | null): number;
}

/**
 * Reads the baseline (and config) for `deno task bench --baseline FILE [--gate-config FILE]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadRunResults } from "./cli.ts";
 * const results = loadRunResults("baselines/smoke-llvmpipe.json"); // stands in for a finished run
 * const gate = prepareGate("baselines/smoke-llvmpipe.json", ".ci/gate-llvmpipe.json");
 * assert.deepEqual(gate.toConfirm(results), []); // nothing to re-measure
 * const dir = Deno.makeTempDirSync();
 * assert.equal(gate.finish(results, dir), 0);
 * assert.ok(Deno.statSync(`${dir}/gate.json`).isFile);
 * ```
 */
export function prepareGate(
  baselineFile: string,
  configFile: string | undefined,
  storePath?: string,
  allow: { allowMissing?: boolean; allowDisjoint?: boolean } = {},
): PreparedGate {
  const config = configFile ? loadGateConfig(configFile) : undefined;
  const spec = storeSpec(baselineFile);
  // A file baseline is read now; a store baseline is checked now (the store opens) and taken
  // after the run, when its adapter is known.
  const fromFile = spec ? null : loadRunResults(baselineFile);
  if (spec) openStore(storePath ?? DEFAULT_STORE_PATH, { readOnly: true }).close();
  return {
    toConfirm(current) {
      const base = fromFile
        ? { baseline: fromFile, noise: null, label: baselineFile }
        : resolveBaseline(baselineFile, spec, storePath, current);
      const report = gateRuns(base.baseline, current, {
        config,
        ...allow,
        noise: base.noise ?? undefined,
        baselineFile: base.label,
      });
      // The most slowed first; a whole run that slowed down fails on its median anyway.
      return report.cases
        .filter((c) => c.needsConfirmation)
        .sort((a, b) => b.time!.ratio - a.time!.ratio)
        .slice(0, MAX_CONFIRMATIONS)
        .map((c) => c.id);
    },
    finish(current, outDir) {
      const base = fromFile
        ? { baseline: fromFile, noise: null, label: baselineFile }
        : resolveBaseline(baselineFile, spec, storePath, current);
      const baseline = base.baseline;
      const report = gateRuns(baseline, current, {
        config,
        noise: base.noise ?? undefined,
        baselineFile: base.label,
        ...allow,
        currentFile: outDir ? join(outDir, "results.json") : null,
      });
      emitGateReport(report, {
        markdownFile: outDir ? join(outDir, "gate.md") : null,
        jsonFile: outDir ? join(outDir, "gate.json") : null,
      });
      // The run's report shows the baseline deltas and these verdicts too.
      if (outDir) writeReports(outDir, current, { baseline, verdicts: report.cases });
      return report.exitCode;
    },
  };
}
