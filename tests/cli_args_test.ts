import assert from "node:assert/strict";
import { parseCommandLine, UsageError } from "../harness/cli_args.ts";

const OPTIONS = { out: { type: "string" }, quiet: { type: "boolean" } } as const;

Deno.test("parseCommandLine: flags, -h, positionals only where allowed", () => {
  const a = parseCommandLine(["--out", "dir", "--quiet"], OPTIONS, "HELP");
  assert.deepEqual({ ...a.values }, { out: "dir", quiet: true });
  assert.deepEqual(a.positionals, []);
  assert.equal(parseCommandLine(["-h"], OPTIONS, "HELP").values.help, true);
  const b = parseCommandLine(["results.json", "--out", "x"], OPTIONS, "HELP", true);
  assert.deepEqual(b.positionals, ["results.json"]);
});

Deno.test("parseCommandLine: bad input is a one-line UsageError quoting the usage line", () => {
  for (
    const [args, pattern] of [
      [["--frobnicate"], /Unknown option '--frobnicate'/],
      [["--out"], /--out/],
      [["stray"], /stray/],
      [["--quiet=yes"], /quiet/],
    ] as const
  ) {
    assert.throws(
      () => parseCommandLine([...args], OPTIONS, "tool: what it does\n\nusage: tool [--out DIR]"),
      (e: unknown) =>
        e instanceof UsageError && e instanceof TypeError && pattern.test(e.message) &&
        !e.message.includes("\n") &&
        e.message.endsWith("; usage: tool [--out DIR] (--help: all options)"),
      args.join(" "),
    );
  }
});

Deno.test("parseCommandLine: a string option's value may be a negative number", () => {
  const n = parseCommandLine(["--out", "-1", "--quiet"], OPTIONS, "HELP");
  assert.deepEqual({ ...n.values }, { out: "-1", quiet: true });
  assert.equal(parseCommandLine(["--out", "-.5"], OPTIONS, "HELP").values.out, "-.5");
  // a flag after a string option is still a flag, not its value; the parser's three-line
  // complaint becomes one line
  assert.throws(
    () => parseCommandLine(["--out", "--quiet"], OPTIONS, "usage: tool"),
    (e: unknown) => e instanceof UsageError && !e.message.includes("\n") && /--out/.test(e.message),
  );
  // after "--" nothing is joined
  const rest = parseCommandLine(["--", "--out", "-1"], OPTIONS, "HELP", true);
  assert.deepEqual(rest.positionals, ["--out", "-1"]);
});
