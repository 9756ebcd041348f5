/**
 * The built-in kernel families. The runner receives this list; it knows no kernel by name.
 *
 * @module
 */

import type { KernelDescriptor } from "../harness/kernel.ts";
import { dense } from "./dense/mod.ts";
import { int4 } from "./int4/mod.ts";
import { int8 } from "./int8/mod.ts";
import { monarch } from "./monarch/mod.ts";
import { sparse24 } from "./sparse24/mod.ts";
import { stl } from "./stl/mod.ts";
import { ternary } from "./ternary/mod.ts";

export { dense, type DenseConfig, type DenseMath, type GemmTile } from "./dense/mod.ts";
export {
  type AwqResult,
  GEMV_MATHS,
  type GemvMath,
  int4,
  INT4_METHODS,
  type Int4Config,
  type Int4GemmOptions,
  type Int4GemvOptions,
  type Int4GemvTuning,
  type Int4Layout,
  type Int4Method,
  type Int4Prepared,
  type Int4ShaderInputs,
  type Int4Weights,
} from "./int4/mod.ts";
export { int8, type Int8Config, type Int8Prepared } from "./int8/mod.ts";
export { monarch, type MonarchConfig, type MonarchPrepared } from "./monarch/mod.ts";
export {
  type MaskName,
  MASKS,
  sparse24,
  type Sparse24Config,
  type Sparse24Prepared,
  type Sparse24Weights,
} from "./sparse24/mod.ts";
export {
  type Encoder,
  type EncoderSource,
  type PlaneGeometry,
  stl,
  type StlPrepared,
} from "./stl/mod.ts";
export { ternary, type TernaryConfig, type TernaryPrepared } from "./ternary/mod.ts";
/** The stl kernel's resolved configuration (`stl.resolve(...)`). */
export type { StlParams as StlConfig } from "./stl/params.ts";
/** The WGSL builder the families share, for a new family's shaders and plan (docs/wgsl.md). */
export {
  type Binding,
  buildShaders,
  computeMain,
  type F16Io,
  type Grid,
  type OnePipelineBuild,
  onePipelinePlan,
  type PipelineStep,
  pipelineStep,
  type SlabTile,
  type SplitKReducePlan,
  type StepContext,
  stepsPlan,
  type WgslCode,
  wgslCode,
  type WgslShader,
} from "./wgsl/mod.ts";

/**
 * Every built-in kernel descriptor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(builtinKernels.some((k) => k.name === "dense"));
 * ```
 */
export const builtinKernels: readonly KernelDescriptor[] = [
  dense,
  stl,
  sparse24,
  int4,
  ternary,
  monarch,
  int8,
];
