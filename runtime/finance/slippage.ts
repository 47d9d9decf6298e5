/**
 * Slippage models (zipline's `finance/slippage.py`): at which price and for how many shares the
 * open orders of one asset fill on the current bar. Numbers follow zipline-reloaded exactly.
 *
 * The engine calls `simulate` once per asset per bar, before the strategy's `handle_data`, with
 * that asset's open orders in placement order. It then charges commission and adds each
 * transaction's amount to `order.filled` (commission first: the commission models read
 * `order.filled` and `order.commission` as they were before the fill).
 */
import type { Asset } from "../assets/asset.ts";
import { HarvesterError, InvalidInputError } from "../errors.ts";
import type { MarketView } from "./market_view.ts";
import { createTransaction, type Order, type Transaction } from "./order.ts";

/** Decides the fills of one asset's open orders on the current bar (what the venue calls). */
export interface FillSimulator {
  /** Fills for `orders` (all of `asset`) on `view`'s current bar, in order. */
  simulate(view: MarketView, asset: Asset, orders: readonly Order[]): Array<[Order, Transaction]>;
}

/** The asset types a model supports (zipline's `allowed_asset_types`). */
export type AssetType = "Equity" | "Future";

/** A fill decided by `process_order`: a price and a signed share count. */
export type Fill = readonly [price: number, amount: number];

/**
 * Thrown by `process_order` when the bar has no volume left for this asset: the remaining orders
 * of the asset are not looked at again until the next bar.
 */
export class LiquidityExceeded extends HarvesterError {
  override name = "LiquidityExceeded";
  constructor() {
    super("No more volume is available for this asset in the current bar.");
  }
}

/** zipline's default share of a bar's volume that equity orders may take (VolumeShareSlippage). */
export const DEFAULT_EQUITY_VOLUME_SLIPPAGE_BAR_LIMIT = 0.025;

/**
 * Whether `fill_price` is worse than the order's limit: above it for a buy, below it for a sell.
 * Orders without a limit (or with a limit of 0, as in zipline) are never worse.
 *
 * @example
 * ```ts
 * fill_price_worse_than_limit_price(2, limitBuyAt1_5); // true
 * ```
 */
export function fill_price_worse_than_limit_price(fill_price: number, order: Order): boolean {
  const limit = order.limit;
  if (limit === null || limit === 0) return false;
  return (order.direction > 0 && fill_price > limit) || (order.direction < 0 && fill_price < limit);
}

/**
 * zipline's abstract `SlippageModel`: subclass it and implement `process_order(data, order)`,
 * as in zipline. The shared bar loop (`simulate`) skips bars without volume or close, updates
 * each order's triggers at the close, asks `process_order` for a fill — `[price, amount]`, or
 * null for none this bar — and keeps `volume_for_bar` (shares of this asset already filled in the
 * bar). Throw `LiquidityExceeded` to stop filling the asset's orders for the bar.
 *
 * `data` is the current bar, read synchronously: `data.current(order.asset, "close")`,
 * `"volume"`, `"open"`, `"high"`, `"low"`, `"price"`, and `data.current_dt`.
 *
 * @example
 * ```ts
 * import { slippage } from "harvester/api";
 * import type { Order } from "harvester/api";
 *
 * // Fills whole orders one cent worse than the close.
 * class CentWorse extends slippage.SlippageModel {
 *   process_order(data: slippage.BarView, order: Order): slippage.Fill {
 *     return [data.current(order.asset, "close") + 0.01 * order.direction, order.amount];
 *   }
 * }
 * ```
 */
export abstract class SlippageModel implements FillSimulator {
  /** zipline's `allowed_asset_types`: the models for `set_slippage`'s `us_equities`/`us_futures`. */
  readonly allowed_asset_types: readonly AssetType[] = ["Equity", "Future"];
  #volume_for_bar = 0;

  /** Shares of the asset being simulated already filled in the current bar. */
  get volume_for_bar(): number {
    return this.#volume_for_bar;
  }

  /**
   * The price and signed share count to fill for `order` now, or null for no fill. Throw
   * `LiquidityExceeded` to stop filling this asset's orders for the bar.
   */
  abstract process_order(data: MarketView, order: Order): Fill | null;

  simulate(view: MarketView, asset: Asset, orders: readonly Order[]): Array<[Order, Transaction]> {
    this.#volume_for_bar = 0;
    const fills: Array<[Order, Transaction]> = [];
    const volume = view.current(asset, "volume");
    // zipline tests `volume == 0` only; a NaN volume is treated as no trade here too.
    if (volume === 0 || Number.isNaN(volume)) return fills;
    const price = view.current(asset, "close");
    if (Number.isNaN(price)) return fills;
    const dt = view.current_dt;

    for (const order of orders) {
      if (order.open_amount === 0) continue;
      order.check_triggers(price, dt);
      if (!order.triggered) continue;

      let fill: Fill | null | undefined;
      try {
        fill = this.process_order(view, order);
      } catch (e) {
        if (e instanceof LiquidityExceeded) break;
        throw e;
      }
      // zipline returns `(None, None)` for no fill; both forms mean no fill here.
      if (fill == null || (Array.isArray(fill) && fill[0] == null)) continue;
      checkFill(this, order, fill);
      const txn = createTransaction(order, view.current_dt, fill[0], fill[1]);
      this.#volume_for_bar += Math.abs(txn.amount);
      fills.push([order, txn]);
    }
    return fills;
  }
}

/** The old name of `SlippageModel` (kept so code written against it still compiles). */
export { SlippageModel as BaseSlippageModel };

/**
 * zipline's base class for slippage models that only support equities (`allowed_asset_types`
 * is `["Equity"]`): subclass it and implement `process_order`.
 *
 * @example
 * ```ts
 * class CloseFill extends slippage.EquitySlippageModel {
 *   process_order(data: slippage.BarView, order: Order): slippage.Fill {
 *     return [data.current(order.asset, "close"), order.amount];
 *   }
 * }
 * ```
 */
export abstract class EquitySlippageModel extends SlippageModel {
  override readonly allowed_asset_types: readonly AssetType[] = ["Equity"];
}

/** A model's `process_order` result that cannot be a fill: a clear error naming the model. */
export class BadFill extends HarvesterError {
  override name = "BadFill";
}

/**
 * Checks a `process_order` result. The model's name and the shown value are made only for an
 * error: this runs once per fill.
 */
function checkFill(model: SlippageModel, order: Order, fill: unknown): asserts fill is Fill {
  if (!Array.isArray(fill) || fill.length !== 2) {
    throw badFill(model, `returned ${shown(fill)}; return [price, amount] (or null for no fill)`);
  }
  const price: unknown = fill[0], amount: unknown = fill[1];
  if (typeof price !== "number" || !Number.isFinite(price)) {
    throw badFill(model, `returned price ${shown(fill)}; a fill's price must be a finite number`);
  }
  if (typeof amount !== "number" || !Number.isFinite(amount) || Math.abs(amount) < 1) {
    throw badFill(
      model,
      `returned amount ${String(amount)} for ${order.asset.symbol}; ` +
        "a fill is at least 1 whole share, signed like the order (return null for no fill)",
    );
  }
  if (Math.sign(amount) !== order.direction || Math.abs(amount) > Math.abs(order.open_amount)) {
    throw badFill(
      model,
      `returned amount ${amount} for an order with ${order.open_amount} shares open in ` +
        `${order.asset.symbol}; the amount must have the order's sign and at most its open shares`,
    );
  }
}

function badFill(model: SlippageModel, what: string): BadFill {
  return new BadFill(`${model.constructor.name || "the slippage model"}.process_order ${what}`);
}

function shown(fill: unknown): string {
  try {
    return JSON.stringify(fill);
  } catch {
    return String(fill);
  }
}

function checkNumber(model: string, field: string, value: number, ok: boolean, rule: string): void {
  if (typeof value !== "number" || Number.isNaN(value) || !ok) {
    const shown = Number.isFinite(value) ? value : String(value);
    throw new InvalidInputError(`${model}.${field}`, shown, rule);
  }
}

/**
 * Fills every triggered order whole at the bar's close. Mostly for tests.
 *
 * @example
 * ```ts
 * const fills = new NoSlippage().simulate(view, asset, orders);
 * ```
 */
export class NoSlippage extends SlippageModel {
  process_order(view: MarketView, order: Order): Fill | null {
    return [view.current(order.asset, "close"), order.amount];
  }
}

/**
 * A fixed spread around the close: buys fill at `close + spread / 2`, sells at
 * `close - spread / 2`, whole orders, no volume limit and no limit-price check (as in zipline).
 *
 * @example
 * ```ts
 * const model = new FixedSlippage({ spread: 0.02 }); // buys at close + 0.01
 * ```
 */
export class FixedSlippage extends SlippageModel {
  /** @default 0 */
  readonly spread: number;

  constructor(opts: { spread?: number } = {}) {
    super();
    this.spread = opts.spread ?? 0;
    checkNumber("FixedSlippage", "spread", this.spread, this.spread >= 0, "must be a number ≥ 0");
  }

  process_order(view: MarketView, order: Order): Fill | null {
    const price = view.current(order.asset, "close");
    return [price + (this.spread / 2 * order.direction), order.amount];
  }
}

/**
 * A fixed number of basis points away from the close, each bar filling at most
 * `floor(volume_limit × volume)` shares of the asset across its orders. zipline's default
 * equity model. Like zipline, it does not hold back fills worse than a limit price.
 *
 * @example
 * ```ts
 * const model = new FixedBasisPointsSlippage({ basis_points: 5, volume_limit: 0.1 });
 * ```
 */
export class FixedBasisPointsSlippage extends SlippageModel {
  /** @default 5 */
  readonly basis_points: number;
  /** @default 0.1 */
  readonly volume_limit: number;
  /** `basis_points / 10000`. */
  readonly percentage: number;

  constructor(opts: { basis_points?: number; volume_limit?: number } = {}) {
    super();
    this.basis_points = opts.basis_points ?? 5.0;
    this.volume_limit = opts.volume_limit ?? 0.1;
    const m = "FixedBasisPointsSlippage";
    checkNumber(m, "basis_points", this.basis_points, this.basis_points >= 0, "must be ≥ 0");
    checkNumber(
      m,
      "volume_limit",
      this.volume_limit,
      this.volume_limit > 0,
      "must be > 0 (a fraction of the bar's volume, e.g. 0.1)",
    );
    this.percentage = this.basis_points / 10000.0;
  }

  process_order(view: MarketView, order: Order): Fill | null {
    const volume = view.current(order.asset, "volume");
    const max_volume = Math.trunc(this.volume_limit * volume);
    const price = view.current(order.asset, "close");
    const shares = Math.min(Math.abs(order.open_amount), max_volume - this.volume_for_bar);
    if (shares === 0) throw new LiquidityExceeded();
    return [price + price * (this.percentage * order.direction), shares * order.direction];
  }
}

/**
 * Price impact quadratic in the share of the bar's volume taken:
 * `close × (1 ± price_impact × share²)`, where `share` counts every fill of the asset in the bar
 * so far and is capped at `volume_limit`; fills stop at `volume_limit × volume` shares and at the
 * order's limit price.
 *
 * @example
 * ```ts
 * const model = new VolumeShareSlippage({ volume_limit: 0.025, price_impact: 0.1 });
 * ```
 */
export class VolumeShareSlippage extends SlippageModel {
  /** @default 0.025 */
  readonly volume_limit: number;
  /** @default 0.1 */
  readonly price_impact: number;

  constructor(opts: { volume_limit?: number; price_impact?: number } = {}) {
    super();
    this.volume_limit = opts.volume_limit ?? DEFAULT_EQUITY_VOLUME_SLIPPAGE_BAR_LIMIT;
    this.price_impact = opts.price_impact ?? 0.1;
    const m = "VolumeShareSlippage";
    checkNumber(
      m,
      "volume_limit",
      this.volume_limit,
      this.volume_limit > 0,
      "must be > 0 (a fraction of the bar's volume, e.g. 0.025)",
    );
    checkNumber(m, "price_impact", this.price_impact, this.price_impact >= 0, "must be ≥ 0");
  }

  process_order(view: MarketView, order: Order): Fill | null {
    const volume = view.current(order.asset, "volume");
    const max_volume = this.volume_limit * volume;
    const remaining = max_volume - this.volume_for_bar;
    if (remaining < 1) throw new LiquidityExceeded();

    const cur_volume = Math.trunc(Math.min(remaining, Math.abs(order.open_amount)));
    if (cur_volume < 1) return null;

    const total_volume = this.volume_for_bar + cur_volume;
    const volume_share = Math.min(total_volume / volume, this.volume_limit);
    const price = view.current(order.asset, "close");
    if (Number.isNaN(price)) return null;

    const impact = volume_share ** 2 * (order.direction < 0 ? -1 : 1) * this.price_impact * price;
    const impacted = price + impact;
    if (fill_price_worse_than_limit_price(impacted, order)) return null;
    return [impacted, order.direction < 0 ? -cur_volume : cur_volume];
  }
}

/**
 * zipline's default slippage for equities: `FixedBasisPointsSlippage()` (5 bp, 10% of volume).
 *
 * @example
 * ```ts
 * const slippage = defaultEquitySlippage();
 * ```
 */
export function defaultEquitySlippage(): SlippageModel {
  return new FixedBasisPointsSlippage();
}
