/**
 * Which branch a recorded run belongs to: given, from the CI environment, or from git.
 *
 * @module
 */

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The branch to record runs under: `given` when set; else `GITHUB_HEAD_REF` (a pull request's
 * branch) or `GITHUB_REF_NAME` on GitHub Actions; else the checked-out git branch of the current
 * directory; null when none is known (a detached HEAD, no git).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(detectBranch("main"), "main");
 * ```
 */
export function detectBranch(given?: string | null): string | null {
  if (given) return given;
  const ci = env("GITHUB_HEAD_REF") ?? env("GITHUB_REF_NAME");
  if (ci) return ci;
  try {
    const out = new Deno.Command("git", {
      args: ["rev-parse", "--abbrev-ref", "HEAD"],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    const b = new TextDecoder().decode(out.stdout).trim();
    return out.success && b && b !== "HEAD" ? b : null;
  } catch {
    return null;
  }
}
