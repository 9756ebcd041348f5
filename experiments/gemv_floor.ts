/**
 * Diagnostic probe of the int4 GEMV in the harness's serial batch order (not a benchmark:
 * outputs are not checked, several kernels are wrong on purpose; never publish these as kernel
 * figures).
 *
 * Every dispatch of a pass writes the same Y (as the batch copies of the harness do since
 * `batch.order: "serial"`), so each waits for the previous one; inputs rotate over 8 copies (cold
 * L2); 8 passes are submitted per reading so the GPU's clock stays up. Sets, per dispatch:
 * `floor` (an empty kernel, flat stream reads of the packed words, the words read with GEMV-like
 * mappings and no arithmetic), `ablate` (the default f16x2 GEMV with one part of its work taken
 * away: loads, unpack, mask, offset, products, carry), `alu` (the per-pair arithmetic alone at
 * full occupancy, in several forms), `geometry` (the real kernel's knobs), `m16` (M = 16, f32
 * arithmetic, with X or the dequantisation taken away), `m16half` (M = 16 in packed halves, with
 * X's loads, its pairing, the weights' loads, scale and offset or the products taken away) and
 * `mcurve` (one geometry at M = 4 … 16, f32 arithmetic also with fewer registers, `lean`).
 *
 *   deno run -A experiments/gemv_floor.ts [K] [N] [repeats] [all|floor|ablate|alu|geometry|m16|m16half|mcurve]
 *
 * With 0 repeats each variant is only compiled, bound and run once, and a GPU error stops the
 * probe (tests/gemv_floor_test.ts runs every set that way on small shapes).
 *
 * @module
 */

import {
  chooseGemv,
  gemvWorkgroupBytes,
  int4GemvDispatch,
  type Int4GemvOptions,
  type Int4GemvTuning,
  int4GemvWgsl,
  withHeldExponent,
} from "../kernels/int4/gemv_wgsl.ts";
import { DEFAULT_SHADER_LIMITS } from "../harness/kernel.ts";
import {
  noCarry,
  noCvt,
  noDequant,
  noMask,
  noOffset,
  noPairing,
  noProducts,
  noProductsRows,
  noQ,
  noScaleOffset,
  noUnpack,
  noX,
  noX32,
} from "./gemv_floor_edits.ts";
import { guarded } from "../harness/gpu/guarded.ts";
import { acquireGpu } from "../harness/gpu/adapter.ts";

const K = Number(Deno.args[0] ?? 4096);
const N = Number(Deno.args[1] ?? 14336);
const REPEATS = Number(Deno.args[2] ?? 2);
const COPIES = 8;
const DISPATCHES = 64;

const gpu = await acquireGpu();
for (const f of ["timestamp-query", "shader-f16"]) {
  if (!gpu.features.has(f)) throw new Error(`the adapter lacks ${f}, which the probe needs`);
}
const device = gpu.device;

function buf(label: string, bytes: number, fill: number): GPUBuffer {
  const b = device.createBuffer({
    label,
    size: bytes,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(b, 0, new Uint32Array(bytes / 4).fill(fill));
  return b;
}

const qBytes = (K / 8) * N * 4;
const sBytes = Math.ceil((K / 128) * N * 2 / 4) * 4;

interface Variant {
  name: string;
  code: string;
  groups: number;
  /** Bindings (0 X, 1 Q, 2 S, 3 Z, 4 Y) the shader declares. */
  bindings: number[];
  /** Workgroup memory the GEMV takes (a variant over the device's limit is skipped). */
  workgroupBytes?: number;
}

/** Flat read of Q: `per` independent vec4 loads a thread, a warp's loads contiguous. */
function stream(per: number, wg: number): Variant {
  const threads = qBytes / 16 / per;
  const L = [
    `@group(0) @binding(1) var<storage, read> Q: array<vec4<u32>>;`,
    `@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f32>>;`,
    `@compute @workgroup_size(${wg})`,
    `fn main(@builtin(global_invocation_id) gid: vec3<u32>) {`,
  ];
  for (let i = 0; i < per; i++) L.push(`  let a${i} = Q[gid.x + ${i * threads}u];`);
  const x = Array.from({ length: per }, (_, i) => `a${i}`).join(" ^ ");
  L.push(`  let acc = ${x};`, `  if (acc.x == 0xdeadbeefu) { Y[gid.x % 64u] = vec4<f32>(1.0); }`);
  L.push(`  if (gid.x == 0u) { Y[0].y = Y[0].y + 1.0; }`, `}`);
  return {
    name: `stream Q ${per} vec4/thread wg${wg}`,
    code: L.join("\n"),
    groups: threads / wg,
    bindings: [1, 4],
  };
}

/** Q read with the GEMV's mapping (cols × slices threads, cpt 4), `rpt` rows a thread, no math. */
function mapped(cols: number, slices: number): Variant {
  const rows = K / 8;
  const nq = N / 4;
  const rpt = rows / slices;
  const L = [
    `@group(0) @binding(1) var<storage, read> Q: array<vec4<u32>>;`,
    `@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f32>>;`,
    `@compute @workgroup_size(${cols * slices})`,
    `fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {`,
    `  let qc = wid.x * ${cols}u + lid % ${cols}u;`,
    `  let r0 = (lid / ${cols}u) * ${rpt}u;`,
  ];
  for (let i = 0; i < rpt; i++) L.push(`  let a${i} = Q[(r0 + ${i}u) * ${nq}u + qc];`);
  const x = Array.from({ length: rpt }, (_, i) => `a${i}`).join(" ^ ");
  L.push(`  let acc = ${x};`, `  if (acc.x == 0xdeadbeefu) { Y[qc] = vec4<f32>(1.0); }`);
  L.push(`  if (lid == 0u) { Y[qc].y = Y[qc].y + 1.0; }`, `}`);
  return {
    name: `mapped Q cols${cols} slices${slices} (${rpt} vec4/thread)`,
    code: L.join("\n"),
    groups: N / 4 / cols,
    bindings: [1, 4],
  };
}

/**
 * Q read in a loop like the GEMV's walk (`unroll` loads a step, the next step loaded before the
 * current is used), `cols` × `slices` threads a workgroup, a thread's 16·(512/slices)… rows of
 * one column quad. `layout` "row": Q as [K/8][N/4] (the packed format); "quad": as [N/4][K/8]
 * (a column quad's rows contiguous). `lanes` "cols": a warp's lanes walk columns first; "slices":
 * slices first.
 */
function walk(
  cols: number,
  slices: number,
  unroll: number,
  layout: "row" | "quad",
  lanes: "cols" | "slices",
): Variant {
  const rows = K / 8;
  const nq = N / 4;
  const rpt = rows / slices;
  const at = (r: string) => layout === "row" ? `(${r}) * ${nq}u + qc` : `qc * ${rows}u + ${r}`;
  const [c, sl] = lanes === "cols"
    ? [`lid % ${cols}u`, `lid / ${cols}u`]
    : [`lid / ${slices}u`, `lid % ${slices}u`];
  const L = [
    `@group(0) @binding(1) var<storage, read> Q: array<vec4<u32>>;`,
    `@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f32>>;`,
    `@compute @workgroup_size(${cols * slices})`,
    `fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {`,
    `  let qc = wid.x * ${cols}u + ${c};`,
    `  let r0 = (${sl}) * ${rpt}u;`,
    `  let rEnd = r0 + ${rpt}u;`,
    `  var acc = vec4<u32>(0u);`,
  ];
  for (let u = 0; u < unroll; u++) L.push(`  var q${u} = Q[${at(`r0 + ${u}u`)}];`);
  L.push(`  var r = r0;`, `  loop {`);
  for (let u = 0; u < unroll; u++) L.push(`    let w${u} = q${u};`);
  L.push(`    let rn = r + ${unroll}u;`, `    if (rn < rEnd) {`);
  for (let u = 0; u < unroll; u++) L.push(`      q${u} = Q[${at(`rn + ${u}u`)}];`);
  L.push(`    }`);
  for (let u = 0; u < unroll; u++) L.push(`    acc = (acc ^ w${u}) * vec4<u32>(3u);`);
  L.push(`    r = rn;`, `    if (r >= rEnd) { break; }`, `  }`);
  L.push(`  if (acc.x == 0xdeadbeefu) { Y[qc] = vec4<f32>(1.0); }`);
  L.push(`  if (lid == 0u) { Y[qc].y = Y[qc].y + 1.0; }`, `}`);
  return {
    name: `walk ${layout} lanes-${lanes} cols${cols} slices${slices} unroll${unroll}`,
    code: L.join("\n"),
    groups: nq / cols,
    bindings: [1, 4],
  };
}

/**
 * Arithmetic microbenchmark of one way to turn a packed word into (q − zero)·x products: 8
 * independent chains a thread, `ITER` words each, the words made by an LCG in registers (no
 * memory). `body(u, j)` returns WGSL that updates accumulator `a<j>` from word `u`.
 */
function alu(name: string, acc: string, body: (u: string, j: number) => string[]): Variant {
  const ITER = 64;
  const L = [
    "enable f16;",
    `@group(0) @binding(4) var<storage, read_write> Y: array<f32>;`,
    `@compute @workgroup_size(256)`,
    `fn main(@builtin(global_invocation_id) gid: vec3<u32>) {`,
    `  let za = vec2<f16>(f16(1031.0 + f32(gid.x & 1u)));`,
    `  let x = vec2<f16>(f16(gid.x & 7u) * 0.001h, 0.002h);`,
    `  let za32 = vec2<f32>(za);`,
    `  let x32 = vec2<f32>(x);`,
  ];
  for (let j = 0; j < 8; j++) {
    L.push(`  var u${j} = gid.x * ${2 * j + 3}u;`, `  var a${j} = ${acc}();`);
  }
  L.push(`  for (var i = 0u; i < ${ITER}u; i++) {`);
  for (let j = 0; j < 8; j++) {
    L.push(
      `    u${j} = u${j} * 1664525u + 1013904223u;`,
      ...body(`u${j}`, j).map((l) => `    ${l}`),
    );
  }
  L.push("  }");
  const sum = Array.from({ length: 8 }, (_, j) => `f32(a${j}.x)`).join(" + ");
  L.push(
    `  let s = ${sum};`,
    `  if (s == 1234.5) { Y[gid.x] = s; }`,
    `  if (gid.x == 0u) { Y[0] = Y[0] + 1.0; }`,
    "}",
  );
  const threads = K >= 4096 ? 132 * 2048 * 2 : 256;
  return { name: `alu ${name}`, code: L.join("\n"), groups: threads / 256, bindings: [4] };
}

/** The per-pair paths the ALU microbenchmark compares (4 pairs a word: masks 0x000F000F <<4j). */
const ALU_PATHS: [string, string, (u: string, j: number) => string[]][] = [
  ["lcg only (pair from the word's low bits)", "vec2<f16>", (u, j) => [
    `a${j} = fma(vec2<f16>(f16(${u} & 1u), 1.0h), x, a${j});`,
  ]],
  [
    "f16x2 unpack (current)",
    "vec2<f16>",
    (u, j) =>
      [0, 1, 2, 3].map((i) =>
        `a${j} = fma(vec2<f16>(unpack2x16float((${u} & ${
          0x000f000f << (4 * i) >>> 0
        }u) | 0x64006400u)) - za, x, a${j});`
      ),
  ],
  [
    "unpack, offset in f32, to f16",
    "vec2<f16>",
    (u, j) =>
      [0, 1, 2, 3].map((i) =>
        `a${j} = fma(vec2<f16>(unpack2x16float((${u} & ${
          0x000f000f << (4 * i) >>> 0
        }u) | 0x64006400u) - za32), x, a${j});`
      ),
  ],
  [
    "unpack, f32 products",
    "vec2<f32>",
    (u, j) =>
      [0, 1, 2, 3].map((i) =>
        `a${j} = fma(unpack2x16float((${u} & ${
          0x000f000f << (4 * i) >>> 0
        }u) | 0x64006400u) - za32, x32, a${j});`
      ),
  ],
  [
    "f32 magic, to f16 pairs",
    "vec2<f16>",
    (u, j) =>
      [0, 1, 2, 3].map((i) =>
        `a${j} = fma(vec2<f16>(bitcast<vec2<f32>>((vec2<u32>(${u}, ${u} >> 16u) & vec2<u32>(${
          0xf << (4 * i)
        }u)) | vec2<u32>(0x4b000000u)) - vec2<f32>(8388608.0 + ${7 << (4 * i)}.0)), x, a${j});`
      ),
  ],
  [
    "f32 magic, f32 products (f32 path)",
    "vec2<f32>",
    (u, j) =>
      [0, 1, 2, 3].map((i) =>
        `a${j} = fma(bitcast<vec2<f32>>((vec2<u32>(${u}, ${u} >> 16u) & vec2<u32>(${
          0xf << (4 * i)
        }u)) | vec2<u32>(0x4b000000u)) - vec2<f32>(8388608.0 + ${7 << (4 * i)}.0), x32, a${j});`
      ),
  ],
  [
    "f16 from f32 scalar pair",
    "vec2<f16>",
    (u, j) =>
      [0, 1, 2, 3].map((i) =>
        `a${j} = fma(vec2<f16>(f16(bitcast<f32>((${u} & ${
          0xf << (4 * i)
        }u) | 0x4b000000u) - 8388608.0), f16(bitcast<f32>(((${u} >> 16u) & ${
          0xf << (4 * i)
        }u) | 0x4b000000u) - 8388608.0)), x, a${j});`
      ),
  ],
];

function empty(): Variant {
  return {
    name: "empty 448x128 (writes Y)",
    code: [
      `@group(0) @binding(4) var<storage, read_write> Y: array<f32>;`,
      `@compute @workgroup_size(128)`,
      `fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) l: u32) {`,
      `  if (wid.x == 0u && l == 0u) { Y[0] = Y[0] + 1.0; }`,
      `}`,
    ].join("\n"),
    groups: 448,
    bindings: [4],
  };
}

/** The options as the bench builds them: the decode's exponent held where its bytes fit. */
const held = (o: Int4GemvOptions) =>
  withHeldExponent(o, gemvWorkgroupBytes, DEFAULT_SHADER_LIMITS.maxComputeWorkgroupStorageSize);

/**
 * An int4 GEMV (f16 activations, f16x2 arithmetic), its text optionally rewritten by `edit` to
 * take a part of its work away (then its output is wrong: a diagnostic only).
 */
function gemv(name: string, tune: Int4GemvTuning, edit = (code: string) => code): Variant {
  const o = held(chooseGemv("f16", 1, K, N, 128, "f16", false, { math: "f16x2", ...tune }));
  return {
    name: `int4 f16x2 ${name} (cols${o.cols} slices${o.slices} unroll${o.unroll})`,
    code: edit(int4GemvWgsl(o).code),
    groups: int4GemvDispatch(o),
    bindings: [0, 1, 2, 3, 4],
    workgroupBytes: gemvWorkgroupBytes(o),
  };
}

/**
 * The int4 GEMV at M = 16 (its default f32 arithmetic, each weight dequantised once and used by
 * 16 FMAs), X in `x`, optionally rewritten by `edit` (a diagnostic only); another M with `m`.
 */
function gemv16(
  name: string,
  x: "f16" | "f32",
  tune: Int4GemvTuning,
  edit = (code: string) => code,
  m = 16,
): Variant {
  const o = held(chooseGemv(x, m, K, N, 128, "f16", false, tune));
  return {
    name: `int4 M${m} ${x} ${name} (cols${o.cols} cpt${o.cpt} slices${o.slices} unroll${o.unroll})`,
    code: edit(int4GemvWgsl(o).code),
    groups: int4GemvDispatch(o),
    bindings: [0, 1, 2, 3, 4],
    workgroupBytes: gemvWorkgroupBytes(o),
  };
}

/** Variant sets (the fourth argument picks one; all by default). */
const SETS: Record<string, () => Variant[]> = {
  // What reading the packed words costs without arithmetic, by access pattern.
  floor: () => [
    empty(),
    ...[1, 2, 4, 8].map((per) => stream(per, 256)),
    mapped(4, 32),
    mapped(8, 32),
    walk(4, 32, 2, "row", "cols"),
    walk(16, 32, 2, "row", "cols"),
    walk(4, 32, 2, "row", "slices"),
    walk(4, 32, 2, "quad", "slices"),
  ],
  // The default GEMV with one part of its work taken away at a time.
  ablate: () => [
    gemv("default", {}),
    gemv("no Q loads", {}, noQ),
    gemv("no X loads", {}, noX),
    gemv("no Q, X loads", {}, (c) => noX(noQ(c))),
    gemv("select for unpack", {}, noCvt),
    gemv("no unpack (words unused)", {}, noUnpack),
    gemv("no mask", {}, noMask),
    gemv("no offset", {}, noOffset),
    gemv("no products", {}, noProducts),
    gemv("no carry", {}, noCarry),
  ],
  // M = 16: the default with X or the dequantisation taken away, and geometries whose warps
  // share one K slice (32 column-threads: each X load the same address across the warp).
  m16: () => [
    gemv16("default", "f16", {}),
    gemv16("default", "f32", {}),
    gemv16("no X loads", "f16", {}, noX32),
    gemv16("no Q loads", "f16", {}, noQ),
    gemv16("no dequant", "f16", {}, noDequant),
    gemv16("cols16", "f16", { cols: 16 }),
    gemv16("cols32 s16", "f16", { cols: 32, slices: 16 }),
    gemv16("cols32 s32", "f16", { cols: 32, slices: 32 }),
    gemv16("cols32 cpt2 s16", "f16", { cols: 32, cpt: 2, slices: 16 }),
    gemv16("cols32 cpt2 s32", "f16", { cols: 32, cpt: 2, slices: 32 }),
    gemv16("cols16 cpt2 s32", "f16", { cols: 16, cpt: 2, slices: 32 }),
  ],
  // M = 16 in packed halves (gemvMath f16x2, f16 X): what each part of its work costs.
  m16half: () => [
    gemv16("default", "f16", {}),
    gemv16("f16x2", "f16", { math: "f16x2" }),
    gemv16("f16x2 no X loads", "f16", { math: "f16x2" }, noX),
    gemv16("f16x2 no Q loads", "f16", { math: "f16x2" }, noQ),
    gemv16("f16x2 no pairing of X", "f16", { math: "f16x2" }, noPairing),
    gemv16("f16x2 no scale/offset", "f16", { math: "f16x2" }, noScaleOffset),
    gemv16("f16x2 no products", "f16", { math: "f16x2" }, noProductsRows),
    gemv16("f16x2 cols32 s16", "f16", { math: "f16x2", cols: 32, slices: 16 }),
  ],
  // One geometry (8 column-threads x 32 slices, a step a packed row) at M = 4 … 16: how the
  // time grows with the products per weight (f32 arithmetic with f32 X; packed halves, f16 X).
  mcurve: () =>
    [4, 8, 12, 16].flatMap((m) => [
      gemv16("fixed geometry", "f32", { cols: 8, slices: 32, unroll: 1 }, undefined, m),
      gemv16(
        "lean fixed geometry",
        "f32",
        { cols: 8, slices: 32, unroll: 1, lean: true },
        undefined,
        m,
      ),
      gemv16(
        "f16x2 fixed geometry",
        "f16",
        {
          math: "f16x2",
          cols: 8,
          slices: 32,
          unroll: 1,
        },
        undefined,
        m,
      ),
    ]),
  // The per-pair arithmetic alone, at full occupancy.
  alu: () => ALU_PATHS.map(([name, acc, body]) => alu(name, acc, body)),
  // Geometries of the real kernel.
  geometry: () => [
    gemv("default", {}),
    gemv("cols4", { cols: 4 }),
    gemv("cols8", { cols: 8 }),
    gemv("cols16 unstaged", { cols: 16, stageX: false }),
    gemv("u4", { unroll: 4 }),
    gemv("s64 cols8", { slices: 64, cols: 8 }),
  ],
};
const chosen = Deno.args[3] ?? "all";
if (chosen !== "all" && !(chosen in SETS)) {
  throw new RangeError(`set must be one of all, ${Object.keys(SETS).join(", ")}; got "${chosen}"`);
}
const variants: Variant[] = chosen === "all"
  ? Object.values(SETS).flatMap((f) => f())
  : SETS[chosen]!();

const sets = Array.from({ length: COPIES }, (_, i) => ({
  x: buf(`X${i}`, 16 * K * 4, 0x3c003c00),
  q: buf(`Q${i}`, qBytes, 0x12345678),
  s: buf(`S${i}`, sBytes, 0x3c003c00),
  z: buf(`Z${i}`, sBytes, 0x48004800),
}));
const y = buf("Y", 16 * N * 4, 0);
/** Passes submitted together per reading: the GPU stays busy, so its clocks stay up. */
const PASSES = 8;
const qs = device.createQuerySet({ type: "timestamp", count: 2 * PASSES });
const resolve = device.createBuffer({
  size: 16 * PASSES,
  usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
});
const read = device.createBuffer({
  size: 16 * PASSES,
  usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
});

/** µs per dispatch of each of `PASSES` passes submitted back to back, the first left out. */
async function timePasses(v: Variant, pipeline: GPUComputePipeline, groups: GPUBindGroup[]) {
  for (let p = 0; p < PASSES; p++) {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass({
      timestampWrites: {
        querySet: qs,
        beginningOfPassWriteIndex: 2 * p,
        endOfPassWriteIndex: 2 * p + 1,
      },
    });
    pass.setPipeline(pipeline);
    for (let i = 0; i < DISPATCHES; i++) {
      pass.setBindGroup(0, groups[i % COPIES]!);
      pass.dispatchWorkgroups(v.groups);
    }
    pass.end();
    if (p === PASSES - 1) {
      enc.resolveQuerySet(qs, 0, 2 * PASSES, resolve, 0);
      enc.copyBufferToBuffer(resolve, 0, read, 0, 16 * PASSES);
    }
    device.queue.submit([enc.finish()]);
  }
  await read.mapAsync(GPUMapMode.READ);
  const t = new BigUint64Array(read.getMappedRange().slice(0));
  read.unmap();
  const out: number[] = [];
  for (let p = 1; p < PASSES; p++) out.push(Number(t[2 * p + 1]! - t[2 * p]!) / 1e3 / DISPATCHES);
  return out;
}

console.log(
  `floor probe K=${K} N=${N}: Q ${qBytes / 1e6} MB (+ S, Z ${2 * sBytes / 1e6} MB), ` +
    `${DISPATCHES} dependent dispatches a pass over ${COPIES} copies`,
);
// Pipelines, bind groups and each variant's first timing run inside error scopes (`guarded`): a
// variant the device rejects stops the probe instead of leaving `read` with the timestamps of
// the variant before.
const compiled = [];
const wgLimit = device.limits.maxComputeWorkgroupStorageSize;
for (const v of variants) {
  if ((v.workgroupBytes ?? 0) > wgLimit) {
    console.log(`skip ${v.name}: ${v.workgroupBytes} bytes of workgroup memory, over ${wgLimit}`);
    continue;
  }
  // An explicit layout of every declared binding: with "auto" a binding the edited code no
  // longer uses (the ablations that make Q or X in registers) would leave the layout.
  const layout = device.createBindGroupLayout({
    entries: v.bindings.map((binding) => ({
      binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: binding === 4 ? "storage" as const : "read-only-storage" as const },
    })),
  });
  const pipeline = await guarded(
    device,
    v.name,
    () =>
      Promise.resolve(device.createComputePipeline({
        label: v.name,
        layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module: device.createShaderModule({ code: v.code }), entryPoint: "main" },
      })),
  );
  const groups = await guarded(
    device,
    v.name,
    () =>
      Promise.resolve(sets.map((s) =>
        device.createBindGroup({
          layout,
          entries: [s.x, s.q, s.s, s.z, y]
            .map((buffer, binding) => ({ binding, resource: { buffer } }))
            .filter((e) => v.bindings.includes(e.binding)),
        })
      )),
  );
  compiled.push({ v, pipeline, groups });
}
if (REPEATS === 0) {
  // 0 repeats: each variant compiled, bound and run once under the error scopes, nothing timed.
  for (const { v, pipeline, groups } of compiled) {
    await guarded(device, v.name, () => timePasses(v, pipeline, groups));
    console.log(`ok ${v.name}`);
  }
}
for (let rep = 0; rep < REPEATS; rep++) {
  for (const { v, pipeline, groups } of compiled) {
    await guarded(device, v.name, () => timePasses(v, pipeline, groups));
    const t0 = performance.now();
    while (performance.now() - t0 < 150) await timePasses(v, pipeline, groups);
    const times: number[] = [];
    for (let i = 0; i < 4; i++) times.push(...await timePasses(v, pipeline, groups));
    times.sort((a, b) => a - b);
    const med = times[times.length >> 1]!;
    console.log(
      `${v.name.padEnd(52)} ${med.toFixed(2).padStart(7)} µs  ` +
        `p10 ${times[Math.floor(times.length / 10)]!.toFixed(2)}  ` +
        `${(qBytes / med / 1e3).toFixed(0)} GB/s on Q`,
    );
  }
}
