/**
 * The gate's report as markdown: a pass/fail line, the two runs, warnings, and one table row per
 * case, regressions first.
 *
 * @module
 */

import { mdCell } from "../report/markdown.ts";
import { fmtSig } from "./compare_time.ts";
import type { CaseVerdict, GateReport, RunRef } from "./verdict.ts";
import { VERDICTS } from "./verdict.ts";

function runLine(name: string, r: RunRef): string {
  const parts = [
    r.file ? `\`${r.file.replace(/`/g, "'")}\`` : null,
    `suite ${mdCell(r.suite)}`,
    mdCell(r.adapter.description || r.adapter.vendor),
    r.commit ? `commit ${r.commit.slice(0, 10)}` : null,
    r.startedAt,
    r.complete ? null : "INCOMPLETE",
  ].filter((p) => p);
  return `- ${name}: ${parts.join(" · ")}`;
}

function row(c: CaseVerdict): string {
  const t = c.time;
  const verdict = c.regression ? `**${c.verdict}**` : c.verdict;
  const evidence = t ? mdCell(t.decidedBy) : "–";
  const why = [c.summary, ...c.notes].filter((s) => s).map(mdCell).join("; ");
  const acc = c.checks.find((k) => k.metric === "approximation.relError");
  const accText = !acc || acc.outcome === "not-compared"
    ? "–"
    : acc.baseline === acc.current
    ? fmtSig(acc.current, 2)
    : `${fmtSig(acc.baseline, 2)} → ${fmtSig(acc.current, 2)}`;
  return `| ${verdict} | ${mdCell(c.id)} | ${fmtSig(t?.baselineMedian)} | ${
    fmtSig(t?.currentMedian)
  } | ${t ? `×${fmtSig(t.ratio)}` : "–"} | ${evidence} | ${accText} | ${why} |`;
}

/**
 * Renders a gate report as markdown (for stdout, a file, or `$GITHUB_STEP_SUMMARY`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair } from "../../tests/fixtures/report_results.ts";
 * import { gateRuns } from "./gate.ts";
 * const { baseline, current, slowerId } = baselinePair();
 * const md = renderGateMarkdown(gateRuns(baseline, current));
 * assert.match(md, /tilebench gate: FAIL/);
 * assert.ok(md.includes(slowerId));
 * ```
 */
export function renderGateMarkdown(report: GateReport): string {
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  const regressions = report.cases.filter((c) => c.regression).length;
  const verdict = [
    ...(regressions > 0 ? [plural(regressions, "regression")] : []),
    ...(report.failures.length > 0 ? [plural(report.failures.length, "run failure")] : []),
  ].join(", ");
  const counts = VERDICTS.filter((v) => report.counts[v] > 0)
    .map((v) => `${report.counts[v]} ${v}`)
    .join(", ");
  const lines = [
    `## tilebench gate: ${report.passed ? "PASS" : `FAIL — ${verdict}`}`,
    "",
    runLine("baseline", report.baseline),
    runLine("current", report.current),
    "",
    `${report.cases.length} cases: ${counts || "none"}`,
    "",
  ];
  for (const f of report.failures) lines.push(`> **fail**: ${mdCell(f)}`, "");
  const sp = report.timeSpread;
  if (sp) {
    lines.push(
      `Time: same-code spread σ = ${fmtSig(sp.sigma, 2)} (log time, ${sp.cases} cases, median ` +
        `×${fmtSig(sp.medianRatio)}); a case is slower beyond ×${fmtSig(sp.caseAllowance)} ` +
        `and confirmed by a re-measurement, the whole run beyond ×${fmtSig(sp.runAllowance)}.`,
      "",
    );
    if (sp.unconfirmed.length > 0) {
      const filter = sp.unconfirmed.map(mdCell).join("|");
      lines.push(
        `> ${sp.unconfirmed.length} case(s) measured slower but are not confirmed; re-time them ` +
          `in one job: \`deno task bench --suite ${mdCell(report.current.suite)} --filter ` +
          `'${filter}' --baseline ${mdCell(report.baseline.file ?? "BASELINE.json")}\``,
        "",
      );
    }
  }
  for (const w of report.warnings) lines.push(`> warning: ${mdCell(w)}`, "");
  if (report.cases.length > 0) {
    lines.push(
      "| verdict | case | baseline ms | current ms | ratio | decided by | approx. rel. err | why |",
      "|---|---|---|---|---|---|---|---|",
    );
    for (const c of report.cases) lines.push(row(c));
  }
  return lines.join("\n") + "\n";
}
