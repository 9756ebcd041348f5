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

Deno.test("parseCommandLine: bad input is a UsageError that ends with the help text", () => {
  for (
    const [args, pattern] of [
      [["--frobnicate"], /Unknown option '--frobnicate'/],
      [["--out"], /--out/],
      [["stray"], /stray/],
      [["--quiet=yes"], /quiet/],
    ] as const
  ) {
    assert.throws(
      () => parseCommandLine([...args], OPTIONS, "usage: tool [--out DIR]"),
      (e: unknown) =>
        e instanceof UsageError && e instanceof TypeError && pattern.test(e.message) &&
        e.message.endsWith("\n\nusage: tool [--out DIR]"),
      args.join(" "),
    );
  }
});
