/**
 * The simulated venue: zipline's blotter behind the broker contract. Orders rest in a book per
 * asset; each bar the slippage model decides their fills and the commission model their cost,
 * exactly as zipline's `SimulationBlotter` does, and every outcome leaves as a broker event —
 * acknowledgements, fills, trigger and split updates, cancellations — which the order manager
 * applies through the transition table to the ledger. Backtests and paper sessions both trade
 * against it (Lean's `BacktestingBrokerage`), so their fills cannot drift apart.
 *
 * It answers synchronously and allocates per order and per fill only what the fill itself needs.
 * With a `VenueStore` (a paper session) every change is recorded before it is reported, so the
 * book survives a crash of the process exactly as it stood (venue_book.ts).
 */
import type { Asset } from "../../assets/asset.ts";
import type { MarketView } from "../../finance/market_view.ts";
import { ORDER_STATUS } from "../../finance/order.ts";
import type { FillModels } from "../../finance/models.ts";
import type {
  Broker,
  BrokerAccount,
  BrokerEvent,
  BrokerFill,
  BrokerHealth,
  BrokerOrder,
  BrokerPosition,
  OrderRequest,
  VenueSink,
} from "../../model/broker.ts";
import { brokerFill } from "../../model/broker.ts";
import type { OrderEvent } from "../../model/order_state.ts";
import type { VenueOp, VenueStore } from "./venue_book.ts";
import { VenueOrder } from "./venue_order.ts";
import { VenueState } from "./venue_state.ts";

/** Orders larger than this are a bug in the strategy, not an order (zipline's limit). */
export const MAX_SHARES = 100_000_000_000;

export type { FillModels };

export interface SimulatedBrokerOptions {
  /** The market at the current bar (prices and volumes the models read; its `current_dt`). */
  market: MarketView;
  assetOf(symbol: string): Asset | undefined;
  models: FillModels;
  /** The venue's starting cash. */
  cash: number;
  /** @default "simulated" */
  name?: string;
  /** Where the book is kept (a paper venue); none: in memory only. */
  store?: VenueStore | null;
  /**
   * The venue is never restarted nor asked for executions (a backtest's): each execution is
   * reported once and none is kept. @default false
   */
  reportsOnce?: boolean;
}

export class SimulatedBroker implements Broker, MarketView {
  readonly name: string;
  /**
   * `<name>-` and `<name>-x`, the venue's order and execution ids' beginnings, made once: an id
   * built from the name each time carries its own copy of them, and the order keeps its id.
   */
  private readonly orderIdPrefix: string;
  private readonly execIdPrefix: string;
  /** An in-memory venue reports each execution once; a persisted one may re-report after a restart. */
  readonly reportsOnce: boolean;
  private listener: (e: BrokerEvent) => void = () => {};
  private sink: VenueSink | null = null;
  /** The book: orders, positions, cash, executions (venue_state.ts). */
  private readonly state: VenueState;
  private connected = false;
  private readonly store: VenueStore | null;

  constructor(private readonly opts: SimulatedBrokerOptions) {
    this.name = opts.name ?? "simulated";
    this.orderIdPrefix = `${this.name}-`;
    this.execIdPrefix = `${this.name}-x`;
    this.state = new VenueState(opts.cash, opts.assetOf, opts.reportsOnce !== true);
    this.store = opts.store ?? null;
    this.reportsOnce = opts.reportsOnce === true;
    if (this.store) {
      const known = (op: VenueOp) =>
        "symbol" in op && !opts.assetOf(op.symbol) ? `unknown symbol ${op.symbol}` : null;
      const { snapshot, ops } = this.store.load(known);
      if (snapshot) this.state.restore(snapshot);
      for (const op of ops) this.state.apply(op);
    }
  }

  // --- MarketView (what the models see: the market's bar, at the market's time) ---
  get current_dt(): number {
    return this.opts.market.current_dt;
  }
  current(asset: Asset, field: "open" | "high" | "low" | "close" | "volume" | "price"): number {
    return this.opts.market.current(asset, field);
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
  attachSink(sink: VenueSink): void {
    this.sink = sink;
  }

  /**
   * An order event: to the sink with the order itself (read at once), or as an event object
   * with a copy of the order as it is now (the listener may keep it).
   */
  private emit(event: OrderEvent, order: BrokerOrder, time: number, reason?: string): void {
    if (this.sink) this.sink.order(event, order, time, reason);
    else this.listener({ type: "order", event, order: viewOf(order), reason, time });
  }

  // --- orders ---

  submit(r: OrderRequest): void {
    const now = this.current_dt;
    if (r.client_seq !== undefined) this.state.byCoid.hint(r.client_order_id, r.client_seq);
    const known = this.state.byCoid.get(r.client_order_id);
    if (known) {
      // The same client id again (a restarted session re-deciding its interrupted bar): the venue
      // keys orders by it and never books it twice; it reports the order as it stands.
      this.emit("ack", known, now);
      return;
    }
    const asset = this.opts.assetOf(r.symbol);
    const refused = !asset
      ? `unknown symbol ${r.symbol}`
      : !Number.isInteger(r.amount) || r.amount === 0
      ? `amount ${r.amount} is not a whole, non-zero number of shares`
      : Math.abs(r.amount) > MAX_SHARES
      ? `Can't order more than ${MAX_SHARES} shares`
      : null;
    if (refused !== null) {
      const order: BrokerOrder = {
        client_order_id: r.client_order_id,
        broker_order_id: "",
        symbol: r.symbol,
        amount: r.amount,
        filled: 0,
        avg_fill_price: 0,
        state: "REJECTED",
        limit_price: r.limit_price,
        stop_price: r.stop_price,
        submitted_at: now,
      };
      this.emit("rejected", order, now, refused);
      return;
    }
    const id = this.orderIdPrefix + (this.state.seq + 1);
    this.store?.record({
      op: "submit",
      coid: r.client_order_id,
      id,
      symbol: r.symbol,
      amount: r.amount,
      limit: r.limit_price,
      stop: r.stop_price,
      created: now,
    });
    const o = this.state.accept(
      r.client_order_id,
      id,
      asset!,
      r.amount,
      r.limit_price,
      r.stop_price,
      now,
    );
    if (r.client_seq !== undefined) o.client_seq = r.client_seq;
    this.emit("ack", o, now);
  }

  cancel(coid: string): void {
    const o = this.state.byCoid.get(coid);
    if (!o) return; // unknown: nothing to cancel
    if (!o.open) {
      // Asked again (a restarted session re-deciding its bar): a cancelled order is reported as
      // it stands; a filled one's fills are already reported.
      if (o.status === ORDER_STATUS.CANCELLED) this.emit("canceled", o, o.dt);
      return;
    }
    const dt = this.current_dt;
    this.record({ op: "cancel", coid, dt });
    this.emit("canceled", o, dt);
  }

  /**
   * A bar: resting orders are matched against the market's current bar through the slippage and
   * commission models (zipline's `get_transactions`). A bar is matched once, unless `again` (the
   * same-bar-fills option matches the bar's own orders after the strategy's decisions).
   */
  onBar(time: number, again = false): void {
    if (!again && time <= this.state.lastBar) return;
    if (time > this.state.lastBar) {
      this.state.lastBar = time;
      this.store?.record({ op: "bar", time });
    }
    const open = this.state.open;
    if (open.size === 0) return;
    const { slippage, commission } = this.opts.models;
    let closed: VenueOrder[] | null = null;
    for (let slot = open.first(); slot >= 0; slot = open.after(slot)) {
      const list = open.at(slot);
      if (list.length === 0) continue;
      const asset = list[0].asset;
      const fills = slippage.simulate(this, asset, list);
      this.reportTriggers(list);
      for (let k = 0; k < fills.length; k++) {
        const [order, txn] = fills[k];
        const o = order as VenueOrder;
        const cost = commission.calculate(o, txn);
        this.state.exec++;
        this.fill(
          o.client_order_id,
          this.execIdPrefix + this.state.exec,
          asset.symbol,
          txn.amount,
          txn.price,
          cost,
          txn.dt,
          o,
        );
        this.emit(o.open ? "partial_fill" : "fill", o, txn.dt);
        if (!o.open) (closed ??= []).push(o);
      }
    }
    if (closed) { for (const o of closed) this.state.unlist(o); }
  }

  /** Trigger changes of the asset's orders (a stop reached, a limit reached) as `updated` events. */
  private reportTriggers(list: readonly VenueOrder[]): void {
    for (let k = 0; k < list.length; k++) {
      const o = list[k];
      if (o.limit === null && !o.hadStop) continue;
      const bits = o.triggerBits;
      if (bits === o.reported) continue;
      o.reported = bits;
      this.store?.record({
        op: "trigger",
        coid: o.client_order_id,
        limit_reached: o.limit_reached,
        stop_reached: o.stop_reached,
        stop: o.stop,
        dt: o.dt,
      });
      this.emit("updated", o, o.dt);
    }
  }

  /** Splits effective in `session`: resting orders and positions rescaled (once per session). */
  processSplits(splits: ReadonlyArray<readonly [Asset, number]>, session: number): void {
    if (session <= this.state.lastSplit) return;
    for (const [asset, ratio] of splits) {
      this.record({ op: "split", symbol: asset.symbol, ratio, session });
      for (const o of this.state.open.get(asset.sid) ?? []) {
        this.emit("updated", o, this.current_dt);
      }
    }
    this.state.lastSplit = session;
  }

  /**
   * Closes a position at `price` without an order: the venue's settlement of a delisted asset
   * (zipline's auto-close), reported as an execution with no client order id.
   */
  closePosition(symbol: string, price: number, time: number): void {
    const p = this.state.positionsBySymbol.get(symbol);
    if (!p || p.amount === 0) return;
    this.state.exec++;
    this.fill("", this.execIdPrefix + this.state.exec, symbol, -p.amount, price, 0, time, null);
  }

  /**
   * At a session's end: finished orders and fills beyond what lookups need are forgotten, and a
   * persisted venue writes its snapshot (folding the ops recorded since the last one).
   */
  endOfSession(): void {
    this.state.trim();
    this.store?.save(this.state.snapshot());
  }

  openOrders(): Promise<BrokerOrder[]> {
    const out: BrokerOrder[] = [];
    for (const o of this.state.byCoid.values()) if (o.open) out.push(viewOf(o));
    return Promise.resolve(out);
  }
  order(coid: string): Promise<BrokerOrder | null> {
    const o = this.state.byCoid.get(coid);
    return Promise.resolve(o ? viewOf(o) : null);
  }
  ordersSince(sinceMs: number): Promise<BrokerOrder[]> {
    const out: BrokerOrder[] = [];
    for (const o of this.state.byCoid.values()) if (o.submitted_at > sinceMs) out.push(viewOf(o));
    return Promise.resolve(out);
  }
  /** Recent executions; a venue that `reportsOnce` keeps none (it is never asked). */
  executions(sinceMs: number): Promise<BrokerFill[]> {
    return Promise.resolve(this.state.fills.filter((f) => f.time > sinceMs));
  }
  positions(): Promise<BrokerPosition[]> {
    const out: BrokerPosition[] = [];
    for (const [symbol, p] of this.state.positionsBySymbol) {
      if (p.amount !== 0) out.push({ symbol, amount: p.amount, avg_cost: p.cost });
    }
    return Promise.resolve(out);
  }
  account(): Promise<BrokerAccount> {
    let value = 0;
    for (const [symbol, p] of this.state.positionsBySymbol) {
      const asset = this.opts.assetOf(symbol);
      const price = asset ? this.current(asset, "price") : NaN;
      value += p.amount * (Number.isNaN(price) ? p.cost : price);
    }
    return Promise.resolve({
      cash: this.state.cash,
      equity: this.state.cash + value,
      buying_power: Infinity,
    });
  }

  close(): void {
    this.store?.close();
  }

  /** A change of the book: recorded first (a persisted venue), then applied. */
  private record(op: VenueOp): VenueOrder | null {
    this.store?.record(op);
    return this.state.apply(op);
  }

  /** Books a fill (recorded first) and reports it. */
  private fill(
    coid: string,
    exec: string,
    symbol: string,
    amount: number,
    price: number,
    commission: number,
    time: number,
    o: VenueOrder | null,
  ): void {
    this.store?.record({ op: "fill", coid, exec, symbol, amount, price, commission, time });
    const fill = this.state.book(coid, exec, symbol, amount, price, commission, time, o);
    const venueId = o ? o.id : "";
    if (this.sink) {
      this.sink.fill(
        coid,
        venueId,
        exec,
        symbol,
        amount,
        price,
        commission,
        time,
        o ? o.client_seq : -1,
      );
    } else {
      const reported = fill ??
        brokerFill(coid, venueId, exec, symbol, amount, price, commission, time);
      this.listener({ type: "fill", fill: reported });
    }
  }
}

/** A plain copy of an order as the broker contract describes it (safe to keep, spread, print). */
function viewOf(o: BrokerOrder): BrokerOrder {
  return {
    client_order_id: o.client_order_id,
    broker_order_id: o.broker_order_id,
    symbol: o.symbol,
    amount: o.amount,
    filled: o.filled,
    avg_fill_price: o.avg_fill_price,
    state: o.state,
    limit_price: o.limit_price,
    stop_price: o.stop_price,
    submitted_at: o.submitted_at,
    updated_at: o.updated_at,
    limit_reached: o.limit_reached,
    stop_reached: o.stop_reached,
  };
}
