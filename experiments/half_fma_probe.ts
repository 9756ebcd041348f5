/**
 * Diagnostic probe of packed-half arithmetic (not a benchmark; nothing is checked): the FMA rate of
 * the product forms a register-blocked GEMM can be written in, each at full occupancy with
 * independent accumulators, in TFLOP/s (one FMA = 2 FLOPs, a `vec4` FMA 8).
 *
 * - `vec`: `a = fma(a, b, c)`, every operand a vector (the peaks' FMA microbenchmark).
 * - `splat`: the GEMM's outer-product step, `acc[r][j] = fma(vec4(x[r]), w[j], acc[r][j])`: one
 *   component of X splat across four columns of W (4 rows × 2 vec4 columns, two blocks).
 * - `scale`: the same step written `acc[r][j] + w[j] * x[r]` (vector times scalar).
 * - `carry`: `splat` 16 times, then (f16) every half partial added into an f32 accumulator and
 *   cleared, as the packed-half GEMM does once a 16-row slab (`halfCarry: 16`).
 * - `pair`: pairs of K, `acc[m][n] = fma(xk[m], wk[n], acc[m][n])` with `vec2` operands (X's and
 *   W's values at k and k + 1): no splat, each accumulator two partial sums of one output.
 *
 * - `smem4`, `smem8`: `splat` as the GEMM runs it, its operands read from workgroup memory: a slab
 *   of 16 rows of K, each row's 4 or 8 X values and 8 W values of a thread loaded (vec4 reads at
 *   constant offsets from the thread's base, as the 64×128 and 128×128 tiles read them), a barrier
 *   a slab, and in f16 the half partials carried into f32 once a slab. Against `splat`: whether the
 *   reads and their index arithmetic, not the FMA form, bound the packed halves.
 * - `rows4`, `rows8`: the same with each slab declared as an array of K rows (`As[k][i]`, as
 *   `slabs: rows` stages them): the runtime index `ty + i·16` is the same in every row, so its
 *   bounds clamp need not be repeated a read.
 * - `nobar8`: `smem8` without the barrier a slab.
 * - `fixed8`: `smem8` with every thread reading offset 0: constant indices (no clamps, no index
 *   arithmetic) and broadcast reads, the ceiling of the form whatever the layout.
 * - `dup4`, `dup8` (f16 only): `smem4`/`smem8` with X staged as duplicated pairs `(x, x)`, a thread's
 *   4 rows one 16-byte read, each row a ready `vec2<f16>` operand (no splat), and W's 8 columns of
 *   a thread one 16-byte read: `vec2<f16>` FMAs, carried into f32 once a slab.
 *
 * X's values change every iteration (one extra vector FMA a block), so nothing can be hoisted; the
 * extra FMAs are counted. Each form in f32 and f16.
 *
 *   deno run -A experiments/half_fma_probe.ts [iterations]
 *
 * @module
 */

import { acquireGpu } from "../harness/gpu/adapter.ts";
import { measureWorkload } from "../harness/measure/measure.ts";
import { DEFAULT_MEASURE } from "../harness/measure/options.ts";

const ITERS = Number(Deno.args[0] ?? 256);

/** A probe form: its WGSL declarations, loop body and final f32 sum, by scalar type. */
interface Form {
  decls: (t: string) => string[];
  body: (t: string) => string[];
  sum: (t: string) => string;
  /** Scalar FMAs a thread does an iteration. */
  fmas: number;
  /** Module-scope declarations (workgroup memory). */
  module?: (t: string) => string[];
  /** Iterations are slabs of {@link CARRY} steps (the loop runs `iters / CARRY` times). */
  slab?: boolean;
  /** The form exists in f16 only. */
  f16Only?: boolean;
}

const ROWS = 4;
const COLS = 2;
const BLOCKS = 2;
/** Iterations of the splat step between two carries of the half partials into f32 (`carry`). */
const CARRY = 16;

function blockAccs(): string[] {
  const out: string[] = [];
  for (let q = 0; q < BLOCKS; q++) {
    for (let r = 0; r < ROWS; r++) {
      for (let j = 0; j < COLS; j++) out.push(`acc${q}_${r}_${j}`);
    }
  }
  return out;
}

const forms: Record<string, Form> = {
  vec: {
    decls: (t) =>
      Array.from({ length: 16 }, (_, i) => `var a${i} = vec4<${t}>(${t}(gid.x % ${i + 3}u));`),
    body: () => Array.from({ length: 16 }, (_, i) => `a${i} = fma(a${i}, b, c);`),
    sum: () => Array.from({ length: 16 }, (_, i) => `vec4<f32>(a${i})`).join(" + "),
    fmas: 16 * 4,
  },
  splat: {
    decls: (t) => blockDecls(t),
    body: (t) => blockBody((x, r, w, acc) => `${acc} = fma(vec4<${t}>(${x}[${r}]), ${w}, ${acc});`),
    sum: () => blockSum(),
    fmas: BLOCKS * (ROWS * COLS + 1) * 4,
  },
  scale: {
    decls: (t) => blockDecls(t),
    body: () => blockBody((x, r, w, acc) => `${acc} = ${acc} + ${w} * ${x}[${r}];`),
    sum: () => blockSum(),
    fmas: BLOCKS * (ROWS * COLS + 1) * 4,
  },
  carry: {
    decls: (t) => [
      ...blockDecls(t),
      ...(t === "f16" ? blockAccs().map((a) => `var ${a}f = vec4<f32>(0.0);`) : []),
    ],
    body: (t) => [
      ...Array.from(
        { length: CARRY },
        () => blockBody((x, r, w, acc) => `${acc} = fma(vec4<${t}>(${x}[${r}]), ${w}, ${acc});`),
      ).flat(),
      ...(t === "f16"
        ? blockAccs().flatMap((a) => [`${a}f += vec4<f32>(${a});`, `${a} = vec4<f16>(0.0);`])
        : []),
    ],
    sum: (t) => t === "f16" ? blockAccs().map((a) => `${a}f`).join(" + ") : blockSum(),
    fmas: CARRY * BLOCKS * (ROWS * COLS + 1) * 4,
    slab: true,
  },
  pair: {
    decls: (t) => {
      const L: string[] = [];
      for (let m = 0; m < 4; m++) {
        L.push(`var xk${m} = vec2<${t}>(${t}(gid.x % ${m + 3}u), ${t}(0.5));`);
      }
      for (let n = 0; n < 8; n++) {
        L.push(`let wk${n} = vec2<${t}>(${t}(p[${n % 4}]), ${t}(p[${(n + 1) % 4}]));`);
      }
      for (let m = 0; m < 4; m++) {
        for (let n = 0; n < 8; n++) L.push(`var h${m}_${n} = vec2<${t}>(0.0);`);
      }
      return L;
    },
    body: () => {
      const L: string[] = [];
      for (let m = 0; m < 4; m++) L.push(`xk${m} = fma(xk${m}, b.xy, c.xy);`);
      for (let m = 0; m < 4; m++) {
        for (let n = 0; n < 8; n++) L.push(`h${m}_${n} = fma(xk${m}, wk${n}, h${m}_${n});`);
      }
      return L;
    },
    sum: () => {
      const terms: string[] = [];
      for (let m = 0; m < 4; m++) {
        for (let n = 0; n < 8; n++) terms.push(`vec2<f32>(h${m}_${n})`);
      }
      return `vec4<f32>(${terms.join(" + ")}, 0.0, 0.0)`;
    },
    fmas: (4 + 32) * 2,
  },
};

/** X vec4s a slab row holds (the 128×128 tile's 32, rounded up for a 256-thread grid). */
const SMEM_A = 64;
/** W vec4s a slab row holds (16 column-threads × 2 vec4s). */
const SMEM_B = 32;

/** How a `smem` form lays out and reads its slabs (see the module doc). */
interface SmemOpts {
  /** `rows`: each slab an array of K rows (`As[k][i]`), the runtime index the same every row. */
  rows?: boolean;
  /** No barrier a slab. */
  noBarrier?: boolean;
  /** Every thread reads from offset 0 (constant indices: no bounds clamps, broadcast reads). */
  fixed?: boolean;
}

/** `splat` read from workgroup memory, `tm` rows × 8 columns a thread (see the module doc). */
function smemForm(tm: 4 | 8, o: SmemOpts = {}): Form {
  const accs: string[] = [];
  for (let r = 0; r < tm; r++) for (let j = 0; j < 2; j++) accs.push(`acc_${r}_${j}`);
  const a = (kk: number, off: number) =>
    o.rows ? `As[${kk}][${off}u + ty]` : `As[${kk * SMEM_A + off}u + ty]`;
  const b = (kk: number, off: number) =>
    o.rows ? `Bs[${kk}][${off}u + tx]` : `Bs[${kk * SMEM_B + off}u + tx]`;
  return {
    module: (t) =>
      o.rows
        ? [
          `var<workgroup> As: array<array<vec4<${t}>, ${SMEM_A}>, ${CARRY}>;`,
          `var<workgroup> Bs: array<array<vec4<${t}>, ${SMEM_B}>, ${CARRY}>;`,
        ]
        : [
          `var<workgroup> As: array<vec4<${t}>, ${CARRY * SMEM_A}>;`,
          `var<workgroup> Bs: array<vec4<${t}>, ${CARRY * SMEM_B}>;`,
        ],
    decls: (t) => [
      o.fixed ? "let ty = 0u;" : "let ty = lid / 16u;",
      o.fixed ? "let tx = 0u;" : "let tx = lid % 16u;",
      `for (var s = 0u; s < ${CARRY}u; s++) {`,
      `  if (lid < ${SMEM_A}u) { ${
        o.rows ? "As[s][lid]" : `As[s * ${SMEM_A}u + lid]`
      } = vec4<${t}>(${t}(lid % 7u) * ${t}(0.01)) + ${t}(s); }`,
      `  if (lid < ${SMEM_B}u) { ${
        o.rows ? "Bs[s][lid]" : `Bs[s * ${SMEM_B}u + lid]`
      } = vec4<${t}>(p) + ${t}(s); }`,
      "}",
      "workgroupBarrier();",
      ...accs.map((a) => `var ${a} = vec4<${t}>(0.0);`),
      ...(t === "f16" ? accs.map((a) => `var ${a}f = vec4<f32>(0.0);`) : []),
    ],
    body: (t) => {
      const L: string[] = [];
      for (let kk = 0; kk < CARRY; kk++) {
        L.push("{");
        for (let i = 0; i < tm / 4; i++) L.push(`  let a${i} = ${a(kk, i * 16)};`);
        for (let j = 0; j < 2; j++) L.push(`  let b${j} = ${b(kk, j * 16)};`);
        for (let r = 0; r < tm; r++) {
          for (let j = 0; j < 2; j++) {
            L.push(
              `  acc_${r}_${j} = fma(vec4<${t}>(a${r >> 2}[${r % 4}]), b${j}, acc_${r}_${j});`,
            );
          }
        }
        L.push("}");
      }
      if (t === "f16") {
        for (const a of accs) L.push(`${a}f += vec4<f32>(${a});`, `${a} = vec4<f16>(0.0);`);
      }
      if (!o.noBarrier) L.push("workgroupBarrier();");
      return L;
    },
    sum: (t) => accs.map((a) => t === "f16" ? `${a}f` : `vec4<f32>(${a})`).join(" + "),
    fmas: CARRY * tm * 2 * 4,
    slab: true,
  };
}

forms.smem4 = smemForm(4);
forms.smem8 = smemForm(8);
forms.rows4 = smemForm(4, { rows: true });
forms.rows8 = smemForm(8, { rows: true });
forms.nobar8 = smemForm(8, { noBarrier: true });
forms.fixed8 = smemForm(8, { fixed: true });

/**
 * `smem` with X staged as duplicated pairs (f16 only): each X value stored twice (`vec2(x, x)`),
 * so a thread's 4 rows are one 16-byte read and each is a ready `vec2<f16>` operand (no splat);
 * W's 8 columns of a thread contiguous, one 16-byte read; `vec2<f16>` FMAs into `vec2` partials,
 * carried into f32 once a slab.
 */
function dupForm(tm: 4 | 8): Form {
  const accs: string[] = [];
  for (let r = 0; r < tm; r++) for (let j = 0; j < 2; j++) accs.push(`acc_${r}_${j}`);
  const parts: string[] = [];
  for (let r = 0; r < tm; r++) for (let q = 0; q < 4; q++) parts.push(`h_${r}_${q}`);
  return {
    f16Only: true,
    module: () => [
      `var<workgroup> As: array<array<vec2<f16>, 4>, ${CARRY * SMEM_A}>;`,
      `var<workgroup> Bs: array<array<vec2<f16>, 4>, ${(CARRY * SMEM_B) / 2}>;`,
    ],
    decls: () => [
      "let ty = lid / 16u;",
      "let tx = lid % 16u;",
      `for (var s = 0u; s < ${(CARRY * SMEM_A) / 256}u; s++) {`,
      "  let x = f16(lid % 7u) * f16(0.01) + f16(s);",
      "  for (var q = 0u; q < 4u; q++) { As[lid + s * 256u][q] = vec2<f16>(x + f16(q)); }",
      "}",
      `for (var s = 0u; s < ${(CARRY * SMEM_B) / 512}u; s++) {`,
      "  for (var q = 0u; q < 4u; q++) { Bs[lid + s * 256u][q] = vec2<f16>(p.xy) + f16(q + s); }",
      "}",
      "workgroupBarrier();",
      ...parts.map((h) => `var ${h} = vec2<f16>(0.0);`),
      ...accs.map((a) => `var ${a}f = vec4<f32>(0.0);`),
    ],
    body: () => {
      const L: string[] = [];
      for (let kk = 0; kk < CARRY; kk++) {
        L.push("{");
        for (let i = 0; i < tm / 4; i++) L.push(`  let a${i} = As[${kk * SMEM_A + i * 16}u + ty];`);
        L.push(`  let b = Bs[${(kk * SMEM_B) / 2}u + tx];`);
        for (let r = 0; r < tm; r++) {
          for (let q = 0; q < 4; q++) {
            L.push(
              `  h_${r}_${q} = fma(a${r >> 2}[${r % 4}], b[${q}], h_${r}_${q});`,
            );
          }
        }
        L.push("}");
      }
      for (let r = 0; r < tm; r++) {
        for (let j = 0; j < 2; j++) {
          L.push(
            `acc_${r}_${j}f += vec4<f32>(vec2<f32>(h_${r}_${2 * j}), vec2<f32>(h_${r}_${
              2 * j + 1
            }));`,
          );
        }
      }
      for (const h of parts) L.push(`${h} = vec2<f16>(0.0);`);
      L.push("workgroupBarrier();");
      return L;
    },
    sum: () => accs.map((a) => `${a}f`).join(" + "),
    fmas: CARRY * tm * 8,
    slab: true,
  };
}

forms.dup4 = dupForm(4);
forms.dup8 = dupForm(8);

function blockDecls(t: string): string[] {
  const L: string[] = [];
  for (let q = 0; q < BLOCKS; q++) {
    L.push(`var x${q} = vec4<${t}>(${t}(gid.x % ${q + 3}u) * ${t}(0.001));`);
    for (let j = 0; j < COLS; j++) {
      L.push(`let w${q}_${j} = vec4<${t}>(p.${["xyzw", "wzyx"][j]}) + ${t}(${q});`);
    }
    for (let r = 0; r < ROWS; r++) {
      for (let j = 0; j < COLS; j++) L.push(`var acc${q}_${r}_${j} = vec4<${t}>(0.0);`);
    }
  }
  return L;
}

function blockBody(
  step: (x: string, r: number, w: string, acc: string) => string,
): string[] {
  const L: string[] = [];
  for (let q = 0; q < BLOCKS; q++) {
    L.push(`x${q} = fma(x${q}, b, c);`);
    for (let r = 0; r < ROWS; r++) {
      for (let j = 0; j < COLS; j++) L.push(step(`x${q}`, r, `w${q}_${j}`, `acc${q}_${r}_${j}`));
    }
  }
  return L;
}

function blockSum(): string {
  return blockAccs().map((a) => `vec4<f32>(${a})`).join(" + ");
}

/**
 * WGSL of one form in one type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(probeWgsl("splat", "f16", 4), /fma\(vec4<f16>\(x0\[0\]\), w0_0, acc0_0_0\)/);
 * ```
 */
export function probeWgsl(name: string, t: "f32" | "f16", iters: number): string {
  const f = forms[name]!;
  return [
    ...(t === "f16" ? ["enable f16;"] : []),
    "@group(0) @binding(0) var<storage, read_write> out: array<vec4<f32>>;",
    "@group(0) @binding(1) var<uniform> p: vec4<f32>;",
    ...(f.module?.(t) ?? []),
    "@compute @workgroup_size(256)",
    "fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {",
    `  let b = vec4<${t}>(p);`,
    `  let c = vec4<${t}>(p.wzyx);`,
    ...f.decls(t).map((l) => `  ${l}`),
    `  for (var i = 0u; i < ${iters}u; i++) {`,
    ...f.body(t).map((l) => `    ${l}`),
    "  }",
    `  let s = ${f.sum(t)};`,
    "  if (s.x == 12345.678) { out[gid.x] = s; }",
    "}",
  ].join("\n");
}

if (import.meta.main) {
  const gpu = await acquireGpu();
  const { device, features, info } = gpu;
  const software = info.isFallbackAdapter;
  const groups = software ? 8 : 4096;
  const iters = software ? 2 : ITERS;
  const opts = { ...DEFAULT_MEASURE, minSamples: 5, maxSamples: 50, maxTimeMs: 300, warmupMs: 100 };
  const uni = device.createBuffer({
    size: 16,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(uni, 0, new Float32Array([0.999, 1.0001, 0.5, 0.25]));
  const out = device.createBuffer({ size: groups * 256 * 16, usage: GPUBufferUsage.STORAGE });
  console.log(`${info.vendor} ${info.description || info.device}`);
  // Two passes: a form timed while the clock still climbs reads low in the first.
  console.log("pass form   type  TFLOP/s  median_ms  noise");
  for (const pass of [1, 2]) {
    for (const name of Object.keys(forms)) {
      for (const t of ["f32", "f16"] as const) {
        if (t === "f16" && !features.has("shader-f16")) continue;
        if (t === "f32" && forms[name]!.f16Only) continue;
        const n = forms[name]!.slab ? Math.max(1, iters / CARRY) : iters;
        const module = device.createShaderModule({ code: probeWgsl(name, t, n) });
        const pipeline = await device.createComputePipelineAsync({
          layout: "auto",
          compute: { module, entryPoint: "main" },
        });
        const bg = device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [{ binding: 0, resource: { buffer: out } }, {
            binding: 1,
            resource: { buffer: uni },
          }],
        });
        const time = await measureWorkload(gpu, {
          label: `${name}-${t}`,
          dispatch(pass) {
            pass.setPipeline(pipeline);
            pass.setBindGroup(0, bg);
            pass.dispatchWorkgroups(groups);
          },
        }, opts);
        const flops = groups * 256 * n * forms[name]!.fmas * 2;
        console.log(
          `${pass}    ${name.padEnd(6)} ${t}  ${
            (flops / (time.median * 1e-3) / 1e12).toFixed(2).padStart(7)
          }  ` +
            `${time.median.toFixed(4).padStart(9)}  ${(time.noise * 100).toFixed(2)}%`,
        );
      }
    }
  }
}
