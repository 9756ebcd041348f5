/**
 * The runner: cases → kernels → measurements + accuracy → results; progress; CLI.
 *
 * @module
 */

export * from "./runner.ts";
export * from "./case.ts";
export * from "./meta.ts";
export * from "./progress.ts";
export * from "./cli.ts";
export * from "./signals.ts";
export * from "./out_dir.ts";
export { type PeerName, PEERS } from "./peers.ts";
