/**
 * Entry point of `deno task report`.
 *
 * @module
 */

import { reportMain } from "./cli.ts";

if (import.meta.main) {
  Deno.exit(await reportMain(Deno.args));
}
