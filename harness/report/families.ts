/**
 * Kernel families in the report: a stable order and a colour for each, known or not.
 *
 * @module
 */

/**
 * Families the report knows, in display order, with their colours.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(KNOWN_FAMILIES.map((f) => f.name).slice(0, 4), ["dense", "stl", "sparse24", "int4"]);
 * ```
 */
export const KNOWN_FAMILIES: readonly { name: string; color: string }[] = [
  { name: "dense", color: "#4e79a7" },
  { name: "stl", color: "#f28e2b" },
  { name: "sparse24", color: "#59a14f" },
  { name: "int4", color: "#e15759" },
];

/**
 * Colours handed to families the report does not know, in order of their names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(EXTRA_COLORS.every((c) => /^#[0-9a-f]{6}$/.test(c)));
 * assert.ok(!EXTRA_COLORS.some((c) => KNOWN_FAMILIES.some((f) => f.color === c)));
 * ```
 */
export const EXTRA_COLORS: readonly string[] = [
  "#b07aa1",
  "#76b7b2",
  "#edc948",
  "#9c755f",
  "#ff9da7",
  "#7f7f7f",
  "#17becf",
  "#bcbd22",
];

/**
 * Orders the families present in a run (known ones first, in {@link KNOWN_FAMILIES} order, then
 * unknown ones alphabetically) and gives each a colour. Unknown families cycle through
 * {@link EXTRA_COLORS}, so any number of them works.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { familyPalette } from "./families.ts";
 * const p = familyPalette(["int4", "lowrank", "dense"]);
 * assert.equal(p.map((f) => f.name).join(), "dense,int4,lowrank");
 * ```
 */
export function familyPalette(families: Iterable<string>): { name: string; color: string }[] {
  const present = new Set(families);
  const out = KNOWN_FAMILIES.filter((f) => present.has(f.name)).map((f) => ({ ...f }));
  const known = new Set(KNOWN_FAMILIES.map((f) => f.name));
  const unknown = [...present].filter((f) => !known.has(f)).sort();
  unknown.forEach((name, i) => out.push({ name, color: EXTRA_COLORS[i % EXTRA_COLORS.length]! }));
  return out;
}
