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
import type { OrderEvent } from "../../model/order_state.ts";
import type { BookSnapshot, VenueOp, VenueStore } from "./venue_book.ts";
import { VenueOrder } from "./venue_order.ts";
import { restoreBook } from "./venue_restore.ts";

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

/** Finished orders kept for lookups (`order(id)`) once a session ends; open ones always stay. */
const KEEP_FINISHED = 200;

export class SimulatedBroker implements Broker, MarketView {
  readonly name: string;
  /** An in-memory venue reports each execution once; a persisted one may re-report after a restart. */
  readonly reportsOnce: boolean;
  private listener: (e: BrokerEvent) => void = () => {};
  private sink: VenueSink | null = null;
  /** Open orders by sid, each list in placement order; sids without open orders are absent. */
  private readonly open = new Map<number, VenueOrder[]>();
  /** Every order kept, by client order id (insertion order: placement). */
  private readonly byCoid = new Map<string, VenueOrder>();
  private readonly positionsBySymbol = new Map<string, { amount: number; cost: number }>();
  private fills: BrokerFill[] = [];
  private cash: number;
  private exec = 0;
  private seq = 0;
  private lastBar = -Infinity;
  private lastSplit = -Infinity;
  private connected = false;
  private readonly store: VenueStore | null;

  constructor(private readonly opts: SimulatedBrokerOptions) {
    this.name = opts.name ?? "simulated";
    this.cash = opts.cash;
    this.store = opts.store ?? null;
    this.reportsOnce = opts.reportsOnce === true;
    if (this.store) {
      const { snapshot, ops } = this.store.load();
      if (snapshot) this.restoreSnapshot(snapshot);
      for (const op of ops) this.apply(op, false);
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
    const known = this.byCoid.get(r.client_order_id);
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
    const id = `${this.name}-${this.seq + 1}`;
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
    const o = this.accept(
      r.client_order_id,
      id,
      asset!,
      r.amount,
      r.limit_price,
      r.stop_price,
      now,
    );
    this.emit("ack", o, now);
  }

  cancel(coid: string): void {
    const o = this.byCoid.get(coid);
    if (!o) return; // unknown: nothing to cancel
    if (!o.open) {
      // Asked again (a restarted session re-deciding its bar): a cancelled order is reported as
      // it stands; a filled one's fills are already reported.
      if (o.status === ORDER_STATUS.CANCELLED) this.emit("canceled", o, o.dt);
      return;
    }
    const dt = this.current_dt;
    this.apply({ op: "cancel", coid, dt }, true);
    this.emit("canceled", o, dt);
  }

  /**
   * A bar: resting orders are matched against the market's current bar through the slippage and
   * commission models (zipline's `get_transactions`). A bar is matched once, unless `again` (the
   * same-bar-fills option matches the bar's own orders after the strategy's decisions).
   */
  onBar(time: number, again = false): void {
    if (!again && time <= this.lastBar) return;
    if (time > this.lastBar) {
      this.lastBar = time;
      this.store?.record({ op: "bar", time });
    }
    if (this.open.size === 0) return;
    const { slippage, commission } = this.opts.models;
    let closed: VenueOrder[] | null = null;
    for (const list of this.open.values()) {
      const asset = list[0].asset;
      const fills = slippage.simulate(this, asset, list);
      this.reportTriggers(list);
      for (let k = 0; k < fills.length; k++) {
        const [order, txn] = fills[k];
        const o = order as VenueOrder;
        const cost = commission.calculate(o, txn);
        this.exec++;
        this.fill(
          o.client_order_id,
          `${this.name}-x${this.exec}`,
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
    if (closed) { for (const o of closed) this.unlist(o); }
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
    if (session <= this.lastSplit) return;
    for (const [asset, ratio] of splits) {
      this.apply({ op: "split", symbol: asset.symbol, ratio, session }, true);
      for (const o of this.open.get(asset.sid) ?? []) {
        this.emit("updated", o, this.current_dt);
      }
    }
    this.lastSplit = session;
  }

  /**
   * Closes a position at `price` without an order: the venue's settlement of a delisted asset
   * (zipline's auto-close), reported as an execution with no client order id.
   */
  closePosition(symbol: string, price: number, time: number): void {
    const p = this.positionsBySymbol.get(symbol);
    if (!p || p.amount === 0) return;
    this.exec++;
    this.fill("", `${this.name}-x${this.exec}`, symbol, -p.amount, price, 0, time, null);
  }

  /**
   * At a session's end: finished orders and fills beyond what lookups need are forgotten, and a
   * persisted venue writes its snapshot (folding the ops recorded since the last one).
   */
  endOfSession(): void {
    this.trim();
    this.store?.save(this.snapshot());
  }

  openOrders(): Promise<BrokerOrder[]> {
    const out: BrokerOrder[] = [];
    for (const o of this.byCoid.values()) if (o.open) out.push(viewOf(o));
    return Promise.resolve(out);
  }
  order(coid: string): Promise<BrokerOrder | null> {
    const o = this.byCoid.get(coid);
    return Promise.resolve(o ? viewOf(o) : null);
  }
  /** Recent executions; a venue that `reportsOnce` keeps none (it is never asked). */
  executions(sinceMs: number): Promise<BrokerFill[]> {
    return Promise.resolve(this.fills.filter((f) => f.time > sinceMs));
  }
  positions(): Promise<BrokerPosition[]> {
    const out: BrokerPosition[] = [];
    for (const [symbol, p] of this.positionsBySymbol) {
      if (p.amount !== 0) out.push({ symbol, amount: p.amount, avg_cost: p.cost });
    }
    return Promise.resolve(out);
  }
  account(): Promise<BrokerAccount> {
    let value = 0;
    for (const [symbol, p] of this.positionsBySymbol) {
      const asset = this.opts.assetOf(symbol);
      const price = asset ? this.current(asset, "price") : NaN;
      value += p.amount * (Number.isNaN(price) ? p.cost : price);
    }
    return Promise.resolve({ cash: this.cash, equity: this.cash + value, buying_power: Infinity });
  }

  close(): void {
    this.store?.close();
  }

  // --- the book: every change is one op, recorded (when persisted) and applied here ---

  /** Applies an op; `record` first appends it to the store (false when replaying the store). */
  private apply(op: VenueOp, record: boolean): VenueOrder | null {
    if (record) this.store?.record(op);
    switch (op.op) {
      case "submit": {
        const asset = this.opts.assetOf(op.symbol);
        if (!asset) return null;
        return this.accept(op.coid, op.id, asset, op.amount, op.limit, op.stop, op.created);
      }
      case "cancel": {
        const o = this.byCoid.get(op.coid);
        if (!o || !o.open) return null;
        o.cancel();
        o.dt = op.dt;
        this.unlist(o);
        return o;
      }
      case "fill": {
        const o = op.coid === "" ? null : this.byCoid.get(op.coid) ?? null;
        this.exec = Math.max(this.exec, Number(op.exec.slice(op.exec.lastIndexOf("x") + 1)) || 0);
        this.book(op.coid, op.exec, op.symbol, op.amount, op.price, op.commission, op.time, o);
        if (o && !o.open) this.unlist(o);
        return o;
      }
      case "trigger": {
        const o = this.byCoid.get(op.coid);
        if (!o) return null;
        o.limit_reached = op.limit_reached;
        o.stop_reached = op.stop_reached;
        o.stop = op.stop;
        o.dt = op.dt;
        o.reported = o.triggerBits;
        return o;
      }
      case "split": {
        const asset = this.opts.assetOf(op.symbol);
        if (asset) { for (const o of this.open.get(asset.sid) ?? []) o.handle_split(op.ratio); }
        const p = this.positionsBySymbol.get(op.symbol);
        if (p && p.amount !== 0) {
          p.amount = Math.floor(p.amount / op.ratio);
          p.cost = p.cost * op.ratio;
        }
        this.lastSplit = Math.max(this.lastSplit, op.session);
        return null;
      }
      case "bar":
        this.lastBar = Math.max(this.lastBar, op.time);
        return null;
    }
  }

  /** An order into the book: resting in its asset's list. */
  private accept(
    coid: string,
    id: string,
    asset: Asset,
    amount: number,
    limit: number | null,
    stop: number | null,
    created: number,
  ): VenueOrder {
    const o = new VenueOrder(coid, id, asset, amount, limit, stop, created);
    this.seq++;
    this.byCoid.set(coid, o);
    const list = this.open.get(asset.sid);
    if (list) list.push(o);
    else this.open.set(asset.sid, [o]);
    return o;
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
    const fill = this.book(coid, exec, symbol, amount, price, commission, time, o);
    const venueId = o ? o.id : "";
    if (this.sink) {
      this.sink.fill(coid, venueId, exec, symbol, amount, price, commission, time);
    } else {
      this.listener({
        type: "fill",
        fill: fill ?? {
          client_order_id: coid,
          broker_order_id: venueId,
          exec_id: exec,
          symbol,
          amount,
          price,
          commission,
          time,
        },
      });
    }
  }

  /** An execution's effect on the order, the position and the cash. */
  private book(
    coid: string,
    exec: string,
    symbol: string,
    amount: number,
    price: number,
    commission: number,
    time: number,
    o: VenueOrder | null,
  ): BrokerFill | null {
    if (o) {
      const prev = o.filled;
      o.filled += amount;
      o.commission += commission;
      o.dt = time;
      o.avg_fill_price = (o.avg_fill_price * prev + price * amount) / (o.filled || 1);
    }
    let pos = this.positionsBySymbol.get(symbol);
    if (!pos) this.positionsBySymbol.set(symbol, pos = { amount: 0, cost: 0 });
    const total = pos.amount + amount;
    pos.cost = total === 0
      ? 0
      : Math.sign(total) === Math.sign(pos.amount) || pos.amount === 0
      ? (pos.cost * pos.amount + price * amount) / total
      : price;
    pos.amount = total;
    this.cash -= price * amount + commission;
    // Kept for `executions()` unless the venue is never asked (a backtest's).
    if (this.reportsOnce) return null;
    const fill: BrokerFill = {
      client_order_id: coid,
      broker_order_id: o ? o.id : "",
      exec_id: exec,
      symbol,
      amount,
      price,
      commission,
      time,
    };
    this.fills.push(fill);
    return fill;
  }

  /** Removes a finished order from its asset's open list. */
  private unlist(o: VenueOrder): void {
    const list = this.open.get(o.asset.sid);
    if (!list) return;
    const i = list.indexOf(o);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.open.delete(o.asset.sid);
  }

  /** Forgets finished orders beyond the newest `KEEP_FINISHED` and fills older than a day. */
  private trim(): void {
    let finished = 0;
    for (const o of this.byCoid.values()) if (!o.open) finished++;
    let drop = finished - KEEP_FINISHED;
    if (drop > 0) {
      for (const [coid, o] of this.byCoid) {
        if (drop === 0) break;
        if (o.open) continue;
        this.byCoid.delete(coid);
        drop--;
      }
    }
    const from = this.lastBar - 86_400_000;
    let k = 0;
    while (k < this.fills.length && this.fills[k].time < from) k++;
    if (k > 0) this.fills = this.fills.slice(k);
  }

  private snapshot(): BookSnapshot {
    const positions: BookSnapshot["positions"] = {};
    for (const [s, p] of this.positionsBySymbol) if (p.amount !== 0) positions[s] = { ...p };
    return {
      cash: this.cash,
      exec: this.exec,
      seq: this.seq,
      lastBar: this.lastBar,
      lastSplit: this.lastSplit,
      positions,
      fills: this.fills.slice(),
      orders: [...this.byCoid.values()].map((o) => ({
        coid: o.client_order_id,
        id: o.id,
        symbol: o.asset.symbol,
        amount: o.amount,
        filled: o.filled,
        commission: o.commission,
        limit: o.limit,
        stop: o.stop,
        limit_reached: o.limit_reached,
        stop_reached: o.stop_reached,
        created: o.created,
        dt: o.dt,
        status: o.status,
        avg: o.avg_fill_price,
      })),
    };
  }

  private restoreSnapshot(s: BookSnapshot): void {
    this.cash = s.cash;
    this.exec = s.exec;
    this.seq = s.seq;
    this.lastBar = s.lastBar;
    this.lastSplit = s.lastSplit;
    this.fills = s.fills.slice();
    for (const [symbol, p] of Object.entries(s.positions)) {
      this.positionsBySymbol.set(symbol, { ...p });
    }
    restoreBook(s.orders, this.opts.assetOf, (o) => {
      this.byCoid.set(o.client_order_id, o);
      if (!o.open) return;
      const list = this.open.get(o.asset.sid);
      if (list) list.push(o);
      else this.open.set(o.asset.sid, [o]);
    });
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
