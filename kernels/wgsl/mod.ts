/**
 * The WGSL builder every kernel family generates its shaders with: bindings declared once
 * (`shader.ts`), the f16 preamble and entry point, vec4 I/O of a storage dtype (`vec4_io.ts`),
 * the slab loaders, transposed stores and prefetching K loop of the tiled GEMMs (`slab.ts`), the
 * in-workgroup slice reduction of the GEMVs (`reduce.ts`), constants held in registers
 * (`held.ts`), the split-K reduce pass
 * (`split_k.ts`), and the GPU side of a plan (`plan.ts`: pipeline, bind group by binding name,
 * dispatch record, owned buffers).
 *
 * @module
 */

export * from "./shader.ts";
export * from "./vec4_io.ts";
export * from "./slab.ts";
export * from "./reduce.ts";
export * from "./held.ts";
export * from "./split_k.ts";
export * from "./plan.ts";
