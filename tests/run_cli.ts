/**
 * Runs one of tilebench's command lines in a child Deno process, with the permissions its task
 * grants, and collects its exit code and output.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The repository root (where deno.json lives). */
export const ROOT: string = fileURLToPath(new URL("../", import.meta.url));

/** The permissions the bench and report tasks run with (deno.json). */
const PERMS = ["--allow-read", "--allow-write", "--allow-env", "--allow-run", "--allow-sys"];

/** What a command line printed and how it exited. */
export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `main` (a path relative to the repository root) with `args` from `cwd` (default: the
 * root). `GITHUB_STEP_SUMMARY` is cleared so that no test appends to the CI job's summary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = await runCli("harness/run/main.ts", ["--list"]);
 * assert.equal(r.code, 0);
 * assert.match(r.stdout, /^suites: .*smoke/m);
 * ```
 */
export async function runCli(
  main: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliOutput> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMS, `${ROOT}${main}`, ...args],
    cwd: options.cwd ?? ROOT,
    env: { GITHUB_STEP_SUMMARY: "", ...options.env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
