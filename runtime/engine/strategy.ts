/** A strategy module's shape: zipline's lifecycle functions, each possibly async. */
import type { Context } from "../api/context.ts";
import type { BarData } from "../api/bar_data.ts";
import type { Results } from "../metrics/results.ts";
import { StrategyDefinitionError } from "../api/errors.ts";

export type Awaitable<T> = T | Promise<T>;

export interface Strategy {
  initialize(context: Context): Awaitable<void>;
  handle_data?(context: Context, data: BarData): Awaitable<void>;
  before_trading_start?(context: Context, data: BarData): Awaitable<void>;
  analyze?(context: Context, results: Results): Awaitable<void>;
}

/** Checks a loaded module has what a strategy needs. */
export function asStrategy(mod: Record<string, unknown>, source: string): Strategy {
  if (typeof mod.initialize !== "function") {
    throw new StrategyDefinitionError(`${source} does not export an initialize(context) function`);
  }
  for (const name of ["handle_data", "before_trading_start", "analyze"]) {
    if (mod[name] !== undefined && typeof mod[name] !== "function") {
      throw new StrategyDefinitionError(`${source}: export ${name} must be a function`);
    }
  }
  return mod as unknown as Strategy;
}
