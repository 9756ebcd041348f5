/**
 * Entry point of `deno task bench`.
 *
 * @module
 */

import { builtinKernels } from "../../kernels/mod.ts";
import { benchMain } from "./cli.ts";

if (import.meta.main) {
  Deno.exit(await benchMain(Deno.args, builtinKernels));
}
