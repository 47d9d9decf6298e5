/**
 * Collects the per-session tables zipline's perf rows carry as lists — positions, orders and
 * transactions. Rows are kept as plain number columns while the backtest runs (no object per
 * row on the hot path) and become row objects only when results are read.
 */
import type { Asset } from "../assets/asset.ts";
import type { Ledger } from "../finance/ledger.ts";
import type { TrackedOrder } from "../finance/order.ts";
import { IdFamily } from "../model/id_family.ts";
import { Chunked } from "../model/chunked.ts";
import { ORDER_CODE, Rows } from "./recorder_rows.ts";
import {
  ordersTable,
  positionsTable,
  recordsOf,
  transactionsTable,
} from "./tables/recorder_tables.ts";

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

/** One session's rows of the three tables (a live session's perf log keeps them per session). */
export interface DayRows {
  positions: PositionRow[];
  orders: OrderRow[];
  transactions: TransactionRow[];
}

const orNull = (x: number) => (Number.isNaN(x) ? null : x);

/** What a recorder holds, for the column writers (`tables/recorder_tables.ts`); read only. */
export interface RecorderData {
  readonly held: ReadonlyMap<number, Asset>;
  readonly pNum: Rows;
  readonly pChange: Rows;
  readonly pDate: readonly number[];
  readonly pCount: readonly number[];
  /** Each session's date and how many order rows it recorded. */
  readonly oDay: readonly number[];
  readonly oCount: readonly number[];
  /** Each order row's fixed fields: id (as `ids` keeps it) and asset (creation time: `oNum`). */
  readonly oId: Chunked<string | number>;
  readonly oAsset: Chunked<Asset>;
  /** Per order row: dt, amount, filled, commission, created, and status + 8 × flags (`ORDER_CODE`). */
  readonly oNum: Rows;
  /** The order rows with a limit or stop price: row, limit, stop (NaN for none). */
  readonly oPrices: Rows;
  /** The reasons of the order rows that have one, by row. */
  readonly oReason: ReadonlyMap<number, string>;
  /** Each session's date and how many transactions it recorded. */
  readonly tDay: readonly number[];
  readonly tCount: readonly number[];
  readonly tAsset: Chunked<Asset>;
  readonly tId: Chunked<string | number | null>;
  /** How `oId` and `tId` keep the ids of the run's own family: as numbers (`id_family.ts`). */
  readonly ids: IdFamily;
  readonly tNum: Rows;
  readonly before: DayRows;
}

export class Recorder {
  // positions: per row sid and last sale price; amount and cost basis only when they changed
  // (rarely: a fill or a split), so a day of 500 holdings writes 16 bytes each, not 40 — the
  // pages a long run's snapshot touches are a good part of its time.
  private readonly pNum = new Rows(2); // sid, last_sale_price
  private readonly pChange = new Rows(3); // row index, amount, cost_basis
  private readonly pDate: number[] = [];
  private readonly pCount: number[] = [];
  private pRows = 0;
  // orders: the fixed fields, and a snapshot of the changing ones (no reference to the order:
  // a backtest's finished orders give up their objects at the session's end)
  private readonly oDay: number[] = [];
  private readonly oCount: number[] = [];
  private readonly oId = new Chunked<string | number>();
  private readonly oAsset = new Chunked<Asset>();
  // Orders: six numbers a row; the limit and stop prices only on the rows of orders that have
  // one (a strategy of market orders stores none). At nine a row, a 65,000-order run's 130,000
  // rows took 9.4 MB of fresh memory, at six 6.2 MB: 770 fewer page faults.
  private readonly oNum = new Rows(6);
  private readonly oPrices = new Rows(3);
  private readonly oReason = new Map<number, string>();
  // transactions
  private readonly tDay: number[] = [];
  private readonly tCount: number[] = [];
  private readonly tAsset = new Chunked<Asset>();
  private readonly tId = new Chunked<string | number | null>();
  private readonly ids = new IdFamily();
  /** Whether the run's own order ids key as their `tableSeq` (null: none seen yet). */
  private ownKeys: boolean | null = null;
  private readonly tNum = new Rows(3); // dt, amount, price
  private counts = { positions: 0, orders: 0, transactions: 0 };
  /** Rows of sessions recorded by an earlier process of the same live session (restored). */
  private readonly before: DayRows = { positions: [], orders: [], transactions: [] };

  constructor(private readonly ledger: Ledger, private readonly sessions: Float64Array) {}

  /** Rows of earlier sessions, restored from a perf log: they come first in every table. */
  restore(days: readonly DayRows[]): void {
    for (const d of days) {
      this.before.positions.push(...d.positions);
      this.before.orders.push(...d.orders);
      this.before.transactions.push(...d.transactions);
    }
  }

  /**
   * The rows of session `i` as just recorded (call right after `endOfSession(i)`): from the
   * ledger's day, the same values the columns hold.
   */
  dayRows(i: number): DayRows {
    const date = this.sessions[i];
    const positions: PositionRow[] = [];
    for (const p of this.ledger.positions.values()) {
      if (p.amount === 0) continue;
      positions.push({
        date,
        sid: p.sid,
        symbol: p.asset.symbol,
        amount: p.amount,
        cost_basis: p.cost_basis,
        last_sale_price: p.last_sale_price,
      });
    }
    return {
      positions,
      orders: this.ledger.ordersToday().map((o) => ({
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
      })),
      transactions: this.ledger.transactionsToday.map((t) => ({
        date,
        dt: t.dt,
        order_id: t.order_id,
        sid: t.asset.sid,
        symbol: t.asset.symbol,
        amount: t.amount,
        price: t.price,
      })),
    };
  }

  /**
   * An order's id as the tables keep it (`IdFamily.key`). The run's own ids key as the number
   * that ends them, which the order carries (`tableSeq`): checked on the first such order, then
   * taken as it is — 130,000 order rows no longer read each id's digits again.
   */
  private keyOf(o: TrackedOrder): string | number {
    const seq = o.tableSeq;
    if (seq >= 0 && this.ownKeys === true) return seq;
    const key = this.ids.key(o.id);
    if (seq >= 0 && this.ownKeys === null) this.ownKeys = key === seq;
    return key;
  }

  /** Snapshots today's lists at the end of simulation session `i`. */
  endOfSession(i: number, _close: number): void {
    const date = this.sessions[i];
    const positions = this.ledger.positions, rows = this.pNum, changes = this.pChange;
    // One block for the day: a position loop without a call per row.
    const r = rows.reserve(positions.size);
    let at = rows.offset, np = 0;
    for (const p of positions.values()) {
      if (p.amount === 0) continue;
      r[at] = p.sid;
      r[at + 1] = p.last_sale_price;
      at += 2;
      if (p.amount !== p.recordedAmount || p.cost_basis !== p.recordedCost) {
        p.recordedAmount = p.amount;
        p.recordedCost = p.cost_basis;
        const c = changes.next(), ca = changes.offset;
        c[ca] = this.pRows + np;
        c[ca + 1] = p.amount;
        c[ca + 2] = p.cost_basis;
      }
      np++;
    }
    rows.commit(np);
    this.pRows += np;
    this.pDate.push(date);
    this.pCount.push(np);
    // Orders and transactions: one block of rows for the day each, its date kept once.
    const today = this.ledger.ordersToday(), on = this.oNum, ids = this.ids;
    const r0 = on.reserve(today.length), rows0 = this.oId.length;
    for (let k = 0, at = on.offset; k < today.length; k++, at += 6) {
      const o = today[k];
      if (!ids.known) ids.learn(o.id);
      this.oId.push(this.keyOf(o));
      this.oAsset.push(o.asset);
      r0[at] = o.dt;
      r0[at + 1] = o.amount;
      r0[at + 2] = o.filled;
      r0[at + 3] = o.commission;
      r0[at + 4] = o.created;
      r0[at + 5] = o.status + (o.limit_reached ? ORDER_CODE.LIMIT_REACHED : 0) +
        (o.stop_reached ? ORDER_CODE.STOP_REACHED : 0);
      if (o.limit !== null || o.stop !== null) {
        const p = this.oPrices.next(), pa = this.oPrices.offset;
        p[pa] = rows0 + k;
        p[pa + 1] = o.limit ?? NaN;
        p[pa + 2] = o.stop ?? NaN;
      }
      if (o.reason != null) this.oReason.set(rows0 + k, o.reason);
    }
    on.commit(today.length);
    this.oDay.push(date);
    this.oCount.push(today.length);
    const txns = this.ledger.transactionsToday, tn = this.tNum;
    const r1 = tn.reserve(txns.length);
    for (let k = 0, at = tn.offset; k < txns.length; k++, at += 3) {
      const t = txns[k];
      this.tAsset.push(t.asset);
      this.tId.push(t.order_id === null ? null : ids.key(t.order_id));
      r1[at] = t.dt;
      r1[at + 1] = t.amount;
      r1[at + 2] = t.price;
    }
    tn.commit(txns.length);
    this.tDay.push(date);
    this.tCount.push(txns.length);
    this.counts = {
      positions: np,
      orders: this.ledger.ordersTodayCount,
      transactions: this.ledger.transactionsToday.length,
    };
  }

  get data(): RecorderData {
    return {
      held: this.ledger.heldAssets,
      pNum: this.pNum,
      pChange: this.pChange,
      pDate: this.pDate,
      pCount: this.pCount,
      oDay: this.oDay,
      oCount: this.oCount,
      oId: this.oId,
      oAsset: this.oAsset,
      oNum: this.oNum,
      oPrices: this.oPrices,
      oReason: this.oReason,
      tDay: this.tDay,
      tCount: this.tCount,
      tAsset: this.tAsset,
      tId: this.tId,
      ids: this.ids,
      tNum: this.tNum,
      before: this.before,
    };
  }

  countsToday(): { positions: number; orders: number; transactions: number } {
    return this.counts;
  }

  /** End-of-day positions, one row per (session, asset held), restored sessions first. */
  get positions(): PositionRow[] {
    return recordsOf<PositionRow>(positionsTable(this.data));
  }

  /** Each session's created or changed orders, as they stood at its end. */
  get orders(): OrderRow[] {
    return recordsOf<OrderRow>(ordersTable(this.data)).map((o) => {
      o.limit = orNull(o.limit as number);
      o.stop = orNull(o.stop as number);
      return o;
    });
  }

  /** Every fill. */
  get transactions(): TransactionRow[] {
    return recordsOf<TransactionRow>(transactionsTable(this.data));
  }

  get transactionCount(): number {
    return this.before.transactions.length + this.tAsset.length;
  }
}
