/**
 * Chart.js for the self-contained report: the UMD bundle's text from the `chart.js` npm package
 * (declared in deno.json and locked in deno.lock), read at render time and inlined into the page.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/**
 * Never called: its literal dynamic import puts `chart.js` into Deno's module graph, so Deno
 * installs it (into `node_modules/` with `"nodeModulesDir": "auto"`, or the global npm cache)
 * whenever a module that imports this one runs — from any working directory.
 *
 * @example
 * ```ts ignore
 * const { Chart } = await chartJsModule();
 * ```
 */
export function chartJsModule(): Promise<unknown> {
  return import("chart.js");
}

/**
 * The npm specifier used when `chart.js` is not in the import map (this module imported by path
 * from a script outside the tilebench checkout, so tilebench's deno.json does not apply). Keep
 * it in step with deno.json's `imports` (a test checks).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const config = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));
 * assert.equal(CHART_JS_FALLBACK, config.imports["chart.js"]); // the version deno.json pins
 * ```
 */
export const CHART_JS_FALLBACK = "npm:chart.js@^4.6.1";

/**
 * Never called: like {@link chartJsModule}, for {@link CHART_JS_FALLBACK} (Deno's cache).
 *
 * @example
 * ```ts ignore
 * const { Chart } = await chartJsFallbackModule();
 * ```
 */
export function chartJsFallbackModule(): Promise<unknown> {
  // deno-lint-ignore no-import-prefix -- deliberate: the fallback when deno.json does not apply
  return import("npm:chart.js@^4.6.1");
}

/**
 * Raised when the Chart.js bundle cannot be found or read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = new ChartJsMissingError("Chart.js bundle not found");
 * assert.equal(e.name, "ChartJsMissingError");
 * assert.equal(e.message, "Chart.js bundle not found");
 * ```
 */
export class ChartJsMissingError extends Error {
  /** Creates the error with the paths tried. */
  constructor(message: string) {
    super(message);
    this.name = "ChartJsMissingError";
  }
}

const BUNDLES = ["chart.umd.min.js", "chart.umd.js"];
let cached: { text: string; path: string } | null = null;

/**
 * The Chart.js UMD bundle (`dist/chart.umd.min.js`) as text, and where it was read from.
 *
 * The package's ESM entry is resolved through this module's import map
 * (`import.meta.resolve("chart.js")`, a file URL inside `node_modules/` or Deno's npm cache, not
 * the working directory; {@link CHART_JS_FALLBACK} when the import map does not apply), and the
 * bundle is read from the same `dist/` folder. Cached after the first call.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { text, path } = chartJsBundle(); // from node_modules/ or Deno's npm cache
 * assert.match(chartJsVersion(text) ?? "", /^4\./);
 * assert.ok(path.endsWith(".js"));
 * ```
 */
export function chartJsBundle(): { text: string; path: string } {
  if (cached) return cached;
  const entries: string[] = [];
  const errors: string[] = [];
  for (const spec of ["chart.js", CHART_JS_FALLBACK]) {
    try {
      entries.push(import.meta.resolve(spec));
    } catch (e) {
      errors.push(`${spec}: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  if (!entries.length) {
    throw new ChartJsMissingError(
      `cannot resolve the "chart.js" package (${errors.join("; ")}); ` +
        `run \`deno install\` in the tilebench checkout`,
    );
  }
  const tried: string[] = [];
  for (const entry of entries) {
    if (!entry.startsWith("file:")) {
      tried.push(entry);
      continue;
    }
    for (const name of BUNDLES) {
      const path = fileURLToPath(new URL(name, entry));
      if (tried.includes(path)) continue;
      tried.push(path);
      try {
        const text = Deno.readTextFileSync(path);
        if (/Chart\.js v\d/.test(text.slice(0, 200))) {
          cached = { text, path };
          return cached;
        }
      } catch { /* try the next candidate */ }
    }
  }
  throw new ChartJsMissingError(
    `Chart.js bundle not found (tried ${tried.join(", ")}); ` +
      `run \`deno install\` in the tilebench checkout to fetch the npm packages`,
  );
}

/**
 * The version in the bundle's banner, e.g. `4.6.1`, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(chartJsVersion("/*!\n * Chart.js v4.6.1\n * https://www.chartjs.org\n"), "4.6.1");
 * assert.equal(chartJsVersion("not a bundle"), null);
 * ```
 */
export function chartJsVersion(bundle: string): string | null {
  return /Chart\.js v(\d+\.\d+\.\d+)/.exec(bundle.slice(0, 200))?.[1] ?? null;
}
