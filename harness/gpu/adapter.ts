/**
 * Adapter and device acquisition with the limits and features a benchmark run needs.
 *
 * @module
 */

import type { AdapterMeta } from "../types.ts";
import { ensureRuntimeDir, guessBackend } from "./environment.ts";

/** Which adapter to ask for. */
export type AdapterChoice = "high-performance" | "low-power" | "fallback";

/** Allowed values of `--adapter`. */
export const ADAPTER_CHOICES: readonly AdapterChoice[] = [
  "high-performance",
  "low-power",
  "fallback",
];

/**
 * A device ready for benchmarking, with what was asked for and what was granted.
 */
export interface GpuContext {
  /** The adapter the device was requested from. */
  adapter: GPUAdapter;
  /** The device, with the wanted features the adapter has and its raised limits. */
  device: GPUDevice;
  /** What the adapter reports about itself (vendor, architecture, device, description). */
  info: AdapterMeta;
  /** The adapter preference that was asked for. */
  choice: AdapterChoice;
  /** Features enabled on the device. */
  features: Set<string>;
  /** Limits granted to the device. */
  limits: Record<string, number>;
  /** Settles when the device is lost, with the reason. */
  lost: Promise<string>;
  /** True once `lost` has settled. */
  isLost(): boolean;
}

/** Raised when no WebGPU adapter can be had. The CLI turns it into exit code 2. */
export class NoAdapterError extends Error {
  /** Creates the error with a message that says how to get a software adapter. */
  constructor(detail: string) {
    super(
      `no WebGPU adapter available (${detail}).\n` +
        "  On a Linux machine without a GPU, install a software Vulkan adapter:\n" +
        "    sudo apt-get install -y mesa-vulkan-drivers libvulkan1\n" +
        "  On a machine with a GPU, install its Vulkan driver (NVIDIA: the proprietary driver's\n" +
        "  Vulkan ICD; AMD/Intel: mesa-vulkan-drivers). Try `--adapter fallback` to ask for a\n" +
        "  software adapter explicitly.",
    );
    this.name = "NoAdapterError";
  }
}

/** Optional features tilebench uses when present. */
const WANTED_FEATURES = ["timestamp-query", "shader-f16", "subgroups"];

/** Limits raised to the adapter's maximum: everything compute kernels may need. */
const RAISED_LIMITS = [
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupSizeY",
  "maxComputeWorkgroupSizeZ",
  "maxComputeWorkgroupsPerDimension",
  "maxStorageBuffersPerShaderStage",
  "maxUniformBufferBindingSize",
  "maxBindingsPerBindGroup",
];

/** Copies a GPUSupportedLimits object (its fields live on the prototype) to a plain record. */
export function limitsToRecord(limits: GPUSupportedLimits): Record<string, number> {
  const out: Record<string, number> = {};
  const proto = Object.getPrototypeOf(limits);
  for (const key of Object.keys(proto)) {
    const v = (limits as unknown as Record<string, unknown>)[key];
    if (typeof v === "number") out[key] = v;
  }
  return out;
}

/**
 * Requests an adapter and a device with raised limits and every useful optional feature.
 *
 * @example
 * ```ts ignore
 * const gpu = await acquireGpu("high-performance");
 * console.log(gpu.info.description, [...gpu.features]);
 * gpu.device.destroy();
 * ```
 */
export async function acquireGpu(choice: AdapterChoice = "high-performance"): Promise<GpuContext> {
  ensureRuntimeDir(); // before the first adapter: Mesa's window-system probe reads it
  if (typeof navigator === "undefined" || !("gpu" in navigator) || !navigator.gpu) {
    throw new NoAdapterError("navigator.gpu is missing in this runtime");
  }
  let adapter: GPUAdapter | null = null;
  try {
    adapter = choice === "fallback"
      ? await navigator.gpu.requestAdapter({ forceFallbackAdapter: true })
      : await navigator.gpu.requestAdapter({ powerPreference: choice });
    if (!adapter && choice === "fallback") adapter = await navigator.gpu.requestAdapter();
  } catch (e) {
    throw new NoAdapterError(`requestAdapter failed: ${(e as Error).message}`);
  }
  if (!adapter) throw new NoAdapterError("navigator.gpu.requestAdapter() returned null");

  const requiredFeatures = WANTED_FEATURES.filter((f) =>
    adapter.features.has(f as GPUFeatureName)
  ) as GPUFeatureName[];
  const adapterLimits = limitsToRecord(adapter.limits);
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) {
    const v = adapterLimits[name];
    if (typeof v === "number") requiredLimits[name] = v;
  }
  const device = await adapter.requestDevice({
    label: "tilebench",
    requiredFeatures,
    requiredLimits,
  });
  let lostFlag = false;
  const lost = device.lost.then((info) => {
    lostFlag = true;
    return `${info.reason}: ${info.message}`;
  });
  const ai = adapter.info;
  return {
    adapter,
    device,
    choice,
    info: {
      vendor: String(ai.vendor ?? ""),
      architecture: String(ai.architecture ?? ""),
      device: String(ai.device ?? ""),
      description: String(ai.description ?? ""),
      isFallbackAdapter: Boolean(
        (ai as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter,
      ),
      backend: guessBackend(new Set([...adapter.features])),
    },
    features: new Set([...device.features]),
    limits: limitsToRecord(device.limits),
    lost,
    isLost: () => lostFlag,
  };
}

/**
 * Waits for the device's queued work (unless the device is lost) and destroys it, so that no
 * driver thread (llvmpipe runs its own) is still busy when the process or isolate goes away.
 *
 * @example
 * ```ts ignore
 * const gpu = await acquireGpu();
 * await releaseGpu(gpu);
 * ```
 */
export async function releaseGpu(gpu: GpuContext): Promise<void> {
  if (!gpu.isLost()) await gpu.device.queue.onSubmittedWorkDone();
  gpu.device.destroy();
}
