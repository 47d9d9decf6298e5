/**
 * Collects the per-session tables zipline's perf rows carry as lists — positions, orders and
 * transactions — into flat rows, so results can be written as CSV, JSON or Arrow.
 */
import type { Ledger } from "../finance/ledger.ts";

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

export class Recorder {
  readonly positions: PositionRow[] = [];
  readonly orders: OrderRow[] = [];
  readonly transactions: TransactionRow[] = [];
  private counts = { positions: 0, orders: 0, transactions: 0 };

  constructor(private readonly ledger: Ledger, private readonly sessions: Float64Array) {}

  /** Snapshots today's lists at the end of simulation session `i`. */
  endOfSession(i: number, _close: number): void {
    const date = this.sessions[i];
    let np = 0;
    for (const p of this.ledger.positions.values()) {
      if (p.amount === 0) continue;
      np++;
      this.positions.push({
        date,
        sid: p.asset.sid,
        symbol: p.asset.symbol,
        amount: p.amount,
        cost_basis: p.cost_basis,
        last_sale_price: p.last_sale_price,
      });
    }
    for (const o of this.ledger.ordersToday.values()) {
      this.orders.push({
        date,
        order_id: o.id,
        created: o.created,
        dt: o.dt,
        sid: o.asset.sid,
        symbol: o.asset.symbol,
        amount: o.amount,
        filled: o.filled,
        commission: o.commission,
        status: o.status,
        limit: o.limit,
        stop: o.stop,
        limit_reached: o.limit_reached,
        stop_reached: o.stop_reached,
        reason: o.reason,
      });
    }
    for (const t of this.ledger.transactionsToday) {
      this.transactions.push({
        date,
        dt: t.dt,
        order_id: t.order_id,
        sid: t.asset.sid,
        symbol: t.asset.symbol,
        amount: t.amount,
        price: t.price,
      });
    }
    this.counts = {
      positions: np,
      orders: this.ledger.ordersToday.size,
      transactions: this.ledger.transactionsToday.length,
    };
  }

  countsToday(): { positions: number; orders: number; transactions: number } {
    return this.counts;
  }
}
