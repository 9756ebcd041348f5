/**
 * Progress on stderr: a live bar on a terminal, plain lines otherwise.
 *
 * @module
 */

import { escapeControl } from "../cli_args.ts";
import type { CaseResult, SentinelFigures } from "../types.ts";

const enc = new TextEncoder();

function fmtMs(ms: number): string {
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(1)} µs`;
}

/**
 * One line describing a finished case.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const r = syntheticResults().results.find((c) => c.status === "ok" && c.family !== "dense")!;
 * assert.match(describeResult(r), /^ok .* TFLOP\/s eff .* GB\/s ×[0-9.]+ vs dense(; back to back .*)?$/);
 * const sentinel = { referenceMs: 1, beforeMs: 1, afterMs: 2, ratio: 2, attempts: 3, flagged: true };
 * const batch = {
 *   median: 0.0123, min: 0.012, p10: 0.012, p90: 0.0125, noise: 0.01, n: 20, dispatchesPerSample: 80,
 *   copies: 5, l2: "rotating" as const, effectiveTflops: 1, executedTflops: 1, gbps: 2000,
 *   speedupVsDense: null, sentinel,
 * };
 * assert.match(
 *   describeResult({ ...r, batch }),
 *   /; back to back 12\.3 µs SUSPECT: the sentinel stayed ×2\.00 off over 3 attempts$/,
 * );
 * assert.equal(describeResult({ ...r, status: "skipped", reason: "needs shader-f16" }), "skipped: needs shader-f16");
 * ```
 */
export function describeResult(r: CaseResult): string {
  if (r.status === "ok" && r.time && r.throughput) {
    const sp = r.speedupVsDense !== null ? ` ×${r.speedupVsDense.toFixed(2)} vs dense` : "";
    const sentinel = describeSentinel(r.time.sentinel);
    return `ok ${fmtMs(r.time.median)} ±${(r.time.noise * 100).toFixed(1)}% ` +
      `${r.throughput.effectiveTflops.toFixed(2)} TFLOP/s eff ${
        r.throughput.gbps.toFixed(0)
      } GB/s${sp}${sentinel}${describeBatch(r.batch)}`;
  }
  return `${r.status}: ${r.reason ?? ""}`;
}

/** What a measurement's sentinel said, for a progress line: nothing when it did not move. */
function describeSentinel(s: SentinelFigures | undefined): string {
  return s?.flagged
    ? ` SUSPECT: the sentinel stayed ×${s.ratio.toFixed(2)} off over ${s.attempts} attempts`
    : s && s.attempts > 1
    ? " (re-measured: the sentinel moved)"
    : "";
}

/** The back-to-back figure of a progress line, with what its sentinel and recheck said. */
function describeBatch(b: CaseResult["batch"]): string {
  if (!b) return "";
  const sentinel = describeSentinel(b.sentinel);
  const twice = b.recheck ? ` (timed twice: first ×${b.recheck.ratio.toFixed(2)} isolated)` : "";
  return `; back to back ${fmtMs(b.median)}${sentinel}${twice}`;
}

/**
 * Reports case progress. On a TTY a single line is redrawn; otherwise one line per case.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const result = syntheticResults().results[0]!;
 * const p = new Progress(1, true); // quiet: nothing is printed
 * p.start(0, result.id);
 * p.done(0, result);
 * p.end();
 * assert.ok(describeResult(result).length > 0);
 * ```
 */
export class Progress {
  #total: number;
  #tty: boolean;
  #quiet: boolean;
  #t0 = performance.now();

  /** Creates a reporter for `total` cases. */
  constructor(total: number, quiet = false) {
    this.#total = total;
    this.#tty = Deno.stderr.isTerminal();
    this.#quiet = quiet;
  }

  #write(text: string): void {
    // Case ids, reasons and adapter names come from suites and drivers: no control characters
    // reach the terminal or a CI log (the tool's own \r, \n and erase sequences are added here).
    if (!this.#quiet) Deno.stderr.writeSync(enc.encode(text));
  }

  /** A plain message line. */
  note(text: string): void {
    if (this.#tty) this.#write("\r\x1b[2K");
    this.#write(`${escapeControl(text, true)}\n`);
  }

  /** Case `index` starts. */
  start(index: number, id: string): void {
    if (!this.#tty) return;
    const width = 24;
    const filled = Math.round((index / Math.max(1, this.#total)) * width);
    const bar = "#".repeat(filled) + ".".repeat(width - filled);
    const elapsed = ((performance.now() - this.#t0) / 1000).toFixed(0);
    this.#write(`\r\x1b[2K[${bar}] ${index}/${this.#total} ${elapsed}s ${escapeControl(id)}`);
  }

  /** Case `index` finished. */
  done(index: number, r: CaseResult): void {
    const line = escapeControl(`[${index + 1}/${this.#total}] ${r.id}: ${describeResult(r)}`);
    if (this.#tty) this.#write(`\r\x1b[2K${line}\n`);
    else this.#write(`${line}\n`);
  }

  /** The run ended. */
  end(): void {
    if (this.#tty) this.#write("\r\x1b[2K");
  }
}
