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

/**
 * Rows of `width` numbers in fixed-size chunks: appending never copies what is stored (a
 * 500-asset, 20-year run snapshots over a million position rows).
 */
class Rows {
  private readonly chunks: Float64Array[] = [];
  private chunk = new Float64Array(0);
  private at = 0;
  /** Rows stored. */
  length = 0;
  constructor(readonly width: number, private readonly rowsPerChunk = 16_384) {}

  /** The chunk to write one row into and the offset of that row in it. */
  next(): Float64Array {
    if (this.at === this.chunk.length) {
      this.chunk = new Float64Array(this.width * this.rowsPerChunk);
      this.chunks.push(this.chunk);
      this.at = 0;
    }
    this.length++;
    const c = this.chunk;
    this.offset = this.at;
    this.at += this.width;
    return c;
  }
  /** Where the row handed out by the last `next()` starts. */
  offset = 0;

  /** Value `j` of row `k`. */
  get(k: number, j: number): number {
    const per = this.rowsPerChunk;
    return this.chunks[Math.floor(k / per)][(k % per) * this.width + j];
  }
}

export class Recorder {
  // positions
  private readonly pNum = new Rows(5); // date, sid, amount, cost_basis, last_sale_price
  // orders: the order object for fixed fields, a snapshot of the changing ones
  private readonly oDate: number[] = [];
  private readonly oRef: Order[] = [];
  private readonly oNum = new Rows(8); // dt, amount, filled, commission, status, limit, stop, flags
  private readonly oReason: (string | null)[] = [];
  // transactions
  private readonly tDate: number[] = [];
  private readonly tAsset: Asset[] = [];
  private readonly tId: (string | null)[] = [];
  private readonly tNum = new Rows(3); // dt, amount, price
  private counts = { positions: 0, orders: 0, transactions: 0 };

  constructor(private readonly ledger: Ledger, private readonly sessions: Float64Array) {}

  /** Snapshots today's lists at the end of simulation session `i`. */
  endOfSession(i: number, _close: number): void {
    const date = this.sessions[i];
    let np = 0;
    const rows = this.pNum;
    for (const p of this.ledger.positions.values()) {
      if (p.amount === 0) continue;
      np++;
      const r = rows.next(), at = rows.offset;
      r[at] = date;
      r[at + 1] = p.sid;
      r[at + 2] = p.amount;
      r[at + 3] = p.cost_basis;
      r[at + 4] = p.last_sale_price;
    }
    const today = this.ledger.ordersToday();
    const on = this.oNum;
    for (const o of today) {
      this.oDate.push(date);
      this.oRef.push(o);
      const r = on.next(), at = on.offset;
      r[at] = o.dt;
      r[at + 1] = o.amount;
      r[at + 2] = o.filled;
      r[at + 3] = o.commission;
      r[at + 4] = o.status;
      r[at + 5] = o.limit ?? NaN;
      r[at + 6] = o.stop ?? NaN;
      r[at + 7] = (o.limit_reached ? 1 : 0) | (o.stop_reached ? 2 : 0);
      this.oReason.push(o.reason);
    }
    for (const t of this.ledger.transactionsToday) {
      this.tDate.push(date);
      this.tAsset.push(t.asset);
      this.tId.push(t.order_id);
      const r = this.tNum.next(), at = this.tNum.offset;
      r[at] = t.dt;
      r[at + 1] = t.amount;
      r[at + 2] = t.price;
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
    const n = this.pNum, held = this.ledger.heldAssets;
    return Array.from({ length: n.length }, (_, k) => {
      const asset = held.get(n.get(k, 1))!;
      return {
        date: n.get(k, 0),
        sid: asset.sid,
        symbol: asset.symbol,
        amount: n.get(k, 2),
        cost_basis: n.get(k, 3),
        last_sale_price: n.get(k, 4),
      };
    });
  }

  get orders(): OrderRow[] {
    const n = this.oNum;
    return this.oDate.map((date, k) => {
      const o = this.oRef[k], flags = n.get(k, 7);
      return {
        date,
        order_id: o.id,
        created: o.created,
        dt: n.get(k, 0),
        sid: o.asset.sid,
        symbol: o.asset.symbol,
        amount: n.get(k, 1),
        filled: n.get(k, 2),
        commission: n.get(k, 3),
        status: n.get(k, 4),
        limit: orNull(n.get(k, 5)),
        stop: orNull(n.get(k, 6)),
        limit_reached: (flags & 1) === 1,
        stop_reached: (flags & 2) === 2,
        reason: this.oReason[k],
      };
    });
  }

  get transactions(): TransactionRow[] {
    const n = this.tNum;
    return this.tDate.map((date, k) => ({
      date,
      dt: n.get(k, 0),
      order_id: this.tId[k],
      sid: this.tAsset[k].sid,
      symbol: this.tAsset[k].symbol,
      amount: n.get(k, 1),
      price: n.get(k, 2),
    }));
  }

  get transactionCount(): number {
    return this.tDate.length;
  }
}
