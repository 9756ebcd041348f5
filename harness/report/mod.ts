/**
 * Reports: results.json is the source; summary.md and report.html are rendered from it.
 *
 * @module
 */

export * from "./markdown.ts";
export * from "./html.ts";
