/**
 * Diagnostic probe for the int4 GEMV (not a benchmark: results are not checked, never publish
 * them as kernel figures). Times, back to back with 8 rotating buffer copies (cold L2), the real
 * int4 GEMV next to kernels that read the same bytes with the same thread mapping but do no
 * dequantisation, to tell memory-pattern limits from instruction limits.
 *
 *   deno run -A scripts/gpu/gemv_probe.ts [K] [N]
 *
 * @module
 */

import {
  chooseGemv,
  int4GemvDispatch,
  type Int4GemvTuning,
  int4GemvWgsl,
} from "../../kernels/int4/gemv_wgsl.ts";

const K = Number(Deno.args[0] ?? 4096);
const N = Number(Deno.args[1] ?? 14336);
const COPIES = 8;
const DISPATCHES = 64;

const adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
if (!adapter) throw new Error("no adapter");
const device = await adapter.requestDevice({
  requiredFeatures: ["timestamp-query", "shader-f16"],
  requiredLimits: {
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
    maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
  },
});

function buf(label: string, bytes: number, fill = 0x12345678): GPUBuffer {
  const b = device.createBuffer({
    label,
    size: bytes,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(b, 0, new Uint32Array(bytes / 4).fill(fill));
  return b;
}

/** Read-only kernel with the GEMV's mapping: `cols` × `slices` threads, vec4<u32> per row. */
function loadOnlyWgsl(cols: number, slices: number, unroll: number): string {
  const rows = K / 8;
  const nq = N / 4;
  const rpt = rows / slices;
  const L = [
    `@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;`,
    `@group(0) @binding(1) var<storage, read> Q: array<vec4<u32>>;`,
    `@group(0) @binding(2) var<storage, read> S: array<u32>;`,
    `@group(0) @binding(3) var<storage, read> Z: array<u32>;`,
    `@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f32>>;`,
    `@compute @workgroup_size(${cols * slices})`,
    `fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {`,
    `  let c = lid % ${cols}u;`,
    `  let s = lid / ${cols}u;`,
    `  let qc = wid.x * ${cols}u + c;`,
    `  var acc = vec4<u32>(0u);`,
    `  for (var r = s * ${rpt}u; r < (s + 1u) * ${rpt}u; r += ${unroll}u) {`,
  ];
  for (let u = 0; u < unroll; u++) L.push(`    acc = acc ^ Q[(r + ${u}u) * ${nq}u + qc];`);
  L.push(
    `  }`,
    `  if (acc.x == 0xdeadbeefu) { Y[qc] = vec4<f32>(X[0].x); }`,
    `}`,
  );
  return L.join("\n");
}

/** Grid-stride stream read of Q as flat vec4<u32> (the floor for reading these bytes). */
function streamWgsl(threads: number, total: number): string {
  const per = total / threads;
  const L = [
    `@group(0) @binding(1) var<storage, read> Q: array<vec4<u32>>;`,
    `@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f32>>;`,
    `@compute @workgroup_size(128)`,
    `fn main(@builtin(global_invocation_id) gid: vec3<u32>) {`,
    `  var acc = vec4<u32>(0u);`,
  ];
  for (let i = 0; i < per; i++) L.push(`  acc = acc ^ Q[gid.x + ${i * threads}u];`);
  L.push(`  if (acc.x == 0xdeadbeefu) { Y[gid.x] = vec4<f32>(1.0); }`, `}`);
  return L.join("\n");
}

interface Variant {
  name: string;
  code: string;
  groups: number;
  dtype: "f32" | "f16";
  /** Which of the set's buffers (0 X, 1 Q, 2 S, 3 Z, 4 Y) it binds; all when absent. */
  bindings?: number[];
}

/** A kernel that does nothing (the fixed cost of a dispatch in this timing). */
function emptyWgsl(threads: number, readWrite: boolean): string {
  return [
    readWrite
      ? `@group(0) @binding(4) var<storage, read_write> Y: array<f32>;`
      : `@group(0) @binding(1) var<storage, read> Q: array<u32>;`,
    `@compute @workgroup_size(${threads})`,
    `fn main(@builtin(workgroup_id) wid: vec3<u32>) {`,
    readWrite
      ? `  if (wid.x == 0xffffffffu) { Y[0] = 1.0; }`
      : `  if (wid.x == 0xffffffffu && Q[0] == 7u) { return; }`,
    `}`,
  ].join("\n");
}

/** Dispatch fixed costs: empty kernels with and without a read-write binding. */
function emptyVariants(tag: string): Variant[] {
  return [
    {
      name: `empty 448x128, read_write Y ${tag}`,
      code: emptyWgsl(128, true),
      groups: 448,
      dtype: "f32",
      bindings: [4],
    },
    {
      name: `empty 448x128, read-only ${tag}`,
      code: emptyWgsl(128, false),
      groups: 448,
      dtype: "f32",
      bindings: [1],
    },
    {
      name: `empty 1x32, read_write Y ${tag}`,
      code: emptyWgsl(32, true),
      groups: 1,
      dtype: "f32",
      bindings: [4],
    },
  ];
}

const variants: Variant[] = [...emptyVariants("(first)")];
const configs: [string, Int4GemvTuning][] = [["default", {}], ["accs=2", { accs: 2 }]];
for (const dtype of ["f32"] as const) {
  for (const [name, tune] of configs) {
    const o = chooseGemv(dtype, 1, K, N, 128, "f16", false, tune);
    variants.push({
      name: `int4 ${dtype} ${name}`,
      code: int4GemvWgsl(o),
      groups: int4GemvDispatch(o),
      dtype,
    });
  }
}
variants.push({
  name: "load-only slices=16 unroll=4",
  code: loadOnlyWgsl(8, 16, 4),
  groups: N / 32,
  dtype: "f32",
});

const qBytes = (K / 8) * N * 4;
for (const per of [8, 16]) {
  const threads = qBytes / 16 / per;
  variants.push({
    name: `stream read ${per} vec4/thread`,
    code: streamWgsl(threads, qBytes / 16),
    groups: threads / 128,
    dtype: "f32",
  });
}
variants.push(...emptyVariants("(last)"));
const sBytes = Math.ceil((K / 128) * N * 2 / 4) * 4;
const sets = Array.from({ length: COPIES }, (_, i) => ({
  x: buf(`X${i}`, K * 4, 0x3f800000),
  q: buf(`Q${i}`, qBytes),
  s: buf(`S${i}`, sBytes, 0x3c003c00),
  z: buf(`Z${i}`, sBytes, 0x48004800),
  y: buf(`Y${i}`, N * 4),
}));
const qs = device.createQuerySet({ type: "timestamp", count: 2 });
const resolve = device.createBuffer({
  size: 16,
  usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
});
const read = device.createBuffer({
  size: 16,
  usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
});

async function timePass(v: Variant, pipeline: GPUComputePipeline, groups: GPUBindGroup[]) {
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass({
    timestampWrites: { querySet: qs, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 },
  });
  pass.setPipeline(pipeline);
  for (let i = 0; i < DISPATCHES; i++) {
    pass.setBindGroup(0, groups[i % COPIES]!);
    pass.dispatchWorkgroups(v.groups);
  }
  pass.end();
  enc.resolveQuerySet(qs, 0, 2, resolve, 0);
  enc.copyBufferToBuffer(resolve, 0, read, 0, 16);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const t = new BigUint64Array(read.getMappedRange().slice(0));
  read.unmap();
  return Number(t[1]! - t[0]!) / 1e6 / DISPATCHES; // ms per dispatch
}

console.log(`probe K=${K} N=${N}: Q ${qBytes / 1e6} MB, ${DISPATCHES} dispatches / pass`);
for (const v of variants) {
  const pipeline = device.createComputePipeline({
    label: v.name,
    layout: "auto",
    compute: { module: device.createShaderModule({ code: v.code }), entryPoint: "main" },
  });
  const groups = sets.map((s) =>
    device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [s.x, s.q, s.s, s.z, s.y]
        .map((buffer, binding) => ({ binding, resource: { buffer } }))
        .filter((e) =>
          v.bindings ? v.bindings.includes(e.binding) : !v.name.startsWith("stream") ||
            e.binding === 1 || e.binding === 4
        ),
    })
  );
  const t0 = performance.now();
  while (performance.now() - t0 < 400) await timePass(v, pipeline, groups); // clocks up
  const times: number[] = [];
  for (let i = 0; i < 30; i++) times.push(await timePass(v, pipeline, groups));
  times.sort((a, b) => a - b);
  const med = times[15]!;
  console.log(
    `${v.name.padEnd(36)} ${(med * 1000).toFixed(2)} µs  ${
      (qBytes / med / 1e6).toFixed(0)
    } GB/s on Q`,
  );
}
