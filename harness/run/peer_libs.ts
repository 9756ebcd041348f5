/**
 * Where the WebGPU peers' libraries come from. A plain run imports them from npm when `--peers`
 * asks for them (specifiers in variables, so a bench's module graph holds no npm package); the
 * single-file bench bundle (`bench_bundle.ts`, built by `deno task bench:bundle`) replaces these
 * loaders with ones over the copies it carries, for a host without network.
 *
 * @module
 */

/** The TensorFlow.js package the `tfjs` peer runs. */
export const TFJS = "npm:@tensorflow/tfjs@4.22.0";
/** TensorFlow.js's WebGPU backend, the same version. */
export const TFJS_WEBGPU = "npm:@tensorflow/tfjs-backend-webgpu@4.22.0";
/** ONNX Runtime Web with its WebGPU execution provider, the `ort` peer. */
export const ORT = "npm:onnxruntime-web@1.22.0/webgpu";

/**
 * ONNX Runtime Web's JSEP (WebGPU) WebAssembly binary as the bench bundle carries it beside
 * `bench.js`: gzip-compressed, decompressed in memory at run time.
 */
export const ORT_WASM_GZ = "ort-wasm-simd-threaded.jsep.wasm.gz";
/**
 * ONNX Runtime Web's JSEP module script, beside the bench bundle: under Deno ONNX Runtime imports
 * it from a file rather than using the copy inside its own bundle.
 */
export const ORT_WASM_MJS = "ort-wasm-simd-threaded.jsep.mjs";

/** Loads each peer library's module namespace. */
export interface PeerLibraries {
  /** `@tensorflow/tfjs`. */
  tfjs(): Promise<unknown>;
  /** `@tensorflow/tfjs-backend-webgpu`. */
  tfjsWebgpu(): Promise<unknown>;
  /** `onnxruntime-web/webgpu`, ready to create sessions (its wasm found). */
  ort(): Promise<unknown>;
}

/** The loaders of a plain run: npm imports, fetched and loaded only when called. */
export const NPM_PEER_LIBRARIES: PeerLibraries = {
  tfjs: () => import(TFJS),
  tfjsWebgpu: () => import(TFJS_WEBGPU),
  ort: () => import(ORT),
};

let current: PeerLibraries = NPM_PEER_LIBRARIES;

/**
 * Replaces the loaders the peers use (the bench bundle installs its own before the run starts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const fake = { tfjs: async () => ({}), tfjsWebgpu: async () => ({}), ort: async () => ({}) };
 * usePeerLibraries(fake);
 * assert.equal(peerLibraries(), fake);
 * usePeerLibraries(NPM_PEER_LIBRARIES);
 * ```
 */
export function usePeerLibraries(libraries: PeerLibraries): void {
  current = libraries;
}

/**
 * The loaders in use: {@link NPM_PEER_LIBRARIES} unless {@link usePeerLibraries} replaced them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(peerLibraries(), NPM_PEER_LIBRARIES);
 * ```
 */
export function peerLibraries(): PeerLibraries {
  return current;
}
