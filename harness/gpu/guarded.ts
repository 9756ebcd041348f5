/**
 * GPU errors as exceptions: validation and out-of-memory error scopes around a piece of work.
 *
 * @module
 */

/**
 * Runs `fn` inside validation and out-of-memory error scopes; GPU errors it caused become
 * exceptions naming `what`, and take precedence over what `fn` threw. Scopes are always popped,
 * also when `fn` throws.
 *
 * @example
 * ```ts ignore
 * const plan = await guarded(device, "planning", () => kernel.plan(ctx));
 * ```
 */
export async function guarded<T>(
  device: GPUDevice,
  what: string,
  fn: () => Promise<T>,
): Promise<T> {
  device.pushErrorScope("out-of-memory");
  device.pushErrorScope("validation");
  let value: T | undefined;
  let thrown: unknown = null;
  try {
    value = await fn();
    await device.queue.onSubmittedWorkDone();
  } catch (e) {
    thrown = e;
  }
  const validation = await device.popErrorScope().catch(() => null);
  const oom = await device.popErrorScope().catch(() => null);
  // A GPU error comes first: what `fn` threw is likely its consequence (a rejected bind group
  // leaves timestamps unwritten, and a measurement then reads zeros).
  if (validation) throw new Error(`validation error while ${what}: ${validation.message}`);
  if (oom) throw new Error(`out of memory while ${what}: ${oom.message}`);
  if (thrown) throw thrown;
  return value as T;
}
