/**
 * What the measurement layer times: something that records compute dispatches into a pass.
 *
 * @module
 */

/**
 * A unit of GPU work. Benchmarks never time themselves: they record dispatches and the
 * measurement layer decides how to time them.
 *
 * @example
 * ```ts ignore
 * const w: Workload = { label: "gemm", dispatch: (pass) => { pass.setPipeline(p); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(8, 8); } };
 * ```
 */
export interface Workload {
  /** Names the workload in the measurement's records. */
  label: string;
  /** Records all dispatches of one execution into `pass`. */
  dispatch(pass: GPUComputePassEncoder): void;
}
