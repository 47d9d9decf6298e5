/**
 * The running algorithm: the state every API call of one run shares — its market, ledger, order
 * manager, controls, schedule and records — in every mode. The engine owns the clock fields and
 * moves them (`at`, `atSession`); the API (context.ts) reads them and places orders through
 * `place`, the one way an order enters the order manager.
 */
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { Asset } from "../assets/asset.ts";
import { type CancelPolicy, NeverCancel } from "../finance/cancel_policy.ts";
import { defaultEquityCommission } from "../finance/commission.ts";
import type { ExecutionStyle } from "../finance/execution.ts";
import { Ledger } from "../finance/ledger.ts";
import type { BarField, MarketView } from "../finance/market_view.ts";
import { defaultEquitySlippage } from "../finance/slippage.ts";
import type { FillModels } from "../finance/models.ts";
import { type Logger, silentLogger } from "../log.ts";
import type { ClientOrderId } from "../model/ids.ts";
import type { OrderManager } from "../orders/manager.ts";
import { AlgorithmPipelines } from "../pipeline/attached.ts";
import type { DailyPortal } from "../portal/daily_portal.ts";
import { DailyMarket, type MarketData } from "../portal/market.ts";
import { ControlSet } from "./controls.ts";
import {
  OrderDuringInitialize,
  OrderInBeforeTradingStart,
  SettingPostInit,
  SidsNotFound,
  SymbolNotFound,
  UnsupportedOrderParameters,
} from "./errors.ts";
import { checkShares, round_order, sharesForValue, styleOf } from "./ordering.ts";
import { Account, Portfolio } from "./portfolio.ts";
import type { ScheduledFunction } from "./scheduling.ts";

/** zipline's keyword arguments of the order functions. */
export interface OrderOptions {
  limit_price?: number | null;
  stop_price?: number | null;
  style?: ExecutionStyle | null;
}

export interface AlgorithmConfig {
  portal: DailyPortal;
  calendar: TradingCalendar;
  /** The run's sessions (UTC-midnight ms). */
  sessions: Float64Array;
  capital_base: number;
  data_frequency: "daily" | "minute";
  /** `backtest` or `live` (get_environment's arena). @default "backtest" */
  arena?: string;
  params?: Record<string, string>;
  log?: Logger;
}

export class TradingAlgorithm implements MarketView {
  readonly portal: DailyPortal;
  readonly calendar: TradingCalendar;
  readonly sessions: Float64Array;
  readonly capital_base: number;
  readonly data_frequency: "daily" | "minute";
  readonly params: Record<string, string>;
  readonly log: Logger;
  readonly arena: string;
  readonly ledger: Ledger;
  readonly portfolio: Portfolio;
  readonly account: Account;
  readonly controls: ControlSet;
  /** The venue's fill models (`set_slippage`, `set_commission`); a simulated venue reads them. */
  readonly models: FillModels = {
    slippage: defaultEquitySlippage(),
    commission: defaultEquityCommission(),
  };
  cancel_policy: CancelPolicy = new NeverCancel();
  readonly recorded = new Map<string, unknown>();
  /** Functions registered with schedule_function, in order. */
  readonly scheduled: ScheduledFunction<(context: never, data: never) => unknown>[] = [];
  readonly pipelines: AlgorithmPipelines;
  readonly bySymbol = new Map<string, Asset[]>();
  symbol_lookup_date = NaN;
  benchmark_asset: Asset | null = null;
  /** The market at the current bar: daily bars, minute bars, or a live feed. */
  market: MarketData;
  #orders: OrderManager | null = null;

  // The clock, moved by the engine only.
  #dt = NaN;
  #session = NaN;
  #portalIndex = -1;
  #initialized = false;
  #inBeforeTradingStart = false;

  constructor(cfg: AlgorithmConfig) {
    this.portal = cfg.portal;
    this.market = new DailyMarket(cfg.portal, () => this.#portalIndex);
    this.calendar = cfg.calendar;
    this.sessions = cfg.sessions;
    this.capital_base = cfg.capital_base;
    this.data_frequency = cfg.data_frequency;
    this.params = cfg.params ?? {};
    this.log = cfg.log ?? silentLogger;
    this.arena = cfg.arena ?? "backtest";
    // Violations under on_error "log" go to the run's log, as every other warning does.
    this.controls = new ControlSet(({ event, message, ...fields }) =>
      this.log.warn(event, { message, ...fields })
    );
    this.ledger = new Ledger(cfg.capital_base, cfg.sessions[0]);
    this.portfolio = new Portfolio(this.ledger, () => this.syncOnRead());
    this.account = new Account(this.ledger, () => this.syncOnRead());
    this.pipelines = new AlgorithmPipelines(this);
    for (const a of this.portal.assets) {
      const list = this.bySymbol.get(a.symbol) ?? [];
      list.push(a);
      this.bySymbol.set(a.symbol, list);
    }
  }

  // --- the clock (engine) ---

  /** The current time (UTC ms): a bar's, or before_trading_start's. */
  get current_dt(): number {
    return this.#dt;
  }
  /** The current session (UTC-midnight ms). */
  get current_session(): number {
    return this.#session;
  }
  /** The portal index of the last session whose daily bar is visible. */
  get portalIndex(): number {
    return this.#portalIndex;
  }
  get initialized(): boolean {
    return this.#initialized;
  }
  get in_before_trading_start(): boolean {
    return this.#inBeforeTradingStart;
  }

  /** Moves the clock to a session (its daily bars visible through `portalIndex`). */
  atSession(session: number, portalIndex: number): void {
    this.#session = session;
    this.#dt = session;
    this.#portalIndex = portalIndex;
  }
  /** Moves the clock to `dt` within the session (`portalIndex` when the daily bar changes). */
  at(dt: number, portalIndex = this.#portalIndex): void {
    this.#dt = dt;
    this.#portalIndex = portalIndex;
  }
  /** initialize has run: settings are closed, orders open. */
  markInitialized(): void {
    this.#initialized = true;
    this.controls.initialized = true;
  }
  /** Inside before_trading_start (no orders). */
  inBeforeTradingStart(on: boolean): void {
    this.#inBeforeTradingStart = on;
  }

  /** The order manager of the run (the engine attaches it before initialize). */
  get orders(): OrderManager {
    if (!this.#orders) throw new Error("internal: no order manager attached to the algorithm");
    return this.#orders;
  }
  attachOrders(orders: OrderManager): void {
    this.#orders = orders;
  }

  private lastSync = NaN;

  /** Positions priced at the current bar, at most once per bar (zipline's _sync_last_sale_prices). */
  syncOnRead(): void {
    const dt = this.#dt;
    if (dt === this.lastSync || this.ledger.positions.size === 0) return;
    this.lastSync = dt;
    this.ledger.sync_last_sale_prices(dt, (a) => this.current(a, "price"));
  }

  // --- MarketView (for fill models and the ledger) ---

  current(asset: Asset, field: BarField): number {
    return this.market.spot(asset, field);
  }

  // --- guards ---

  assertCanOrder(fn: string): void {
    if (this.#inBeforeTradingStart) throw new OrderInBeforeTradingStart();
    if (!this.#initialized) throw new OrderDuringInitialize(fn);
  }

  assertInitializing(fn: string): void {
    if (this.#initialized) throw new SettingPostInit(fn);
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

  /** zipline's checks before sizing an order: an Asset, not de-listed (false: warned, no order). */
  canOrderAsset(asset: Asset): boolean {
    if (!(asset instanceof Asset)) {
      throw new UnsupportedOrderParameters(
        "Passing non-Asset argument to 'order()' is not supported. Use 'sid()' or 'symbol()' methods to look up an Asset.",
      );
    }
    if (!Number.isNaN(asset.auto_close_date)) {
      const day = this.#session;
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
  valueAmount(asset: Asset, value: number): number {
    return sharesForValue(asset, this.#session, this.current(asset, "price"), value);
  }

  /** Shares held now (open orders are not counted, as in zipline). */
  currentAmount(asset: Asset): number {
    return this.ledger.position(asset)?.amount ?? 0;
  }

  /**
   * The one way an order enters the order manager: share count rounded as zipline rounds it, the
   * execution style resolved, trading controls checked.
   */
  place(
    fn: string,
    asset: Asset,
    amount: number,
    opts: OrderOptions,
  ): ClientOrderId | null | Promise<ClientOrderId | null> {
    const shares = round_order(amount);
    checkShares(fn, shares);
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
        this.#dt,
        this.currentAmount(asset),
        this.current(asset, "price"),
      );
    }
    const style = opts.style ?? styleOf(opts.limit_price ?? null, opts.stop_price ?? null);
    const buy = shares > 0;
    return this.orders.place(asset, shares, style.get_limit_price(buy), style.get_stop_price(buy));
  }

  /** Checks the account controls (at each session's end, as zipline does). */
  validate_account_controls(): void {
    if (this.controls.account.length === 0) return;
    this.controls.validateAccount(this.#dt, this.ledger.leverage().gross);
  }

  record(values: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(values)) this.recorded.set(k, v);
  }
}
