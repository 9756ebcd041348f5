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
 * (unless `allowPositionals`) a positional is a one-line {@link UsageError} that quotes the
 * `usage:` line of `help`. A string option's value may start with "-" (`--min-samples -1` reaches
 * the option's own check).
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
  // `--opt -1`: parseArgs takes a value starting with "-" for an option and calls it ambiguous;
  // joined as `--opt=-1`, the option's own check names the allowed values.
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--") {
      joined.push(...args.slice(i)); // after the terminator, everything is positional
      break;
    }
    const name = /^--([^=]+)$/.exec(args[i]!)?.[1];
    const next = args[i + 1];
    if (
      name && options[name]?.type === "string" && next !== undefined && /^-\.?[0-9]/.test(next)
    ) {
      joined.push(`--${name}=${next}`);
      i++;
    } else joined.push(args[i]!);
  }
  try {
    const { values, positionals } = parseArgs({
      args: joined,
      strict: true,
      allowPositionals,
      options: { ...options, help: { type: "boolean", short: "h" } },
    });
    return { values: values as CommandLineValues<T>, positionals };
  } catch (e) {
    throw new UsageError(withUsage((e as Error).message, help));
  }
}

/**
 * A usage error's one line: `message`, the `usage:` line of `help` (when it has one) and where
 * the rest of the help is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const help = "tool: what it does\n\nusage: tool --out DIR\n  --out DIR  where";
 * assert.equal(withUsage("--out is required", help), "--out is required; usage: tool --out DIR (--help: all options)");
 * ```
 */
export function withUsage(message: string, help: string): string {
  const usage = help.split("\n").find((l) => l.startsWith("usage:"));
  const line = message.split("\n").map((l) => l.trim()).filter((l) => l !== "").join(" ");
  return `${line}${usage ? `; ${usage}` : ""} (--help: all options)`;
}

const CONTROL_CLASS = "\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029";
const CONTROL = new RegExp(`[${CONTROL_CLASS}]`, "g");
const CONTROL_BUT_NEWLINE = new RegExp(
  `[${CONTROL_CLASS.replace("\\x00-\\x1f", "\\x00-\\x09\\x0b-\\x1f")}]`,
  "g",
);

/**
 * Escapes control characters (C0, DEL, C1, and the Unicode line and paragraph separators) as
 * `\xNN` / `\uNNNN`, so text from a suite or a results file printed to a terminal or a CI log
 * can neither move the cursor, change colours, nor start a line of its own (a CI workflow
 * command such as `::error`). `keepNewlines` leaves `\n` alone for multi-line messages the
 * tool itself composed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(escapeControl("a\n::error::x"), "a\\x0a::error::x");
 * assert.equal(escapeControl("\u001b[31mred"), "\\x1b[31mred");
 * assert.equal(escapeControl("line\nnext", true), "line\nnext");
 * ```
 */
export function escapeControl(text: string, keepNewlines = false): string {
  return String(text).replace(
    keepNewlines ? CONTROL_BUT_NEWLINE : CONTROL,
    (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100
        ? `\\x${code.toString(16).padStart(2, "0")}`
        : `\\u${code.toString(16).padStart(4, "0")}`;
    },
  );
}
