/**
 * The tuner's cache: its choices on disk, in a readable JSON file, keyed by adapter and tool
 * version, then by kernel, dtype, shape class and public parameters.
 *
 * @module
 */

import type { DType, Params, Shape } from "../types.ts";

/** The cache file's format version. */
export const TUNE_CACHE_FORMAT = 1;

/** One measured candidate: its `tune` values and median time (null: it failed or was refused). */
export interface TuneTrial {
  /** The candidate's `tune` values ({} is the shipped defaults). */
  tune: Params;
  /** Median time in ms, or null when it could not be planned or timed. */
  medianMs: number | null;
  /** Why it has no time, when it has none. */
  error?: string;
  /** Its second timing, when the tuner confirmed it (`medianMs` is then the lower of the two). */
  repeatMs?: number;
}

/** A choice: the fastest candidate and every trial it was chosen from. */
export interface TuneChoice {
  /** The chosen `tune` values. */
  tune: Params;
  /** Its median time in ms. */
  medianMs: number;
  /** The shape it was measured on (one shape of the class). */
  shape: string;
  /** Every candidate measured, in the order tried. */
  trials: TuneTrial[];
  /** When it was measured (ISO 8601). */
  at: string;
}

/** The cache: per adapter-and-tool key, per case key, a choice. */
export interface TuneCache {
  /** {@link TUNE_CACHE_FORMAT}. */
  format: number;
  /** `adapterToolKey` → `tuneEntryKey` → choice. */
  adapters: Record<string, Record<string, TuneChoice>>;
}

/** A cache file that cannot be read: names the file and the field. */
export class TuneCacheError extends Error {
  /** The error's name. */
  override name = "TuneCacheError";
}

/**
 * The key of an adapter and tool version: choices made on another GPU, driver or tilebench
 * version are never used.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const key = adapterToolKey(
 *   { vendor: "nvidia", architecture: "hopper", device: "", description: "NVIDIA H200" },
 *   { name: "tilebench", version: "0.1.0" },
 * );
 * assert.equal(key, "nvidia/hopper/NVIDIA H200 · tilebench 0.1.0");
 * ```
 */
export function adapterToolKey(
  adapter: { vendor: string; architecture: string; device: string; description: string },
  tool: { name: string; version: string },
): string {
  const a = [adapter.vendor, adapter.architecture, adapter.device, adapter.description]
    .filter((s) => s !== "").join("/");
  return `${a} · ${tool.name} ${tool.version}`;
}

/** The power of two at or above `v` (1 for v ≤ 1). */
function ceilPow2(v: number): number {
  let p = 1;
  while (p < v) p *= 2;
  return p;
}

/**
 * A shape's class: M, K and N each rounded up to a power of two, with M ≤ 8 kept exact (decode
 * shapes, where one row more changes the code path). Shapes of one class share a choice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(shapeClass({ m: 1, k: 4096, n: 14336 }), "1x4096x16384");
 * assert.equal(shapeClass({ m: 300, k: 4000, n: 4096 }), "512x4096x4096");
 * assert.equal(shapeClass({ m: 257, k: 4096, n: 4096 }), shapeClass({ m: 512, k: 4096, n: 4096 }));
 * ```
 */
export function shapeClass(shape: Shape): string {
  const m = shape.m <= 8 ? shape.m : ceilPow2(shape.m);
  return `${m}x${ceilPow2(shape.k)}x${ceilPow2(shape.n)}`;
}

/**
 * The key of a choice within an adapter: kernel, dtype, shape class and the public parameters
 * (which change the kernel's work, so each set is tuned apart).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const k = tuneEntryKey("int4", "f16", { m: 1, k: 4096, n: 4096 }, { group: 128 });
 * assert.equal(k, "int4/f16/1x4096x4096/group=128");
 * assert.equal(tuneEntryKey("dense", "f32", { m: 64, k: 64, n: 64 }, {}), "dense/f32/64x64x64/-");
 * ```
 */
export function tuneEntryKey(kernel: string, dtype: DType, shape: Shape, params: Params): string {
  const p = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join(",") || "-";
  return `${kernel}/${dtype}/${shapeClass(shape)}/${p}`;
}

/**
 * {@link tuneEntryKey} of a kernel: its name carries its tuning revision when above 1
 * (`dense@3`), so choices made before a default or a candidate's effect changed are not reused.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const shape = { m: 1, k: 64, n: 64 };
 * assert.equal(kernelTuneKey({ name: "dense", tuneRevision: 3 }, "f32", shape, {}), "dense@3/f32/1x64x64/-");
 * assert.equal(kernelTuneKey({ name: "monarch" }, "f32", shape, {}), "monarch/f32/1x64x64/-");
 * ```
 */
export function kernelTuneKey(
  kernel: { name: string; tuneRevision?: number },
  dtype: DType,
  shape: Shape,
  params: Params,
): string {
  const rev = kernel.tuneRevision ?? 1;
  return tuneEntryKey(rev > 1 ? `${kernel.name}@${rev}` : kernel.name, dtype, shape, params);
}

/** An empty cache. */
export function emptyTuneCache(): TuneCache {
  return { format: TUNE_CACHE_FORMAT, adapters: {} };
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks a parsed cache file; throws {@link TuneCacheError} naming `file` and the first bad field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseTuneCache({ format: 1, adapters: {} }, "c.json").adapters, {});
 * assert.throws(
 *   () => parseTuneCache({ format: 1, adapters: { a: { k: { tune: 3 } } } }, "c.json"),
 *   /c\.json: adapters\["a"\]\["k"\]\.tune: must be an object/,
 * );
 * ```
 */
export function parseTuneCache(value: unknown, file: string): TuneCache {
  const fail = (field: string, what: string): never => {
    throw new TuneCacheError(
      `${file}: ${field}: ${what} (a tune cache written by deno task bench --tune full; ` +
        "delete the file or pass --tune off)",
    );
  };
  if (!isObj(value)) return fail("(top level)", "must be an object");
  if (value.format !== TUNE_CACHE_FORMAT) {
    fail("format", `must be ${TUNE_CACHE_FORMAT}, got ${JSON.stringify(value.format)}`);
  }
  if (!isObj(value.adapters)) return fail("adapters", "must be an object");
  for (const [a, entries] of Object.entries(value.adapters)) {
    const at = `adapters[${JSON.stringify(a)}]`;
    if (!isObj(entries)) return fail(at, "must be an object");
    for (const [k, c] of Object.entries(entries)) {
      const f = `${at}[${JSON.stringify(k)}]`;
      if (!isObj(c)) return fail(f, "must be an object");
      if (!isObj(c.tune)) fail(`${f}.tune`, "must be an object");
      for (const [name, v] of Object.entries(c.tune as object)) {
        if (!["string", "number", "boolean"].includes(typeof v)) {
          fail(`${f}.tune.${name}`, "must be a string, number or boolean");
        }
      }
      if (typeof c.medianMs !== "number" || !(c.medianMs > 0)) {
        fail(`${f}.medianMs`, "must be a positive number");
      }
      if (!Array.isArray(c.trials)) fail(`${f}.trials`, "must be a list");
      if (typeof c.shape !== "string") fail(`${f}.shape`, "must be a string");
      if (typeof c.at !== "string") fail(`${f}.at`, "must be a string");
    }
  }
  return value as unknown as TuneCache;
}

/**
 * Reads a cache file: a missing file is an empty cache; unreadable JSON or a malformed entry is a
 * {@link TuneCacheError} naming the file and the field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const cache = await loadTuneCache("/nonexistent/tune-cache.json");
 * assert.deepEqual(cache, emptyTuneCache());
 * ```
 */
export async function loadTuneCache(file: string): Promise<TuneCache> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return emptyTuneCache();
    throw new TuneCacheError(`${file}: cannot read: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new TuneCacheError(
      `${file}: not JSON (${(e as Error).message}); delete the file or pass --tune off`,
    );
  }
  return parseTuneCache(value, file);
}

/**
 * Writes the cache atomically (a temporary file beside it, then a rename), entries sorted so the
 * file diffs well; creates the folder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const file = `${dir}/tune/cache.json`;
 * const cache = emptyTuneCache();
 * recordChoice(cache, "gpu · tilebench 0.1.0", "dense/f32/64x64x64/-", {
 *   tune: { tile: "64x64" }, medianMs: 0.5, shape: "64x64x64", trials: [], at: "2026-01-01T00:00:00Z",
 * });
 * await saveTuneCache(file, cache);
 * assert.deepEqual(await loadTuneCache(file), cache);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveTuneCache(file: string, cache: TuneCache): Promise<void> {
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
  await Deno.mkdir(dir, { recursive: true });
  const sorted: TuneCache = { format: cache.format, adapters: {} };
  for (const a of Object.keys(cache.adapters).sort()) {
    const entries = cache.adapters[a]!;
    sorted.adapters[a] = Object.fromEntries(
      Object.keys(entries).sort().map((k) => [k, entries[k]!]),
    );
  }
  const tmp = `${file}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(sorted, null, 2) + "\n");
  await Deno.rename(tmp, file);
}

/**
 * The cached choice for an adapter-and-tool key and an entry key, if any.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(cachedChoice(emptyTuneCache(), "a", "k"), null);
 * ```
 */
export function cachedChoice(cache: TuneCache, adapterKey: string, key: string): TuneChoice | null {
  return cache.adapters[adapterKey]?.[key] ?? null;
}

/**
 * Records a choice (replacing an earlier one for the same keys).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const cache = emptyTuneCache();
 * const choice = { tune: {}, medianMs: 1, shape: "1x1x1", trials: [], at: "" };
 * recordChoice(cache, "a", "k", choice);
 * assert.equal(cachedChoice(cache, "a", "k"), choice);
 * assert.equal(cachedChoice(cache, "b", "k"), null); // another adapter or tool version
 * ```
 */
export function recordChoice(
  cache: TuneCache,
  adapterKey: string,
  key: string,
  choice: TuneChoice,
): void {
  (cache.adapters[adapterKey] ??= {})[key] = choice;
}
