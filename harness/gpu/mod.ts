/**
 * GPU layer: adapter/device acquisition, pipeline cache, buffers.
 *
 * @module
 */

export * from "./adapter.ts";
export * from "./pipeline_cache.ts";
export * from "./buffers.ts";
export * from "./guarded.ts";
export * from "./environment.ts";
