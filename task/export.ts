/**
 * The exchange format between training and the kernels: a trained model's linear layers, each
 * stored the way its kernel family stores it, plus every other tensor by name.
 *
 * Every linear computes `y = x·W (+ bias)` with x rows×K and W K×N, both row-major. Per operator:
 *
 * - `dense`: `w` is W, K×N row-major f32.
 * - `sparse24`: `w` is W̃, K×N row-major, with the 2:4 pattern applied: along K, each group of 4
 *   consecutive rows `k = 4g … 4g+3` of one column (the last group partial when K % 4 ≠ 0) holds
 *   at most 2 nonzeros; pruned entries are exact zeros. The keep-mask is `w ≠ 0` (a kept weight
 *   that trained to exactly 0 computes the same either way). kernels/sparse24 compresses it into
 *   values plus 2-bit in-group indices.
 * - `stl` (kernels/stl, tile size t, rank r; Kt = ⌈K/t⌉, Nt = ⌈N/t⌉; tile entry (a, b) has
 *   index e = a·t + b, a the row within the tile, b the column):
 *   - `alpha`: r×t², `alpha[ρ·t² + e]`; encodes an X tile: `x̂_ρ[i, κ] = Σ_e alpha[ρ, e] ·
 *     X[i·t + a, κ·t + b]` (X zero-padded to Mt·t × Kt·t).
 *   - `wh`: r planes of Kt×Nt back to back, `wh[ρ·Kt·Nt + κ·Nt + j]` = ŵ_ρ[κ, j], the learned
 *     encoded weights (for a dense W and an encoder β: `Σ_e β[ρ, e]·W[κ·t + a, j·t + b]`, W
 *     zero-padded; once trained they are free parameters).
 *   - `gamma`: t²×r, `gamma[e·r + ρ]`; decodes: `Y[i·t + a, j·t + b] = Σ_ρ gamma[a·t + b, ρ] ·
 *     Σ_κ x̂_ρ[i, κ]·ŵ_ρ[κ, j]` (rows ≥ M and columns ≥ N dropped).
 *   - A tile groups t consecutive rows of the layer's input. The forward pass lays a batch out
 *     sample-major (B samples × S rows each); the t rows of a tile belong to ONE sample: when S
 *     is not a multiple of t, each sample's rows are zero-padded to the next multiple of t
 *     before the layer and the padding rows dropped after it. So a sample's output never
 *     depends on another sample in the batch.
 * - `int4` (kernels/int4): `codes` K×N row-major in 0…15 (unpacked; the kernel packs 8 along K
 *   per u32), `scales` and `zeros` ⌈K/group⌉×N row-major, `group` a multiple of 8 dividing K
 *   rounded up to a multiple of 8; zeros are integers 0…15. The dequantised weight is
 *   `w'[k, n] = (codes[k, n] − zeros[⌊k/group⌋, n]) · scales[⌊k/group⌋, n]`. AWQ: the
 *   per-input-channel scale s_k is NOT folded into the codes (that cannot be done exactly); the
 *   codes quantise diag(s)·W and `invScale` (K long, 1/s_k) multiplies x before the product, so
 *   the layer computes `y = (x ⊙ invScale)·W'` exactly as kernels/int4 does (its `invScale`).
 *   Without `invScale` (RTN, QAT) the layer computes `y = x·W'`.
 * - `int8` (kernels/int8, W8A8): `codes` K×N row-major int8 in −127…127, `scales` N per-column
 *   weight scales, `invScale` K per-dimension activation factors (1/s of SmoothQuant, 1 without
 *   it, 0 on an outlier dimension). Each row of x is quantised at run time, in f32:
 *   `x' = x ⊙ invScale`, `s_x = max|x'| / 127`, `q = clamp(round_half_even(x' / s_x), ±127)`
 *   (kernels/int8 quantizeRow), and `y = s_x · scales[n] · Σ_k q[k]·codes[k, n]` (exact integer
 *   sums) `+ Σ_o x[dims[o]] · outliers.w[o, n]`. `outliers` (LLM.int8(), present when the
 *   outlier path is on, possibly with no dimension): the outlier feature dimensions, ascending,
 *   and their rows of W in f32; their codes are 0.
 * - `ternary` (kernels/ternary, BitNet b1.58): `codes` K×N row-major in {−1, 0, +1}, `scales`
 *   ⌈K/group⌉×N (`group` 0: one scale per column, 1×N; the last group may be short);
 *   `w'[k, n] = codes[k, n] · scales[⌊k/group⌋, n]`. Activations are not quantised (the kernels are weight-only).
 * - `monarch` (kernels/monarch, `blocks` b, p = ⌈K/b⌉): `r` K×b and `l` b×N row-major, the
 *   factors of M = P·L·Pᵀ·R: `w'[k, n] = r[k·b + n mod b] · l[⌊k/p⌋·N + n]`; the kernels run it
 *   as two block passes (b² intermediate units a row), never forming w'.
 *
 * @module
 */

/** The operators a linear layer can use. */
export const LINEAR_OPS = [
  "dense",
  "stl",
  "sparse24",
  "int4",
  "int8",
  "ternary",
  "monarch",
] as const;

/** One of {@link LINEAR_OPS}. */
export type LinearOp = typeof LINEAR_OPS[number];

/** STL parameters of a layer as kernels/stl stores them (see the module doc for indices). */
export interface StlExport {
  /** Tile size t. */
  t: number;
  /** Rank r (channels). */
  r: number;
  /** r×t², rho-major: `alpha[ρ·t² + a·t + b]`. */
  alpha: Float32Array;
  /** r planes of ⌈K/t⌉×⌈N/t⌉, zero-padded: `wh[ρ·Kt·Nt + κ·Nt + j]`. */
  wh: Float32Array;
  /** t²×r, entry-major: `gamma[(a·t + b)·r + ρ]`. */
  gamma: Float32Array;
}

/** INT4 weights of a layer in kernels/int4's convention (unpacked codes). */
export interface Int4Export {
  /** Consecutive k sharing a scale and zero: a multiple of 8 dividing K rounded up to 8. */
  group: number;
  /** K×N codes in 0…15, row-major. */
  codes: Uint8Array;
  /** ⌈K/group⌉×N scales, row-major. */
  scales: Float32Array;
  /** ⌈K/group⌉×N zero points (integers 0…15), row-major. */
  zeros: Float32Array;
  /** AWQ: 1/s_k (K long) multiplying x before the product; absent for RTN and QAT. */
  invScale?: Float32Array;
}

/** INT8 (W8A8) weights of a layer in kernels/int8's convention (unpacked codes). */
export interface Int8Export {
  /** K×N codes in −127…127, row-major; 0 on outlier dimensions. */
  codes: Int8Array;
  /** N per-column weight scales. */
  scales: Float32Array;
  /** K activation factors: 1/s of SmoothQuant, 1 without it, 0 on an outlier dimension. */
  invScale: Float32Array;
  /** SmoothQuant migration strength α the factors came from (0: none). */
  smooth: number;
  /** LLM.int8()'s outlier path, present when it is on. */
  outliers?: {
    /** Calibration |x| over which a dimension became an outlier. */
    threshold: number;
    /** Outlier feature dimensions, ascending. */
    dims: Uint32Array;
    /** dims.length×N rows of W at those dimensions, f32. */
    w: Float32Array;
  };
}

/** Ternary weights of a layer in kernels/ternary's convention (unpacked codes). */
export interface TernaryExport {
  /** K rows a scale (0: one scale per column). */
  group: number;
  /** K×N codes in {−1, 0, +1}, row-major. */
  codes: Int8Array;
  /** ⌈K/group⌉×N scales (1×N for group 0), row-major. */
  scales: Float32Array;
}

/** Monarch factors of a layer in kernels/monarch's layout. */
export interface MonarchExport {
  /** Blocks b. */
  blocks: number;
  /** K×b: `r[k·b + l]`. */
  r: Float32Array;
  /** b×N: `l[i·N + n]`. */
  l: Float32Array;
}

/**
 * One linear layer of a trained model: `y = x·W (+ bias)`; x is rows×K, W is K×N.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l: LinearExport = { name: "fc1", k: 2, n: 1, op: "dense", w: new Float32Array([1, 2]) };
 * assert.equal(checkLinearExport(l), l);
 * ```
 */
export interface LinearExport {
  /** Layer name, e.g. "blocks.0.attn.q". */
  name: string;
  k: number;
  n: number;
  op: LinearOp;
  /** N biases, added after the product. */
  bias?: Float32Array;
  /** dense: W, K×N row-major. sparse24: W̃ with the 2:4 pattern applied (exact zeros). */
  w?: Float32Array;
  /** stl: learned α, Ŵ, γ. */
  stl?: StlExport;
  /** int4: codes, scales, zeros (and AWQ's invScale). */
  int4?: Int4Export;
  /** int8: codes, scales, activation factors (and the outlier path). */
  int8?: Int8Export;
  /** ternary: codes and scales. */
  ternary?: TernaryExport;
  /** monarch: factors R and L. */
  monarch?: MonarchExport;
}

/**
 * A trained model: its architecture (task/model/arch.ts), its linears in forward order, and every
 * other tensor (embeddings, norms' gains and biases, position embeddings, a dense classifier
 * head) by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const m: ModelExport = { arch: "mlp", config: { hidden: 4 }, layers: [], tensors: {} };
 * assert.equal(m.layers.length, 0);
 * ```
 */
export interface ModelExport {
  /** "mlp" | "vit" | "lm". */
  arch: string;
  config: Record<string, number | string>;
  layers: LinearExport[];
  tensors: Record<string, { shape: number[]; data: Float32Array }>;
}

/**
 * Rows one sample occupies inside an STL layer: its `rowsPerSample` rows zero-padded to a
 * multiple of the tile size t (so a tile never mixes samples).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(stlRows(1, 4), 4);
 * assert.equal(stlRows(16, 4), 16);
 * ```
 */
export function stlRows(rowsPerSample: number, t: number): number {
  return Math.ceil(rowsPerSample / t) * t;
}

/** Raised for a malformed export: names the layer and field. */
export class ExportError extends RangeError {
  /** Creates the error for `layer`'s `field`. */
  constructor(layer: string, field: string, message: string) {
    super(`layer ${layer}: ${field}: ${message}`);
    this.name = "ExportError";
  }
}

function needLength(l: LinearExport, field: string, a: ArrayLike<number> | undefined, n: number) {
  if (!a) throw new ExportError(l.name, field, `missing (op ${l.op} needs it)`);
  if (a.length !== n) throw new ExportError(l.name, field, `has ${a.length} values, expected ${n}`);
}

/**
 * Validates a layer against the conventions of the module doc (lengths, the 2:4 pattern, code and
 * zero ranges, the int4 group) and returns it; throws {@link ExportError} naming the field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const bad = { name: "fc", k: 4, n: 1, op: "sparse24" as const, w: new Float32Array([1, 2, 3, 0]) };
 * assert.throws(() => checkLinearExport(bad), /more than 2 nonzeros/);
 * ```
 */
export function checkLinearExport(l: LinearExport): LinearExport {
  const { k, n } = l;
  if (!(Number.isInteger(k) && k >= 1 && Number.isInteger(n) && n >= 1)) {
    throw new ExportError(l.name, "k, n", `must be integers ≥ 1, got ${k}, ${n}`);
  }
  if (!(LINEAR_OPS as readonly string[]).includes(l.op)) {
    throw new ExportError(l.name, "op", `must be one of ${LINEAR_OPS.join(", ")}, got ${l.op}`);
  }
  if (l.bias) needLength(l, "bias", l.bias, n);
  switch (l.op) {
    case "dense":
      needLength(l, "w", l.w, k * n);
      break;
    case "sparse24": {
      needLength(l, "w", l.w, k * n);
      const w = l.w!;
      for (let g = 0; g < Math.ceil(k / 4); g++) {
        for (let c = 0; c < n; c++) {
          let nz = 0;
          for (let kk = 4 * g; kk < Math.min(k, 4 * g + 4); kk++) if (w[kk * n + c] !== 0) nz++;
          if (nz > 2) {
            throw new ExportError(
              l.name,
              "w",
              `more than 2 nonzeros in rows ${4 * g}..${4 * g + 3} of column ${c}`,
            );
          }
        }
      }
      break;
    }
    case "stl": {
      const s = l.stl;
      if (!s) throw new ExportError(l.name, "stl", "missing (op stl needs it)");
      if (!(Number.isInteger(s.t) && s.t >= 1 && Number.isInteger(s.r) && s.r >= 1)) {
        throw new ExportError(l.name, "stl.t, stl.r", `must be integers ≥ 1, got ${s.t}, ${s.r}`);
      }
      const tt = s.t * s.t;
      needLength(l, "stl.alpha", s.alpha, s.r * tt);
      needLength(l, "stl.gamma", s.gamma, tt * s.r);
      needLength(l, "stl.wh", s.wh, s.r * Math.ceil(k / s.t) * Math.ceil(n / s.t));
      break;
    }
    case "int4": {
      const q = l.int4;
      if (!q) throw new ExportError(l.name, "int4", "missing (op int4 needs it)");
      const kp = Math.ceil(k / 8) * 8;
      if (!(Number.isInteger(q.group) && q.group >= 8 && q.group % 8 === 0 && kp % q.group === 0)) {
        throw new ExportError(
          l.name,
          "int4.group",
          `must be a multiple of 8 dividing K = ${k} rounded up to 8 (${kp}), got ${q.group}`,
        );
      }
      const groups = Math.ceil(k / q.group);
      needLength(l, "int4.codes", q.codes, k * n);
      needLength(l, "int4.scales", q.scales, groups * n);
      needLength(l, "int4.zeros", q.zeros, groups * n);
      if (q.invScale) needLength(l, "int4.invScale", q.invScale, k);
      for (let i = 0; i < q.codes.length; i++) {
        if (q.codes[i]! > 15) {
          throw new ExportError(l.name, "int4.codes", `code ${q.codes[i]} at ${i} is over 15`);
        }
      }
      for (let i = 0; i < q.zeros.length; i++) {
        const z = q.zeros[i]!;
        if (!(Number.isInteger(z) && z >= 0 && z <= 15)) {
          throw new ExportError(l.name, "int4.zeros", `must be integers 0…15, got ${z} at ${i}`);
        }
      }
      break;
    }
    case "int8": {
      const q = l.int8;
      if (!q) throw new ExportError(l.name, "int8", "missing (op int8 needs it)");
      needLength(l, "int8.codes", q.codes, k * n);
      needLength(l, "int8.scales", q.scales, n);
      needLength(l, "int8.invScale", q.invScale, k);
      for (let i = 0; i < q.codes.length; i++) {
        if (q.codes[i]! < -127) {
          throw new ExportError(l.name, "int8.codes", `code ${q.codes[i]} at ${i} is under −127`);
        }
      }
      if (q.outliers) {
        const d = q.outliers.dims;
        needLength(l, "int8.outliers.w", q.outliers.w, d.length * n);
        for (let i = 0; i < d.length; i++) {
          if (!(d[i]! < k && (i === 0 || d[i]! > d[i - 1]!) && q.invScale[d[i]!] === 0)) {
            throw new ExportError(
              l.name,
              "int8.outliers.dims",
              `must ascend, be < K and have invScale 0; ${d[i]} at ${i} does not`,
            );
          }
        }
      }
      break;
    }
    case "ternary": {
      const q = l.ternary;
      if (!q) throw new ExportError(l.name, "ternary", "missing (op ternary needs it)");
      if (!(q.group === 0 || (Number.isInteger(q.group) && q.group >= 16 && q.group % 16 === 0))) {
        throw new ExportError(
          l.name,
          "ternary.group",
          `must be 0 or a positive multiple of 16, got ${q.group}`,
        );
      }
      needLength(l, "ternary.codes", q.codes, k * n);
      needLength(l, "ternary.scales", q.scales, (q.group ? Math.ceil(k / q.group) : 1) * n);
      for (let i = 0; i < q.codes.length; i++) {
        if (q.codes[i]! < -1 || q.codes[i]! > 1) {
          throw new ExportError(
            l.name,
            "ternary.codes",
            `code ${q.codes[i]} at ${i} is not −1, 0, 1`,
          );
        }
      }
      break;
    }
    case "monarch": {
      const q = l.monarch;
      if (!q) throw new ExportError(l.name, "monarch", "missing (op monarch needs it)");
      if (!(Number.isInteger(q.blocks) && q.blocks >= 1 && q.blocks <= Math.min(k, n))) {
        throw new ExportError(
          l.name,
          "monarch.blocks",
          `must be an integer in [1, min(K, N) = ${Math.min(k, n)}], got ${q.blocks}`,
        );
      }
      needLength(l, "monarch.r", q.r, k * q.blocks);
      needLength(l, "monarch.l", q.l, q.blocks * n);
      break;
    }
  }
  return l;
}

/**
 * The effective K×N weight matrix of a layer in f64 (what `x·W` multiplies by), for the
 * operators that have one: dense and sparse24 (W), int4 (W', with AWQ's invScale folded in as
 * `diag(invScale)·W'`), ternary (codes·scales), monarch (the dense M of its factors). STL has
 * no such matrix (its output mixes the t rows of a tile), nor has int8 (it quantises each row
 * of x at run time); null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l: LinearExport = {
 *   name: "q", k: 8, n: 1, op: "int4",
 *   int4: { group: 8, codes: new Uint8Array(8).fill(3), scales: new Float32Array([0.5]), zeros: new Float32Array([1]) },
 * };
 * assert.deepEqual([...effectiveWeights(l)!], new Array(8).fill(1));
 * ```
 */
export function effectiveWeights(l: LinearExport): Float64Array | null {
  const { k, n } = l;
  if (l.op === "dense" || l.op === "sparse24") return Float64Array.from(l.w!);
  if (l.op === "stl" || l.op === "int8") return null;
  if (l.op === "ternary") {
    const q = l.ternary!;
    const out = new Float64Array(k * n);
    for (let kk = 0; kk < k; kk++) {
      const gb = (q.group ? Math.floor(kk / q.group) : 0) * n;
      for (let c = 0; c < n; c++) out[kk * n + c] = q.codes[kk * n + c]! * q.scales[gb + c]!;
    }
    return out;
  }
  if (l.op === "monarch") {
    const { blocks: b, r, l: lf } = l.monarch!;
    const p = Math.ceil(k / b);
    const out = new Float64Array(k * n);
    for (let kk = 0; kk < k; kk++) {
      const i = Math.floor(kk / p);
      for (let c = 0; c < n; c++) out[kk * n + c] = r[kk * b + (c % b)]! * lf[i * n + c]!;
    }
    return out;
  }
  const q = l.int4!;
  const out = new Float64Array(k * n);
  for (let kk = 0; kk < k; kk++) {
    const gb = Math.floor(kk / q.group) * n;
    const s = q.invScale ? q.invScale[kk]! : 1;
    for (let c = 0; c < n; c++) {
      out[kk * n + c] = s * (q.codes[kk * n + c]! - q.zeros[gb + c]!) * q.scales[gb + c]!;
    }
  }
  return out;
}
