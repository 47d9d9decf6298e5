/**
 * How the API is defined once: each function is written in a group (api_*.ts) with the running
 * algorithm as `this`, its JSDoc and an example; `context.<name>` and `harvester/api`'s free
 * `<name>` are both generated from it (context.ts, scope.ts), so the two faces cannot drift.
 */
import type { TradingAlgorithm } from "./algorithm.ts";

/** One API function: the running algorithm is `this`. */
// deno-lint-ignore no-explicit-any
export type ApiFunction = (this: TradingAlgorithm, ...args: any[]) => unknown;

/** A group of API functions, checked to take the algorithm as `this`. */
export function apiGroup<T extends Record<string, ApiFunction>>(group: T): T {
  return group;
}

/** The group's functions as methods of something else (`this` left out; JSDoc kept). */
export type Methods<T> = { [K in keyof T]: OmitThisParameter<T[K]> };
