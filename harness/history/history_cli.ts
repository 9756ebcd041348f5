/**
 * `deno task history`: the runs in the store, and per-case trends across them, in the terminal.
 *
 * @module
 */

import { parseCommandLine, UsageError } from "../cli_args.ts";
import { DEFAULT_STORE } from "./record_cli.ts";
import { openStore, type StoredRun, StoreError, type TrendPoint } from "./store.ts";

const HELP = `tilebench history — list stored runs and per-case trends

usage: deno task history [--store DB] [--case TEXT] [--adapter TEXT] [--suite NAME]
                         [--branch NAME] [--last N]

  --store DB        the store (default: ${DEFAULT_STORE})
  --case TEXT       show the trend of every case whose id contains TEXT
  --adapter TEXT    only runs whose adapter name contains TEXT
  --suite NAME      only runs of this suite
  --branch NAME     only runs recorded on this branch
  --last N          only the last N runs (default 20)
  -h, --help        this help

exit codes: 0 shown, 2 usage or input error`;

const SPARK = "▁▂▃▄▅▆▇█";

/**
 * A one-line chart of `values` (nulls as spaces).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(sparkline([1, 2, null, 3]), "▁▅ █");
 * ```
 */
export function sparkline(values: readonly (number | null)[]): string {
  const xs = values.filter((x): x is number => x !== null);
  if (xs.length === 0) return "";
  const lo = Math.min(...xs), hi = Math.max(...xs);
  return values.map((x) => {
    if (x === null) return " ";
    const f = hi > lo ? (x - lo) / (hi - lo) : 0.5;
    return SPARK[Math.min(SPARK.length - 1, Math.round(f * (SPARK.length - 1)))];
  }).join("");
}

/** `abc1234*` for a dirty tree, `-` when unknown. */
export function shortCommit(commit: string | null, dirty: boolean | null): string {
  return commit ? `${commit.slice(0, 7)}${dirty ? "*" : ""}` : "-";
}

function fmtMs(x: number | null): string {
  if (x === null) return "-";
  return x >= 1 ? `${x.toFixed(3)} ms` : `${(x * 1000).toFixed(2)} µs`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

/**
 * The run list as text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(formatRuns([]), /no runs/);
 * ```
 */
export function formatRuns(runs: readonly StoredRun[]): string {
  if (runs.length === 0) return "no runs in the store match";
  return table([
    ["run", "started", "commit", "branch", "suite", "adapter", "cases", "shard"],
    ...runs.map((r) => [
      String(r.id),
      (r.startedAt ?? "-").slice(0, 16).replace("T", " "),
      shortCommit(r.commit, r.dirty),
      r.branch ?? "-",
      r.suite,
      r.adapter,
      `${r.ok}/${r.cases} ok${r.complete ? "" : " (incomplete)"}`,
      r.shard ?? "",
    ]),
  ]);
}

/**
 * Per-case trends as text: one block per case and adapter, one line per run, with the change
 * from the previous run and a sparkline of the medians.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(formatTrends([]), /no cases/);
 * ```
 */
export function formatTrends(points: readonly TrendPoint[], last = 20): string {
  if (points.length === 0) return "no cases in the store match";
  const groups = new Map<string, TrendPoint[]>();
  for (const p of points) {
    const k = `${p.caseId}\u0000${p.adapter}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  const out: string[] = [];
  for (const all of groups.values()) {
    const ps = all.slice(-last);
    const first = ps[0]!;
    const medians = ps.map((p) => p.batchMedian ?? p.median);
    out.push(`${first.caseId}  [${first.adapter}]  ${sparkline(medians)}`);
    let prev: number | null = null;
    const rows = [["run", "started", "commit", "branch", "median", "95% CI", "batch", "change"]];
    for (const p of ps) {
      const m = p.batchMedian ?? p.median;
      const change = m !== null && prev !== null ? `${((m / prev - 1) * 100).toFixed(1)}%` : "";
      rows.push([
        String(p.runId),
        (p.startedAt ?? "-").slice(0, 16).replace("T", " "),
        shortCommit(p.commit, p.dirty),
        p.branch ?? "-",
        p.status === "ok" ? fmtMs(p.median) : p.status,
        p.ciLo !== null && p.ciHi !== null ? `${fmtMs(p.ciLo)}–${fmtMs(p.ciHi)}` : "-",
        fmtMs(p.batchMedian),
        change.startsWith("-") ? change : change ? `+${change}` : "",
      ]);
      if (m !== null) prev = m;
    }
    out.push(table(rows).split("\n").map((l) => `  ${l}`).join("\n"), "");
  }
  return out.join("\n").trimEnd();
}

/**
 * Runs the history CLI; returns the exit code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordMain } from "./record_cli.ts";
 * const store = `${Deno.makeTempDirSync()}/history.db`;
 * assert.equal(recordMain(["baselines/smoke-llvmpipe.json", "--store", store, "--quiet"]), 0);
 * assert.equal(historyMain(["--store", store]), 0); // lists the stored run
 * assert.equal(historyMain(["--store", store, "--case", "dense"]), 0); // its dense cases' trends
 * ```
 */
export function historyMain(args: string[]): number {
  try {
    const { values: v } = parseCommandLine(
      args,
      {
        store: { type: "string" },
        case: { type: "string" },
        adapter: { type: "string" },
        suite: { type: "string" },
        branch: { type: "string" },
        last: { type: "string" },
      },
      HELP,
    );
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    const last = v.last === undefined ? 20 : Number(v.last);
    if (!Number.isInteger(last) || last < 1) {
      throw new UsageError(`--last must be a whole number ≥ 1, got ${JSON.stringify(v.last)}`);
    }
    const store = openStore(v.store ?? DEFAULT_STORE, { readOnly: true });
    try {
      const q = { suite: v.suite, adapter: v.adapter, branch: v.branch };
      if (v.case !== undefined) {
        console.log(formatTrends(store.trend({ ...q, caseId: v.case }), last));
      } else {
        console.log(formatRuns(store.runs({ ...q, limit: last })));
      }
    } finally {
      store.close();
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof StoreError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
