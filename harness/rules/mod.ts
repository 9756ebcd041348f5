/**
 * The gate's rules format: thresholds per metric, with defaults, scoped per suite and kernel,
 * and the input errors naming the file and the field. Suites carry rules (their `gate` object)
 * and the gate applies them, so both read this layer.
 *
 * @module
 */

export * from "./errors.ts";
export * from "./config.ts";
export * from "./schema.ts";
