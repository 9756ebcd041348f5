/**
 * The first stage: admit the case (features, buffer limits), then its inputs and its offline
 * preparation (encode, prune, quantize), cached across the M of one weight shape.
 *
 * @module
 */

import type { CaseData } from "../../data/inputs.ts";
import { dtypeBytes } from "../../gpu/buffers.ts";
import { type CaseContext, recordWork } from "./context.ts";

/** A prepared case: its inputs and what the kernel's `prepare` made of the weights. */
export interface PreparedCase {
  data: CaseData;
  /** The kernel's preparation. */
  value: unknown;
  /** Preparation time in ms (of the run that made it, when cached). */
  ms: number;
  /** Whether the preparation came from an earlier case of this run. */
  cached: boolean;
}

/**
 * Decides whether the case can run here, before any data is made: the suite's own skip, the
 * adapter's features, and the device's storage-buffer limit for X, Y and the stored weights.
 * Records the shape-only work model. Returns the reason to skip, or null.
 *
 * @example
 * ```ts ignore
 * const skip = admit(ctx);
 * ```
 */
export function admit(ctx: CaseContext): string | null {
  const { c, env: { gpu } } = ctx;
  if (c.skip) return c.skip;
  const missing = (c.kernel.requires?.(c.config, c.dtype) ?? []).filter((f) =>
    !gpu.features.has(f)
  );
  if (missing.length > 0) {
    return `feature missing: ${missing.join(", ")} (adapter "${
      gpu.info.description || gpu.info.vendor
    }")`;
  }
  recordWork(ctx, c.kernel.work(c.shape, c.config, c.dtype));
  const { m, k, n } = c.shape;
  const { limits } = gpu.device;
  const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const eb = dtypeBytes(c.dtype);
  for (
    const [what, bytes] of [
      ["X", m * k * eb],
      ["Y", m * n * eb],
      ["stored weights", ctx.work.storedBytes],
    ] as const
  ) {
    if (bytes > limit) {
      return `${what} needs ${bytes} bytes, over the device's storage buffer limit (${limit})`;
    }
  }
  return null;
}

/**
 * Makes (or reuses) the case's inputs and preparation; records the kernel's notes and the work
 * model once prepared (counts may depend on the preparation, e.g. a loaded encoder's nonzeros).
 *
 * @example
 * ```ts ignore
 * const prep = await prepare(ctx);
 * ```
 */
export async function prepare(ctx: CaseContext): Promise<PreparedCase> {
  const { c, env, result } = ctx;
  const { suite } = env;
  ctx.stage = "prepare";
  const data = env.data.inputs(c, suite);
  // Offline preparation works on the weights only, so it is shared by every M of a (K, N).
  const wkey = `|${c.shape.k}x${c.shape.n}`;
  const pkey = `${c.kernel.name}|${
    c.kernel.prepareKey?.(c.config, c.dtype) ?? JSON.stringify(c.params)
  }|${c.dtype}${wkey}`;
  let prep = env.prepared.get(pkey);
  const cached = prep !== undefined;
  if (!prep) {
    const t0 = performance.now();
    const value = await c.kernel.prepare({
      shape: c.shape,
      dtype: c.dtype,
      config: c.config,
      w: data.w,
      calib: data.calib,
      calibRows: data.calibRows,
      seed: suite.seed,
      baseDir: suite.baseDir,
    });
    prep = { value, ms: performance.now() - t0 };
    // Keep only this weight shape's preparations: memory stays bounded on big suites.
    for (const key of env.prepared.keys()) if (!key.endsWith(wkey)) env.prepared.delete(key);
    env.prepared.set(pkey, prep);
  }
  result.notes = { ...(c.kernel.notes?.(prep.value, c.shape, c.config, c.dtype) ?? {}) };
  recordWork(ctx, c.kernel.work(c.shape, c.config, c.dtype, prep.value));
  return { data, value: prep.value, ms: prep.ms, cached };
}
