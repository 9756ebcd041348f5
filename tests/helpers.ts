/**
 * Shared test helpers: one software GPU per test file, tiny suites, quick measurement.
 *
 * @module
 */

import { acquireGpu, type GpuContext, releaseGpu } from "../harness/gpu/adapter.ts";
import type { KernelDescriptor } from "../harness/kernel.ts";
import { type RunOptions, runSuite } from "../harness/run/runner.ts";
import type { SuiteInput } from "../harness/suite/schema.ts";
import { validateSuite } from "../harness/suite/validate.ts";
import type { CaseResult, RunResults } from "../harness/types.ts";
import assert from "node:assert/strict";
import { builtinKernels } from "../kernels/mod.ts";

let shared: Promise<GpuContext> | null = null;

/** The GPU shared by a test file (the default adapter: llvmpipe in CI). */
export function testGpu(): Promise<GpuContext> {
  shared ??= acquireGpu("high-performance");
  return shared;
}

/**
 * Releases the shared GPU ({@link releaseGpu}) before the test file's isolate is torn down.
 * Registered below as an `afterAll` hook for every test file that imports these helpers; safe to
 * call twice.
 */
export async function releaseTestGpu(): Promise<void> {
  const pending = shared;
  shared = null;
  if (!pending) return;
  let gpu: GpuContext;
  try {
    gpu = await pending;
  } catch {
    return; // acquiring failed: the tests that needed it have already reported that
  }
  await releaseGpu(gpu);
}

Deno.test.afterAll(releaseTestGpu);

/** Measurement settings that keep tests fast. */
export const QUICK_MEASURE = {
  minSamples: 2,
  maxSamples: 3,
  maxTimeMs: 1,
  warmupMs: 0,
  maxNoise: 0.5,
};

/**
 * Runs an in-code suite on the shared GPU without writing files (`tune`: the tuner's mode and
 * cache file; absent, the runner's default; `run`: other runner options over these).
 */
export async function runInline(
  suite: Omit<SuiteInput, "seed" | "name"> & { seed?: number; name?: string },
  registry: readonly KernelDescriptor[] = builtinKernels,
  tune?: RunOptions["tune"],
  run: Partial<RunOptions> = {},
): Promise<RunResults> {
  const validated = validateSuite(
    { name: "test", seed: 1234, measure: QUICK_MEASURE, ...suite },
    "<suite>",
    registry,
  );
  return await runSuite({
    suite: validated,
    registry,
    gpu: await testGpu(),
    outDir: null,
    peaks: false,
    quiet: true,
    // The sentinel's calibration costs each run a second on llvmpipe; reliability_test runs it.
    sentinel: false,
    ...(tune ? { tune } : {}),
    ...run,
  });
}

/**
 * Asserts that two cases of code paths that must sum the same products in the same order did:
 * both ran, with the same errors against the f64 reference to the last bit.
 */
export function assertSameSums(r: CaseResult, twin: CaseResult | undefined): void {
  assert.ok(twin, `${r.id}: no case to compare with`);
  assert.equal(twin.status, "ok", `${twin.id}: ${twin.reason}`);
  assert.equal(r.correctness!.maxAbsError, twin.correctness!.maxAbsError, r.id);
  assert.equal(r.correctness!.relError, twin.correctness!.relError, r.id);
}

/** Deno.test options for GPU tests: WebGPU keeps resources alive between tests by design. */
export const GPU_TEST = { sanitizeResources: false, sanitizeOps: false } as const;
