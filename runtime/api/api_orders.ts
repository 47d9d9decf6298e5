/**
 * The API: placing, reading and cancelling orders (zipline's `order*`, `get_order`,
 * `get_open_orders`, `cancel_order`, `batch_market_order`, and Harvester's `flatten_all`). Every
 * value is checked at the call — NaN, ±Infinity or a non-number never reaches a venue — and every
 * order goes through `TradingAlgorithm.place` to the order manager.
 */
import type { Asset } from "../assets/asset.ts";
import type { ClientOrderId } from "../model/ids.ts";
import { type OrderSnapshot, snapshotOf } from "../orders/order.ts";
import type { OrderOptions, TradingAlgorithm } from "./algorithm.ts";
import { apiGroup } from "./define.ts";
import { checkFinite, targetDelta } from "./ordering.ts";

/** `get_open_orders`' two forms: every asset's open orders, or one asset's. */
export interface GetOpenOrders {
  (): Promise<Map<Asset, OrderSnapshot[]>>;
  (asset: Asset): Promise<OrderSnapshot[]>;
}

/** An order's id, or null when no order was placed (zero shares, or refused). */
export type OrderId = ClientOrderId | null;

/** No options (shared: every order without options would otherwise allocate one). */
const NO_OPTIONS: OrderOptions = Object.freeze({});
/** No order placed. A settled promise can be awaited any number of times, so one serves all. */
const NO_ORDER: Promise<OrderId> = Promise.resolve(null);

/** The prices of an order's options, checked. */
function checkOptions(fn: string, opts: OrderOptions | undefined): OrderOptions {
  if (!opts) return NO_OPTIONS;
  if (opts.limit_price != null) checkFinite(fn, "limit_price", opts.limit_price);
  if (opts.stop_price != null) checkFinite(fn, "stop_price", opts.stop_price);
  return opts;
}

function placed(v: OrderId | Promise<OrderId>): Promise<OrderId> {
  return v === null ? NO_ORDER : v instanceof Promise ? v : Promise.resolve(v);
}

/** The shares for `value` of `asset`, or null when the asset cannot be ordered (warned). */
function sized(
  algo: TradingAlgorithm,
  fn: string,
  asset: Asset,
  name: string,
  value: number,
): number | null {
  algo.assertCanOrder(fn);
  checkFinite(fn, name, value);
  return algo.canOrderAsset(asset) ? algo.valueAmount(asset, value) : null;
}

export const ordersApi = apiGroup({
  /**
   * Orders `amount` shares (negative sells). zipline's rules: fills from the next bar, whole
   * shares, limit and stop prices as options or an execution style.
   *
   * @example
   * ```ts
   * await order(aapl, 100); // market
   * await order(aapl, -50, { limit_price: 190.5 }); // limit sell
   * ```
   */
  order(asset: Asset, amount: number, opts?: OrderOptions): Promise<OrderId> {
    this.assertCanOrder("order");
    checkFinite("order", "amount", amount);
    const o = checkOptions("order", opts);
    if (!this.canOrderAsset(asset)) return NO_ORDER;
    return placed(this.place("order", asset, amount, o));
  },

  /**
   * Orders shares worth `value` at the last price (negative sells).
   *
   * @example
   * ```ts
   * await order_value(aapl, 10_000);
   * ```
   */
  order_value(asset: Asset, value: number, opts?: OrderOptions): Promise<OrderId> {
    const o = checkOptions("order_value", opts);
    const shares = sized(this, "order_value", asset, "value", value);
    return shares === null ? NO_ORDER : placed(this.place("order_value", asset, shares, o));
  },

  /**
   * Orders shares worth `percent` of the portfolio value (0.1 = 10 %).
   *
   * @example
   * ```ts
   * await order_percent(aapl, 0.05);
   * ```
   */
  order_percent(asset: Asset, percent: number, opts?: OrderOptions): Promise<OrderId> {
    this.assertCanOrder("order_percent");
    checkFinite("order_percent", "percent", percent);
    const o = checkOptions("order_percent", opts);
    const shares = sized(
      this,
      "order_percent",
      asset,
      "percent",
      this.portfolio.portfolio_value * percent,
    );
    return shares === null ? NO_ORDER : placed(this.place("order_percent", asset, shares, o));
  },

  /**
   * Orders the difference between `target` shares and the position held (open orders are not
   * counted, as in zipline).
   *
   * @example
   * ```ts
   * await order_target(aapl, 0); // close the position
   * ```
   */
  order_target(asset: Asset, target: number, opts?: OrderOptions): Promise<OrderId> {
    this.assertCanOrder("order_target");
    checkFinite("order_target", "target", target);
    const o = checkOptions("order_target", opts);
    if (!this.canOrderAsset(asset)) return NO_ORDER;
    return placed(
      this.place("order_target", asset, targetDelta(target, this.currentAmount(asset)), o),
    );
  },

  /**
   * Orders up or down to a position worth `target` at the last price.
   *
   * @example
   * ```ts
   * await order_target_value(aapl, 50_000);
   * ```
   */
  order_target_value(asset: Asset, target: number, opts?: OrderOptions): Promise<OrderId> {
    const o = checkOptions("order_target_value", opts);
    const shares = sized(this, "order_target_value", asset, "target", target);
    if (shares === null) return NO_ORDER;
    const delta = targetDelta(shares, this.currentAmount(asset));
    return placed(this.place("order_target_value", asset, delta, o));
  },

  /**
   * Orders up or down to a position worth `target` of the portfolio value (0.5 = 50 %).
   *
   * @example
   * ```ts
   * await order_target_percent(aapl, fast > slow ? 1 : 0);
   * ```
   */
  order_target_percent(asset: Asset, target: number, opts?: OrderOptions): Promise<OrderId> {
    this.assertCanOrder("order_target_percent");
    checkFinite("order_target_percent", "target", target);
    const o = checkOptions("order_target_percent", opts);
    const value = this.portfolio.portfolio_value * target;
    const shares = sized(this, "order_target_percent", asset, "target", value);
    if (shares === null) return NO_ORDER;
    const delta = targetDelta(shares, this.currentAmount(asset));
    return placed(this.place("order_target_percent", asset, delta, o));
  },

  /**
   * Market orders for several assets at once (zero counts are skipped).
   *
   * @example
   * ```ts
   * await batch_market_order(new Map([[aapl, 10], [msft, -5]]));
   * ```
   */
  async batch_market_order(
    share_counts: Map<Asset, number> | Iterable<[Asset, number]>,
  ): Promise<OrderId[]> {
    this.assertCanOrder("batch_market_order");
    const ids: OrderId[] = [];
    for (const [asset, n] of share_counts) {
      checkFinite("batch_market_order", `the amount of ${asset?.symbol ?? asset}`, n);
      if (n === 0) continue;
      ids.push(
        this.canOrderAsset(asset) ? await this.place("batch_market_order", asset, n, {}) : null,
      );
    }
    return ids;
  },

  /**
   * Open orders: of one asset (a list), or of every asset (a Map asset → list). Each order is a
   * frozen copy as of the call.
   *
   * @example
   * ```ts
   * if ((await get_open_orders(aapl)).length === 0) await order(aapl, 10);
   * ```
   */
  get_open_orders(asset?: Asset): Promise<OrderSnapshot[] | Map<Asset, OrderSnapshot[]>> {
    const open = this.orders.open(asset);
    if (asset) return Promise.resolve(open.map(snapshotOf));
    const out = new Map<Asset, OrderSnapshot[]>();
    for (const o of open) {
      const list = out.get(o.asset);
      if (list) list.push(snapshotOf(o));
      else out.set(o.asset, [snapshotOf(o)]);
    }
    return Promise.resolve(out);
  },

  /**
   * An order by id (a frozen copy as of the call), or null.
   *
   * @example
   * ```ts
   * const o = await get_order(id); if (o?.status === ORDER_STATUS.FILLED) …
   * ```
   */
  get_order(order_id: string): Promise<OrderSnapshot | null> {
    const o = this.orders.get(order_id);
    return Promise.resolve(o ? snapshotOf(o) : null);
  },

  /**
   * Cancels an open order (by id or as returned by `get_order`).
   *
   * @example
   * ```ts
   * for (const o of await get_open_orders(aapl)) await cancel_order(o);
   * ```
   */
  cancel_order(order: string | { readonly id: string }): Promise<void> {
    const r = this.orders.cancel(typeof order === "string" ? order : order.id);
    return r instanceof Promise ? r : Promise.resolve();
  },

  /**
   * Cancels every open order, then orders every position to zero. In a live session these go
   * through the risk gate like any order; in the REDUCING state they are exactly what is allowed.
   *
   * @example
   * ```ts
   * if (drawdown < -0.2) await flatten_all();
   * ```
   */
  async flatten_all(): Promise<OrderId[]> {
    this.assertCanOrder("flatten_all");
    for (const o of this.orders.open()) await this.orders.cancel(o.id);
    const ids: OrderId[] = [];
    for (const p of [...this.ledger.positions.values()]) {
      ids.push(await this.place("flatten_all", p.asset, -p.amount, {}));
    }
    return ids;
  },
});
