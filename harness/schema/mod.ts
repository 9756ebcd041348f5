/**
 * File formats described once: the description language (validator and JSON Schema from one
 * table) and the `results.json` description shared by the gate and the reports.
 *
 * @module
 */

export {
  type Base,
  describe,
  type Fail,
  type Schema,
  showValue,
  toJsonSchema,
  validate,
} from "./schema.ts";
export * from "./results.ts";
