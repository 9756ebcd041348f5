/**
 * The report's overview under the header: the best case per shape within the accuracy budget,
 * and the fast_p aggregate. Rendered as static HTML (it needs no script).
 *
 * @module
 */

import { escapeHtml as e } from "./escape.ts";
import { fmtNum } from "./format.ts";
import type { ReportModel } from "./model.ts";

/**
 * The overview HTML of `model`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const html = renderOverview({ cases: [], groups: [], accuracyBudget: 0.1, fastP: [] } as never);
 * assert.match(html, /accuracy budget/);
 * ```
 */
export function renderOverview(model: ReportModel): string {
  const { cases, groups } = model;
  const budget = fmtNum(model.accuracyBudget, 2);
  const rows = groups.map((g) => {
    const best = g.best !== null ? cases[g.best]! : null;
    const over = g.fastestOverBudget !== null ? cases[g.fastestOverBudget]! : null;
    const overText = over
      ? `<span class="muted">faster, over budget: <code>${e(over.id)}</code> ${
        e(fmtNum(over.speedup))
      }× at error ${e(fmtNum(over.approx, 2))}</span>`
      : "";
    if (!best) {
      return `<tr><td>${e(g.title)}</td><td colspan="4">${
        g.cases.some((i) => cases[i]!.ms !== null) ? "none within budget" : "no ok case"
      }</td><td>${overText}</td></tr>`;
    }
    return `<tr><td>${e(g.title)}</td><td><code>${e(best.id)}</code></td><td class="num">${
      e(fmtNum(best.ms))
    } ms</td><td class="num">${e(fmtNum(best.speedup))}×</td><td class="num">${
      e(fmtNum(best.approx, 2))
    }</td><td>${overText}</td></tr>`;
  }).join("");
  const fp = model.fastP;
  const fastTable = fp.length && fp[0]!.total > 0
    ? `<h3>fast_p</h3><p class="note">Share of the ${
      fp[0]!.total
    } non-dense cases that are correct, within the budget and at least p× as fast as dense (the ` +
      `back-to-back speedup where a case has one; failed and skipped cases count as not fast).</p>` +
      `<table class="overview"><tr>${
        fp.map((f) => `<th>p = ${e(String(f.p))}</th>`).join("")
      }</tr><tr>${
        fp.map((f) =>
          `<td class="num">${
            e(fmtNum(f.share * 100, 3))
          }% <span class="muted">(${f.count})</span></td>`
        ).join("")
      }</tr></table>`
    : "";
  return `<section id="overview"><h2>Best per shape</h2><p class="note">The fastest case per ` +
    `shape that is correct and within the accuracy budget (approximation error ≤ ${
      e(budget)
    }; <code>deno task report --accuracy-budget E</code> changes it). A faster case over the ` +
    `budget is named beside it.</p><table class="overview"><tr><th>shape</th><th>fastest within ` +
    `budget</th><th>median</th><th>× dense</th><th>approx. rel. err</th><th></th></tr>${rows}` +
    `</table>${fastTable}</section>`;
}
