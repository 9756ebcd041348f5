import assert from "node:assert/strict";
import { ROOT } from "./run_cli.ts";
import { GPU_TEST } from "./helpers.ts";

// The INT4 GEMV probe is a script, not a library: each of its sets is run as a subprocess with 0
// repeats (every variant compiled, bound and run once, a GPU error stops it) on small shapes, so
// a variant the device rejects fails here instead of printing another variant's timings.
const SETS = ["floor", "ablate", "alu", "geometry", "m16", "m16half", "mcurve"];

for (const set of SETS) {
  Deno.test({
    name: `gemv_floor probe: every "${set}" variant runs on the device`,
    ...GPU_TEST,
    async fn() {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--no-config", "experiments/gemv_floor.ts", "256", "512", "0", set],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const ran = text.split("\n").filter((l) => l.startsWith("ok ")).length;
      assert.ok(ran >= 4, text);
    },
  });
}
