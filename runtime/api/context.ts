/**
 * `context`: what every strategy function receives. It carries the strategy's own state (any
 * attribute the strategy sets), `portfolio`, `account`, `params` (from `-D name=value`) and the
 * whole zipline API as methods — the same functions `harvester/api` exports, generated from the
 * one definition in the api_*.ts groups. Calls that can do I/O when live return Promises; in a
 * backtest they resolve at once.
 */
import type { TradingAlgorithm } from "./algorithm.ts";
import { assetsApi } from "./api_assets.ts";
import { ordersApi } from "./api_orders.ts";
import { runtimeApi } from "./api_runtime.ts";
import { settingsApi } from "./api_settings.ts";
import type { ApiFunction, Methods } from "./define.ts";
import type { Account, Portfolio } from "./portfolio.ts";

export type { ScheduledFn, ScheduleOptions } from "./api_runtime.ts";
export type { OrderId } from "./api_orders.ts";
import type { GetOpenOrders } from "./api_orders.ts";

/** Every API function, by name: the one definition of the strategy API. */
export const API = { ...assetsApi, ...ordersApi, ...settingsApi, ...runtimeApi };

/** The API's functions as methods (what `context.*` and `harvester/api` offer). */
export type StrategyApi = Omit<Methods<typeof API>, "get_open_orders"> & {
  /**
   * Open orders: of one asset (a list), or of every asset (a Map asset → list). Each order is a
   * frozen copy as of the call.
   *
   * @example
   * ```ts
   * if ((await get_open_orders(aapl)).length === 0) await order(aapl, 10);
   * ```
   */
  get_open_orders: GetOpenOrders;
};

/** The name of an API function. */
export type ApiName = keyof typeof API;

/** The algorithm behind a context (internal). */
export function algorithmOf(context: AlgorithmContext): TradingAlgorithm {
  return AlgorithmContext.algorithmOf(context);
}

/** What `Context` without a type argument allows: any field, of any type (zipline's habit). */
// deno-lint-ignore no-explicit-any
export type AnyState = { [key: string]: any };

/**
 * `context`, what every strategy function receives: the strategy's own state (`State`, the fields
 * it sets), `portfolio`, `account`, `params`, and the whole API as methods. Declare your fields
 * to have them checked — a misspelt `context.portfolo` or a wrong type is then an error in your
 * editor and in `deno check`; without a type argument any field goes, as in zipline.
 *
 * @example
 * ```ts
 * import type { Asset, BarData, Context } from "harvester/api";
 *
 * type State = { asset: Asset; days: number };
 *
 * export async function initialize(context: Context<State>) {
 *   context.asset = await symbol("AAPL");
 *   context.days = 0;
 * }
 * export async function handle_data(context: Context<State>, data: BarData) {
 *   context.days += 1;
 *   if (context.portfolio.cash > 0) await order(context.asset, 1);
 * }
 * ```
 */
export type Context<State extends object = AnyState> = AlgorithmContext & State;

// The interface merges the API's methods into the class (see the loop below).
export interface AlgorithmContext extends StrategyApi {}

/** The object behind `context` (the engine makes one per run; strategies use the `Context` type). */
export class AlgorithmContext {
  readonly #algo: TradingAlgorithm;

  constructor(algo: TradingAlgorithm) {
    this.#algo = algo;
  }

  /** The algorithm behind a context (internal). */
  static algorithmOf(context: AlgorithmContext): TradingAlgorithm {
    return context.#algo;
  }

  /** zipline's `context.portfolio`: cash, positions, value, returns — priced at the current bar. */
  get portfolio(): Portfolio {
    return algorithmOf(this).portfolio;
  }
  /** zipline's `context.account`: leverage, buying power, … */
  get account(): Account {
    return algorithmOf(this).account;
  }
  /** `-D name=value` definitions from the command line. */
  get params(): Readonly<Record<string, string>> {
    return algorithmOf(this).params;
  }
}

/** The class behind `context`, under the name the engine builds it by (`new Context(algo)`). */
export const Context = AlgorithmContext;

for (const [name, fn] of Object.entries(API) as [string, ApiFunction][]) {
  Object.defineProperty(AlgorithmContext.prototype, name, {
    // The arguments forwarded as they came: no argument array per call.
    value: function (this: AlgorithmContext) {
      return fn.apply(algorithmOf(this), arguments as unknown as unknown[]);
    },
    writable: true,
    configurable: true,
  });
}
