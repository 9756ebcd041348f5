/**
 * Diagnostic (not a benchmark): the machine code an NVIDIA driver compiles a WGSL compute shader
 * to, through Deno's WebGPU on Vulkan. Each WGSL file is compiled into a pipeline in a child process
 * whose NVIDIA shader disk cache (`__GL_SHADER_DISK_CACHE_PATH`) is a folder of its own; the cache
 * entries are zstd frames, and the frames that hold compiled code start with `NVDANVVMNVuc`. Their
 * instructions (from the first `S2R` to the last padding `NOP`) are written as `kN.code`, and with
 * the CUDA toolkit's `nvdisasm` on the PATH disassembled to `kN.code.sass`
 * (`nvdisasm --binary SM90`); a summary gives each kernel's instruction count, highest register
 * and most frequent opcodes. Shaders with the same label are dumped to folders of their own
 * (`<label>-2`, …).
 *
 *   deno task wgsl dense 4096x4096x4096 > /tmp/dense.wgsl
 *   deno run -A experiments/sass.ts /tmp/sass /tmp/dense.wgsl [more.wgsl…] [--arch SM90]
 *
 * A file `deno task wgsl` wrote with several pipelines (`// ==== <label> ====` before each) is
 * split into one shader a pipeline, each dumped under its label.
 *
 * The cache format is the driver's, not a documented interface: this worked with driver 580 on
 * Hopper GPUs. Besides the shader, a cache holds the driver's own small pipelines; the largest
 * kernel is the shader's.
 *
 * @module
 */

import { zstdDecompressSync } from "node:zlib";

const NVUC = "NVDANVVMNVuc";
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** Hopper's padding NOP (`NOP` with the stall bits the driver pads kernels with). */
const PAD_NOP = [0x18, 0x79, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0x0f, 0];

/**
 * Offsets of the zstd frames in a cache file (where the frame magic occurs).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const b = new Uint8Array([1, 0x28, 0xb5, 0x2f, 0xfd, 9, 0x28, 0xb5, 0x2f, 0xfd]);
 * assert.deepEqual(zstdFrameOffsets(b), [1, 6]);
 * ```
 */
export function zstdFrameOffsets(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= b.length; i++) {
    if (ZSTD_MAGIC.every((v, k) => b[i + k] === v)) out.push(i);
  }
  return out;
}

/**
 * The instruction bytes of a compiled-code blob: from the first `S2R` (opcode bytes `19 79`, a
 * kernel's first instruction reads a special register) after the 256-byte header to the end of
 * the last padding `NOP`; null when either is missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const blob = new Uint8Array(0x100 + 48);
 * blob.set([0x19, 0x79], 0x108);
 * blob.set([0x18, 0x79, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0x0f, 0], 0x118);
 * assert.deepEqual(codeRange(blob), [0x108, 0x128]);
 * ```
 */
export function codeRange(blob: Uint8Array): [number, number] | null {
  let start = -1;
  for (let i = 0x100; i + 1 < blob.length; i++) {
    if (blob[i] === 0x19 && blob[i + 1] === 0x79) {
      start = i;
      break;
    }
  }
  if (start < 0) return null;
  for (let i = blob.length - 16; i > start; i--) {
    if (PAD_NOP.every((v, k) => blob[i + k] === v)) return [start, i + 16];
  }
  return null;
}

/**
 * The pipelines of a `deno task wgsl` output: each `// ==== <label> ====` line starts one; a text
 * without such a line is one shader named `name`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = "// ==== a ====\nfn x() {}\n// ==== b ====\nfn y() {}\n";
 * assert.deepEqual(splitPipelines(text, "f").map((p) => p.name), ["a", "b"]);
 * assert.equal(splitPipelines("fn z() {}", "f")[0]!.code, "fn z() {}");
 * ```
 */
export function splitPipelines(text: string, name: string): { name: string; code: string }[] {
  const parts = text.split(/^\/\/ ==== (.+) ====$/m);
  if (parts.length === 1) return [{ name, code: text }];
  const out: { name: string; code: string }[] = [];
  for (let i = 1; i + 1 < parts.length; i += 2) out.push({ name: parts[i]!, code: parts[i + 1]! });
  return out;
}

/** Decompresses the frame at `offset`, which ends somewhere before `end` (trailing bytes vary). */
function frameAt(b: Uint8Array, offset: number, end: number): Uint8Array | null {
  for (let cut = 0; cut < 64 && end - cut > offset; cut++) {
    try {
      return new Uint8Array(zstdDecompressSync(b.subarray(offset, end - cut)));
    } catch {
      // a shorter slice: the frame ends before the next one's magic
    }
  }
  return null;
}

function* cacheFiles(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) yield* cacheFiles(p);
    else if (p.endsWith(".bin")) yield p;
  }
}

/**
 * The highest general register a disassembly names (`R0`…`R254`; `RZ` is not one): with the
 * workgroup size, what bounds the workgroups an SM holds by its register file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(highestRegister("FFMA R12, R3, R100, RZ ;\nMOV R7, R2 ;"), 100);
 * assert.equal(highestRegister("EXIT ;"), -1);
 * ```
 */
export function highestRegister(sass: string): number {
  let top = -1;
  for (const m of sass.matchAll(/\bR(\d+)\b/g)) top = Math.max(top, Number(m[1]));
  return top;
}

/**
 * A folder name under `out` for a dump named `name` that no earlier dump of this run took: `name`,
 * else `name-2`, `name-3`… (two shaders with one label must not share a shader cache, or the
 * second would be summarised from the first's kernels).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const taken = new Set(["a", "a-2"]);
 * assert.equal(freshName("a", taken), "a-3");
 * assert.equal(freshName("b", taken), "b");
 * ```
 */
export function freshName(name: string, taken: Set<string>): string {
  let n = name;
  for (let i = 2; taken.has(n); i++) n = `${name}-${i}`;
  taken.add(n);
  return n;
}

/** Opcode counts of a disassembly, most frequent first. */
function opcodes(sass: string): [string, number][] {
  const ops = new Map<string, number>();
  for (const line of sass.split("\n")) {
    const m = line.match(/\/\*[0-9a-f]{4}\*\/\s+(?:@!?U?P\w+\s+)?([A-Z][A-Z0-9_]*)/);
    if (m) ops.set(m[1]!, (ops.get(m[1]!) ?? 0) + 1);
  }
  return [...ops.entries()].sort((a, b) => b[1] - a[1]);
}

async function compile(file: string): Promise<void> {
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new Error("no WebGPU adapter");
  const device = await adapter.requestDevice({
    requiredFeatures: adapter.features.has("shader-f16") ? ["shader-f16"] : [],
    requiredLimits: {
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
    },
  });
  device.pushErrorScope("validation");
  const module = device.createShaderModule({ code: Deno.readTextFileSync(file) });
  await device.createComputePipelineAsync({ layout: "auto", compute: { module } });
  const err = await device.popErrorScope();
  device.destroy();
  if (err) throw new Error(`${file}: ${err.message}`);
}

async function dump(out: string, name: string, code: string, arch: string): Promise<void> {
  const dir = `${out}/${name}`;
  Deno.mkdirSync(dir, { recursive: true });
  const file = `${dir}/${name}.wgsl`;
  Deno.writeTextFileSync(file, code);
  Deno.mkdirSync(`${dir}/cache`, { recursive: true });
  const child = await new Deno.Command(Deno.execPath(), {
    // No config: the child needs no dependencies, so it runs where no package cache is.
    args: ["run", "--no-config", "-A", import.meta.filename!, "--compile", file],
    env: {
      __GL_SHADER_DISK_CACHE: "1",
      __GL_SHADER_DISK_CACHE_PATH: `${dir}/cache`,
      __GL_SHADER_DISK_CACHE_SKIP_CLEANUP: "1",
    },
  }).output();
  if (!child.success) {
    console.log(`${name}: compile failed: ${new TextDecoder().decode(child.stderr).trim()}`);
    return;
  }
  const kernels: { file: string; bytes: number }[] = [];
  for (const f of cacheFiles(`${dir}/cache`)) {
    const b = Deno.readFileSync(f);
    const offs = zstdFrameOffsets(b);
    offs.forEach((o, j) => {
      const d = frameAt(b, o, offs[j + 1] ?? b.length);
      if (!d || new TextDecoder().decode(d.subarray(0, NVUC.length)) !== NVUC) return;
      const range = codeRange(d);
      if (!range) return;
      const code = `${dir}/k${kernels.length}.code`;
      Deno.writeFileSync(code, d.subarray(range[0], range[1]));
      kernels.push({ file: code, bytes: range[1] - range[0] });
    });
  }
  if (kernels.length === 0) {
    console.log(`${name}: no compiled code in the shader cache`);
    return;
  }
  const main = kernels.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  let line = `${name}: ${main.bytes / 16} instructions (${main.file})`;
  try {
    const dis = await new Deno.Command("nvdisasm", { args: ["--binary", arch, main.file] })
      .output();
    const sass = new TextDecoder().decode(dis.stdout);
    Deno.writeTextFileSync(`${main.file}.sass`, sass);
    line += `  highest register R${highestRegister(sass)}  ` +
      opcodes(sass).slice(0, 12).map(([op, n]) => `${op}:${n}`).join(" ");
  } catch {
    line += "  (nvdisasm not found: raw code only)";
  }
  console.log(line);
}

if (import.meta.main) {
  const args = [...Deno.args];
  if (args[0] === "--compile") {
    await compile(args[1]!);
  } else {
    const a = args.indexOf("--arch");
    const arch = a >= 0 ? args.splice(a, 2)[1]! : "SM90";
    const [out, ...files] = args;
    if (!out || files.length === 0) {
      console.error("usage: deno run -A experiments/sass.ts OUT_DIR FILE.wgsl... [--arch SM90]");
      Deno.exit(2);
    }
    const taken = new Set<string>();
    for (const f of files) {
      const base = f.split("/").pop()!.replace(/\.wgsl$/, "");
      for (const p of splitPipelines(Deno.readTextFileSync(f), base)) {
        await dump(out, freshName(p.name, taken), p.code, arch);
      }
    }
  }
}
