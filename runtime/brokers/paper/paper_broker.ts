/**
 * `--broker paper`: a broker that needs no account. It matches orders against the feed's bars
 * with the same blotter, slippage and commission models as the backtest, so a replayed paper
 * session fills exactly as the backtest does. Its book (orders, positions, cash) is a venue of
 * its own: persisted to a file after every change, so a session killed mid-run finds it intact.
 */
import type { Asset } from "../../assets/asset.ts";
import { SimulationBlotter } from "../../finance/blotter.ts";
import type { CommissionModel } from "../../finance/commission.ts";
import type { BarField, MarketView } from "../../finance/market_view.ts";
import { type Order, ORDER_STATUS } from "../../finance/order.ts";
import { defaultEquitySlippage, type SlippageModel } from "../../finance/slippage.ts";
import { defaultEquityCommission } from "../../finance/commission.ts";
import type { OrderState } from "../../orders/state.ts";
import type {
  Bar,
  Broker,
  BrokerAccount,
  BrokerEvent,
  BrokerFill,
  BrokerHealth,
  BrokerOrder,
  BrokerPosition,
  OrderRequest,
} from "../broker.ts";
import { type Book, BookStore, emptyBook } from "./book_store.ts";

export interface PaperBrokerOptions {
  assetOf(symbol: string): Asset;
  cash: number;
  /** Where the paper venue keeps its book (none: in memory only). */
  statePath?: string;
  slippage?: SlippageModel;
  commission?: CommissionModel;
  now?: () => number;
}

export class PaperBroker implements Broker, MarketView {
  readonly name = "paper";
  readonly blotter: SimulationBlotter;
  private listener: (e: BrokerEvent) => void = () => {};
  private readonly byCoid = new Map<string, Order>();
  private readonly coidOf = new Map<string, string>();
  private readonly avg = new Map<string, number>();
  private book: Book;
  private readonly store: BookStore;
  private bars = new Map<string, Bar>();
  current_dt = NaN;
  private connected = false;

  constructor(private readonly opts: PaperBrokerOptions) {
    this.blotter = new SimulationBlotter(
      opts.slippage ?? defaultEquitySlippage(),
      opts.commission ?? defaultEquityCommission(),
    );
    this.book = emptyBook(opts.cash);
    this.store = new BookStore(opts.statePath);
    const saved = this.store.restore({
      blotter: this.blotter,
      assetOf: (symbol) => this.opts.assetOf(symbol),
      byCoid: this.byCoid,
      coidOf: this.coidOf,
      avg: this.avg,
    });
    if (saved) this.book = saved;
  }

  /** Snapshots the book (a no-op without a state path). */
  private persist(): void {
    this.store.save(this.book, { byCoid: this.byCoid, coidOf: this.coidOf, avg: this.avg });
  }

  /** Models the strategy chose (set_slippage / set_commission reach the venue). */
  setModels(slippage: SlippageModel, commission: CommissionModel): void {
    this.blotter.slippage = slippage;
    this.blotter.commission = commission;
  }

  connect(): Promise<void> {
    this.connected = true;
    return Promise.resolve();
  }
  disconnect(): Promise<void> {
    this.connected = false;
    return Promise.resolve();
  }
  health(): BrokerHealth {
    return { connected: this.connected };
  }
  timeSkewMs(): number {
    return 0;
  }
  onEvent(listener: (e: BrokerEvent) => void): void {
    this.listener = listener;
  }

  // --- MarketView over the latest bars, for the slippage model ---
  current(asset: Asset, field: BarField): number {
    const b = this.bars.get(asset.symbol);
    if (!b || b.time !== this.current_dt) {
      return field === "volume" ? 0 : field === "price" && b ? b.close : NaN;
    }
    return field === "price" ? b.close : b[field];
  }

  private view(coid: string, o: Order): BrokerOrder {
    return {
      client_order_id: coid,
      broker_order_id: o.id,
      symbol: o.asset.symbol,
      amount: o.amount,
      filled: o.filled,
      avg_fill_price: this.avg.get(coid) ?? 0,
      state: stateOf(o),
      limit_price: o.limit,
      stop_price: o.stop,
      submitted_at: o.created,
    };
  }

  submit(r: OrderRequest): Promise<void> {
    const now = this.opts.now?.() ?? this.current_dt;
    this.blotter.current_dt = Number.isNaN(this.current_dt) ? now : this.current_dt;
    const id = this.blotter.order(
      this.opts.assetOf(r.symbol),
      r.amount,
      r.limit_price,
      r.stop_price,
    );
    if (id === null) {
      this.listener({
        type: "error",
        message: "zero amount",
        client_order_id: r.client_order_id,
        time: now,
      });
      return Promise.resolve();
    }
    this.blotter.new_orders = [];
    const o = this.blotter.orders.get(id)!;
    this.byCoid.set(r.client_order_id, o);
    this.coidOf.set(o.id, r.client_order_id);
    this.store.log({
      op: "submit",
      coid: r.client_order_id,
      symbol: r.symbol,
      amount: r.amount,
      limit: r.limit_price,
      stop: r.stop_price,
      created: this.blotter.current_dt,
    });
    this.listener({
      type: "order",
      event: "ack",
      order: this.view(r.client_order_id, o),
      time: now,
    });
    return Promise.resolve();
  }

  cancel(coid: string): Promise<void> {
    const o = this.byCoid.get(coid);
    if (!o || !o.open) return Promise.resolve();
    this.blotter.cancel(o.id, false);
    this.store.log({ op: "cancel", coid });
    this.listener({
      type: "order",
      event: "canceled",
      order: this.view(coid, o),
      time: this.current_dt,
    });
    return Promise.resolve();
  }

  /** A bar from the feed: orders are matched against it (as the backtest does). */
  onBars(time: number, bars: readonly Bar[]): void {
    this.current_dt = time;
    for (const b of bars) this.bars.set(b.symbol, b);
    this.blotter.current_dt = time;
    if (time <= this.book.lastBar) return;
    this.book.lastBar = time;
    // No snapshot here: a crash before the end-of-session snapshot re-matches this bar, with the
    // same fills, so persisting now would only delay the bar's orders.
    if (this.blotter.open_orders.size === 0) return;
    const { transactions, orders, commissions, closed } = this.blotter.get_transactions(this);
    this.blotter.prune_orders(closed);
    const fee = new Map(commissions.map((c) => [c.order, c.cost]));
    for (let k = 0; k < transactions.length; k++) {
      const t = transactions[k], o = orders[k], coid = this.coidOf.get(o.id)!;
      const commission = fee.get(o) ?? 0;
      fee.delete(o);
      const prev = o.filled - t.amount;
      this.avg.set(coid, ((this.avg.get(coid) ?? 0) * prev + t.price * t.amount) / (o.filled || 1));
      const pos = this.book.positions[t.asset.symbol] ?? { amount: 0, cost: 0 };
      const total = pos.amount + t.amount;
      pos.cost = total === 0
        ? 0
        : Math.sign(total) === Math.sign(pos.amount) || pos.amount === 0
        ? (pos.cost * pos.amount + t.price * t.amount) / total
        : t.price;
      pos.amount = total;
      this.book.positions[t.asset.symbol] = pos;
      this.book.cash -= t.price * t.amount + commission;
      this.book.exec++;
      const fill: BrokerFill = {
        client_order_id: coid,
        broker_order_id: o.id,
        exec_id: `paper-${this.book.exec}`,
        symbol: t.asset.symbol,
        amount: t.amount,
        price: t.price,
        commission,
        time,
      };
      this.book.fills.push(fill);
      this.listener({ type: "fill", fill });
      this.listener({
        type: "order",
        event: o.open ? "partial_fill" : "fill",
        order: this.view(coid, o),
        time,
      });
    }
  }

  openOrders(): Promise<BrokerOrder[]> {
    return Promise.resolve(
      [...this.byCoid].filter(([, o]) => o.open).map(([c, o]) => this.view(c, o)),
    );
  }
  order(coid: string): Promise<BrokerOrder | null> {
    const o = this.byCoid.get(coid);
    return Promise.resolve(o ? this.view(coid, o) : null);
  }
  executions(sinceMs: number): Promise<BrokerFill[]> {
    return Promise.resolve(this.book.fills.filter((f) => f.time > sinceMs));
  }

  /** Splits effective now on resting orders (a replayed bundle's corporate actions). */
  processSplits(splits: ReadonlyArray<readonly [Asset, number]>): void {
    this.blotter.process_splits(splits);
    for (const [asset, ratio] of splits) {
      const p = this.book.positions[asset.symbol];
      if (p) {
        p.amount = Math.floor(p.amount / ratio);
        p.cost = p.cost * ratio;
      }
    }
    this.persist();
  }

  /** The session's cancel policy at a session's end (a venue's DAY expiry). */
  endOfSession(daily: boolean): void {
    const cancelled = daily
      ? this.blotter.execute_daily_cancel_policy("session_end")
      : this.blotter.execute_cancel_policy("session_end");
    this.blotter.new_orders = [];
    for (const o of cancelled) {
      const coid = this.coidOf.get(o.id);
      if (coid) {
        this.listener({
          type: "order",
          event: "canceled",
          order: this.view(coid, o),
          time: this.current_dt,
        });
      }
    }
    this.persist();
  }

  /** Closes a delisted position at a price (the simulation's auto-close, mirrored at the venue). */
  closePosition(symbol: string, price: number): void {
    const p = this.book.positions[symbol];
    if (!p || p.amount === 0) return;
    this.book.cash += p.amount * price;
    p.amount = 0;
    this.persist();
  }

  positions(): Promise<BrokerPosition[]> {
    return Promise.resolve(
      Object.entries(this.book.positions).filter(([, p]) => p.amount !== 0).map(([symbol, p]) => ({
        symbol,
        amount: p.amount,
        avg_cost: p.cost,
      })),
    );
  }
  account(): Promise<BrokerAccount> {
    let value = 0;
    for (const [s, p] of Object.entries(this.book.positions)) {
      value += p.amount * (this.bars.get(s)?.close ?? p.cost);
    }
    return Promise.resolve({
      cash: this.book.cash,
      equity: this.book.cash + value,
      buying_power: Infinity,
    });
  }
}

function stateOf(o: Order): OrderState {
  switch (o.status) {
    case ORDER_STATUS.FILLED:
      return "FILLED";
    case ORDER_STATUS.CANCELLED:
      return "CANCELED";
    case ORDER_STATUS.REJECTED:
      return "REJECTED";
    default:
      return o.filled !== 0 ? "PARTIALLY_FILLED" : "WORKING";
  }
}
