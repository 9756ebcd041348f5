/**
 * The gate command for task runs: reads both task results files, gates them, writes the reports.
 *
 * @module
 */

import { writeTextAtomic } from "../report/write.ts";
import { dirname } from "node:path";
import { UsageError } from "../cli_args.ts";
import { GateInputError } from "../rules/errors.ts";
import { type TaskResultsView, validateTaskResults } from "../report/task_model.ts";
import { gateTaskRuns, renderTaskGateMarkdown, TASK_ACCURACY_RULES } from "./task_gate.ts";

function readJson(path: string): unknown {
  try {
    return JSON.parse(Deno.readTextFileSync(path));
  } catch (e) {
    throw new GateInputError(path, "", `cannot read JSON: ${(e as Error).message}`);
  }
}

function asTask(raw: unknown, file: string): TaskResultsView {
  try {
    return validateTaskResults(raw, file);
  } catch (e) {
    throw new GateInputError(file, "", (e as Error).message.replace(`${file}: `, ""));
  }
}

/**
 * Gates a task run (`current`, already parsed) against the task results file `baselineFile`;
 * `threshold` is `--accuracy-threshold` (points). Returns the exit code (0 pass, 1 regression).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typicalTaskRun } from "../../tests/fixtures/task_runs.ts";
 * const base = `${Deno.makeTempDirSync()}/base.json`;
 * Deno.writeTextFileSync(base, JSON.stringify(typicalTaskRun()));
 * assert.equal(gateTaskFiles(base, "cur.json", typicalTaskRun(), "0.5", {}), 0);
 * ```
 */
export function gateTaskFiles(
  baselineFile: string,
  currentFile: string,
  current: unknown,
  threshold: string | undefined,
  out: { markdownFile?: string | null; jsonFile?: string | null; allowMissing?: boolean },
): number {
  if (baselineFile.startsWith("store:")) {
    throw new UsageError("--baseline: task runs are gated against a task results.json file");
  }
  const rules = { ...TASK_ACCURACY_RULES };
  if (threshold !== undefined) {
    const p = Number(threshold);
    if (!(Number.isFinite(p) && p >= 0 && p <= 100)) {
      throw new UsageError(
        `--accuracy-threshold must be points of top-1 in [0, 100], got ${
          JSON.stringify(threshold)
        }`,
      );
    }
    rules.abs = p;
  }
  const base = asTask(readJson(baselineFile), baselineFile);
  const cur = asTask(current, currentFile);
  const report = gateTaskRuns(base, cur, rules, {
    baseline: baselineFile,
    current: currentFile,
    allowMissing: out.allowMissing,
  });
  const md = renderTaskGateMarkdown(report);
  console.log(md);
  const summary = Deno.env.get("GITHUB_STEP_SUMMARY");
  if (summary) Deno.writeTextFileSync(summary, md + "\n", { append: true });
  for (
    const [file, text] of [
      [out.markdownFile, md],
      [out.jsonFile, JSON.stringify(report, null, 2) + "\n"],
    ] as const
  ) {
    if (!file) continue;
    Deno.mkdirSync(dirname(file), { recursive: true });
    writeTextAtomic(file, text);
  }
  return report.exitCode;
}
