/**
 * Suites: schema, validation, loading and expansion into cases.
 *
 * @module
 */

export * from "./schema.ts";
export * from "./validate.ts";
export * from "./expand.ts";
export * from "./load.ts";
export * from "./format.ts";
