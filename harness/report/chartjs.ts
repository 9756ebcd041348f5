/**
 * Chart.js for the self-contained report: the UMD bundle of Chart.js 4 (MIT, see
 * `vendor/chart.js.LICENSE.md`) kept beside this module in `vendor/chart.umd.min.js`, read at
 * render time and inlined into the page. Keeping it in the repository means a benchmark run needs
 * no npm package at all: nothing is installed, online or offline.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** Where the vendored bundle lives, relative to this module. */
export const CHART_JS_BUNDLE_URL: URL = new URL("./vendor/chart.umd.min.js", import.meta.url);

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

let cached: { text: string; path: string } | null = null;

/**
 * The Chart.js UMD bundle as text, and where it was read from ({@link CHART_JS_BUNDLE_URL}).
 * Cached after the first call.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { text, path } = chartJsBundle();
 * assert.match(chartJsVersion(text) ?? "", /^4\./);
 * assert.ok(path.endsWith("chart.umd.min.js"));
 * ```
 */
export function chartJsBundle(): { text: string; path: string } {
  if (cached) return cached;
  const url = CHART_JS_BUNDLE_URL;
  if (url.protocol !== "file:") {
    throw new ChartJsMissingError(
      `Chart.js bundle is not a local file (${url.href}); render reports from a tilebench checkout`,
    );
  }
  const path = fileURLToPath(url);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new ChartJsMissingError(`Chart.js bundle not readable at ${path} (${(e as Error).name})`);
  }
  if (!/Chart\.js v\d/.test(text.slice(0, 200))) {
    throw new ChartJsMissingError(`${path} is not a Chart.js bundle`);
  }
  cached = { text, path };
  return cached;
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
