import assert from "node:assert/strict";
import { Rng } from "../harness/data/prng.ts";
import { checkLinearExport, effectiveWeights, type LinearExport } from "../task/export.ts";
import { linearF64 } from "../task/linear_f64.ts";
import { prepareLinear } from "../task/prepare_linear.ts";
import { exportToJson, parseExportJson } from "../task/export_file.ts";

const gauss = (rng: Rng) => {
  const u = rng.nextOpen();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
};
const randn = (rng: Rng, n: number) => Float32Array.from({ length: n }, () => gauss(rng));

/** A random layer of each operator, K and N not multiples of t, 4 or 8 (padding is exercised). */
function randomLayer(op: LinearExport["op"], k: number, n: number, seed: number): LinearExport {
  const rng = new Rng(seed, op);
  const bias = randn(rng, n);
  switch (op) {
    case "dense":
      return { name: op, k, n, op, w: randn(rng, k * n), bias };
    case "sparse24": {
      const w = randn(rng, k * n);
      for (let g = 0; g < Math.ceil(k / 4); g++) {
        for (let c = 0; c < n; c++) {
          const drop = [0, 1, 2, 3].sort(() => rng.next() - 0.5).slice(0, 2);
          for (const d of drop) if (4 * g + d < k) w[(4 * g + d) * n + c] = 0;
        }
      }
      return { name: op, k, n, op, w, bias };
    }
    case "stl": {
      const t = 4, r = 24;
      const planes = r * Math.ceil(k / t) * Math.ceil(n / t);
      return {
        name: op,
        k,
        n,
        op,
        bias,
        stl: {
          t,
          r,
          alpha: randn(rng, r * t * t),
          wh: randn(rng, planes),
          gamma: randn(rng, t * t * r),
        },
      };
    }
    case "int4": {
      const group = 8;
      const groups = Math.ceil(k / group);
      return {
        name: op,
        k,
        n,
        op,
        bias,
        int4: {
          group,
          codes: Uint8Array.from({ length: k * n }, () => rng.nextInt(16)),
          scales: Float32Array.from({ length: groups * n }, () => 0.01 + rng.next()),
          zeros: Float32Array.from({ length: groups * n }, () => rng.nextInt(16)),
          invScale: Float32Array.from({ length: k }, () => 0.5 + rng.next()),
        },
      };
    }
    case "int8": {
      // Dimensions 3 and 11 are outliers: codes 0, invScale 0, their rows of W in f32.
      const dims = new Uint32Array([3, 11]);
      const codes = Int8Array.from({ length: k * n }, () => rng.nextInt(255) - 127);
      const invScale = Float32Array.from({ length: k }, () => 0.5 + rng.next());
      for (const j of dims) {
        invScale[j] = 0;
        codes.fill(0, j * n, j * n + n);
      }
      return {
        name: op,
        k,
        n,
        op,
        bias,
        int8: {
          codes,
          scales: Float32Array.from({ length: n }, () => 0.01 + rng.next()),
          invScale,
          smooth: 0.5,
          outliers: { threshold: 6, dims, w: randn(rng, dims.length * n) },
        },
      };
    }
    case "ternary":
      return {
        name: op,
        k,
        n,
        op,
        bias,
        ternary: {
          group: 0,
          codes: Int8Array.from({ length: k * n }, () => rng.nextInt(3) - 1),
          scales: Float32Array.from({ length: n }, () => 0.01 + rng.next()),
        },
      };
    case "monarch":
      return {
        name: op,
        k,
        n,
        op,
        bias,
        monarch: { blocks: 3, r: randn(rng, k * 3), l: randn(rng, 3 * n) },
      };
  }
}

function relErr(a: Float64Array, b: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

for (const op of ["dense", "sparse24", "stl", "int4", "int8", "ternary", "monarch"] as const) {
  Deno.test(`task export: ${op} prepared by its builder, through the family's reference, equals the export's f64 math`, () => {
    const k = 20, n = 10, m = 9;
    const layer = randomLayer(op, k, n, 7);
    const x = randn(new Rng(3, "x"), m * k);
    const p = prepareLinear(layer, "f32");
    const rows = Array.from({ length: m }, (_, i) => i);
    const got = p.kernel.reference({
      shape: { m, k, n },
      dtype: "f32",
      config: p.kernel.resolve(p.params, { m, k, n }, "f32"),
      prepared: p.prepared,
      x,
      w: layer.w ?? new Float32Array(k * n),
      rows,
    });
    const want = linearF64(layer, x, m, false);
    // Exact but for f64 summation order; STL stores x̂ and the channel products in f32, Monarch
    // its intermediate H.
    const tol = op === "stl" || op === "monarch" ? 1e-6 : 1e-12;
    assert.ok(relErr(got, want) < tol, `${op}: ${relErr(got, want)}`);
    assert.ok(want.some((v) => Math.abs(v) > 0.1), "the layer's output is not all zeros");
  });
}

Deno.test("task export: int4 without invScale is x·W' and the padding rows dequantise to 0", () => {
  const layer = randomLayer("int4", 20, 3, 1);
  delete layer.int4!.invScale;
  const w = effectiveWeights(layer)!;
  const q = layer.int4!;
  assert.equal(w[5 * 3 + 1], (q.codes[5 * 3 + 1]! - q.zeros[1]!) * q.scales[1]!);
  const p = prepareLinear(layer, "f32").prepared as { weights: { qweight: Uint32Array } };
  // Row 23 (padding, k = 20 … 23 in the last word) holds the last group's zero of column 0.
  const word = p.weights.qweight[2 * 3 + 0]!;
  assert.equal((word >>> 28) & 15, q.zeros[2 * 3 + 0]);
});

Deno.test("task export: STL of an exact encoder reproduces x·W", async () => {
  const { strassen2Encoder } = await import("../kernels/stl/strassen.ts");
  const { encodeWeights } = await import("../kernels/stl/weights.ts");
  const { planeGeometry } = await import("../kernels/stl/geometry.ts");
  const k = 8, n = 12, m = 4;
  const rng = new Rng(5, "w");
  const w = randn(rng, k * n);
  const e = strassen2Encoder();
  const wh = encodeWeights(w, k, n, planeGeometry({ m, k, n }, 4), e);
  const layer: LinearExport = {
    name: "s",
    k,
    n,
    op: "stl",
    stl: { t: 4, r: 49, alpha: Float32Array.from(e.alpha), wh, gamma: Float32Array.from(e.gamma) },
  };
  const x = randn(rng, m * k);
  const dense: LinearExport = { name: "d", k, n, op: "dense", w };
  assert.ok(relErr(linearF64(layer, x, m), linearF64(dense, x, m)) < 1e-6);
});

Deno.test("task export: malformed layers are rejected naming the field", () => {
  const bad = (l: Partial<LinearExport>, re: RegExp) =>
    assert.throws(
      () => checkLinearExport({ name: "L", k: 8, n: 2, op: "dense", ...l } as LinearExport),
      re,
    );
  bad({ w: new Float32Array(3) }, /layer L: w: has 3 values, expected 16/);
  bad({ op: "conv" as never }, /op: must be one of/);
  bad({ op: "stl" }, /stl: missing/);
  const int4 = randomLayer("int4", 8, 2, 1).int4!;
  bad({ op: "int4", int4: { ...int4, group: 12 } }, /int4.group: must be a multiple of 8/);
  bad(
    { op: "int4", int4: { ...int4, zeros: new Float32Array([0.5, 1]) } },
    /int4.zeros: must be integers/,
  );
  bad({ op: "int4", int4: { ...int4, codes: new Uint8Array(16).fill(16) } }, /code 16/);
  bad({ w: new Float32Array(16), bias: new Float32Array(3) }, /bias: has 3 values, expected 2/);
});

Deno.test("task export: int8, ternary and monarch layers survive the export file (i8, u32 arrays)", () => {
  for (const op of ["int8", "ternary", "monarch"] as const) {
    const layer = randomLayer(op, 20, 10, 5);
    const m = { arch: "mlp", config: { hidden: 10 }, layers: [layer], tensors: {} };
    const back = parseExportJson(exportToJson(m));
    assert.deepEqual(back, m, op);
    checkLinearExport(back.layers[0]!);
  }
});
