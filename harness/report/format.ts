/**
 * Number and shape formatting shared by the markdown and HTML reports.
 *
 * @module
 */

import type { CaseResult, Shape } from "../types.ts";

/**
 * Formats a number with `digits` significant digits; `–` for null, undefined and non-finite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fmtNum } from "./format.ts";
 * assert.ok(fmtNum(3.14159) === "3.14" && fmtNum(null) === "–");
 * ```
 */
export function fmtNum(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

/**
 * Formats a fraction as a signed percentage, e.g. `+4.2%`; `–` when missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fmtPct } from "./format.ts";
 * assert.ok(fmtPct(0.042) === "+4.2%" && fmtPct(-0.5) === "-50.0%");
 * ```
 */
export function fmtPct(v: number | null | undefined, signed = true): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  return `${signed && v > 0 ? "+" : ""}${(v * 100).toFixed(1)}%`;
}

/**
 * `M×K×N` of a shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shapeDims } from "./format.ts";
 * assert.equal(shapeDims({ m: 1, k: 2, n: 3 }), "1×2×3");
 * ```
 */
export function shapeDims(s: Shape): string {
  return `${s.m}×${s.k}×${s.n}`;
}

/**
 * The key that groups cases into one "shape" of the report: dimensions, label and dtype (speedups
 * are relative to the dense case of the same dimensions and dtype).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = { shape: { m: 2048, k: 2048, n: 5632, label: "tinyllama.mlp.up" }, dtype: "f32" as const };
 * assert.equal(groupKey(r), "2048x2048x5632@tinyllama.mlp.up/f32");
 * ```
 */
export function groupKey(r: Pick<CaseResult, "shape" | "dtype">): string {
  const s = r.shape;
  return `${s.m}x${s.k}x${s.n}${s.label ? `@${s.label}` : ""}/${r.dtype}`;
}

/**
 * Human title of a group: `M×K×N label · dtype`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = { shape: { m: 2048, k: 2048, n: 5632, label: "tinyllama.mlp.up" }, dtype: "f32" as const };
 * assert.equal(groupTitle(r), "2048×2048×5632 tinyllama.mlp.up · f32");
 * ```
 */
export function groupTitle(r: Pick<CaseResult, "shape" | "dtype">): string {
  return `${shapeDims(r.shape)}${r.shape.label ? ` ${r.shape.label}` : ""} · ${r.dtype}`;
}

/**
 * The sentence on cases timed while the measurement sentinel had moved (the device ran at
 * another speed for the whole case, or for its back-to-back timing, re-measurements included):
 * their times are suspect. Null when there are none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CaseResult } from "../types.ts";
 * const r = { id: "a", time: { sentinel: { ratio: 3.2, attempts: 3, flagged: true } } };
 * assert.match(suspectTimesNote([r as unknown as CaseResult])!, /1 case\(s\) .*a \(sentinel ×3\.2\)/);
 * const b = { id: "b", time: {}, batch: { sentinel: { ratio: 4.1, attempts: 3, flagged: true } } };
 * assert.match(suspectTimesNote([b as unknown as CaseResult])!, /b \(back to back, sentinel ×4\.1\)/);
 * // a case flagged both ways is one case
 * const both = { ...r, batch: b.batch } as unknown as CaseResult;
 * assert.match(suspectTimesNote([both])!, /while 1 case\(s\) were timed/);
 * assert.equal(suspectTimesNote([]), null);
 * ```
 */
export function suspectTimesNote(results: readonly CaseResult[]): string | null {
  const flagged = results.flatMap((r) => {
    const out: { id: string; text: string }[] = [];
    const s = r.time?.sentinel;
    if (s?.flagged) out.push({ id: r.id, text: `${r.id} (sentinel ×${fmtNum(s.ratio)})` });
    const b = r.batch?.sentinel;
    if (b?.flagged) {
      out.push({ id: r.id, text: `${r.id} (back to back, sentinel ×${fmtNum(b.ratio)})` });
    }
    return out;
  });
  if (flagged.length === 0) return null;
  const list = flagged.slice(0, 10).map((f) => f.text).join(", ");
  const cases = new Set(flagged.map((f) => f.id)).size;
  return `Suspect times: the device's speed moved while ${cases} case(s) were timed ` +
    `(the sentinel, a reference workload timed before and after each case, stayed off after ` +
    `every re-measurement): ${list}${flagged.length > 10 ? ", …" : ""}. Re-run them.`;
}
