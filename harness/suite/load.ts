/**
 * Loading suites by built-in name or path (JSON files or TS modules with a default export).
 *
 * @module
 */

import { jsonSyntaxProblem } from "../types.ts";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { KernelDescriptor } from "../kernel.ts";
import { DEFAULT_MAX_CASES, type Suite, SuiteError, type SuiteInput } from "./schema.ts";
import { validateSuite } from "./validate.ts";

/** Directory of the built-in suites (the ones `--suite NAME` finds). */
export const BUILTIN_SUITES_DIR: string = fileURLToPath(new URL("../../suites/", import.meta.url));

/**
 * Directory of the experiment suites: tuning sweeps and probes, run by path
 * (`--suite experiments/suites/NAME.json`), never by name.
 */
export const EXPERIMENT_SUITES_DIR: string = fileURLToPath(
  new URL("../../experiments/suites/", import.meta.url),
);

/** Suite names in a directory (file names with `_` shown as `-`), sorted. */
function listSuitesIn(dir: string): string[] {
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) {
      const m = entry.name.match(/^([a-z0-9_]+)\.(json|ts)$/);
      if (entry.isFile && m) names.push(m[1]!.replaceAll("_", "-"));
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names.sort();
}

/**
 * Names of the built-in suites (file names in `suites/` with `_` shown as `-`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(listBuiltinSuites().includes("smoke"));
 * ```
 */
export function listBuiltinSuites(): string[] {
  return listSuitesIn(BUILTIN_SUITES_DIR);
}

/**
 * Paths of the experiment suites in `experiments/suites/`, relative to the repository root, as
 * `--suite` takes them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(listExperimentSuites().every((p) => p.startsWith("experiments/suites/")));
 * ```
 */
export function listExperimentSuites(): string[] {
  const files: string[] = [];
  try {
    for (const entry of Deno.readDirSync(EXPERIMENT_SUITES_DIR)) {
      if (entry.isFile && /^[a-z0-9_]+\.(json|ts)$/.test(entry.name)) {
        files.push(`experiments/suites/${entry.name}`);
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return files.sort();
}

function builtinPath(name: string): string | null {
  const base = name.replaceAll("-", "_");
  for (const ext of ["json", "ts"]) {
    const p = join(BUILTIN_SUITES_DIR, `${base}.${ext}`);
    try {
      if (Deno.statSync(p).isFile) return p;
    } catch { /* not this one */ }
  }
  return null;
}

/** Path shown in messages: relative to the working directory when shorter. */
function displayPath(p: string): string {
  const rel = relative(Deno.cwd(), p);
  return rel.length < p.length && !rel.startsWith("..") ? rel : p;
}

/**
 * Resolves `--suite` (a built-in name or a path) to a file path, or throws SuiteError listing
 * the built-in names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(resolveSuitePath("smoke").endsWith("smoke.json"));
 * ```
 */
export function resolveSuitePath(nameOrPath: string): string {
  if (/[/\\]|\.(json|ts)$/.test(nameOrPath)) {
    const p = isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
    try {
      if (Deno.statSync(p).isFile) return p;
    } catch { /* fall through */ }
    throw new SuiteError(nameOrPath, "", "file not found");
  }
  const p = builtinPath(nameOrPath);
  if (p) return p;
  if (listSuitesIn(EXPERIMENT_SUITES_DIR).includes(nameOrPath)) {
    throw new SuiteError(
      "--suite",
      "",
      `${JSON.stringify(nameOrPath)} is an experiment, run by path: --suite experiments/suites/${
        nameOrPath.replaceAll("-", "_")
      }.json`,
    );
  }
  throw new SuiteError(
    "--suite",
    "",
    `unknown suite ${JSON.stringify(nameOrPath)}; built-in suites: ${
      listBuiltinSuites().join(", ")
    } (or give a path to a .json or .ts file)`,
  );
}

/** The first line of an error's message (a thrown non-Error is shown as a string). */
function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split("\n")[0]!.trim().slice(0, 300);
}

/**
 * Loads, parses and validates a suite. JSON syntax errors and validation errors become
 * SuiteError naming the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinKernels } from "../../kernels/mod.ts";
 * const suite = await loadSuite("smoke", builtinKernels);
 * assert.equal(suite.name, "smoke");
 * assert.ok(suite.source?.endsWith("smoke.json"));
 * ```
 */
export async function loadSuite(
  nameOrPath: string,
  registry: readonly KernelDescriptor[],
  maxCases: number = DEFAULT_MAX_CASES,
): Promise<Suite> {
  const path = resolveSuitePath(nameOrPath);
  const shown = displayPath(path);
  let input: unknown;
  if (path.endsWith(".ts") || path.endsWith(".js")) {
    let mod: { default?: unknown };
    try {
      mod = await import(pathToFileURL(path).href);
    } catch (e) {
      throw new SuiteError(shown, "", `cannot import module: ${firstLine(e)}`);
    }
    if (mod.default === undefined) {
      throw new SuiteError(shown, "", "module has no default export (the suite object)");
    }
    try {
      // A suite is data: taking a plain copy runs its getters (and whatever else computes it)
      // here, where what they throw becomes one line naming the file.
      input = JSON.parse(JSON.stringify(mod.default));
    } catch (e) {
      throw new SuiteError(shown, "", `the default export threw: ${firstLine(e)}`);
    }
  } else {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      throw new SuiteError(shown, "", `cannot read: ${(e as Error).message}`);
    }
    try {
      input = JSON.parse(text);
    } catch (e) {
      throw new SuiteError(shown, "", jsonSyntaxProblem(e, text));
    }
  }
  const suite = validateSuite(input, shown, registry, maxCases);
  return { ...suite, source: shown, baseDir: dirname(path) };
}

/**
 * Types a suite written in TypeScript (identity function for editor help).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * // in mine.ts: export default defineSuite({ ... }); then --suite mine.ts
 * const suite = defineSuite({
 *   name: "mine", seed: 1, shapes: [{ m: 64, k: 64, n: 64 }], kernels: [{ kernel: "dense" }],
 * });
 * assert.equal(suite.name, "mine");
 * ```
 */
export function defineSuite(suite: SuiteInput): SuiteInput {
  return suite;
}
