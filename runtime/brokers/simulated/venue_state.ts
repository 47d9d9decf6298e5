/**
 * The simulated venue's book: resting orders by asset, every order kept by client order id,
 * positions and cash by symbol, recent executions, and the counters a restart continues from.
 * Every change the venue makes is one `VenueOp` applied here — the same code whether the venue
 * makes the change now or a restart replays it from the store.
 */
import type { Asset } from "../../assets/asset.ts";
import { type BrokerFill, brokerFill } from "../../model/broker.ts";
import type { BookSnapshot, VenueOp } from "./venue_book.ts";
import { VenueOrder } from "./venue_order.ts";
import { restoreBook } from "./venue_restore.ts";
import { ListsBySid } from "../../orders/lists_by_sid.ts";
import { IdMap } from "../../model/id_map.ts";

const isFinished = (o: VenueOrder) => !o.open;

/** Finished orders kept for lookups (`order(id)`) once a session ends; open ones always stay. */
const KEEP_FINISHED = 200;

export class VenueState {
  /** Open orders by sid, each list in placement order; sids without open orders are absent. */
  readonly open = new ListsBySid<VenueOrder>();
  /**
   * Every order kept, by client order id (insertion order: placement); our ids filed by number,
   * as hashing each fresh id string would cost more than accepting the order.
   */
  readonly byCoid = new IdMap<VenueOrder>();
  readonly positionsBySymbol = new Map<string, { amount: number; cost: number }>();
  fills: BrokerFill[] = [];
  exec = 0;
  seq = 0;
  lastBar = -Infinity;
  lastSplit = -Infinity;
  /** Finished orders in `byCoid` (counted as they finish, so `trim` need not walk the book). */
  private finished = 0;
  /** How many finished orders `trim` keeps. */
  private readonly keepFinished: number;

  constructor(
    public cash: number,
    private readonly assetOf: (symbol: string) => Asset | undefined,
    /**
     * Executions are kept for `executions()`, and finished orders for `order(id)` (false: a
     * venue never asked nor restarted, a backtest's, keeps neither past the session's end).
     */
    private readonly keepFills: boolean,
  ) {
    // A backtest's finished orders then die young, not after a collection or two.
    this.keepFinished = keepFills ? KEEP_FINISHED : 0;
  }

  /** Applies an op (the venue records it first when it persists its book). */
  apply(op: VenueOp): VenueOrder | null {
    switch (op.op) {
      case "submit": {
        const asset = this.assetOf(op.symbol);
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
        const asset = this.assetOf(op.symbol);
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
  accept(
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
    this.open.push(asset.sid, o);
    return o;
  }

  /** An execution's effect on the order, the position and the cash. */
  book(
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
    if (!this.keepFills) return null;
    const fill = brokerFill(coid, o ? o.id : "", exec, symbol, amount, price, commission, time);
    this.fills.push(fill);
    return fill;
  }

  /** Removes a finished order from its asset's open list. */
  unlist(o: VenueOrder): void {
    if (this.open.remove(o.asset.sid, o)) this.finished++;
  }

  /** Forgets finished orders beyond the newest `keepFinished` and fills older than a day. */
  trim(): void {
    const drop = this.finished - this.keepFinished;
    if (drop > 0) this.finished -= this.byCoid.deleteFirst(drop, isFinished);
    const from = this.lastBar - 86_400_000;
    let k = 0;
    while (k < this.fills.length && this.fills[k].time < from) k++;
    if (k > 0) this.fills = this.fills.slice(k);
  }

  snapshot(): BookSnapshot {
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

  restore(s: BookSnapshot): void {
    this.cash = s.cash;
    this.exec = s.exec;
    this.seq = s.seq;
    this.lastBar = s.lastBar;
    this.lastSplit = s.lastSplit;
    this.fills = s.fills.slice();
    for (const [symbol, p] of Object.entries(s.positions)) {
      this.positionsBySymbol.set(symbol, { ...p });
    }
    restoreBook(s.orders, this.assetOf, (o) => {
      this.byCoid.set(o.client_order_id, o);
      if (!o.open) {
        this.finished++;
        return;
      }
      this.open.push(o.asset.sid, o);
    });
  }
}
