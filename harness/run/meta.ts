/**
 * Run metadata: tool, runtime, OS, adapter, features, limits.
 *
 * @module
 */

import denoJson from "../../deno.json" with { type: "json" };
import type { GpuContext } from "../gpu/adapter.ts";
import type { Suite } from "../suite/schema.ts";
import type { Peaks, RunMeta } from "../types.ts";

/** This tool's version (from deno.json). */
export const TOOL_VERSION: string = denoJson.version;

/**
 * The git commit of the tilebench checkout, or null when git or the permission is missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = gitCommit(); // null outside a git checkout
 * assert.ok(c === null || /^[0-9a-f]{40}$/.test(c));
 * ```
 */
export function gitCommit(): string | null {
  try {
    const dir = new URL("../../", import.meta.url).pathname;
    const out = new Deno.Command("git", {
      args: ["-C", dir, "rev-parse", "HEAD"],
      stdout: "piped",
      stderr: "null",
    })
      .outputSync();
    if (!out.success) return null;
    const sha = new TextDecoder().decode(out.stdout).trim();
    return /^[0-9a-f]{40}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}

/**
 * Whether the tilebench checkout has uncommitted changes to tracked files (`git status
 * --porcelain --untracked-files=no` not empty), or null when git or the permission is missing. A
 * run from a dirty tree is not the code of `commit` alone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const d = gitDirty(); // null outside a git checkout
 * assert.ok(d === null || typeof d === "boolean");
 * ```
 */
export function gitDirty(): boolean | null {
  try {
    const dir = new URL("../../", import.meta.url).pathname;
    const out = new Deno.Command("git", {
      args: ["-C", dir, "status", "--porcelain", "--untracked-files=no"],
      stdout: "piped",
      stderr: "null",
    })
      .outputSync();
    if (!out.success) return null;
    return new TextDecoder().decode(out.stdout).trim().length > 0;
  } catch {
    return null;
  }
}

function hostname(): string | null {
  try {
    return Deno.hostname();
  } catch {
    return null;
  }
}

/** The build stamp of the bench bundle this process runs, when it runs one (see `useBundleStamp`). */
let bundleStamp: { commit: string | null; dirty: boolean | null } | null = null;

/**
 * Records that this process runs a bench bundle built from `stamp`: `meta.tool` then names the
 * commit the bundle's code was built from (with `bundle: true`), not the checkout it runs in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * useBundleStamp(null); // running from source: meta.tool names the checkout
 * assert.equal(toolMeta().bundle, undefined);
 * ```
 */
export function useBundleStamp(stamp: { commit: string | null; dirty: boolean | null } | null) {
  bundleStamp = stamp;
}

/**
 * `meta.tool`: name, version, and the commit of the code that runs (the bundle's build commit when
 * `useBundleStamp` recorded one, else the checkout's) with its dirty flag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const a = "a".repeat(40);
 * useBundleStamp({ commit: a, dirty: false });
 * assert.deepEqual(toolMeta(), { name: "tilebench", version: toolMeta().version, commit: a, dirty: false, bundle: true });
 * useBundleStamp(null);
 * ```
 */
export function toolMeta(): RunMeta["tool"] {
  if (bundleStamp) {
    const { commit, dirty } = bundleStamp;
    return { name: "tilebench", version: TOOL_VERSION, commit, dirty, bundle: true };
  }
  return { name: "tilebench", version: TOOL_VERSION, commit: gitCommit(), dirty: gitDirty() };
}

/**
 * Builds the metadata of a run that starts now.
 *
 * @example
 * ```ts ignore
 * const meta = buildMeta(gpu, suite, null, peaks);
 * ```
 */
export function buildMeta(
  gpu: GpuContext,
  suite: Suite,
  filter: string | null,
  peaks: Peaks | null,
): RunMeta {
  return {
    tool: toolMeta(),
    deno: { deno: Deno.version.deno, v8: Deno.version.v8, typescript: Deno.version.typescript },
    os: { os: Deno.build.os, arch: Deno.build.arch, hostname: hostname() },
    adapter: gpu.info,
    powerPreference: gpu.choice,
    features: [...gpu.features].sort(),
    limits: gpu.limits,
    suite: suite.name,
    suiteFile: suite.source,
    seed: suite.seed,
    filter,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    complete: false,
    interrupted: false,
    peaks,
    measure: { ...suite.measure, referenceBudget: suite.referenceBudget },
    ...(Object.keys(suite.gate).length > 0 ? { gate: suite.gate } : {}),
  };
}
