/**
 * `harvester/api`: what a strategy imports — zipline's API as free functions bound to the
 * running algorithm, plus the model, style, control and rule classes.
 *
 * @example
 * ```ts
 * import { order, record, symbol } from "harvester/api";
 * import type { BarData, Context } from "harvester/api";
 *
 * export async function initialize(context: Context) {
 *   context.asset = await symbol("AAPL");
 * }
 * export async function handle_data(context: Context, data: BarData) {
 *   await order(context.asset, 10);
 *   record({ AAPL: await data.current(context.asset, "price") });
 * }
 * ```
 */
import * as cancelPolicies from "../finance/cancel_policy.ts";
import * as executionStyles from "../finance/execution.ts";

export const VERSION = "0.1.0";

export type { Context } from "./context.ts";
export type { BarData } from "./bar_data.ts";
export type { Results } from "../metrics/results.ts";
export type { Account, Portfolio, Positions } from "./portfolio.ts";
export { Asset, Equity } from "../assets/asset.ts";
export { Order, ORDER_STATUS } from "../finance/order.ts";
export type { OrderSnapshot } from "../orders/order.ts";
export type { OrderOptions } from "./algorithm.ts";
export type { OrderId, ScheduledFn, ScheduleOptions, StrategyApi } from "./context.ts";
export { Series } from "../frames/series.ts";
export { Frame } from "../frames/frame.ts";
export { HistoryPanel } from "../frames/history_panel.ts";
export { calendars, date_rules, time_rules } from "./scheduling.ts";
export {
  HistoricalRestrictions,
  Restriction,
  RESTRICTION_STATES,
  StaticRestrictions,
} from "../finance/restrictions.ts";
export { EODCancel, NeverCancel } from "../finance/cancel_policy.ts";
export { LimitOrder, MarketOrder, StopLimitOrder, StopOrder } from "../finance/execution.ts";
export { TradingControlViolation } from "../finance/controls.ts";

/** zipline's `zipline.finance.slippage`: models, and base classes to subclass. */
export * as slippage from "./slippage_namespace.ts";
/** zipline's `zipline.finance.commission`: models, and base classes to subclass. */
export * as commission from "./commission_namespace.ts";
/** zipline's `zipline.finance.cancel_policy` namespace. */
export const cancel_policy = {
  EODCancel: cancelPolicies.EODCancel,
  NeverCancel: cancelPolicies.NeverCancel,
};
/** zipline's `zipline.finance.execution` namespace. */
export const execution = {
  MarketOrder: executionStyles.MarketOrder,
  LimitOrder: executionStyles.LimitOrder,
  StopOrder: executionStyles.StopOrder,
  StopLimitOrder: executionStyles.StopLimitOrder,
};

// zipline's API as free functions acting on the running algorithm: the same definitions as
// `context.*` (api_*.ts), each with its JSDoc (free_functions.ts, generated from them).
export * from "./free_functions.ts";

// --- pipeline ---
export {
  classifiers,
  Column,
  CustomClassifier,
  CustomFactor,
  CustomFilter,
  DataSet,
  EquityPricing,
  factors,
  filters,
  loaders,
  Pipeline,
  PipelineFrame,
  PipelineResult,
  run_pipeline,
  USEquityPricing,
  Window,
} from "../pipeline/mod.ts";
