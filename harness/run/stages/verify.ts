/**
 * The verify stage: one execution on a poisoned output, the whole output scanned for NaN/Inf,
 * sampled rows compared with the f64 reference of the same operator (correctness) and with the
 * exact X·W (approximation).
 *
 * @module
 */

import { compareOutputs } from "../../analyze/error_metrics.ts";
import { sampleRows } from "../../data/matmul_f64.ts";
import { decodeDtype, dtypeBytes, readBuffer } from "../../gpu/buffers.ts";
import { guarded } from "../../gpu/guarded.ts";
import { defaultTolerance, type KernelPlan } from "../../kernel.ts";
import type { CaseContext } from "./context.ts";
import type { PreparedCase } from "./prepare.ts";

function rowsOf(full: Float32Array, n: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * n);
  rows.forEach((r, i) => out.set(full.subarray(r * n, r * n + n), i * n));
  return out;
}

/** Fills the output with NaN so unwritten elements fail the check. */
function poison(device: GPUDevice, plan: KernelPlan, count: number): void {
  const { buffer, dtype } = plan.output;
  const fill = dtype === "f16"
    ? new Float16Array(count).fill(NaN)
    : new Float32Array(count).fill(NaN);
  device.queue.writeBuffer(buffer, 0, fill.buffer, 0, Math.floor(fill.byteLength / 4) * 4);
}

async function runOnce(device: GPUDevice, plan: KernelPlan, label: string): Promise<void> {
  const enc = device.createCommandEncoder({ label: `${label}:check` });
  const pass = enc.beginComputePass({ label });
  plan.dispatch(pass);
  pass.end();
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
}

/**
 * Checks the case's output and records `correctness` (and `approximation` when it passed).
 * Returns whether it passed; a failing case is marked failed with the reason.
 *
 * @example
 * ```ts ignore
 * if (!(await verify(ctx, prep, plan))) return ctx.result;
 * ```
 */
export async function verify(
  ctx: CaseContext,
  prep: PreparedCase,
  plan: KernelPlan,
): Promise<boolean> {
  const { env: { gpu, suite, data: cache }, c, result } = ctx;
  const { device } = gpu;
  const { m, k, n } = c.shape;
  ctx.stage = "correctness";
  const count = m * n;
  await guarded(device, "running", async () => {
    poison(device, plan, count);
    await runOnce(device, plan, c.id);
  });
  if (gpu.isLost()) throw new Error(`device lost: ${await gpu.lost}`);
  const out = decodeDtype(
    await readBuffer(device, plan.output.buffer, count * dtypeBytes(plan.output.dtype)),
    plan.output.dtype,
    count,
  );
  let nonFinite = 0;
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i]!)) nonFinite++;
  const rows = sampleRows(m, k, n, suite.referenceBudget, suite.seed);
  const got = rowsOf(out, n, rows);
  const ref = c.kernel.reference({
    shape: c.shape,
    dtype: c.dtype,
    config: c.config,
    prepared: prep.value,
    x: prep.data.x,
    w: prep.data.w,
    rows,
  });
  const cm = compareOutputs(got, ref);
  const tolerance = c.kernel.tolerance?.(c.shape, c.config, c.dtype) ?? defaultTolerance(c.dtype);
  const passed = nonFinite === 0 && cm.relError <= tolerance;
  result.correctness = {
    passed,
    relError: cm.relError,
    maxAbsError: cm.maxAbsError,
    tolerance,
    rowsChecked: rows.length,
    nonFinite,
  };
  if (!passed) {
    result.status = "failed";
    result.reason = nonFinite > 0
      ? `output has ${nonFinite} non-finite value(s) (NaN/Inf or unwritten)`
      : `correctness: relative error ${cm.relError.toExponential(3)} > tolerance ${
        tolerance.toExponential(1)
      } vs the f64 reference`;
    return false;
  }
  const am = compareOutputs(got, cache.exact(prep.data, rows));
  result.approximation = {
    relError: am.relError,
    maxAbsError: am.maxAbsError,
    cosine: am.cosine,
    snrDb: am.snrDb,
    rowsSampled: rows.length,
  };
  return true;
}
