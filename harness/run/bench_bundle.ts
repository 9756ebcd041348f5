/**
 * Entry point of the single-file bench bundle (`deno task bench:bundle`): `deno task bench` with
 * the WebGPU peers' libraries inside, for a GPU host without network or npm cache. The dynamic
 * imports below have literal specifiers, so `deno bundle` includes TensorFlow.js and ONNX Runtime
 * Web in the file; they are still evaluated only when `--peers` asks for them. ONNX Runtime's
 * WebAssembly binary (required by its WebGPU EP) travels beside the bundle, gzip-compressed
 * (`ORT_WASM_GZ`), and is decompressed in memory and handed to ONNX Runtime
 * (`env.wasm.wasmBinary`).
 *
 * Run from the source, it is `deno task bench` with the peers imported from npm.
 *
 * @module
 */

import { builtinKernels } from "../../kernels/mod.ts";
import { benchMain } from "./cli.ts";
import { BUNDLE_STAMP, staleBundleWarning } from "./bundle_stamp.ts";
import { gitCommit, useBundleStamp } from "./meta.ts";
import { ORT_WASM_GZ, ORT_WASM_MJS, usePeerLibraries } from "./peer_libs.ts";

/** The part of ONNX Runtime Web's `env` the bundle sets. */
interface OrtWasmEnv {
  env: {
    wasm: {
      numThreads?: number;
      wasmBinary?: ArrayBufferLike | Uint8Array;
      wasmPaths?: { mjs?: string };
    };
  };
}

/**
 * The gzip-compressed file at `url`, decompressed; a missing file is a one-line error naming it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * const gz = new Blob([new Uint8Array([0, 97, 115, 109])]).stream()
 *   .pipeThrough(new CompressionStream("gzip"));
 * await Deno.writeFile(path, gz);
 * const bytes = await gunzipFile(new URL(`file://${path}`));
 * assert.deepEqual([...bytes], [0, 97, 115, 109]);
 * await Deno.remove(path);
 * ```
 */
export async function gunzipFile(url: URL): Promise<Uint8Array> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(url);
  } catch (e) {
    throw new Error(
      `${decodeURIComponent(url.pathname)}: ${(e as Error).message}; ` +
        "build the bundle with `deno task bench:bundle` and copy its whole folder",
    );
  }
  const stream = file.readable.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

let ortLoad: Promise<unknown> | null = null;

/** ONNX Runtime Web from the bundle, given the wasm beside the bundle (once per process). */
function loadOrt(): Promise<unknown> {
  ortLoad ??= (async () => {
    const wasm = await gunzipFile(new URL(`./${ORT_WASM_GZ}`, import.meta.url));
    // deno-lint-ignore no-import-prefix -- pinned here, not in deno.json (docs/package.md says why)
    const ort = (await import("npm:onnxruntime-web@1.22.0/webgpu")) as unknown as OrtWasmEnv;
    // One thread, as ONNX Runtime picks under Deno (no crossOriginIsolated) from npm too: a
    // worker's script would be looked for beside the bundle.
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.wasmBinary = wasm;
    ort.env.wasm.wasmPaths = { mjs: new URL(`./${ORT_WASM_MJS}`, import.meta.url).href };
    return ort;
  })();
  return ortLoad;
}

/** Whether this module runs from the bundle (a `.js` file) rather than from its source. */
const BUNDLED = !import.meta.url.endsWith(".ts");

if (import.meta.main) {
  if (BUNDLED) {
    try {
      const stamp = JSON.parse(
        Deno.readTextFileSync(new URL(`./${BUNDLE_STAMP}`, import.meta.url)),
      );
      const warning = staleBundleWarning(stamp, gitCommit());
      if (warning) console.error(warning);
      useBundleStamp({ commit: stamp.commit ?? null, dirty: stamp.dirty ?? null });
    } catch {
      console.error(`bench bundle: no ${BUNDLE_STAMP} beside it: which commit it runs is unknown`);
      useBundleStamp({ commit: null, dirty: null });
    }
    // Literal specifiers (the bundler includes only those), the same as peer_libs.ts's.
    usePeerLibraries({
      // deno-lint-ignore no-import-prefix -- pinned here, not in deno.json
      tfjs: () => import("npm:@tensorflow/tfjs@4.22.0"),
      // deno-lint-ignore no-import-prefix -- pinned here, not in deno.json
      tfjsWebgpu: () => import("npm:@tensorflow/tfjs-backend-webgpu@4.22.0"),
      ort: loadOrt,
    });
  }
  Deno.exit(await benchMain(Deno.args, builtinKernels));
}
