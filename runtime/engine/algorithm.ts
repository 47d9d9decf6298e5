/**
 * The running algorithm: state shared by every API call (blotter, ledger, schedule, records,
 * controls) and the zipline API itself as synchronous methods. The strategy sees it through
 * `context` and `harvester/api`, which wrap these in Promises.
 */
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { Asset } from "../assets/asset.ts";
import { SimulationBlotter } from "../finance/blotter.ts";
import { Ledger } from "../finance/ledger.ts";
import type { MarketView } from "../finance/market_view.ts";
import type { Order } from "../finance/order.ts";
import { Account, Portfolio } from "../api/portfolio.ts";
import type { DailyPortal } from "../portal/daily_portal.ts";
import { DailyMarket, type MarketData } from "../portal/market.ts";
import {
  OrderDuringInitialize,
  OrderInBeforeTradingStart,
  SettingPostInit,
  SidsNotFound,
  SymbolNotFound,
  UnsupportedOrderParameters,
} from "./errors.ts";
import type { ExecutionStyle } from "../finance/execution.ts";
import { round_order, sharesForValue, styleOf, targetDelta } from "./ordering.ts";
import { defaultEquitySlippage, type SlippageModel } from "../finance/slippage.ts";
import { type CommissionModel, defaultEquityCommission } from "../finance/commission.ts";
import type { CancelPolicy } from "../finance/cancel_policy.ts";
import { type Logger, silentLogger } from "./log.ts";
import { ControlSet } from "./controls_api.ts";
import type { ScheduledFunction } from "../api/scheduling.ts";

/**
 * Where orders go when not to the simulation blotter: the live order manager. Methods may be
 * async (a broker call); the strategy API returns Promises either way.
 */
export interface OrderRouter {
  place(
    asset: Asset,
    amount: number,
    limit: number | null,
    stop: number | null,
  ): Promise<string | null>;
  cancel(id: string): Promise<void>;
  get(id: string): Order | null;
  openOrders(asset?: Asset): Order[];
}

/** zipline's keyword arguments of the order functions. */
export interface OrderOptions {
  limit_price?: number | null;
  stop_price?: number | null;
  style?: ExecutionStyle | null;
}

export interface AlgorithmConfig {
  portal: DailyPortal;
  calendar: TradingCalendar;
  /** The simulation's sessions (UTC-midnight ms). */
  sessions: Float64Array;
  capital_base: number;
  data_frequency: "daily" | "minute";
  arena?: string;
  params?: Record<string, string>;
  log?: Logger;
}

export class TradingAlgorithm implements MarketView {
  readonly blotter: SimulationBlotter;
  readonly ledger: Ledger;
  readonly portfolio: Portfolio;
  readonly account: Account;
  readonly portal: DailyPortal;
  readonly calendar: TradingCalendar;
  readonly sessions: Float64Array;
  readonly capital_base: number;
  readonly data_frequency: "daily" | "minute";
  readonly params: Record<string, string>;
  readonly log: Logger;
  readonly arena: string;
  initialized = false;
  in_before_trading_start = false;
  /** Orders fill at the close of the bar that placed them (an explicit option; zipline fills next bar). */
  same_bar_fills = false;
  current_dt = NaN;
  /** The current session (UTC-midnight ms) and its index in the portal. */
  current_session = NaN;
  portalIndex = -1;
  /** The market at the current bar: the daily portal, or minute bars in a minute backtest. */
  market: MarketData;
  readonly recorded = new Map<string, unknown>();
  /** Functions registered with schedule_function, in order. */
  readonly scheduled: ScheduledFunction<(context: never, data: never) => unknown>[] = [];
  symbol_lookup_date = NaN;
  benchmark_asset: Asset | null = null;
  /** Set in live and paper sessions: orders go to the order manager. */
  router: OrderRouter | null = null;
  /** Trading and account controls registered in initialize(). */
  readonly controls: ControlSet;
  readonly bySymbol = new Map<string, Asset[]>();

  constructor(cfg: AlgorithmConfig) {
    this.portal = cfg.portal;
    this.market = new DailyMarket(cfg.portal, () => this.portalIndex);
    this.calendar = cfg.calendar;
    this.sessions = cfg.sessions;
    this.capital_base = cfg.capital_base;
    this.data_frequency = cfg.data_frequency;
    this.params = cfg.params ?? {};
    this.log = cfg.log ?? silentLogger;
    this.arena = cfg.arena ?? "backtest";
    this.controls = new ControlSet();
    this.blotter = new SimulationBlotter(defaultEquitySlippage(), defaultEquityCommission());
    this.ledger = new Ledger(cfg.capital_base, cfg.sessions[0]);
    this.portfolio = new Portfolio(this.ledger, () => this.syncOnRead());
    this.account = new Account(this.ledger, () => this.syncOnRead());
    for (const a of this.portal.assets) {
      const list = this.bySymbol.get(a.symbol) ?? [];
      list.push(a);
      this.bySymbol.set(a.symbol, list);
    }
  }

  private lastSync = NaN;

  /** Positions priced at the current bar, at most once per bar (zipline's _sync_last_sale_prices). */
  syncOnRead(): void {
    const dt = this.current_dt;
    if (dt === this.lastSync || this.ledger.positions.size === 0) return;
    this.lastSync = dt;
    this.ledger.sync_last_sale_prices(dt, (a) => this.current(a, "price"));
  }

  // --- MarketView (for fill models and the ledger) ---

  current(asset: Asset, field: "open" | "high" | "low" | "close" | "volume" | "price"): number {
    return this.market.spot(asset, field);
  }

  // --- guards ---

  private assertCanOrder(fn: string): void {
    if (this.in_before_trading_start) throw new OrderInBeforeTradingStart();
    if (!this.initialized) throw new OrderDuringInitialize(fn);
  }

  assertInitializing(fn: string): void {
    if (this.initialized) throw new SettingPostInit(fn);
  }

  // --- assets ---

  symbol(symbolStr: string): Asset {
    const sym = symbolStr.toUpperCase();
    const when = Number.isNaN(this.symbol_lookup_date)
      ? this.sessions[this.sessions.length - 1]
      : this.symbol_lookup_date;
    const list = this.bySymbol.get(sym);
    if (!list) throw new SymbolNotFound(sym, isoDate(when / DAY_MS));
    if (list.length === 1) return list[0];
    const alive = list.filter((a) => a.start_date <= when && when <= a.end_date);
    if (alive.length) return alive[alive.length - 1];
    const before = list.filter((a) => a.start_date <= when).sort((a, b) => a.end_date - b.end_date);
    if (before.length) return before[before.length - 1];
    throw new SymbolNotFound(sym, isoDate(when / DAY_MS));
  }

  sid(sid: number): Asset {
    const a = this.portal.asset(sid);
    if (!a) throw new SidsNotFound([sid]);
    return a;
  }

  // --- ordering ---

  private canOrderAsset(asset: Asset): boolean {
    if (!(asset instanceof Asset)) {
      throw new UnsupportedOrderParameters(
        "Passing non-Asset argument to 'order()' is not supported. Use 'sid()' or 'symbol()' methods to look up an Asset.",
      );
    }
    if (!Number.isNaN(asset.auto_close_date)) {
      const day = this.current_session;
      if (day > Math.min(asset.end_date, asset.auto_close_date)) {
        this.log.warn("order_refused", {
          message:
            `Cannot place order for ${asset.symbol}, as it has de-listed. Any existing positions for this asset will be liquidated on ${
              isoDate(asset.auto_close_date / DAY_MS)
            }.`,
        });
        return false;
      }
    }
    return true;
  }

  /** Shares for a value in `asset` at its last price; zipline's delisting checks. */
  private valueAmount(asset: Asset, value: number): number {
    return sharesForValue(asset, this.current_session, this.current(asset, "price"), value);
  }

  private place(
    asset: Asset,
    amount: number,
    opts: OrderOptions,
  ): string | null | Promise<string | null> {
    const shares = round_order(amount);
    if (opts.style && (opts.limit_price != null || opts.stop_price != null)) {
      throw new UnsupportedOrderParameters(
        `Passing both ${
          opts.limit_price != null ? "limit_price" : "stop_price"
        } and style is not supported.`,
      );
    }
    if (this.controls.trading.length > 0) {
      this.controls.validateOrder(
        asset,
        shares,
        this.current_dt,
        this.currentAmount(asset),
        this.current(asset, "price"),
      );
    }
    const style = opts.style ?? styleOf(opts.limit_price ?? null, opts.stop_price ?? null);
    const buy = shares > 0;
    const limit = style.get_limit_price(buy), stop = style.get_stop_price(buy);
    if (this.router) return this.router.place(asset, shares, limit, stop);
    return this.blotter.order(asset, shares, limit, stop);
  }

  order(
    asset: Asset,
    amount: number,
    opts: OrderOptions = {},
  ): string | null | Promise<string | null> {
    this.assertCanOrder("order");
    if (!this.canOrderAsset(asset)) return null;
    return this.place(asset, amount, opts);
  }

  order_value(
    asset: Asset,
    value: number,
    opts: OrderOptions = {},
  ): string | null | Promise<string | null> {
    this.assertCanOrder("order_value");
    if (!this.canOrderAsset(asset)) return null;
    return this.place(asset, this.valueAmount(asset, value), opts);
  }

  order_percent(
    asset: Asset,
    percent: number,
    opts: OrderOptions = {},
  ): string | null | Promise<string | null> {
    this.assertCanOrder("order_percent");
    if (!this.canOrderAsset(asset)) return null;
    return this.place(
      asset,
      this.valueAmount(asset, this.portfolio.portfolio_value * percent),
      opts,
    );
  }

  private currentAmount(asset: Asset): number {
    return this.ledger.position(asset)?.amount ?? 0;
  }

  order_target(
    asset: Asset,
    target: number,
    opts: OrderOptions = {},
  ): string | null | Promise<string | null> {
    this.assertCanOrder("order_target");
    if (!this.canOrderAsset(asset)) return null;
    return this.place(asset, targetDelta(target, this.currentAmount(asset)), opts);
  }

  order_target_value(
    asset: Asset,
    target: number,
    opts: OrderOptions = {},
  ): string | null | Promise<string | null> {
    this.assertCanOrder("order_target_value");
    if (!this.canOrderAsset(asset)) return null;
    const shares = this.valueAmount(asset, target);
    return this.place(asset, targetDelta(shares, this.currentAmount(asset)), opts);
  }

  order_target_percent(
    asset: Asset,
    target: number,
    opts: OrderOptions = {},
  ): string | null | Promise<string | null> {
    this.assertCanOrder("order_target_percent");
    if (!this.canOrderAsset(asset)) return null;
    const shares = this.valueAmount(asset, this.portfolio.portfolio_value * target);
    return this.place(asset, targetDelta(shares, this.currentAmount(asset)), opts);
  }

  batch_market_order(
    shareCounts: Iterable<[Asset, number]>,
  ): (string | null | Promise<string | null>)[] {
    this.assertCanOrder("batch_market_order");
    const ids: (string | null | Promise<string | null>)[] = [];
    for (const [asset, n] of shareCounts) {
      if (n === 0) continue;
      ids.push(this.order(asset, n));
    }
    return ids;
  }

  get_open_orders(asset?: Asset): Order[] | Map<Asset, Order[]> {
    if (asset) {
      return this.router ? this.router.openOrders(asset) : this.blotter.openOrdersOf(asset);
    }
    const out = new Map<Asset, Order[]>();
    if (this.router) {
      for (const o of this.router.openOrders()) {
        const key = [...out.keys()].find((a) => a.sid === o.asset.sid) ?? o.asset;
        out.set(key, [...(out.get(key) ?? []), o]);
      }
      return out;
    }
    for (const list of this.blotter.open_orders.values()) out.set(list[0].asset, [...list]);
    return out;
  }

  get_order(id: string): Order | null {
    if (this.router) return this.router.get(id);
    return this.blotter.orders.get(id) ?? null;
  }

  cancel_order(order: string | Order): void | Promise<void> {
    const id = typeof order === "string" ? order : order.id;
    if (this.router) return this.router.cancel(id);
    this.blotter.cancel(id);
  }

  // --- settings ---

  set_slippage(model: SlippageModel): void {
    this.assertInitializing("set_slippage");
    this.blotter.slippage = model;
  }

  set_commission(model: CommissionModel): void {
    this.assertInitializing("set_commission");
    this.blotter.commission = model;
  }

  set_cancel_policy(policy: CancelPolicy): void {
    this.assertInitializing("set_cancel_policy");
    this.blotter.cancel_policy = policy;
  }

  /** Checks the account controls (at each session's end, as zipline does). */
  validate_account_controls(): void {
    if (this.controls.account.length === 0) return;
    this.controls.validateAccount(this.current_dt, this.ledger.leverage().gross);
  }

  record(values: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(values)) this.recorded.set(k, v);
  }
}
