/**
 * Entry point of `deno task gate`.
 *
 * @module
 */

import { gateMain } from "./cli.ts";

if (import.meta.main) {
  Deno.exit(gateMain(Deno.args));
}
