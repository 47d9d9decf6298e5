/**
 * The simulated exchange's order book (zipline's `SimulationBlotter`): open orders per asset,
 * fills each bar through the slippage model, commissions through the commission model, splits
 * and cancel policies. It produces fills as events; the ledger consumes them.
 */
import type { Asset } from "../assets/asset.ts";
import type { CancelPolicy } from "./cancel_policy.ts";
import { NeverCancel } from "./cancel_policy.ts";
import type { CommissionModel } from "./commission.ts";
import type { MarketView } from "./market_view.ts";
import { Order, orderSeq, type Transaction } from "./order.ts";
import type { SlippageModel } from "./slippage.ts";

/** Orders larger than this are a bug in the strategy, not an order (zipline's limit). */
export const MAX_SHARES = 100_000_000_000;

export interface Commission {
  asset: Asset;
  order: Order;
  cost: number;
}

export interface BarFills {
  transactions: Transaction[];
  /** The order of each transaction (index-aligned). */
  orders: Order[];
  commissions: Commission[];
  closed: Order[];
}

/**
 * Every order placed, by id. Orders minted here are keyed by their sequence number (a small
 * integer), so the hot path never hashes a 32-character id; other ids (adopted orders) use a Map.
 */
export class OrderBook {
  /** Orders minted by this process, in sequence from `base`: a dense array, no hashing. */
  private readonly dense: Order[] = [];
  private base = -1;
  private readonly sparse = new Map<number, Order>();
  private readonly foreign = new Map<string, Order>();

  add(order: Order): void {
    const seq = order.seq;
    if (seq <= 0) {
      this.foreign.set(order.id, order);
      return;
    }
    if (this.base < 0) this.base = seq;
    if (seq - this.base === this.dense.length) this.dense.push(order);
    else this.sparse.set(seq, order); // another book minted ids in between
  }

  get(id: string): Order | undefined {
    const seq = orderSeq(id);
    if (seq <= 0) return this.foreign.get(id);
    const o = this.dense[seq - this.base];
    return o !== undefined && o.seq === seq ? o : this.sparse.get(seq);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  get size(): number {
    return this.dense.length + this.sparse.size + this.foreign.size;
  }

  *values(): IterableIterator<Order> {
    yield* this.dense;
    yield* this.sparse.values();
    yield* this.foreign.values();
  }
}

export class SimulationBlotter {
  /** Open orders by sid, each list in placement order; sids with no open order are absent. */
  readonly open_orders = new Map<number, Order[]>();
  readonly orders = new OrderBook();
  /** Orders placed (or cancelled with relay) since the engine last collected them. */
  new_orders: Order[] = [];
  current_dt = NaN;
  cancel_policy: CancelPolicy = new NeverCancel();

  constructor(public slippage: SlippageModel, public commission: CommissionModel) {}

  /** Places an order; returns its id, or null for a zero amount. */
  order(asset: Asset, amount: number, limit: number | null, stop: number | null): string | null {
    if (amount === 0) return null;
    if (amount > MAX_SHARES) throw new RangeError(`Can't order more than ${MAX_SHARES} shares`);
    const o = new Order({ dt: this.current_dt, asset, amount, limit, stop });
    const list = this.open_orders.get(asset.sid);
    if (list) list.push(o);
    else this.open_orders.set(asset.sid, [o]);
    this.orders.add(o);
    this.new_orders.push(o);
    return o.id;
  }

  /** Cancels an open order; `relay` reports the cancellation with the bar's new orders. */
  cancel(orderId: string, relay = true): void {
    const o = this.orders.get(orderId);
    if (!o || !o.open) return;
    const list = this.open_orders.get(o.asset.sid);
    if (list) {
      const i = list.indexOf(o);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.open_orders.delete(o.asset.sid);
    }
    const j = this.new_orders.indexOf(o);
    if (j >= 0) this.new_orders.splice(j, 1);
    o.cancel();
    o.dt = this.current_dt;
    if (relay) this.new_orders.push(o);
  }

  cancel_all_orders_for_asset(asset: Asset, relay = true): Order[] {
    const list = [...(this.open_orders.get(asset.sid) ?? [])];
    for (const o of list) this.cancel(o.id, relay);
    this.open_orders.delete(asset.sid);
    return list;
  }

  /** Applies the cancel policy for `event`; returns the cancelled orders (for warnings). */
  execute_cancel_policy(event: "session_end" | "bar"): Order[] {
    if (!this.cancel_policy.should_cancel(event)) return [];
    const out: Order[] = [];
    for (const sid of [...this.open_orders.keys()]) {
      const list = this.open_orders.get(sid)!;
      out.push(...this.cancel_all_orders_for_asset(list[0].asset, false));
    }
    return out;
  }

  /**
   * The daily-mode policy zipline applies at a session's end: for each asset with more than one
   * open order, the oldest is cancelled (relayed, so it is reported with the next bar's orders).
   * Orders placed on a daily bar cannot fill before the next one, so cancelling them all would
   * leave no order ever filled.
   */
  execute_daily_cancel_policy(event: "session_end" | "bar"): Order[] {
    if (!this.cancel_policy.should_cancel(event)) return [];
    const out: Order[] = [];
    for (const list of [...this.open_orders.values()]) {
      if (list.length > 1) {
        const o = list[0];
        this.cancel(o.id, true);
        out.push(o);
      }
    }
    return out;
  }

  /** Splits effective now: open orders' amounts and prices are rescaled. */
  process_splits(splits: ReadonlyArray<readonly [Asset, number]>): void {
    for (const [asset, ratio] of splits) {
      for (const o of this.open_orders.get(asset.sid) ?? []) o.handle_split(ratio);
    }
  }

  /** Fills for the current bar, in order of assets' first open order, then placement. */
  get_transactions(view: MarketView): BarFills {
    const transactions: Transaction[] = [], orders: Order[] = [], commissions: Commission[] = [];
    const closed: Order[] = [];
    for (const list of this.open_orders.values()) {
      const asset = list[0].asset;
      for (const [order, txn] of this.slippage.simulate(view, asset, list)) {
        const cost = this.commission.calculate(order, txn);
        if (cost > 0) commissions.push({ asset, order, cost });
        order.filled += txn.amount;
        order.commission += cost;
        order.dt = txn.dt;
        transactions.push(txn);
        orders.push(order);
        if (!order.open) closed.push(order);
      }
    }
    return { transactions, orders, commissions, closed };
  }

  /** Removes filled or cancelled orders from the open lists. */
  prune_orders(closed: readonly Order[]): void {
    for (const o of closed) {
      const list = this.open_orders.get(o.asset.sid);
      if (!list) continue;
      const i = list.indexOf(o);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.open_orders.delete(o.asset.sid);
    }
  }

  /** Open orders of an asset (a copy), or of all assets. */
  openOrdersOf(asset?: Asset): Order[] {
    if (asset) return [...(this.open_orders.get(asset.sid) ?? [])];
    return [...this.open_orders.values()].flat();
  }
}
