/**
 * The running strategy's context, so `harvester/api`'s free functions (`order(…)`,
 * `symbol(…)`) act on it as zipline's `zipline.api` functions do. One algorithm runs at a time
 * per process (as in zipline); run_algorithm sets it before initialize and clears it after.
 */
import type { Context } from "./context.ts";
import { HarvesterError } from "../errors.ts";

let current: Context | null = null;

export function setCurrentContext(context: Context | null): void {
  current = context;
}

/** The context of the running algorithm; an error outside a run. */
export function currentContext(): Context {
  if (!current) {
    throw new HarvesterError(
      "no algorithm is running: harvester/api functions work inside a strategy's functions",
    );
  }
  return current;
}
