/**
 * STL parameters: the declared schema, their resolution (defaults, `encoder: auto`) and the
 * cross-field checks.
 *
 * @module
 */

import { ParamError, type ParamSpec, resolveParams } from "../../harness/kernel.ts";
import type { Params } from "../../harness/types.ts";
import { GEMM_TILES } from "../dense/gemm_wgsl.ts";
import type { EncoderSource } from "./encoder.ts";

/** Values of the `encoder` parameter. */
export const ENCODER_NAMES = ["auto", "strassen", "strassen2", "cp-als", "random", "file"] as const;

/** Tile sizes STL supports. */
export const STL_TILES = [2, 4] as const;

/** The largest rank r the STL kernels take (and at most t³ for a tile t). */
export const STL_MAX_RANK = 64;

/**
 * The declared parameters of the stl kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(STL_PARAMS.tile!.type, "int");
 * ```
 */
export const STL_PARAMS: Record<string, ParamSpec> = {
  tile: { type: "int", values: STL_TILES, default: 4, doc: "tile size t (t×t tiles)" },
  rank: {
    type: "int",
    min: 1,
    max: STL_MAX_RANK,
    default: 24,
    doc: "rank r: channels per tile, 1..t³",
  },
  encoder: {
    type: "enum",
    values: ENCODER_NAMES,
    default: "auto",
    doc: "strassen (t=2, r=7), strassen2 (t=4, r=49), cp-als, random, file; " +
      "auto = strassen/strassen2 when (t, r) fits, else cp-als",
  },
  encoderFile: {
    type: "string",
    default: "",
    doc: "JSON with alpha, beta, gamma (encoder: file); relative to the suite file",
  },
  math: {
    type: "enum",
    values: ["f32", "f16x2"],
    default: "f32",
    doc: "arithmetic of the r-batched GEMM: f32, or f16x2 for f16 storage (the dense " +
      "packed-half GEMM: vec2<f16> products, half partials carried into f32; four times the " +
      "f16 tolerance)",
  },
};

/**
 * The tuning knobs of the stl kernel (a suite entry's `tune`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(STL_TUNE.gemmTile!.type, "enum");
 * ```
 */
export const STL_TUNE: Record<string, ParamSpec> = {
  gemmTile: {
    type: "enum",
    values: ["auto", ...Object.keys(GEMM_TILES)],
    default: "auto",
    doc: "workgroup tile of the r-batched GEMM",
  },
};

/**
 * Resolved STL parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p: StlParams = {
 *   t: 2, r: 7, encoder: "strassen", encoderFile: "", math: "f32", gemmTile: "auto",
 * };
 * assert.deepEqual(stlParams({ tile: 2, rank: 7, encoder: "strassen" }), p);
 * ```
 */
export interface StlParams {
  /** Tile size t (the `tile` param). */
  t: number;
  /** Rank r: channels per tile (the `rank` param). */
  r: number;
  /** The encoder after resolving `auto`. */
  encoder: EncoderSource;
  /** JSON encoder file (encoder: file), relative to the suite file; empty otherwise. */
  encoderFile: string;
  /** Arithmetic of the r-batched GEMM (the `math` param). */
  math: "f32" | "f16x2";
  /** Workgroup tile of the r-batched GEMM as asked. */
  gemmTile: string;
}

/**
 * Resolves `encoder: auto`: Strassen when (t, r) = (2, 7), Strassen⊗Strassen when (4, 49),
 * cp-als otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(resolveEncoderName("auto", 4, 49), "strassen2");
 * assert.equal(resolveEncoderName("auto", 4, 24), "cp-als");
 * ```
 */
export function resolveEncoderName(name: string, t: number, r: number): EncoderSource {
  if (name !== "auto") return name as EncoderSource;
  if (t === 2 && r === 7) return "strassen";
  if (t === 4 && r === 49) return "strassen2";
  return "cp-als";
}

/**
 * Reads STL params and tuning knobs (defaults filled, each value checked against its spec)
 * without the cross-field checks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(stlParams({ tile: 2, rank: 7 }).encoder, "strassen");
 * assert.equal(stlParams({}, { gemmTile: "32x64" }).gemmTile, "32x64");
 * ```
 */
export function stlParams(params: Params, tune: Params = {}): StlParams {
  const p = resolveParams(STL_PARAMS, params);
  const k = resolveParams(STL_TUNE, tune);
  const t = p.tile as number;
  const r = p.rank as number;
  return {
    t,
    r,
    encoder: resolveEncoderName(p.encoder as string, t, r),
    encoderFile: p.encoderFile as string,
    math: p.math as StlParams["math"],
    gemmTile: k.gemmTile as string,
  };
}

/**
 * Cross-field checks; throws {@link ParamError} naming the field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * let msg = "";
 * try { checkStlParams({ tile: 4, rank: 7, encoder: "strassen" }); } catch (e) { msg = String(e); }
 * assert.ok(msg.includes("encoder"));
 * ```
 */
export function checkStlParams(params: Params, tune: Params = {}): StlParams {
  const p = stlParams(params, tune);
  if (!(STL_TILES as readonly number[]).includes(p.t)) {
    throw new ParamError("tile", `must be one of ${STL_TILES.join(", ")}; got ${p.t}`);
  }
  const maxRank = p.t * p.t * p.t;
  if (!Number.isInteger(p.r) || p.r < 1 || p.r > maxRank) {
    throw new ParamError(
      "rank",
      `must be an integer in [1, ${maxRank}] (t³) for tile ${p.t}; got ${p.r}`,
    );
  }
  if (p.encoder === "strassen" && (p.t !== 2 || p.r !== 7)) {
    throw new ParamError(
      "encoder",
      `"strassen" needs tile 2 and rank 7; got tile ${p.t}, rank ${p.r}`,
    );
  }
  if (p.encoder === "strassen2" && (p.t !== 4 || p.r !== 49)) {
    throw new ParamError(
      "encoder",
      `"strassen2" needs tile 4 and rank 49; got tile ${p.t}, rank ${p.r}`,
    );
  }
  if (p.encoder === "file" && p.encoderFile === "") {
    throw new ParamError("encoderFile", 'is required when encoder is "file"');
  }
  if (p.encoder !== "file" && p.encoderFile !== "") {
    throw new ParamError(
      "encoderFile",
      `only applies to encoder "file"; got encoder ${JSON.stringify(p.encoder)}`,
    );
  }
  return p;
}
