/**
 * The input cache of a run: generated matrices and exact products, bounded in bytes.
 *
 * @module
 */

import { type CaseData, generateCalib, generateW, generateX } from "../data/inputs.ts";
import { matmulRowsF64 } from "../data/matmul_f64.ts";
import type { Case } from "../suite/expand.ts";
import type { Suite } from "../suite/schema.ts";
import type { Shape } from "../types.ts";

/**
 * Input cache of a run. Generating a large W takes seconds, so matrices are kept in a small
 * least-recently-used store bounded in bytes: X by (M, K), W by (K, N) (shared by every M),
 * calibration rows by K, exact X·W rows by shape and row set.
 */
export class DataCache {
  #store = new Map<string, Float32Array | Float64Array>();
  #bytes = 0;
  #budget: number;

  /** Creates a cache holding at most `budgetBytes` of matrices (default 2 GiB). */
  constructor(budgetBytes = 2 * 1024 ** 3) {
    this.#budget = budgetBytes;
  }

  #get<T extends Float32Array | Float64Array>(key: string, make: () => T): T {
    const hit = this.#store.get(key);
    if (hit) {
      this.#store.delete(key);
      this.#store.set(key, hit); // most recently used last
      return hit as T;
    }
    const value = make();
    this.#store.set(key, value);
    this.#bytes += value.byteLength;
    for (const [k, v] of this.#store) {
      if (this.#bytes <= this.#budget || k === key) break;
      this.#store.delete(k);
      this.#bytes -= v.byteLength;
    }
    return value;
  }

  /** X and W of a shape (the WebGPU peers take these from the cases' cache). */
  matrices(shape: Shape, suite: Suite): { x: Float32Array; w: Float32Array } {
    const { m, k, n } = shape;
    const { seed, data } = suite;
    return {
      x: this.#get(`x:${m}x${k}`, () => generateX(m, k, seed, data)),
      w: this.#get(`w:${k}x${n}`, () => generateW(k, n, seed, data)),
    };
  }

  /** Inputs for `c`'s shape. */
  inputs(c: Case, suite: Suite): CaseData {
    const { k } = c.shape;
    const { seed, data } = suite;
    return {
      shape: c.shape,
      ...this.matrices(c.shape, suite),
      calib: this.#get(`c:${k}`, () => generateCalib(k, seed, data)),
      calibRows: data.calibRows,
    };
  }

  /** Exact X·W rows in f64 from the f32 inputs. */
  exact(data: CaseData, rows: readonly number[]): Float64Array {
    const { m, k, n } = data.shape;
    return this.#get(
      `e:${m}x${k}x${n}:${rows.join(",")}`,
      () => matmulRowsF64(data.x, data.w, m, k, n, rows),
    );
  }
}
