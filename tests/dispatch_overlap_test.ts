import assert from "node:assert/strict";
import { runCli } from "./run_cli.ts";
import { GPU_TEST } from "./helpers.ts";

// The probe is a script: run it as a subprocess with short kernels, so that a plan the device
// rejects fails here instead of printing figures of plans that did not run.
Deno.test({
  name: "dispatch_overlap probe: every plan runs and gives a time an execution",
  ...GPU_TEST,
  async fn() {
    const out = await runCli("experiments/dispatch_overlap.ts", ["50", "50", "4", "2"]);
    assert.equal(out.code, 0, out.stderr);
    const json = out.stdout.split("\n").find((l) => l.startsWith("{"));
    assert.ok(json, out.stdout);
    const f = JSON.parse(json);
    for (
      const k of ["a", "b", "rotating", "fenced", "fencedEvery", "rotating4", "fenced4", "oneCopy"]
    ) {
      assert.ok(Number.isFinite(f[k]) && f[k] > 0, `${k}: ${f[k]}`);
    }
    assert.equal(f.copies, 4);
    assert.equal(f.rounds, 2);
  },
});
