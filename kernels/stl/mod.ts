/**
 * Strassen-Tile (STL): t×t tiles of X and W encoded into r channels, r independent GEMMs on the
 * coefficient planes, and a decoder back to t×t output tiles (DESIGN.md §2). Exact with the
 * Strassen (t = 2, r = 7) and Strassen⊗Strassen (t = 4, r = 49) encoders, approximate with
 * cp-als, random or user-supplied ones.
 *
 * @module
 */

import {
  createStorageBuffer,
  destroyOwned,
  dtypeBytes,
  inputBuffer,
  outputBuffer,
  toDtypeArray,
} from "../../harness/gpu/buffers.ts";
import { defaultTolerance, type KernelDescriptor, SkipCase } from "../../harness/kernel.ts";
import type { DType, Shape } from "../../harness/types.ts";
import { type PipelineStep, pipelineStep, stepsPlan, type WgslShader } from "../wgsl/mod.ts";
import { GEMM_TILES, gemmDispatch, type GemmOptions, gemmWgsl } from "../dense/gemm_wgsl.ts";
import { autoHalfCarry } from "../dense/mod.ts";
import { cpAlsCached, cpAlsEncoder } from "./cp_als.ts";
import { decodeDispatch, decodeWgsl } from "./decode_wgsl.ts";
import { encodeDispatch, encodeWgsl } from "./encode_wgsl.ts";
import type { Encoder } from "./encoder.ts";
import { paddingNote, type PlaneGeometry, planeGeometry } from "./geometry.ts";
import { makeEncoder } from "./make_encoder.ts";
import { checkStlParams, STL_PARAMS, STL_TUNE, type StlParams } from "./params.ts";
import { stlReference } from "./reference.ts";
import { strassen2Encoder, strassenEncoder } from "./strassen.ts";
import { encodeWeights } from "./weights.ts";
import { stlWork } from "./work.ts";
import { stlTuneCandidates } from "./tune.ts";

export { type Encoder, type EncoderSource } from "./encoder.ts";
export { CP_ALS_DEFAULTS, cpAlsEncoder, fitCpAls } from "./cp_als.ts";
export {
  EncoderFileError,
  encoderToJson,
  loadEncoderFile,
  parseEncoderJson,
} from "./encoder_file.ts";
export { type PlaneGeometry } from "./geometry.ts";
export { tensorResidual } from "./matmul_tensor.ts";
export { randomEncoder } from "./random_encoder.ts";
export { strassen2Encoder, strassenEncoder } from "./strassen.ts";
export { stlReference } from "./reference.ts";
export { stlWork } from "./work.ts";

/**
 * What `prepare` produces: the encoder and the weights stored encoded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stlParams } from "./params.ts";
 * const shape = { m: 4, k: 6, n: 4 };
 * const input = {
 *   shape, dtype: "f32" as const, config: stlParams({ tile: 2, rank: 7 }),
 *   w: new Float32Array(6 * 4).fill(1), calib: new Float32Array(0), calibRows: 0, seed: 1,
 *   baseDir: null,
 * };
 * const prepared: StlPrepared = await stl.prepare(input);
 * assert.equal(prepared.geometry.kt, 3); // K = 6 in 2-row tiles
 * assert.equal(prepared.wh.length, 7 * 3 * 2); // r planes of Kt×Nt
 * ```
 */
export interface StlPrepared {
  /** The encoder (its α, β, γ coefficients). */
  encoder: Encoder;
  /** Facts about the encoder for the result's notes. */
  encoderNotes: Record<string, unknown>;
  /** Tile counts and padding of the shape. */
  geometry: PlaneGeometry;
  /** Ŵ as uploaded: r planes of Kt×Nt in the storage dtype. */
  upload: Float32Array | Float16Array;
  /** The same values in f32 (for the CPU reference). */
  wh: Float32Array;
}

/**
 * GEMM tile for r planes of Mt×Nt outputs: the largest of 64×128, 64×64, 32×64 and 16×64 that
 * still gives ≥ 264 workgroups over all planes (two per SM on a 132-SM GPU), smaller ones for
 * small planes. Not 128×128: on an H100 64×128 ran 1.13–1.39× faster than it on all 10 held-out
 * prefill cases where 128×128 was the rule's choice, as the dense GEMM's 64×128 did on an H200
 * (docs/kernels/stl.md).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(stlGemmTile(512, 1408, 24), "64x128");
 * assert.equal(stlGemmTile(16, 1408, 7), "16x64");
 * ```
 */
export function stlGemmTile(mt: number, nt: number, batch: number): string {
  const order = ["64x128", "64x64", "32x64", "16x64"];
  for (const name of order) {
    const t = GEMM_TILES[name]!;
    if (mt < t.bm && name !== "16x64") continue;
    if (Math.ceil(mt / t.bm) * Math.ceil(nt / t.bn) * batch >= 264) return name;
  }
  if (mt <= 16) return "16x64";
  if (mt <= 32) return "32x64";
  return "64x64";
}

/** The encoder `work` can count from before `prepare` (null when it is only known after). */
function knownEncoder(p: StlParams): Encoder | null {
  switch (p.encoder) {
    case "strassen":
      return strassenEncoder();
    case "strassen2":
      return strassen2Encoder();
    case "cp-als":
      return cpAlsCached(p.t, p.r) ? cpAlsEncoder(p.t, p.r).encoder : null;
    default:
      return null;
  }
}

/** An stl case's pipelines in dispatch order (`plan` and `shaders` share it). */
export interface StlBuild {
  encode: { shader: WgslShader; groups: [number, number, number] };
  gemm: { shader: WgslShader; groups: [number, number, number] };
  decode: { shader: WgslShader; groups: [number, number, number] };
  notes: Record<string, unknown>;
}

/**
 * The pipelines of an stl case with `encoder` on the planes `g`: encode X, the r-batched GEMM and
 * the decode.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planeGeometry } from "./geometry.ts";
 * import { checkStlParams } from "./params.ts";
 * const b = stlBuild(
 *   { shape: { m: 8, k: 8, n: 8 }, dtype: "f32", config: checkStlParams({ tile: 2, rank: 7 }) },
 *   strassenEncoder(),
 *   planeGeometry({ m: 8, k: 8, n: 8 }, 2),
 * );
 * assert.equal(b.gemm.shader.label, "stl-gemm-f32-4x4x4b7");
 * ```
 */
export function stlBuild(
  input: { shape: Shape; dtype: DType; config: StlParams },
  e: Encoder,
  g: PlaneGeometry,
): StlBuild {
  const { shape, dtype, config: p } = input;
  const { m, k, n } = shape;
  const b = dtypeBytes(dtype);
  const encode = {
    shader: {
      label: `stl-encode-${dtype}-${m}x${k}-t${g.t}r${e.r}`,
      ...encodeWgsl({ dtype, m, k, geometry: g, encoder: e }),
    },
    groups: encodeDispatch(g),
  };
  const notes: Record<string, unknown> = {
    planes: `${e.r} × (${g.mt}x${g.kt}) · (${g.kt}x${g.nt})`,
  };
  const tileName = p.gemmTile === "auto" ? stlGemmTile(g.mt, g.nt, e.r) : p.gemmTile;
  const o: GemmOptions = {
    dtype,
    m: g.mt,
    k: g.kt,
    n: g.nt,
    tile: GEMM_TILES[tileName]!,
    vec: g.kt % 4 === 0 && g.nt % 4 === 0,
    batch: e.r,
    ...(p.math === "f16x2"
      ? { half: true, halfStage: "pairs" as const, halfCarry: autoHalfCarry(1, g.nt) }
      : {}),
  };
  notes.pipeline = "encode X → r-batched GEMM → decode";
  notes.gemmTile = tileName;
  notes.gemmVec = o.vec;
  notes.gemmMath = p.math;
  notes.intermediateBytes = e.r * (g.mt * g.kt + g.mt * g.nt) * b;
  return {
    encode,
    gemm: {
      shader: { label: `stl-gemm-${dtype}-${g.mt}x${g.kt}x${g.nt}b${e.r}`, ...gemmWgsl(o) },
      groups: gemmDispatch(o),
    },
    decode: {
      shader: {
        label: `stl-decode-${dtype}-${m}x${n}-t${g.t}r${e.r}`,
        ...decodeWgsl({ dtype, m, n, geometry: g, encoder: e }),
      },
      groups: decodeDispatch(g),
    },
    notes,
  };
}

/**
 * The f16 tolerance's multiple for `math: f16x2` (products rounded to f16 before the decode).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkStlParams } from "./params.ts";
 * const shape = { m: 64, k: 64, n: 64 };
 * assert.equal(stl.tolerance!(shape, checkStlParams({ math: "f16x2" }), "f16"), 1.6e-2);
 * assert.equal(stl.tolerance!(shape, checkStlParams({}), "f16"), 4e-3);
 * ```
 */
export const STL_HALF_TOLERANCE_FACTOR = 4;

/**
 * The stl kernel descriptor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(stl.family === "stl" && stl.params.rank!.default === 24);
 * assert.equal(stl.resolve({ tile: 4, rank: 49 }, { m: 8, k: 8, n: 8 }, "f32").encoder, "strassen2");
 * ```
 */
export const stl: KernelDescriptor<StlPrepared, StlParams> = {
  name: "stl",
  family: "stl",
  summary: "Strassen-Tile: t×t tiles encoded into r channels, r-batched GEMM, decode",
  params: STL_PARAMS,
  tune: STL_TUNE,
  resolve: (params, _shape, _dtype, tune) => checkStlParams(params, tune),
  tuneCandidates: stlTuneCandidates,
  // 2: the batched GEMM's auto tile no longer 128×128 (`stlGemmTile`).
  tuneRevision: 2,
  requires: (_config, dtype) => (dtype === "f16" ? ["shader-f16"] : []),
  check(config, _shape, dtype) {
    if (config.math === "f16x2" && dtype !== "f16") {
      throw new SkipCase(`math f16x2 needs f16 storage, got ${dtype}`);
    }
  },
  // Packed halves round every product to f16, and the decode sums the r channels' products with
  // the encoder's coefficients: cp-als's cancel, which put its error at 5–10× the dense
  // packed-half GEMM's (docs/kernels/stl.md). Four times the f16 tolerance holds that with room;
  // an indexing error is of order one.
  tolerance: (_shape, config, dtype) =>
    defaultTolerance(dtype) * (config.math === "f16x2" ? STL_HALF_TOLERANCE_FACTOR : 1),
  prepareKey: (p) => `${p.t}|${p.r}|${p.encoder}|${p.encoderFile}`,
  async prepare(input) {
    const p = input.config;
    const built = await makeEncoder(p, input.seed, input.baseDir);
    const geometry = planeGeometry(input.shape, p.t);
    const { k, n } = input.shape;
    const whF32 = encodeWeights(input.w, k, n, geometry, built.encoder);
    const upload = toDtypeArray(whF32, input.dtype);
    const wh = input.dtype === "f16" ? new Float32Array(upload) : whF32;
    return { encoder: built.encoder, encoderNotes: built.notes, geometry, upload, wh };
  },
  async plan(ctx) {
    const { device, shape, dtype, prepared } = ctx;
    const { m, k, n } = shape;
    // The plane geometry of this M (a preparation is shared by every M of a weight shape).
    const g = planeGeometry(shape, prepared.geometry.t);
    const e = prepared.encoder;
    const b = dtypeBytes(dtype);
    const maxGroups = device.limits.maxComputeWorkgroupsPerDimension;
    if (g.mt > maxGroups) {
      throw new SkipCase(
        `${g.mt} tile rows exceed maxComputeWorkgroupsPerDimension (${maxGroups})`,
      );
    }
    const build = stlBuild(ctx, e, g);
    const label = `stl:t${g.t}r${e.r}`;
    const bx = inputBuffer(ctx, `${label}:X`, m * k * b, () => toDtypeArray(ctx.x, dtype));
    const bxh = createStorageBuffer(device, `${label}:Xhat`, e.r * g.mt * g.kt * b);
    const bwh = createStorageBuffer(device, `${label}:What`, prepared.upload);
    const by = outputBuffer(ctx, `${label}:Y`, m * n * b);
    const buffers = [bx, bxh, bwh, by];
    const steps: PipelineStep[] = [];
    try {
      steps.push(
        await pipelineStep(ctx, build.encode.shader, { X: bx, Xh: bxh }, build.encode.groups),
      );
      const grid = build.gemm.groups;
      if (grid[0] > maxGroups || grid[1] > maxGroups || grid[2] > maxGroups) {
        throw new SkipCase(
          `GEMM grid ${grid.join("x")} exceeds maxComputeWorkgroupsPerDimension`,
        );
      }
      const bp = createStorageBuffer(device, `${label}:P`, e.r * g.mt * g.nt * b);
      buffers.push(bp);
      steps.push(await pipelineStep(ctx, build.gemm.shader, { X: bxh, W: bwh, Y: bp }, grid));
      steps.push(
        await pipelineStep(ctx, build.decode.shader, { P: bp, Y: by }, build.decode.groups),
      );
    } catch (err) {
      destroyOwned(ctx, buffers);
      throw err;
    }
    return stepsPlan(ctx, steps, { buffer: by, dtype }, buffers, build.notes);
  },
  async shaders(input) {
    const p = input.config;
    const encoder = input.prepared?.encoder ??
      (await makeEncoder(p, input.seed ?? 0, input.baseDir ?? null)).encoder;
    const geometry = planeGeometry(input.shape, p.t);
    const b = stlBuild(input, encoder, geometry);
    return [b.encode.shader, b.gemm.shader, b.decode.shader];
  },
  work: (shape, p, dtype, prepared) => ({
    ...stlWork(shape, p, dtype, prepared ? prepared.encoder : knownEncoder(p)),
    // the batched GEMM's products, the bulk of the FLOPs (encode and decode run in f32)
    arithmetic: p.math,
  }),
  reference: (input) =>
    stlReference({
      x: input.x,
      shape: input.shape,
      dtype: input.dtype,
      encoder: input.prepared.encoder,
      wh: input.prepared.wh,
      rows: input.rows,
    }),
  notes: (prepared, _shape, p) => {
    return {
      tile: p.t,
      rank: p.r,
      ...prepared.encoderNotes,
      padding: paddingNote(prepared.geometry),
    };
  },
};
