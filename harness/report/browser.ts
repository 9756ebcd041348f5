/**
 * Headless Chromium for the report: the system's browser (Debian's `chromium`), driven through
 * `playwright-core` — no browser is ever downloaded. Used by the browser tests and by
 * `deno task report --screenshot`.
 *
 * @module
 */

import type { BrowserContext } from "playwright-core";

/**
 * Where Chromium is looked for: `$TILEBENCH_CHROMIUM`, else `/usr/bin/chromium`.
 *
 * @example
 * ```ts ignore
 * console.log(chromiumPath()); // "/usr/bin/chromium"
 * ```
 */
export function chromiumPath(): string {
  return Deno.env.get("TILEBENCH_CHROMIUM") || "/usr/bin/chromium";
}

/**
 * Chromium flags: headless, no sandbox (CI containers run as root), nothing on the network.
 *
 * @example
 * ```ts ignore
 * console.log(CHROMIUM_ARGS.includes("--headless")); // true
 * ```
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Raised when no Chromium executable is found.
 *
 * @example
 * ```ts ignore
 * throw new BrowserMissingError("/usr/bin/chromium");
 * ```
 */
export class BrowserMissingError extends Error {
  /** Creates the error for the path tried. */
  constructor(path: string) {
    super(
      `no Chromium at ${path}: install it (Debian/Ubuntu: apt-get install -y chromium) or point ` +
        `TILEBENCH_CHROMIUM at a Chromium/Chrome executable`,
    );
    this.name = "BrowserMissingError";
  }
}

/**
 * A headless browser context and how to close it (which also deletes its profile).
 *
 * @example
 * ```ts ignore
 * const b: HeadlessBrowser = await launchChromium();
 * await b.close();
 * ```
 */
export interface HeadlessBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches the system Chromium headless with a fresh, temporary `--user-data-dir`.
 *
 * @example
 * ```ts ignore
 * const b = await launchChromium();
 * const page = await b.context.newPage();
 * await page.goto("file:///tmp/report.html");
 * await b.close();
 * ```
 */
export async function launchChromium(
  viewport: { width: number; height: number } = { width: 1400, height: 1000 },
): Promise<HeadlessBrowser> {
  const path = chromiumPath();
  try {
    if (!Deno.statSync(path).isFile) throw new BrowserMissingError(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new BrowserMissingError(path);
    throw e;
  }
  // playwright-core probes /proc/sys/fs/binfmt_misc/WSLInterop when it loads (its bundled
  // `is-wsl`), which Deno allows only under --allow-all; this variable (is-wsl's own test hook)
  // defers the probe; only its URL-opening helper (unused here) would read the result.
  if (!Deno.env.get("__IS_WSL_TEST__")) Deno.env.set("__IS_WSL_TEST__", "1");
  const { chromium } = await import("playwright-core");
  const profile = Deno.makeTempDirSync({ prefix: "tilebench-chromium-" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: path,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport,
    offline: true,
  });
  return {
    context,
    async close() {
      try {
        await context.close();
      } finally {
        Deno.removeSync(profile, { recursive: true });
      }
    },
  };
}

/**
 * Opens a report file in headless Chromium, waits until its script has drawn everything, and
 * saves a PNG of the page (the top `height` pixels, or the full page).
 *
 * @example
 * ```ts ignore
 * await screenshotReport("reports/x/report.html", "docs/report.png");
 * ```
 */
export async function screenshotReport(
  htmlPath: string,
  pngPath: string,
  opts: { width?: number; height?: number; fullPage?: boolean } = {},
): Promise<void> {
  const b = await launchChromium({ width: opts.width ?? 1400, height: opts.height ?? 1800 });
  try {
    const page = await b.context.newPage();
    const url = new URL(`file://${await Deno.realPath(htmlPath)}`).href;
    await page.goto(url);
    await page.waitForFunction('document.documentElement.dataset.ready === "true"', null, {
      timeout: 60_000,
    });
    await page.screenshot({ path: pngPath, fullPage: opts.fullPage ?? false });
  } finally {
    await b.close();
  }
}
