/**
 * The environment WebGPU runs in: a private runtime directory when `XDG_RUNTIME_DIR` is unset
 * (Mesa's window-system probing otherwise prints "XDG_RUNTIME_DIR is invalid or not set" at
 * adapter creation), and which graphics backend the adapter most likely runs on. Without a
 * Vulkan driver, Deno's WebGPU falls back to OpenGL: no `shader-f16`, other limits, other
 * timings, and nothing in the adapter's info says so.
 *
 * @module
 */

import type { AdapterMeta } from "../types.ts";

/**
 * Gives the process a private runtime directory (mode 700) when `XDG_RUNTIME_DIR` is unset or
 * not a directory; must run before the first `navigator.gpu.requestAdapter`. Returns the
 * directory set, or null when the existing one was kept (or the environment cannot be written).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const before = Deno.env.get("XDG_RUNTIME_DIR");
 * Deno.env.delete("XDG_RUNTIME_DIR");
 * const dir = ensureRuntimeDir();
 * assert.ok(dir && Deno.statSync(dir).isDirectory);
 * assert.equal(Deno.env.get("XDG_RUNTIME_DIR"), dir);
 * assert.equal(ensureRuntimeDir(), null); // already set
 * if (before) Deno.env.set("XDG_RUNTIME_DIR", before);
 * ```
 */
export function ensureRuntimeDir(): string | null {
  try {
    const current = Deno.env.get("XDG_RUNTIME_DIR");
    if (current) {
      try {
        if (Deno.statSync(current).isDirectory) return null;
      } catch { /* missing: replace it */ }
    }
    const dir = Deno.makeTempDirSync({ prefix: "tilebench-xdg-" });
    if (Deno.build.os !== "windows") Deno.chmodSync(dir, 0o700);
    Deno.env.set("XDG_RUNTIME_DIR", dir);
    return dir;
  } catch {
    return null; // no --allow-env / --allow-write: leave the environment as it is
  }
}

/**
 * The backend guess with its evidence (`meta.adapter.backend` in results.json).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const b: Backend = { guess: "gl", evidence: "no Vulkan driver manifest found" };
 * assert.ok(b.evidence.length > 0); // a guess always says what it rests on
 * ```
 */
export type Backend = NonNullable<AdapterMeta["backend"]>;

/**
 * The run asked for Vulkan (`--require-adapter vulkan`) and got the GL fallback (exit code 2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = new BackendRefusedError("no Vulkan driver manifest (ICD) found");
 * assert.ok(e instanceof Error);
 * assert.match(e.message, /no Vulkan driver manifest/);
 * ```
 */
export class BackendRefusedError extends Error {
  /** Creates the error from the evidence. */
  constructor(evidence: string) {
    super(
      `--require-adapter vulkan: WebGPU runs on the OpenGL fallback (${evidence}); install a ` +
        "Vulkan driver (mesa-vulkan-drivers for a software one) or pass --require-adapter any",
    );
    this.name = "BackendRefusedError";
  }
}

/** Where the Vulkan loader looks for driver manifests (ICDs) on Linux. */
const ICD_DIRS = [
  "/usr/share/vulkan/icd.d",
  "/usr/local/share/vulkan/icd.d",
  "/etc/vulkan/icd.d",
];

/** Features only wgpu's GL backend reports on a desktop (ETC2/ASTC texture compression) next to
 * one its Vulkan backend reports on every desktop driver (float32-filterable). */
function glFeatureSignature(features: ReadonlySet<string>): boolean {
  return features.has("texture-compression-etc2") && !features.has("float32-filterable");
}

/**
 * Counts the Vulkan driver manifests the loader would find: those named by `VK_DRIVER_FILES` /
 * `VK_ICD_FILENAMES` when set, else the `.json` files of the standard directories.
 */
export function vulkanManifests(env: (name: string) => string | undefined): number {
  const named = env("VK_DRIVER_FILES") ?? env("VK_ICD_FILENAMES");
  const isFile = (p: string) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  };
  if (named !== undefined) return named.split(":").filter((p) => p && isFile(p)).length;
  let n = 0;
  for (const dir of ICD_DIRS) {
    try {
      for (const e of Deno.readDirSync(dir)) if (e.name.endsWith(".json")) n++;
    } catch { /* no such directory */ }
  }
  return n;
}

/**
 * Guesses the backend on Linux: GL when no Vulkan driver manifest exists, or when the adapter's
 * features carry GL's signature; Vulkan otherwise. Other systems: `other` (Metal, D3D12).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const env = (n: string) => (n === "VK_ICD_FILENAMES" ? "/nonexistent.json" : undefined);
 * assert.equal(guessBackend(new Set(["shader-f16"]), env, "linux").guess, "gl");
 * assert.equal(guessBackend(new Set(), () => undefined, "darwin").guess, "other");
 * ```
 */
export function guessBackend(
  features: ReadonlySet<string>,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
  os: string = Deno.build.os,
): Backend {
  if (os !== "linux") return { guess: "other", evidence: `${os}: not a Vulkan/GL choice` };
  let manifests = 0;
  try {
    manifests = vulkanManifests(env);
  } catch {
    manifests = -1; // cannot read the environment or the directories
  }
  if (manifests === 0) {
    return { guess: "gl", evidence: "no Vulkan driver manifest (ICD) found" };
  }
  if (glFeatureSignature(features)) {
    return {
      guess: "gl",
      evidence: "the adapter reports GL's features (ETC2 textures, no float32-filterable)",
    };
  }
  return {
    guess: "vulkan",
    evidence: manifests > 0 ? `${manifests} Vulkan driver manifest(s)` : "no GL signature",
  };
}

/** What `--require-adapter` asks: `vulkan` refuses a GL fallback, `any` accepts it silently,
 * `warn` (the default) accepts it with a warning in the run header and the reports. */
export type AdapterRequirement = "vulkan" | "any" | "warn";

/** Allowed values of `--require-adapter`. */
export const ADAPTER_REQUIREMENTS: readonly AdapterRequirement[] = ["vulkan", "any", "warn"];

/**
 * The warning for a GL fallback, or null when the backend is not GL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(glWarning({ guess: "gl", evidence: "x" })!, /OpenGL fallback/);
 * assert.equal(glWarning({ guess: "vulkan", evidence: "x" }), null);
 * ```
 */
export function glWarning(backend: Backend): string | null {
  return backend.guess === "gl"
    ? `WebGPU runs on the OpenGL fallback (${backend.evidence}): no Vulkan driver was used, ` +
      "shader-f16 and other features may be missing and times are not comparable with Vulkan " +
      "runs; install a Vulkan driver (mesa-vulkan-drivers for a software one), or pass " +
      "--require-adapter any to accept it"
    : null;
}
