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
import type { Asset } from "../assets/asset.ts";
import type { OrderOptions } from "../engine/algorithm.ts";
import type { Order } from "../finance/order.ts";
import type { Context, ScheduledFn, ScheduleOptions } from "./context.ts";
import { currentContext } from "./current.ts";
import type { EventRule } from "./scheduling.ts";
import type { CancelPolicy } from "../finance/cancel_policy.ts";
import type { CommissionModel as CommissionModelT } from "../finance/commission.ts";
import type { SlippageModel as SlippageModelT } from "../finance/slippage.ts";
import type { OnError } from "../finance/controls.ts";
import type { Restrictions } from "../finance/restrictions.ts";
import type { SizeOptions } from "../engine/controls_api.ts";
import * as slippageModels from "../finance/slippage.ts";
import * as commissionModels from "../finance/commission.ts";
import * as cancelPolicies from "../finance/cancel_policy.ts";
import * as executionStyles from "../finance/execution.ts";

export const VERSION = "0.1.0";

export type { Context } from "./context.ts";
export type { BarData } from "./bar_data.ts";
export type { Results } from "../engine/results.ts";
export type { Account, Portfolio, Positions } from "./portfolio.ts";
export { Asset, Equity } from "../assets/asset.ts";
export { Order, ORDER_STATUS } from "../finance/order.ts";
export { Series } from "./series.ts";
export { Frame } from "./frame.ts";
export { HistoryPanel } from "./history_panel.ts";
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
export { run_algorithm, type RunOptions } from "../engine/run_algorithm.ts";

/** zipline's `zipline.finance.slippage` namespace. */
export const slippage = {
  FixedSlippage: slippageModels.FixedSlippage,
  FixedBasisPointsSlippage: slippageModels.FixedBasisPointsSlippage,
  VolumeShareSlippage: slippageModels.VolumeShareSlippage,
  NoSlippage: slippageModels.NoSlippage,
};
/** zipline's `zipline.finance.commission` namespace. */
export const commission = {
  PerShare: commissionModels.PerShare,
  PerTrade: commissionModels.PerTrade,
  PerDollar: commissionModels.PerDollar,
  NoCommission: commissionModels.NoCommission,
};
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

const ctx = (): Context => currentContext();

export const symbol = (s: string, country_code?: string): Promise<Asset> =>
  ctx().symbol(s, country_code);
export const symbols = (...s: string[]): Promise<Asset[]> => ctx().symbols(...s);
export const sid = (n: number): Promise<Asset> => ctx().sid(n);
export const set_symbol_lookup_date = (dt: string | number | Date): void =>
  ctx().set_symbol_lookup_date(dt);
export const order = (a: Asset, n: number, o?: OrderOptions): Promise<string | null> =>
  ctx().order(a, n, o);
export const order_value = (a: Asset, v: number, o?: OrderOptions): Promise<string | null> =>
  ctx().order_value(a, v, o);
export const order_percent = (a: Asset, p: number, o?: OrderOptions): Promise<string | null> =>
  ctx().order_percent(a, p, o);
export const order_target = (a: Asset, t: number, o?: OrderOptions): Promise<string | null> =>
  ctx().order_target(a, t, o);
export const order_target_value = (a: Asset, t: number, o?: OrderOptions): Promise<string | null> =>
  ctx().order_target_value(a, t, o);
export const order_target_percent = (
  a: Asset,
  t: number,
  o?: OrderOptions,
): Promise<string | null> => ctx().order_target_percent(a, t, o);
export const batch_market_order = (
  counts: Map<Asset, number> | Iterable<[Asset, number]>,
): Promise<(string | null)[]> => ctx().batch_market_order(counts);
export function get_open_orders(): Promise<Map<Asset, Order[]>>;
export function get_open_orders(asset: Asset): Promise<Order[]>;
export function get_open_orders(asset?: Asset): Promise<Order[] | Map<Asset, Order[]>> {
  return asset ? ctx().get_open_orders(asset) : ctx().get_open_orders();
}
export const get_order = (id: string): Promise<Order | null> => ctx().get_order(id);
export const cancel_order = (o: string | Order): Promise<void> => ctx().cancel_order(o);
/** Closes every position (after cancelling open orders). */
export const flatten_all = (): Promise<(string | null)[]> => ctx().flatten_all();
export const schedule_function = (
  fn: ScheduledFn,
  date_rule?: EventRule | null,
  time_rule?: EventRule | null,
  opts?: ScheduleOptions,
): void => ctx().schedule_function(fn, date_rule, time_rule, opts);
export const record = (...args: unknown[]): void => ctx().record(...args);
export const get_datetime = (tz?: string): Date => ctx().get_datetime(tz);
export const get_environment = (field?: string): unknown => ctx().get_environment(field);
export const set_slippage = (m: SlippageModelT): void => ctx().set_slippage(m);
export const set_commission = (m: CommissionModelT): void => ctx().set_commission(m);
export const set_cancel_policy = (p: CancelPolicy): void => ctx().set_cancel_policy(p);
export const set_benchmark = (a: Asset): void => ctx().set_benchmark(a);
export const set_max_leverage = (x: number): void => ctx().set_max_leverage(x);
export const set_min_leverage = (x: number, grace_period_days: number): void =>
  ctx().set_min_leverage(x, grace_period_days);
export const set_max_position_size = (o?: SizeOptions): void => ctx().set_max_position_size(o);
export const set_max_order_size = (o?: SizeOptions): void => ctx().set_max_order_size(o);
export const set_max_order_count = (n: number, o?: { on_error?: OnError }): void =>
  ctx().set_max_order_count(n, o);
export const set_long_only = (o?: { on_error?: OnError }): void => ctx().set_long_only(o);
export const set_asset_restrictions = (r: Restrictions, o?: { on_error?: OnError }): void =>
  ctx().set_asset_restrictions(r, o);
export const set_do_not_order_list = (a: Iterable<Asset>, o?: { on_error?: OnError }): void =>
  ctx().set_do_not_order_list(a, o);

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
/**
 * Registers a pipeline to compute each day; call in initialize. Returns the pipeline.
 * @example attach_pipeline(new Pipeline({ columns: { rsi: new factors.RSI() } }), "rsi")
 */
export const attach_pipeline = (
  pipeline: import("../pipeline/pipeline.ts").Pipeline,
  name: string,
  opts?: import("../pipeline/attached.ts").AttachOptions,
): import("../pipeline/pipeline.ts").Pipeline => ctx().attach_pipeline(pipeline, name, opts);
/**
 * Today's output of an attached pipeline (a frame indexed by asset).
 * @example const out = await pipeline_output("rsi"); out.where("longs")
 */
export const pipeline_output = (
  name: string,
): Promise<import("../pipeline/result.ts").PipelineFrame> => ctx().pipeline_output(name);
