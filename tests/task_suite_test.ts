import assert from "node:assert/strict";
import { parseTaskSuite, TaskSuiteError } from "../task/suite.ts";

const GOOD = {
  name: "t",
  task: {
    dataset: "mnist",
    seeds: [1, 2],
    models: [{
      model: "vit",
      config: { dim: 32 },
      train: { epochs: 1, batch: 32, lr: 0.001 },
      finetune: { epochs: 0.5, batch: 32, lr: 0.0005 },
      scratch: [{ op: "stl", t: 4, r: 24, init: "cp-als" }, {
        op: "int4",
        group: 16,
        method: "qat",
      }],
      convert: [{ op: "sparse24", mask: "wanda" }, { op: "int4", group: 16, method: "awq" }],
    }],
  },
};

function withTask(edit: (t: Record<string, unknown>) => void): string {
  const s = structuredClone(GOOD) as unknown as { task: Record<string, unknown> };
  edit(s.task);
  return JSON.stringify(s);
}

/** `deno task task` with `args` in a child process (its task's permissions): exit code, stderr. */
async function taskCli(...args: string[]): Promise<{ code: number; err: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "task/main.ts",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, err: new TextDecoder().decode(out.stderr).trim() };
}

function model0(t: Record<string, unknown>): Record<string, unknown> {
  return (t.models as Record<string, unknown>[])[0]!;
}

Deno.test("task suite: a good declaration parses with defaults, dense first in both experiments", () => {
  const s = parseTaskSuite(JSON.stringify(GOOD), "g.json");
  assert.equal(s.trainSamples, 8000);
  assert.equal(s.testSamples, 2000);
  const m = s.models[0]!;
  assert.equal(m.config.arch, "vit");
  assert.equal((m.config as { dim: number }).dim, 32);
  assert.equal((m.config as { heads: number }).heads, 4);
  assert.deepEqual(m.scratch.map((o) => o.op), ["dense", "stl", "int4"]);
  assert.deepEqual(m.convert.map((o) => o.op), ["dense", "sparse24", "int4"]);
});

Deno.test("task suite: bad declarations get one-line errors naming file and field", () => {
  const cases: [string, RegExp][] = [
    [
      withTask((t) => (model0(t).model = "cnn")),
      /^b\.json: task\.models\[0\]\.model: must be one of mlp, vit, lm; got "cnn"$/,
    ],
    [
      withTask((t) => delete t.dataset),
      /^b\.json: task\.dataset: missing; must be one of mnist, brown$/,
    ],
    [
      withTask((t) => (t.dataset = "cifar")),
      /^b\.json: task\.dataset: must be one of mnist, brown; got "cifar"$/,
    ],
    [
      withTask((t) => (t.dataset = "brown")),
      /^b\.json: task\.models\[0\]\.model: dataset brown takes lm; got "vit"$/,
    ],
    [
      withTask((t) => delete (model0(t).train as Record<string, number>).epochs),
      /task\.models\[0\]\.train\.epochs: missing \(give epochs or steps\)/,
    ],
    [
      withTask((t) => ((model0(t).train as Record<string, number>).steps = 1.5)),
      /task\.models\[0\]\.train\.steps: must be an integer > 0; got 1\.5/,
    ],
    [
      withTask((t) => ((model0(t).train as Record<string, number>).epochs = 0)),
      /task\.models\[0\]\.train\.epochs: must be a number > 0; got 0/,
    ],
    [
      withTask((t) => ((model0(t).finetune as Record<string, number>).batch = 1.5)),
      /finetune\.batch: must be an integer > 0/,
    ],
    [withTask((t) => delete model0(t).train), /task\.models\[0\]\.train: missing/],
    [withTask((t) => (t.seeds = [])), /task\.seeds: must be distinct integers/],
    [withTask((t) => (model0(t).config = { patch: 5 })), /config\.patch: must divide 28, got 5/],
    [withTask((t) => (model0(t).config = { width: 5 })), /config\.width: unknown field/],
    [
      withTask((t) => (model0(t).scratch = [{ op: "stl", t: 3, r: 9 }])),
      /scratch\[0\]\.t: must be one of 2, 4; got 3/,
    ],
    [
      withTask((t) => (model0(t).scratch = [{ op: "stl", t: 4, r: 100 }])),
      /scratch\[0\]\.r: must be ≤ 64 at t 4/,
    ],
    [
      withTask((t) => {
        model0(t).model = "mlp";
        model0(t).config = { hidden: 30, depth: 1 };
        model0(t).convert = [];
      }),
      /scratch\[0\]\.t: 4 must divide K and N of layer fc1 \(784×30\)/,
    ],
    [
      withTask((t) => (model0(t).scratch = [{ op: "sparse24", mask: "wanda" }])),
      /scratch\[0\]\.mask: from scratch only magnitude/,
    ],
    [
      withTask((t) => (model0(t).convert = [{ op: "int4", group: 16, method: "qat" }])),
      /convert\[0\]\.method: convert takes rtn or awq/,
    ],
    [
      withTask((t) => (model0(t).convert = [{ op: "int4", group: 12 }])),
      /convert\[0\]\.group: must be a multiple of 8; got 12/,
    ],
    [
      withTask((t) => (model0(t).convert = [{ op: "lowrank" }])),
      /convert\[0\]\.op: must be one of dense, stl, sparse24, int4/,
    ],
    [
      withTask((t) => (model0(t).scratch = [{ op: "int8" }])),
      /scratch\[0\]\.op: int8 quantises a trained model after training; list it under convert/,
    ],
    [
      withTask((t) => (model0(t).scratch = [{ op: "ternary", method: "absmean" }])),
      /scratch\[0\]\.method: from scratch only qat/,
    ],
    [
      withTask((t) => (model0(t).convert = [{ op: "ternary", method: "qat" }])),
      /convert\[0\]\.method: convert takes absmean/,
    ],
    [
      withTask((t) => (model0(t).convert = [{ op: "ternary", group: 48 }])),
      /convert\[0\]\.group: must be one of 0, 32, 64, 128, 256; got 48/,
    ],
    [
      withTask((t) => (model0(t).convert = [{ op: "monarch", blocks: 64 }])),
      /convert\[0\]\.blocks: 64 exceeds min\(K, N\) = 32 of layer blocks\.0\.attn\.q/,
    ],
    [
      withTask((t) => (model0(t).convert = [{ op: "int8", outliers: "llm-int8", smooth: 2 }])),
      /convert\[0\]\.smooth: must be a number in \[0, 1\]; got 2/,
    ],
    [
      withTask((t) => (t.trainSamples = 9000)),
      /task\.trainSamples: must be an integer in \[1, 8000\]/,
    ],
    ["{", /^b\.json: not valid JSON/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => parseTaskSuite(text, "b.json"), (e: Error) => {
      assert.ok(e instanceof TaskSuiteError, e.message);
      assert.ok(!e.message.includes("\n"), e.message);
      assert.match(e.message, re);
      return true;
    });
  }
});

Deno.test("task CLI: a bad suite exits 2 with the one-line error, before loading tfjs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (
      const [edit, field] of [
        [(t: Record<string, unknown>) => (model0(t).model = "cnn"), "task.models[0].model"],
        [
          (t: Record<string, unknown>) => ((model0(t).train as Record<string, number>).epochs = 0),
          "task.models[0].train.epochs",
        ],
        [(t: Record<string, unknown>) => delete t.dataset, "task.dataset"],
      ] as const
    ) {
      const file = `${dir}/bad.json`;
      await Deno.writeTextFile(file, withTask(edit));
      const { code, err } = await taskCli("--suite", file, "--out", `${dir}/out`);
      assert.equal(code, 2, err);
      assert.equal(err.split("\n").length, 1, err);
      assert.ok(err.startsWith(`${file}: ${field}:`), err);
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "task/main.ts",
        "--suite",
        "tasks/mnist-ci.json",
        "--out",
        `${dir}/o`,
        "--backend",
        "tpu",
      ],
      stderr: "piped",
    }).output();
    assert.equal(out.code, 2);
    assert.match(
      new TextDecoder().decode(out.stderr),
      /^--backend: must be one of wasm, cpu, webgpu; got tpu/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("task suites shipped in tasks/ are valid", async () => {
  for await (const e of Deno.readDir("tasks")) {
    if (!e.name.endsWith(".json")) continue;
    const s = parseTaskSuite(await Deno.readTextFile(`tasks/${e.name}`), `tasks/${e.name}`);
    assert.ok(s.models.length > 0);
  }
});

Deno.test("task CLI: an --out holding a previous run is refused, and kept when --force meets a bad argument", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = (...extra: string[]) =>
      taskCli("--suite", "tasks/mnist-ci.json", "--out", dir, ...extra);
    await Deno.writeTextFile(`${dir}/results.json`, "{}");
    await Deno.mkdir(`${dir}/models`);
    await Deno.writeTextFile(`${dir}/models/old.json`, "{}");
    let r = await run("--max-minutes", "5");
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      `--out ${dir} holds a previous run (results.json, models); choose another folder, or pass ` +
        "--force to replace it",
    );
    // --force removes the old run only once every other argument is good
    r = await run("--force", "--max-minutes", "0");
    assert.match(r.err, /^--max-minutes: must be a number > 0; got 0$/);
    r = await run("--force", "--latency-batches", "0");
    assert.equal(r.code, 2);
    assert.ok((await Deno.stat(`${dir}/models/old.json`)).isFile);
    assert.ok((await Deno.stat(`${dir}/results.json`)).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
