/**
 * TensorFlow.js for the task path only (the plain benchmark never imports this module): the
 * union package `@tensorflow/tfjs` (ops, gradients, optimisers, the plain-JS `cpu` backend) and,
 * on request, `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD; the fast CPU backend, its binary
 * ships in the npm package) or `@tensorflow/tfjs-backend-webgpu` (Deno's WebGPU).
 *
 * @module
 */

// deno-lint-ignore no-import-prefix -- pinned here, not in deno.json (docs/package.md says why)
import * as tf from "npm:@tensorflow/tfjs@4.22.0";

export { tf };
export { type BackendName, BACKENDS };

import { type BackendName, BACKENDS } from "../backends.ts";

/**
 * Selects and initialises a tfjs backend; throws a one-line error when it cannot start.
 *
 * @example
 * ```ts ignore
 * await useBackend("cpu");
 * ```
 */
export async function useBackend(name: BackendName): Promise<void> {
  if (!(BACKENDS as readonly string[]).includes(name)) {
    throw new RangeError(`--backend: must be one of ${BACKENDS.join(", ")}; got ${name}`);
  }
  if (tf.getBackend() === name) return;
  // deno-lint-ignore no-import-prefix -- pinned here, not in deno.json
  if (name === "webgpu") await import("npm:@tensorflow/tfjs-backend-webgpu@4.22.0");
  // deno-lint-ignore no-import-prefix -- pinned here, not in deno.json
  if (name === "wasm") await import("npm:@tensorflow/tfjs-backend-wasm@4.22.0");
  let ok = false;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    throw new Error(`backend ${name}: could not start (${(e as Error).message})`);
  }
  if (!ok || tf.getBackend() !== name) throw new Error(`backend ${name}: could not start`);
}
