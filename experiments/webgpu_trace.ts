/**
 * A WebGPU call tracer to preload before any Deno program that uses WebGPU (the task CLI and its
 * bundle included): it wraps the WebGPU methods a library calls per operation and prints, every
 * `WEBGPU_TRACE_EVERY` seconds (default 5) and at exit, how many calls of each ran since the last
 * line and how long they held the JavaScript thread (for `mapAsync` and the async pipeline
 * constructor: how long until they resolved).
 *
 * ```sh
 * deno run -A --no-config --preload experiments/webgpu_trace.ts .task-bundle/task.js --backend webgpu …
 * ```
 *
 * A diagnostic probe: it measures where a library's host time goes, never a kernel.
 *
 * @module
 */

type Stat = { n: number; ms: number; max: number };
const stats = new Map<string, Stat>();
const total = new Map<string, Stat>();

function add(name: string, ms: number): void {
  for (const m of [stats, total]) {
    const s = m.get(name) ?? { n: 0, ms: 0, max: 0 };
    s.n++;
    s.ms += ms;
    s.max = Math.max(s.max, ms);
    m.set(name, s);
  }
}

// deno-lint-ignore no-explicit-any
function wrap(proto: any, cls: string, names: string[]): void {
  for (const name of names) {
    const f = proto?.[name];
    if (typeof f !== "function") continue;
    const label = `${cls}.${name}`;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      const t = performance.now();
      const r = f.apply(this, args);
      if (r instanceof Promise) {
        return r.finally(() => add(label, performance.now() - t));
      }
      add(label, performance.now() - t);
      return r;
    };
  }
}

// deno-lint-ignore no-explicit-any
const g = globalThis as any;
wrap(g.GPUDevice?.prototype, "device", [
  "createBuffer",
  "createBindGroup",
  "createBindGroupLayout",
  "createPipelineLayout",
  "createShaderModule",
  "createComputePipeline",
  "createComputePipelineAsync",
  "createCommandEncoder",
  "createQuerySet",
]);
wrap(g.GPUQueue?.prototype, "queue", ["submit", "writeBuffer", "onSubmittedWorkDone"]);
wrap(g.GPUBuffer?.prototype, "buffer", ["mapAsync", "getMappedRange", "unmap", "destroy"]);
wrap(g.GPUCommandEncoder?.prototype, "encoder", [
  "beginComputePass",
  "copyBufferToBuffer",
  "resolveQuerySet",
  "finish",
]);
wrap(g.GPUComputePassEncoder?.prototype, "pass", [
  "setPipeline",
  "setBindGroup",
  "dispatchWorkgroups",
  "end",
]);

const t0 = performance.now();
let last = t0;

function line(label: string, m: Map<string, Stat>, since: number): string {
  const now = performance.now();
  const held = [...m.values()].reduce((a, s) => a + s.ms, 0);
  const parts = [...m.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([k, s]) => `${k} ${s.n}×${(s.ms / s.n).toFixed(3)}ms(max ${s.max.toFixed(1)})`);
  return `[${label} t=${((now - t0) / 1000).toFixed(1)}s over ${
    ((now - since) / 1000).toFixed(1)
  }s: calls held ${(held / 1000).toFixed(2)}s] ${parts.join(", ")}`;
}

const every = Number(Deno.env.get("WEBGPU_TRACE_EVERY") ?? "5") * 1000;
const timer = setInterval(() => {
  if (stats.size === 0) return;
  console.error(line("webgpu-trace", stats, last));
  stats.clear();
  last = performance.now();
}, every);
Deno.unrefTimer(timer);
globalThis.addEventListener(
  "unload",
  () => console.error(line("webgpu-trace total", total, t0)),
);
