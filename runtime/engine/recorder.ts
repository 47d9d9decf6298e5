/**
 * Collects the per-session tables zipline's perf rows carry as lists — positions, orders and
 * transactions. Rows are kept as plain number columns while the backtest runs (no object per
 * row on the hot path) and become row objects only when results are read.
 */
import type { Asset } from "../assets/asset.ts";
import type { Ledger } from "../finance/ledger.ts";
import type { Order } from "../finance/order.ts";

export interface PositionRow {
  date: number;
  sid: number;
  symbol: string;
  amount: number;
  cost_basis: number;
  last_sale_price: number;
}

export interface OrderRow {
  date: number;
  order_id: string;
  created: number;
  dt: number;
  sid: number;
  symbol: string;
  amount: number;
  filled: number;
  commission: number;
  status: number;
  limit: number | null;
  stop: number | null;
  limit_reached: boolean;
  stop_reached: boolean;
  reason: string | null;
}

export interface TransactionRow {
  date: number;
  dt: number;
  order_id: string | null;
  sid: number;
  symbol: string;
  amount: number;
  price: number;
}

const orNull = (x: number) => (Number.isNaN(x) ? null : x);

/** A growable Float64Array (amortised doubling): rows of numbers without boxed JS arrays. */
class Floats {
  data = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    // Reserve first: `this.data[this.reserve(1)]` would pick the array before it grew.
    const at = this.reserve(1);
    this.data[at] = x;
  }
  /** Makes room for `k` more values; returns the offset to write them at. */
  reserve(k: number): number {
    if (this.length + k > this.data.length) {
      const next = new Float64Array(Math.max(this.data.length * 2, this.length + k));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    const at = this.length;
    this.length += k;
    return at;
  }
}

export class Recorder {
  // positions
  /** Assets by sid, for positions stored by sid (no object reference per row). */
  private readonly assetBySid = new Map<number, Asset>();
  private readonly pNum = new Floats(); // date, sid, amount, cost_basis, last_sale_price per row
  // orders: the order object for fixed fields, a snapshot of the changing ones
  private readonly oDate: number[] = [];
  private readonly oRef: Order[] = [];
  private readonly oNum = new Floats(); // dt, amount, filled, commission, status, limit, stop, flags
  private readonly oReason: (string | null)[] = [];
  // transactions
  private readonly tDate: number[] = [];
  private readonly tAsset: Asset[] = [];
  private readonly tId: (string | null)[] = [];
  private readonly tNum = new Floats(); // dt, amount, price
  private counts = { positions: 0, orders: 0, transactions: 0 };

  constructor(private readonly ledger: Ledger, private readonly sessions: Float64Array) {}

  /** Snapshots today's lists at the end of simulation session `i`. */
  endOfSession(i: number, _close: number): void {
    const date = this.sessions[i];
    let np = 0;
    const positions = this.ledger.positions;
    let at = this.pNum.reserve(5 * positions.size);
    const pn = this.pNum.data;
    for (const p of positions.values()) {
      if (p.amount === 0) continue;
      np++;
      if (!this.assetBySid.has(p.asset.sid)) this.assetBySid.set(p.asset.sid, p.asset);
      pn[at++] = date;
      pn[at++] = p.asset.sid;
      pn[at++] = p.amount;
      pn[at++] = p.cost_basis;
      pn[at++] = p.last_sale_price;
    }
    this.pNum.length = at;
    const today = this.ledger.ordersToday();
    let oat = this.oNum.reserve(8 * today.length);
    const on = this.oNum.data;
    for (const o of today) {
      this.oDate.push(date);
      this.oRef.push(o);
      on[oat++] = o.dt;
      on[oat++] = o.amount;
      on[oat++] = o.filled;
      on[oat++] = o.commission;
      on[oat++] = o.status;
      on[oat++] = o.limit ?? NaN;
      on[oat++] = o.stop ?? NaN;
      on[oat++] = (o.limit_reached ? 1 : 0) | (o.stop_reached ? 2 : 0);
      this.oReason.push(o.reason);
    }
    for (const t of this.ledger.transactionsToday) {
      this.tDate.push(date);
      this.tAsset.push(t.asset);
      this.tId.push(t.order_id);
      this.tNum.push(t.dt);
      this.tNum.push(t.amount);
      this.tNum.push(t.price);
    }
    this.counts = {
      positions: np,
      orders: this.ledger.ordersTodayCount,
      transactions: this.ledger.transactionsToday.length,
    };
  }

  countsToday(): { positions: number; orders: number; transactions: number } {
    return this.counts;
  }

  get positions(): PositionRow[] {
    const n = this.pNum.data, rows = this.pNum.length / 5;
    return Array.from({ length: rows }, (_, k) => {
      const asset = this.assetBySid.get(n[5 * k + 1])!;
      return {
        date: n[5 * k],
        sid: asset.sid,
        symbol: asset.symbol,
        amount: n[5 * k + 2],
        cost_basis: n[5 * k + 3],
        last_sale_price: n[5 * k + 4],
      };
    });
  }

  get orders(): OrderRow[] {
    return this.oDate.map((date, k) => {
      const o = this.oRef[k], n = this.oNum.data, b = 8 * k;
      return {
        date,
        order_id: o.id,
        created: o.created,
        dt: n[b],
        sid: o.asset.sid,
        symbol: o.asset.symbol,
        amount: n[b + 1],
        filled: n[b + 2],
        commission: n[b + 3],
        status: n[b + 4],
        limit: orNull(n[b + 5]),
        stop: orNull(n[b + 6]),
        limit_reached: (n[b + 7] & 1) === 1,
        stop_reached: (n[b + 7] & 2) === 2,
        reason: this.oReason[k],
      };
    });
  }

  get transactions(): TransactionRow[] {
    return this.tDate.map((date, k) => ({
      date,
      dt: this.tNum.data[3 * k],
      order_id: this.tId[k],
      sid: this.tAsset[k].sid,
      symbol: this.tAsset[k].symbol,
      amount: this.tNum.data[3 * k + 1],
      price: this.tNum.data[3 * k + 2],
    }));
  }

  get transactionCount(): number {
    return this.tDate.length;
  }
}
