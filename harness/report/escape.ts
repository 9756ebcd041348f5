/**
 * Escaping for everything user-supplied that ends up in a report: HTML text and attributes,
 * JSON embedded in a `<script>` element, and script text inlined into the page.
 *
 * @module
 */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeHtml } from "./escape.ts";
 * assert.equal(escapeHtml("<img src=x>"), "&lt;img src=x&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * Serialises `value` as JSON that is safe inside `<script type="application/json">`: `<`, `>`
 * and `&` become `\u003c`, `\u003e`, `\u0026` (so no `</script>` or `<!--` can appear), and
 * U+2028/U+2029 are escaped too. `JSON.parse` of the element's text gives `value` back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonForScript } from "./escape.ts";
 * const s = jsonForScript({ label: "</script><script>alert(1)</script>" });
 * assert.ok(!s.includes("<") && JSON.parse(s).label.startsWith("</script>"));
 * ```
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Makes JavaScript source safe to inline in a `<script>` element: any `</script` (any case)
 * becomes `<\/script`, `<!--` becomes `<\!--`, and a trailing `//# sourceMappingURL=` comment is
 * dropped (the map is not shipped with the page).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inlineScript } from "./escape.ts";
 * assert.equal(inlineScript('s = "</script>"'), 's = "<\\/script>"');
 * ```
 */
export function inlineScript(source: string): string {
  return source
    .replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, "\n")
    .replace(/<\/(script)/gi, "<\\/$1")
    .replace(/<!--/g, "<\\!--");
}
