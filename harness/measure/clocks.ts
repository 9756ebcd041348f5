/**
 * GPU clocks and throttle reasons from `nvidia-smi`, recorded beside a run where the tool exists
 * (optional: absent, failing or slow, it is skipped and the run goes on).
 *
 * @module
 */

import type { GpuClockReading } from "../types.ts";

/** The fields asked of `nvidia-smi --query-gpu`, in the order parsed. */
export const NVIDIA_SMI_FIELDS = [
  "index",
  "name",
  "clocks.sm",
  "clocks.max.sm",
  "clocks_throttle_reasons.active",
  "temperature.gpu",
  "power.draw",
] as const;

function numOrNull(s: string | undefined): number | null {
  if (s === undefined) return null;
  const x = Number(s.trim());
  return s.trim() !== "" && Number.isFinite(x) ? x : null;
}

/** Keeps printable ASCII only (names come from a tool's output). */
function clean(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, "").trim();
}

/**
 * Parses `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` output; lines that do not fit
 * are dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = parseNvidiaSmi("0, NVIDIA H200, 1980, 1980, 0x0000000000000000, 41, 120.5\n");
 * assert.equal(r[0]!.smMhz, 1980);
 * assert.equal(r[0]!.name, "NVIDIA H200");
 * assert.deepEqual(parseNvidiaSmi("garbage"), []);
 * ```
 */
export function parseNvidiaSmi(text: string): GpuClockReading[] {
  const out: GpuClockReading[] = [];
  for (const line of text.split("\n")) {
    const f = line.split(",").map((x) => x.trim());
    if (f.length < NVIDIA_SMI_FIELDS.length) continue;
    const index = numOrNull(f[0]);
    if (index === null || !Number.isInteger(index)) continue;
    const reasons = clean(f[4]!);
    out.push({
      index,
      name: clean(f[1]!).slice(0, 100),
      smMhz: numOrNull(f[2]),
      smMaxMhz: numOrNull(f[3]),
      throttleReasons: /^0x[0-9a-fA-F]+$/.test(reasons) ? reasons : null,
      temperatureC: numOrNull(f[5]),
      powerW: numOrNull(f[6]),
    });
  }
  return out;
}

/**
 * Reads every GPU's clocks through `nvidia-smi` (found on PATH); null when the tool is absent,
 * fails, prints nothing usable, or takes longer than `timeoutMs`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const clocks = await readGpuClocks(); // null where nvidia-smi is missing or fails
 * assert.ok(clocks === null || clocks.every((c, i) => c.index === i && c.name.length > 0));
 * ```
 */
export async function readGpuClocks(timeoutMs = 5000): Promise<GpuClockReading[] | null> {
  try {
    const cmd = new Deno.Command("nvidia-smi", {
      args: [`--query-gpu=${NVIDIA_SMI_FIELDS.join(",")}`, "--format=csv,noheader,nounits"],
      stdout: "piped",
      stderr: "null",
      stdin: "null",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const { success, stdout } = await cmd.output();
    if (!success) return null;
    const readings = parseNvidiaSmi(new TextDecoder().decode(stdout));
    return readings.length ? readings : null;
  } catch {
    return null; // not installed, not permitted, or timed out
  }
}
