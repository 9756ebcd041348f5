/**
 * Headless Chromium for the report: the system's browser (Debian's `chromium`), driven through
 * `playwright-core` — no browser is ever downloaded. Used by the browser tests and by
 * `deno task report --screenshot`.
 *
 * @module
 */

import { createRequire } from "node:module";
import { join } from "node:path";

/**
 * Where Chromium is looked for: `$TILEBENCH_CHROMIUM`, else `/usr/bin/chromium`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = chromiumPath(); // "/usr/bin/chromium" unless TILEBENCH_CHROMIUM is set
 * assert.equal(p, Deno.env.get("TILEBENCH_CHROMIUM") || "/usr/bin/chromium");
 * ```
 */
export function chromiumPath(): string {
  return Deno.env.get("TILEBENCH_CHROMIUM") || "/usr/bin/chromium";
}

/**
 * Chromium flags: headless, no sandbox (CI containers run as root), nothing on the network.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(CHROMIUM_ARGS.includes("--headless"));
 * assert.ok(CHROMIUM_ARGS.includes("--disable-background-networking"));
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
 * ```ts
 * import assert from "node:assert/strict";
 * const e = new BrowserMissingError("/opt/none/chromium");
 * assert.equal(e.name, "BrowserMissingError");
 * assert.match(e.message, /^no Chromium at \/opt\/none\/chromium: .*TILEBENCH_CHROMIUM/);
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
  /** The browser context pages open in. */
  context: BrowserContext;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/**
 * The parts of a playwright-core page the report helpers and tests use. Declared here rather
 * than imported, so that playwright-core stays out of the module graph and of deno.lock (see
 * {@link loadPlaywright}).
 */
export interface BrowserPage {
  /** Opens a URL. */
  goto(url: string): Promise<unknown>;
  /** Evaluates an expression (or function) in the page and returns its value. */
  evaluate<R = unknown>(expression: string | (() => R)): Promise<R>;
  /** Waits until `expression` is truthy in the page. */
  waitForFunction(
    expression: string,
    arg?: unknown,
    options?: { timeout?: number },
  ): Promise<unknown>;
  /** Saves a PNG of the viewport (or the full page). */
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  /** Resizes the viewport. */
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  /** Emulates a colour scheme (`prefers-color-scheme`). */
  emulateMedia(options: { colorScheme?: "light" | "dark" | "no-preference" | null }): Promise<void>;
  /** Clicks the first element matching `selector`. */
  click(selector: string, options?: Record<string, unknown>): Promise<void>;
  /** Types `value` into an input. */
  fill(selector: string, value: string): Promise<void>;
  /** Chooses an option of a `<select>`. */
  selectOption(
    selector: string,
    values: string | string[] | { index?: number; value?: string; label?: string },
  ): Promise<string[]>;
  /** The text of the first element matching `selector`. */
  textContent(selector: string): Promise<string | null>;
  /** An attribute of the first element matching `selector`. */
  getAttribute(selector: string, name: string): Promise<string | null>;
  /** Whether the first element matching `selector` is visible. */
  isVisible(selector: string): Promise<boolean>;
  /** The page title. */
  title(): Promise<string>;
  /** Waits `ms` milliseconds. */
  waitForTimeout(ms: number): Promise<void>;
  /** Listens to a page event. */
  on(event: "console", listener: (m: { type(): string; text(): string }) => void): unknown;
  /** Listens to a page event. */
  on(event: "pageerror", listener: (e: Error) => void): unknown;
  /** Listens to a page event. */
  on(
    event: "dialog",
    listener: (d: { message(): string; dismiss(): Promise<void> }) => void,
  ): unknown;
  /** Listens to a page event. */
  on(event: "request", listener: (r: { url(): string }) => void): unknown;
}

/** The parts of a playwright-core browser context the helpers use (see {@link BrowserPage}). */
export interface BrowserContext {
  /** Opens a page. */
  newPage(): Promise<BrowserPage>;
  /** Closes the context and its pages. */
  close(): Promise<void>;
}

/** What {@link loadPlaywright} gives: Chromium's launcher, as far as the helpers use it. */
export interface PlaywrightModule {
  /** The Chromium launcher. */
  chromium: {
    /** Starts Chromium with a profile directory. */
    launchPersistentContext(
      userDataDir: string,
      options: Record<string, unknown>,
    ): Promise<unknown>;
  };
}

/**
 * The npm package the browser helpers load, on demand (see {@link loadPlaywright}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(PLAYWRIGHT_SPECIFIER, /^npm:playwright-core@\^1\./);
 * ```
 */
export const PLAYWRIGHT_SPECIFIER = "npm:playwright-core@^1.65.1";

function decode(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** `[major, minor, patch]` of `x.y.z`, or null. */
function semver(v: string): [number, number, number] | null {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/**
 * Fetches {@link PLAYWRIGHT_SPECIFIER} into Deno's global npm cache with a separate
 * `deno cache --no-config --no-lock` (so the project's deno.lock and node_modules/ never list it)
 * and returns the directory of the newest cached version it allows.
 */
async function cachedPlaywrightDir(): Promise<string> {
  const cwd = Deno.makeTempDirSync({ prefix: "tilebench-playwright-" });
  try {
    // `deno` from PATH first: the name tasks grant with --allow-run (Deno.execPath() may be the
    // target of a symlink on PATH, another path to the permission check).
    const run = async (args: string[]) => {
      const opts = { args, cwd, stdout: "piped", stderr: "piped" } as const;
      try {
        return await new Deno.Command("deno", opts).output();
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
        return await new Deno.Command(Deno.execPath(), opts).output();
      }
    };
    const cached = await run([
      "cache",
      "--no-config",
      "--no-lock",
      "--node-modules-dir=none",
      PLAYWRIGHT_SPECIFIER,
    ]);
    if (!cached.success) {
      throw new Error(
        `cannot fetch ${PLAYWRIGHT_SPECIFIER} (needed for screenshots and browser tests): ${
          decode(cached.stderr).trim()
        }; or point TILEBENCH_PLAYWRIGHT_DIR at an installed playwright-core`,
      );
    }
    const info = JSON.parse(decode((await run(["info", "--json", "--no-config"])).stdout));
    const base = join(String(info.npmCache), "registry.npmjs.org", "playwright-core");
    const [major, minor, patch] = semver(PLAYWRIGHT_SPECIFIER.split("^")[1]!)!;
    const versions = [...Deno.readDirSync(base)]
      .map((e) => ({ name: e.name, v: semver(e.name) }))
      .filter((x): x is { name: string; v: [number, number, number] } =>
        x.v !== null && x.v[0] === major &&
        (x.v[1] > minor || (x.v[1] === minor && x.v[2] >= patch))
      )
      .sort((a, b) => b.v[1] - a.v[1] || b.v[2] - a.v[2]);
    if (versions.length === 0) throw new Error(`no ${PLAYWRIGHT_SPECIFIER} in ${base}`);
    return join(base, versions[0]!.name);
  } finally {
    Deno.removeSync(cwd, { recursive: true });
  }
}

/**
 * Loads `playwright-core` when a screenshot or a browser test asks for it, never before: it is
 * not in deno.json's import map, and it is fetched (once, into Deno's global npm cache) by a
 * separate `deno cache --no-lock` and loaded from there with `require`, so neither deno.lock nor
 * `node_modules/` lists it and a benchmark run installs only Chart.js.
 * `TILEBENCH_PLAYWRIGHT_DIR` may point at an installed playwright-core instead (offline use).
 *
 * @example
 * ```ts ignore
 * const { chromium } = await loadPlaywright();
 * ```
 */
export async function loadPlaywright(): Promise<PlaywrightModule> {
  const dir = Deno.env.get("TILEBENCH_PLAYWRIGHT_DIR") || await cachedPlaywrightDir();
  const require = createRequire(join(dir, "package.json"));
  return require(dir) as PlaywrightModule;
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
  const { chromium } = await loadPlaywright();
  const profile = Deno.makeTempDirSync({ prefix: "tilebench-chromium-" });
  const context = (await chromium.launchPersistentContext(profile, {
    executablePath: path,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport,
    offline: true,
  })) as BrowserContext;
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
