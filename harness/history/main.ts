/**
 * Entry point of the history tasks: `record`, `history` (and the others added beside them).
 * The first argument names the command.
 *
 * @module
 */

import { exportMain } from "./export_cli.ts";
import { historyMain } from "./history_cli.ts";
import { mergeMain } from "./merge_cli.ts";
import { publishMain } from "./publish_cli.ts";
import { recordMain } from "./record_cli.ts";

const COMMANDS: Record<string, (args: string[]) => number | Promise<number>> = {
  record: recordMain,
  history: historyMain,
  export: exportMain,
  merge: mergeMain,
  publish: publishMain,
};

if (import.meta.main) {
  const [name, ...rest] = Deno.args;
  const cmd = name ? COMMANDS[name] : undefined;
  if (!cmd) {
    console.error(`error: first argument must be one of ${Object.keys(COMMANDS).join(", ")}`);
    Deno.exit(2);
  }
  try {
    Deno.exit(await cmd(rest));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotCapable)) throw e;
    console.error(
      `error: ${e.message}\n(the deno task is allowed to write only under reports/ (and site/ ` +
        `for publish); run the module with deno run and wider permissions to write elsewhere)`,
    );
    Deno.exit(2);
  }
}
