/**
 * Compute-pipeline cache keyed by the full shader text and entry point.
 *
 * @module
 */

import { fnv1a } from "../data/prng.ts";

/** Error raised when WGSL fails to compile or a pipeline cannot be created. */
export class ShaderError extends Error {
  /** Creates the error for the shader labelled `label`. */
  constructor(label: string, message: string) {
    super(`shader "${label}" failed: ${message}`);
    this.name = "ShaderError";
  }
}

/**
 * Caches compute pipelines. The key is the shader text itself (plus entry point), so any change
 * that changes the generated WGSL gets its own pipeline. Time spent compiling is accumulated in
 * `compileMs` so callers can report it apart from kernel time.
 *
 * @example
 * ```ts ignore
 * const cache = new PipelineCache(device);
 * const p = await cache.get("copy", "@compute @workgroup_size(1) fn main() {}");
 * ```
 */
export class PipelineCache {
  #device: GPUDevice;
  #pipelines = new Map<string, Promise<GPUComputePipeline>>();
  /** Total wall time spent creating pipelines, in ms. */
  compileMs = 0;
  /** Number of pipelines compiled (cache misses). */
  misses = 0;

  #dumpDir: string | null;

  /**
   * Creates an empty cache for `device`. With `dumpDir`, every shader compiled (also one that
   * fails) is first written there as `<label>.<hash>.wgsl` (see {@link wgslDumpName}).
   */
  constructor(device: GPUDevice, options: { dumpDir?: string | null } = {}) {
    this.#device = device;
    this.#dumpDir = options.dumpDir ?? null;
  }

  /** Returns the pipeline for `code`, compiling it on first use. */
  get(label: string, code: string, entryPoint = "main"): Promise<GPUComputePipeline> {
    const key = `${entryPoint}\u0000${code}`;
    let p = this.#pipelines.get(key);
    if (!p) {
      p = this.#compile(label, code, entryPoint);
      this.#pipelines.set(key, p);
      p.catch(() => this.#pipelines.delete(key));
    }
    return p;
  }

  async #compile(label: string, code: string, entryPoint: string): Promise<GPUComputePipeline> {
    const t0 = performance.now();
    this.misses++;
    if (this.#dumpDir !== null) {
      Deno.mkdirSync(this.#dumpDir, { recursive: true });
      Deno.writeTextFileSync(`${this.#dumpDir}/${wgslDumpName(label, code, entryPoint)}`, code);
    }
    const device = this.#device;
    device.pushErrorScope("validation");
    let popped = false;
    try {
      const module = device.createShaderModule({ label, code });
      const info = await module.getCompilationInfo();
      const errors = info.messages.filter((m) => m.type === "error");
      if (errors.length > 0) {
        throw new ShaderError(
          label,
          errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join("; "),
        );
      }
      const pipeline = await device.createComputePipelineAsync({
        label,
        layout: "auto",
        compute: { module, entryPoint },
      });
      popped = true;
      const err = await device.popErrorScope();
      if (err) throw new ShaderError(label, err.message);
      return pipeline;
    } catch (e) {
      if (!popped) await device.popErrorScope().catch(() => null);
      if (e instanceof ShaderError) throw e;
      throw new ShaderError(label, (e as Error).message);
    } finally {
      this.compileMs += performance.now() - t0;
    }
  }
}

/**
 * File name a dumped shader gets: the label with anything but letters, digits, `-`, `_` and `.`
 * replaced by `_` (at most 80 characters), then the FNV-1a hash of entry point and text in hex.
 * The same text always gets the same name, so two dumps can be compared with `diff -r`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const name = wgslDumpName("dense gemm 64x64", "@compute @workgroup_size(1) fn main() {}");
 * assert.ok(/^dense_gemm_64x64\.[0-9a-f]{8}\.wgsl$/.test(name));
 * ```
 */
export function wgslDumpName(label: string, code: string, entryPoint = "main"): string {
  const safe = label.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80) || "shader";
  const hash = fnv1a(`${entryPoint}\u0000${code}`).toString(16).padStart(8, "0");
  return `${safe}.${hash}.wgsl`;
}
