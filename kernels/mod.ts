/**
 * The built-in kernel families. The runner receives this list; it knows no kernel by name.
 *
 * @module
 */

import type { KernelDescriptor } from "../harness/kernel.ts";
import { dense } from "./dense/mod.ts";
import { sparse24 } from "./sparse24/mod.ts";

export { dense } from "./dense/mod.ts";
export { sparse24 } from "./sparse24/mod.ts";

/**
 * Every built-in kernel descriptor.
 *
 * @example
 * ```ts
 * console.assert(builtinKernels.some((k) => k.name === "dense"));
 * ```
 */
export const builtinKernels: readonly KernelDescriptor[] = [dense, sparse24];
