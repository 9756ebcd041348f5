/**
 * Builds the encoder a case asks for, with what the result should say about it.
 *
 * @module
 */

import { isAbsolute, resolve } from "node:path";
import { cpAlsEncoder, type CpAlsFit } from "./cp_als.ts";
import { type Encoder, encoderNonzeros, maxAbsCoefficient } from "./encoder.ts";
import { loadEncoderFile } from "./encoder_file.ts";
import { tensorResidual } from "./matmul_tensor.ts";
import type { StlParams } from "./params.ts";
import { randomEncoder } from "./random_encoder.ts";
import { strassen2Encoder, strassenEncoder } from "./strassen.ts";

/**
 * An encoder plus facts for the result's notes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stlParams } from "./params.ts";
 * const built = await makeEncoder(stlParams({ tile: 2, rank: 7 }), 1, null); // auto: strassen
 * assert.equal(built.notes.tensorResidual, 0);
 * assert.equal(built.encoder.r, 7);
 * ```
 */
export interface BuiltEncoder {
  encoder: Encoder;
  /** Encoder facts: source, tensor residual, nonzeros, fit details, file path. */
  notes: Record<string, unknown>;
}

/**
 * Absolute path of an encoder file named in a suite (relative to the suite's directory, or to
 * the working directory for suites built in code).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(encoderFilePath("enc.json", "/suites"), "/suites/enc.json");
 * ```
 */
export function encoderFilePath(file: string, baseDir: string | null): string {
  return isAbsolute(file) ? file : resolve(baseDir ?? Deno.cwd(), file);
}

function fitNotes(fit: CpAlsFit): Record<string, unknown> {
  return {
    restarts: fit.options.restarts,
    maxSweeps: fit.options.maxIters,
    lambda: fit.options.lambda,
    seed: fit.options.seed,
    bestRestart: fit.bestRestart,
    restartResiduals: fit.restartResiduals,
    sweeps: fit.sweeps,
    fitMs: Math.round(fit.ms),
  };
}

/**
 * The encoder of resolved params `p`. cp-als fits are cached per (t, r) for the process; random
 * encoders come from the run's `seed`; file encoders are read relative to `baseDir`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stlParams } from "./params.ts";
 * const built = await makeEncoder(stlParams({ tile: 4, rank: 49 }), 1, null);
 * assert.ok(built.encoder.r === 49 && built.notes.tensorResidual === 0);
 * ```
 */
export async function makeEncoder(
  p: StlParams,
  seed: number,
  baseDir: string | null,
): Promise<BuiltEncoder> {
  let encoder: Encoder;
  const extra: Record<string, unknown> = {};
  switch (p.encoder) {
    case "strassen":
      encoder = strassenEncoder();
      break;
    case "strassen2":
      encoder = strassen2Encoder();
      break;
    case "cp-als": {
      const fit = cpAlsEncoder(p.t, p.r);
      encoder = fit.encoder;
      extra.fit = fitNotes(fit);
      break;
    }
    case "random":
      encoder = randomEncoder(p.t, p.r, seed);
      break;
    case "file": {
      const path = encoderFilePath(p.encoderFile, baseDir);
      encoder = await loadEncoderFile(path, p.t, p.r);
      extra.file = path;
      break;
    }
  }
  return {
    encoder,
    notes: {
      encoder: p.encoder,
      tensorResidual: tensorResidual(encoder),
      nonzeros: encoderNonzeros(encoder),
      maxAbsCoefficient: maxAbsCoefficient(encoder),
      ...extra,
    },
  };
}
