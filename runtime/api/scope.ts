/**
 * The running algorithm of the current async call chain, so `harvester/api`'s free functions
 * (`order(…)`, `symbol(…)`) act on it as zipline's `zipline.api` functions do — scoped with
 * `AsyncLocalStorage` (zipline's `ZiplineAPI` context manager, made async), never a module
 * variable: two runs at once in one process (a notebook's `Promise.all` over parameters) each see
 * their own.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { HarvesterError } from "../errors.ts";
import { algorithmOf, API, type ApiName, type Context, type StrategyApi } from "./context.ts";
import type { ApiFunction } from "./define.ts";

const scope = new AsyncLocalStorage<Context>();

/** Runs `fn` (and everything it awaits) with `context` as the running algorithm's. */
export function runInScope<T>(context: Context, fn: () => T): T {
  return scope.run(context, fn);
}

/** The context of the running algorithm; an error outside a run. */
export function currentContext(): Context {
  const c = scope.getStore();
  if (!c) {
    throw new HarvesterError(
      "no algorithm is running: harvester/api functions work inside a strategy's functions",
    );
  }
  return c;
}

/**
 * The simulation time (UTC ms) of the algorithm running in this async call chain; NaN outside a
 * run. Loggers stamp events with it.
 *
 * @example
 * ```ts
 * consoleLogger(write, true, { simTime: runningTime });
 * ```
 */
export function runningTime(): number {
  const c = scope.getStore();
  return c ? algorithmOf(c).current_dt : NaN;
}

/** Every API function bound to the scoped context (the free functions of `harvester/api`). */
export function freeFunctions(): StrategyApi {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(API) as ApiName[]) {
    const fn = API[name] as ApiFunction;
    // The API function the context's method calls, on the running algorithm, with the arguments
    // forwarded as they came (no argument arrays: every `await order(...)` goes through here).
    out[name] = function () {
      return fn.apply(algorithmOf(currentContext()), arguments as unknown as unknown[]);
    };
  }
  return out as unknown as StrategyApi;
}
