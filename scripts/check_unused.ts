/**
 * The strict type check of the code: `deno check` with `noUnusedLocals` on, for code only.
 *
 * `deno.json` turns `noUnusedLocals` off because doc tests import every export of their module,
 * and an example uses only some of them. The code itself keeps the rule: this script writes a
 * copy of `deno.json` with the option on (beside it, so every relative path still resolves), runs
 * `deno check` over the code without `--doc`, and removes the copy.
 *
 * Run: `deno run --allow-read --allow-write=. --allow-run=deno scripts/check_unused.ts DIR…`
 * (part of `deno task check`).
 *
 * @module
 */

/**
 * `config` with `compilerOptions.noUnusedLocals` set to true; everything else as it was.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const strict = strictConfig({ compilerOptions: { strict: true, noUnusedLocals: false } });
 * assert.deepEqual(strict, { compilerOptions: { strict: true, noUnusedLocals: true } });
 * ```
 */
export function strictConfig(config: Record<string, unknown>): Record<string, unknown> {
  const options = (config.compilerOptions ?? {}) as Record<string, unknown>;
  return { ...config, compilerOptions: { ...options, noUnusedLocals: true } };
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url);
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const path = new URL(`.deno.strict.${Deno.pid}.json`, root);
  await Deno.writeTextFile(path, JSON.stringify(strictConfig(config)));
  try {
    const { code } = await new Deno.Command("deno", {
      args: ["check", "--quiet", "--config", path.pathname, ...Deno.args],
      cwd: root.pathname,
    }).spawn().status;
    if (code !== 0) console.error("check_unused: unused locals (or other type errors) in the code");
    Deno.exitCode = code;
  } finally {
    await Deno.remove(path);
  }
}
