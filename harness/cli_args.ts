/**
 * What the three command lines (bench, gate, report) share: strict `node:util` argument parsing
 * with `-h/--help`, and the usage error they exit with (code 2, message without a stack trace).
 *
 * @module
 */

import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/**
 * A usage error of a command line: its message is shown without a stack trace, exit code 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = new UsageError("--baseline FILE is required");
 * assert.ok(e instanceof TypeError && e.name === "UsageError");
 * ```
 */
export class UsageError extends TypeError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Flags as parsed: a boolean flag is `true` when given, a string flag its value; absent: undefined. */
export type CommandLineValues<T extends ParseArgsOptionsConfig> =
  & { [K in keyof T]?: T[K] extends { type: "boolean" } ? boolean : string }
  & { help?: boolean };

/** A parsed command line: the flags and, where allowed, the positional arguments. */
export interface CommandLine<T extends ParseArgsOptionsConfig> {
  /** The flags given. */
  values: CommandLineValues<T>;
  /** Positional arguments (always empty unless allowed). */
  positionals: string[];
}

/**
 * Parses `args` strictly against `options` plus `-h/--help`; an unknown flag, a missing value or
 * (unless `allowPositionals`) a positional is a {@link UsageError} whose message ends with `help`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { values } = parseCommandLine(["--out", "dir"], { out: { type: "string" } }, "usage: …");
 * assert.ok(values.out === "dir" && values.help === undefined);
 * ```
 */
export function parseCommandLine<const T extends ParseArgsOptionsConfig>(
  args: string[],
  options: T,
  help: string,
  allowPositionals = false,
): CommandLine<T> {
  try {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals,
      options: { ...options, help: { type: "boolean", short: "h" } },
    });
    return { values: values as CommandLineValues<T>, positionals };
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${help}`);
  }
}
