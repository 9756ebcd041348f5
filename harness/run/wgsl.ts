/**
 * `deno task wgsl KERNEL SHAPE [name=value…]`: the exact WGSL of a case's pipelines, without an
 * adapter. The kernel's `shaders` gives the texts its `plan` compiles; device features are
 * assumed present unless `--features` lists the ones the device has, and device limits are a
 * typical discrete GPU's (`DEFAULT_SHADER_LIMITS`) unless `--limit name=value` sets them.
 *
 * @module
 */

import { builtinKernels } from "../../kernels/mod.ts";
import { parseCommandLine, UsageError, withUsage } from "../cli_args.ts";
import {
  DEFAULT_SHADER_LIMITS,
  type KernelDescriptor,
  ParamError,
  type ParamSpec,
  type ShaderLimits,
  type ShaderText,
  SkipCase,
} from "../kernel.ts";
import type { DType, Params, ParamValue, Shape } from "../types.ts";

const HELP = `usage: deno task wgsl KERNEL MxKxN [name=value…] [options]

Prints the WGSL of every pipeline the case compiles, in dispatch order, each after a line
"// ==== <label> ====". No GPU is needed.

  KERNEL              a kernel name (${builtinKernels.map((k) => k.name).join(", ")})
  MxKxN               the shape, e.g. 1x4096x14336
  name=value          a kernel parameter or tuning knob as in a suite entry (group=128,
                      method=awq, rank=49, gemvSlices=64); dtype=f32|f16 sets the
                      activation dtype (default f32)
  --features LIST     the device's features, comma-separated (default: every feature present)
  --limit NAME=VALUE  a device limit the shaders depend on (default: a typical discrete GPU's;
                      several as a comma-separated list), one of
                      ${Object.keys(DEFAULT_SHADER_LIMITS).join(",\n                      ")}
  --seed N            the run's seed (stl random encoders; default 42)
  --out DIR           also write each shader to DIR/<label>.wgsl
  -h, --help          this help`;

/** The WebGPU feature names `--features` takes (the specification's `GPUFeatureName`). */
const WEBGPU_FEATURES: readonly string[] = [
  "core-features-and-limits",
  "depth-clip-control",
  "depth32float-stencil8",
  "texture-compression-bc",
  "texture-compression-bc-sliced-3d",
  "texture-compression-etc2",
  "texture-compression-astc",
  "texture-compression-astc-sliced-3d",
  "timestamp-query",
  "indirect-first-instance",
  "shader-f16",
  "rg11b10ufloat-renderable",
  "bgra8unorm-storage",
  "float32-filterable",
  "float32-blendable",
  "clip-distances",
  "dual-source-blending",
  "subgroups",
  "texture-formats-tier1",
  "texture-formats-tier2",
  "primitive-index",
];

/** A parsed `deno task wgsl` request. */
export interface WgslRequest {
  kernel: KernelDescriptor;
  shape: Shape;
  dtype: DType;
  /** Public parameters given (defaults are the kernel's). */
  params: Params;
  /** Tuning knobs given. */
  tune: Params;
  /** The device's features, or null for "every feature present". */
  features: Set<string> | null;
  limits: ShaderLimits;
  seed: number;
  out: string | null;
}

/** `text` as the type `spec` declares (the kernel's `resolve` checks the value). */
function typedValue(spec: ParamSpec, text: string): ParamValue {
  if (spec.type === "int" || spec.type === "number") return text.trim() === "" ? NaN : Number(text);
  if (spec.type === "bool") return text === "true" ? true : text === "false" ? false : text;
  return text;
}

/**
 * Parses the command line of `deno task wgsl` against `registry`; a bad argument is a
 * {@link UsageError} naming it and what is allowed. Null for `--help`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinKernels } from "../../kernels/mod.ts";
 * const r = parseWgslArgs(["int4", "1x4096x14336", "group=128", "dtype=f16"], builtinKernels)!;
 * assert.equal(r.kernel.name, "int4");
 * assert.deepEqual(r.shape, { m: 1, k: 4096, n: 14336 });
 * assert.equal(r.params.group, 128);
 * assert.deepEqual(r.tune, {});
 * assert.equal(r.dtype, "f16");
 * ```
 */
export function parseWgslArgs(
  args: string[],
  registry: readonly KernelDescriptor[],
): WgslRequest | null {
  const { values, positionals } = parseCommandLine(
    args,
    {
      features: { type: "string" },
      limit: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
    },
    HELP,
    true,
  );
  if (values.help) return null;
  const [name, shapeText, ...assignments] = positionals;
  const names = registry.map((k) => k.name).join(", ");
  if (name === undefined) {
    throw new UsageError(withUsage(`KERNEL is required (one of ${names})`, HELP));
  }
  const kernel = registry.find((k) => k.name === name);
  if (!kernel) throw new UsageError(`KERNEL must be one of ${names}; got "${name}"`);
  const sm = /^(\d+)x(\d+)x(\d+)$/.exec(shapeText ?? "");
  if (!sm) throw new UsageError(`SHAPE must be MxKxN with positive integers, got "${shapeText}"`);
  const shape = { m: Number(sm[1]), k: Number(sm[2]), n: Number(sm[3]) };
  if (!(shape.m >= 1 && shape.k >= 1 && shape.n >= 1)) {
    throw new UsageError(`SHAPE must be MxKxN with positive integers, got "${shapeText}"`);
  }
  let dtype: DType = "f32";
  const params: Params = {};
  const tune: Params = {};
  for (const a of assignments) {
    const eq = a.indexOf("=");
    if (eq <= 0) throw new UsageError(`parameters are name=value, got "${a}"`);
    const key = a.slice(0, eq);
    const text = a.slice(eq + 1);
    if (key === "dtype") {
      if (text !== "f32" && text !== "f16") {
        throw new UsageError(`dtype: must be one of "f32", "f16"; got "${text}"`);
      }
      dtype = text;
    } else if (kernel.params[key] || kernel.tune?.[key]) {
      const spec = (kernel.params[key] ?? kernel.tune![key])!;
      const value = typedValue(spec, text);
      if (typeof value === "number" && Number.isNaN(value)) {
        throw new UsageError(
          `${key}: must be a number, got "${text}"${
            text.includes(",") ? " (one value: wgsl prints one case)" : ""
          }`,
        );
      }
      (kernel.params[key] ? params : tune)[key] = value;
    } else {
      const names = ["dtype", ...Object.keys(kernel.params), ...Object.keys(kernel.tune ?? {})];
      throw new UsageError(`${kernel.name} has no parameter "${key}"; it has ${names.join(", ")}`);
    }
  }
  const limits: ShaderLimits = { ...DEFAULT_SHADER_LIMITS };
  for (const item of (values.limit ?? "").split(",").filter((s) => s.trim() !== "")) {
    const [key, text] = item.split("=");
    if (!key || !(key in limits)) {
      throw new UsageError(
        `--limit: the name must be one of ${Object.keys(limits).join(", ")}; got "${item}"`,
      );
    }
    const v = Number(text);
    if (!Number.isInteger(v) || v < 1) {
      throw new UsageError(`--limit ${key}: must be a positive integer, got "${text}"`);
    }
    limits[key as keyof ShaderLimits] = v;
  }
  const seed = values.seed === undefined ? 42 : Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new UsageError(`--seed: must be an integer ≥ 0, got "${values.seed}"`);
  }
  const features = values.features === undefined
    ? null
    : new Set(values.features.split(",").map((f) => f.trim()).filter((f) => f !== ""));
  const unknown = [...features ?? []].filter((f) => !WEBGPU_FEATURES.includes(f));
  if (unknown.length > 0) {
    throw new UsageError(
      `--features: ${unknown.map((f) => `"${f}"`).join(", ")} is not a WebGPU feature; one of ` +
        WEBGPU_FEATURES.join(", "),
    );
  }
  return { kernel, shape, dtype, params, tune, features, limits, seed, out: values.out ?? null };
}

/**
 * The shaders of a request, in dispatch order: the kernel's `resolve`, `check` and `requires`
 * first (a bad parameter or a missing feature is a {@link UsageError}), then its `shaders`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinKernels } from "../../kernels/mod.ts";
 * const r = parseWgslArgs(["dense", "64x128x96"], builtinKernels)!;
 * const shaders = await caseShaders(r);
 * assert.equal(shaders[0]!.label, "dense-gemm-f32-64x128x96");
 * ```
 */
export async function caseShaders(r: WgslRequest): Promise<ShaderText[]> {
  const { kernel, shape, dtype } = r;
  if (!kernel.shaders) {
    throw new UsageError(`kernel ${kernel.name} does not describe its shaders`);
  }
  let config: unknown;
  try {
    config = kernel.resolve(r.params, shape, dtype, r.tune);
    kernel.check?.(config, shape, dtype);
  } catch (e) {
    if (e instanceof ParamError) throw new UsageError(e.message);
    if (e instanceof SkipCase) throw new UsageError(`the case would be skipped: ${e.message}`);
    throw e;
  }
  const needs = kernel.requires?.(config, dtype) ?? [];
  const missing = r.features ? needs.filter((f) => !r.features!.has(f)) : [];
  if (missing.length > 0) {
    throw new UsageError(
      `the case needs the feature(s) ${missing.join(", ")}, not in --features`,
    );
  }
  try {
    return await kernel.shaders({
      shape,
      dtype,
      config,
      limits: r.limits,
      seed: r.seed,
      baseDir: null,
    });
  } catch (e) {
    if (e instanceof SkipCase) throw new UsageError(`the case would be skipped: ${e.message}`);
    throw e;
  }
}

/**
 * Shaders as `deno task wgsl` prints them: each after a line `// ==== <label> ====`, texts
 * unchanged, a newline after each.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(formatShaders([{ label: "a", code: "x" }]), "// ==== a ====\nx\n");
 * ```
 */
export function formatShaders(shaders: readonly ShaderText[]): string {
  return shaders.map((s) => `// ==== ${s.label} ====\n${s.code}\n`).join("");
}

/**
 * Runs `deno task wgsl` with `args`; returns the exit code (2 for a usage error).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinKernels } from "../../kernels/mod.ts";
 * // prints the shaders of one case (no GPU needed): here the int4 GEMV at M = 1
 * assert.equal(await wgslMain(["int4", "1x64x64", "group=32"], builtinKernels), 0);
 * assert.equal(await wgslMain(["int4", "64x64"], builtinKernels), 2); // not MxKxN
 * assert.equal(await wgslMain(["int4", "1x64x64", "group=32,64"], builtinKernels), 2);
 * assert.equal(await wgslMain(["int4", "1x64x64", "--features", "shader-f17"], builtinKernels), 2);
 * // --out a file: a usage error, not a stack trace
 * assert.equal(await wgslMain(["int4", "1x64x64", "group=32", "--out", "README.md"], builtinKernels), 2);
 * ```
 */
export async function wgslMain(
  args: string[],
  registry: readonly KernelDescriptor[],
): Promise<number> {
  try {
    const r = parseWgslArgs(args, registry);
    if (!r) {
      console.log(HELP);
      return 0;
    }
    const shaders = await caseShaders(r);
    if (r.out !== null) {
      try {
        Deno.mkdirSync(r.out, { recursive: true });
        for (const s of shaders) {
          const file = `${s.label.replace(/[^A-Za-z0-9._-]/g, "_")}.wgsl`;
          Deno.writeTextFileSync(`${r.out}/${file}`, s.code);
        }
      } catch (e) {
        const fsErrors = [
          Deno.errors.NotCapable,
          Deno.errors.PermissionDenied,
          Deno.errors.AlreadyExists,
          Deno.errors.NotADirectory,
          Deno.errors.IsADirectory,
          Deno.errors.NotFound,
        ];
        if (!fsErrors.some((c) => e instanceof c)) throw e;
        throw new UsageError(
          `--out ${r.out}: cannot write the shaders there (${(e as Error).message})`,
        );
      }
    }
    await Deno.stdout.write(new TextEncoder().encode(formatShaders(shaders)));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`wgsl: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (import.meta.main) {
  Deno.exit(await wgslMain(Deno.args, builtinKernels));
}
