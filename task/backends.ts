/**
 * The tfjs backends the task path can train on (names only: this module does not load tfjs).
 *
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (XNNPACK with SIMD; the binary ships in the npm
 *   package). The default: the fast CPU backend.
 * - `cpu`: tfjs's plain-JavaScript backend (slow; a reference).
 * - `webgpu`: `@tensorflow/tfjs-backend-webgpu` on Deno's WebGPU (the GPU machine).
 *
 * @module
 */

/** Backend names. */
export const BACKENDS = ["wasm", "cpu", "webgpu"] as const;
/** A backend name. */
export type BackendName = typeof BACKENDS[number];
