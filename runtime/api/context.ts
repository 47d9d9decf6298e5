/**
 * `context`: what every strategy function receives. It carries the strategy's own state (any
 * attribute the strategy sets), `portfolio`, `account`, `params` (from `-D name=value`) and the
 * whole zipline API as methods. Calls that can do I/O when live return Promises; in a backtest
 * they resolve at once.
 */
import type { Asset } from "../assets/asset.ts";
import type { OrderOptions, TradingAlgorithm } from "../engine/algorithm.ts";
import { BadEnvironmentField, SettingPostInit } from "../engine/errors.ts";
import type { CancelPolicy } from "../finance/cancel_policy.ts";
import type { CommissionModel } from "../finance/commission.ts";
import type { OnError } from "../finance/controls.ts";
import type { Order } from "../finance/order.ts";
import type { Restrictions } from "../finance/restrictions.ts";
import type { SlippageModel } from "../finance/slippage.ts";
import type { Account, Portfolio } from "./portfolio.ts";
import { type EventRule, resolveScheduleCalendar, ScheduledFunction } from "./scheduling.ts";
import type { BarData } from "./bar_data.ts";
import type { SizeOptions } from "../engine/controls_api.ts";
import { DAY_MS } from "../../calendars/days.ts";
import { type AttachOptions, pipelinesOf } from "../pipeline/attached.ts";
import type { Pipeline } from "../pipeline/pipeline.ts";
import type { PipelineFrame } from "../pipeline/result.ts";

const engines = new WeakMap<Context, TradingAlgorithm>();

/** The algorithm behind a context (internal). */
export function algorithmOf(context: Context): TradingAlgorithm {
  const a = engines.get(context);
  if (!a) throw new Error("this context is not attached to a running algorithm");
  return a;
}

/** A scheduled strategy function. */
export type ScheduledFn = (context: Context, data: BarData) => unknown;

/** Options of `schedule_function`. */
export interface ScheduleOptions {
  half_days?: boolean;
  calendar?: unknown;
}

export class Context {
  /** The strategy's own state: anything it assigns. */
  // deno-lint-ignore no-explicit-any
  [key: string]: any;

  constructor(algo: TradingAlgorithm) {
    engines.set(this, algo);
  }

  get portfolio(): Portfolio {
    return algorithmOf(this).portfolio;
  }
  get account(): Account {
    return algorithmOf(this).account;
  }
  /** `-D name=value` definitions from the command line. */
  get params(): Readonly<Record<string, string>> {
    return algorithmOf(this).params;
  }

  // --- assets ---
  symbol(symbol: string, _country_code?: string): Promise<Asset> {
    return Promise.resolve(algorithmOf(this).symbol(symbol));
  }
  symbols(...symbols: string[]): Promise<Asset[]> {
    const a = algorithmOf(this);
    return Promise.resolve(symbols.map((s) => a.symbol(s)));
  }
  sid(sid: number): Promise<Asset> {
    return Promise.resolve(algorithmOf(this).sid(sid));
  }
  set_symbol_lookup_date(dt: string | number | Date): void {
    const ms = typeof dt === "number"
      ? dt
      : dt instanceof Date
      ? dt.getTime()
      : Date.parse(dt.length === 10 ? `${dt}T00:00:00Z` : dt);
    algorithmOf(this).symbol_lookup_date = Math.floor(ms / DAY_MS) * DAY_MS;
  }

  // --- ordering ---
  order(asset: Asset, amount: number, opts?: OrderOptions): Promise<string | null> {
    return Promise.resolve(algorithmOf(this).order(asset, amount, opts));
  }
  order_value(asset: Asset, value: number, opts?: OrderOptions): Promise<string | null> {
    return Promise.resolve(algorithmOf(this).order_value(asset, value, opts));
  }
  order_percent(asset: Asset, percent: number, opts?: OrderOptions): Promise<string | null> {
    return Promise.resolve(algorithmOf(this).order_percent(asset, percent, opts));
  }
  order_target(asset: Asset, target: number, opts?: OrderOptions): Promise<string | null> {
    return Promise.resolve(algorithmOf(this).order_target(asset, target, opts));
  }
  order_target_value(asset: Asset, target: number, opts?: OrderOptions): Promise<string | null> {
    return Promise.resolve(algorithmOf(this).order_target_value(asset, target, opts));
  }
  order_target_percent(asset: Asset, target: number, opts?: OrderOptions): Promise<string | null> {
    return Promise.resolve(algorithmOf(this).order_target_percent(asset, target, opts));
  }
  batch_market_order(
    share_counts: Map<Asset, number> | Iterable<[Asset, number]>,
  ): Promise<(string | null)[]> {
    return Promise.all(algorithmOf(this).batch_market_order(share_counts));
  }
  get_open_orders(): Promise<Map<Asset, Order[]>>;
  get_open_orders(asset: Asset): Promise<Order[]>;
  get_open_orders(asset?: Asset): Promise<Order[] | Map<Asset, Order[]>> {
    return Promise.resolve(algorithmOf(this).get_open_orders(asset));
  }
  get_order(order_id: string): Promise<Order | null> {
    return Promise.resolve(algorithmOf(this).get_order(order_id));
  }
  /**
   * Orders every position to zero (and cancels open orders first). In a live session these go
   * through the risk gate like any order; in REDUCING state they are exactly what is allowed.
   */
  async flatten_all(): Promise<(string | null)[]> {
    const a = algorithmOf(this);
    const open = a.get_open_orders() as Map<Asset, Order[]>;
    for (const list of open.values()) for (const o of list) await a.cancel_order(o);
    const ids: (string | null)[] = [];
    for (const p of [...a.ledger.positions.values()]) ids.push(await a.order(p.asset, -p.amount));
    return ids;
  }

  cancel_order(order: string | Order): Promise<void> {
    return Promise.resolve(algorithmOf(this).cancel_order(order));
  }

  // --- scheduling, recording, environment ---
  schedule_function(
    fn: ScheduledFn,
    date_rule?: EventRule | null,
    time_rule?: EventRule | null,
    opts: ScheduleOptions = {},
  ): void {
    const a = algorithmOf(this);
    const calendar = resolveScheduleCalendar(opts.calendar as never, a.calendar);
    a.scheduled.push(
      new ScheduledFunction(fn, date_rule, time_rule, {
        calendar,
        half_days: opts.half_days ?? true,
        warn: (m: string) => a.log.warn("schedule_function", { message: m }),
      }),
    );
  }
  /** `record({ name: value })` or zipline's `record("name", value, …)`. */
  record(...args: unknown[]): void {
    const a = algorithmOf(this);
    if (args.length === 1 && typeof args[0] === "object" && args[0] !== null) {
      a.record(args[0] as Record<string, unknown>);
      return;
    }
    if (args.length % 2 !== 0) throw new TypeError("record() takes name/value pairs or one object");
    const values: Record<string, unknown> = {};
    for (let i = 0; i < args.length; i += 2) values[String(args[i])] = args[i + 1];
    a.record(values);
  }
  get_datetime(_tz?: string): Date {
    return new Date(algorithmOf(this).current_dt);
  }
  get_environment(field = "platform"): unknown {
    const a = algorithmOf(this);
    const env: Record<string, unknown> = {
      arena: a.arena,
      data_frequency: a.data_frequency,
      start: new Date(a.sessions[0]),
      end: new Date(a.sessions[a.sessions.length - 1]),
      capital_base: a.capital_base,
      platform: "harvester",
    };
    if (field === "*") return env;
    if (!(field in env)) {
      throw new BadEnvironmentField(
        `get_environment: unknown field "${field}"; fields: ${Object.keys(env).join(", ")}, *`,
      );
    }
    return env[field];
  }

  // --- settings (initialize only) ---
  set_slippage(us_equities: SlippageModel): void {
    algorithmOf(this).set_slippage(us_equities);
  }
  set_commission(us_equities: CommissionModel): void {
    algorithmOf(this).set_commission(us_equities);
  }
  set_cancel_policy(policy: CancelPolicy): void {
    algorithmOf(this).set_cancel_policy(policy);
  }
  set_benchmark(asset: Asset): void {
    const a = algorithmOf(this);
    if (a.initialized) throw new SettingPostInit("set_benchmark");
    a.benchmark_asset = asset;
  }
  set_max_leverage(max_leverage: number): void {
    algorithmOf(this).controls.set_max_leverage(max_leverage);
  }
  set_min_leverage(min_leverage: number, grace_period_days: number): void {
    const a = algorithmOf(this);
    a.controls.set_min_leverage(min_leverage, grace_period_days, a.sessions[0]);
  }
  set_max_position_size(opts: SizeOptions = {}): void {
    algorithmOf(this).controls.set_max_position_size(opts);
  }
  set_max_order_size(opts: SizeOptions = {}): void {
    algorithmOf(this).controls.set_max_order_size(opts);
  }
  set_max_order_count(max_count: number, opts: { on_error?: OnError } = {}): void {
    algorithmOf(this).controls.set_max_order_count(max_count, opts.on_error);
  }
  set_long_only(opts: { on_error?: OnError } = {}): void {
    algorithmOf(this).controls.set_long_only(opts.on_error);
  }
  set_asset_restrictions(restrictions: Restrictions, opts: { on_error?: OnError } = {}): void {
    algorithmOf(this).controls.set_asset_restrictions(restrictions, opts.on_error);
  }
  set_do_not_order_list(assets: Iterable<Asset>, opts: { on_error?: OnError } = {}): void {
    algorithmOf(this).controls.set_do_not_order_list(assets, opts.on_error);
  }

  // --- pipeline ---
  /** Registers a pipeline to compute each day (initialize only); returns it. */
  attach_pipeline(pipeline: Pipeline, name: string, opts?: AttachOptions): Pipeline {
    return pipelinesOf(algorithmOf(this)).attach(pipeline, name, opts);
  }
  /** Today's output of an attached pipeline: a frame of its columns indexed by asset. */
  pipeline_output(name: string): Promise<PipelineFrame> {
    return pipelinesOf(algorithmOf(this)).output(name);
  }
}
