/**
 * Collects the per-session tables zipline's perf rows carry as lists — positions, orders and
 * transactions. Rows are kept as plain number columns while the backtest runs (no object per
 * row on the hot path) and become row objects only when results are read.
 */
import type { Asset } from "../assets/asset.ts";
import { AssetNumbers } from "../assets/asset_numbers.ts";
import type { Ledger } from "../finance/ledger.ts";
import { IdFamily } from "../model/id_family.ts";
import { ORDER_CODE, ORDER_ROW, Rows, TXN_ROW } from "./recorder_rows.ts";
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

/** A recorder's own data: its assets are numbered by an `AssetNumbers`. */
export type RecordedData = RecorderData & { readonly assets: AssetNumbers };

/** What the tables name an asset by. */
export type NamedAsset = Pick<Asset, "sid" | "symbol">;

/**
 * What a recorder holds, for the column writers (`tables/recorder_tables.ts`); read only. A copy
 * on another thread (`recorder_delta.ts`) holds the same.
 */
export interface RecorderData {
  readonly held: ReadonlyMap<number, NamedAsset>;
  readonly pNum: Rows;
  readonly pChange: Rows;
  readonly pDate: readonly number[];
  readonly pCount: readonly number[];
  /** Each session's date and how many order rows it recorded. */
  readonly oDay: readonly number[];
  readonly oCount: readonly number[];
  /** The assets the order and transaction rows name, by the number their rows keep. */
  readonly assets: { asset(n: number): NamedAsset };
  /**
   * Per order row (`ORDER_ROW`): dt, amount, filled, commission, created; a code — the status, 8 ×
   * the limit-reached and 16 × the stop-reached flags, and `ORDER_CODE.ASSET` × the asset's
   * number in `assets`; and the id as `ids` keeps it when that is a number (NaN: in `oOtherIds`).
   */
  readonly oNum: Rows;
  /** The ids of the order rows whose id `ids` keeps as text (another family's), by row. */
  readonly oOtherIds: ReadonlyMap<number, string>;
  /** The order rows with a limit or stop price: row, limit, stop (NaN for none). */
  readonly oPrices: Rows;
  /** The reasons of the order rows that have one, by row. */
  readonly oReason: ReadonlyMap<number, string>;
  /** Each session's date and how many transactions it recorded. */
  readonly tDay: readonly number[];
  readonly tCount: readonly number[];
  /** How order ids are kept in `oNum` and `tNum`: the run's own family's as numbers. */
  readonly ids: IdFamily;
  /**
   * Per transaction (`TXN_ROW`): dt, amount, price, the asset's number in `assets`, and the order
   * id as `ids` keeps it when a number (NaN: in `tOtherIds`, or none).
   */
  readonly tNum: Rows;
  /** The order ids of the transactions whose id `ids` keeps as text, by row. */
  readonly tOtherIds: ReadonlyMap<number, string>;
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
  // Orders: seven numbers a row (`ORDER_ROW`), the asset and the id among them; the limit and
  // stop prices only on the rows of orders that have one (a strategy of market orders stores
  // none). At nine a row, a 65,000-order run's 130,000 rows took 9.4 MB of fresh memory. The
  // asset and id were kept in lists of their own before, and adding to those lists was a third
  // of what the session's end cost the recorder (a warm profile of the every-bar bench: 16 ms of
  // a 300 ms run).
  private readonly oNum = new Rows(ORDER_ROW.WIDTH);
  private readonly oOtherIds = new Map<number, string>();
  private readonly oPrices = new Rows(3);
  private readonly oReason = new Map<number, string>();
  // transactions
  private readonly tDay: number[] = [];
  private readonly tCount: number[] = [];
  private readonly ids = new IdFamily();
  private readonly tOtherIds = new Map<number, string>();
  /** The assets of order and transaction rows, and each one's number. */
  private readonly assets = new AssetNumbers();
  /** Whether the run's own order ids key as their `tableSeq` (null: none seen yet). */
  private ownKeys: boolean | null = null;
  private readonly tNum = new Rows(TXN_ROW.WIDTH);
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
   * An order id as the tables keep it (`IdFamily.key`). The run's own ids key as the number that
   * ends them, which an order carries (`tableSeq`) and a transaction beside its order's id
   * (`order_seq`): checked on the first such id once the family is known, then taken as it is —
   * 130,000 order rows and 65,000 transactions no longer read each id's digits again.
   */
  private keyOf(id: string, seq: number): string | number {
    if (seq >= 0 && this.ownKeys === true) return seq;
    const key = this.ids.key(id);
    if (seq >= 0 && this.ownKeys === null && this.ids.known) this.ownKeys = key === seq;
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
    const rows0 = on.count, r0 = on.reserve(today.length);
    for (let k = 0, at = on.offset; k < today.length; k++, at += ORDER_ROW.WIDTH) {
      const o = today[k];
      if (!ids.known) ids.learn(o.id);
      const key = this.keyOf(o.id, o.tableSeq);
      r0[at + ORDER_ROW.DT] = o.dt;
      r0[at + ORDER_ROW.AMOUNT] = o.amount;
      r0[at + ORDER_ROW.FILLED] = o.filled;
      r0[at + ORDER_ROW.COMMISSION] = o.commission;
      r0[at + ORDER_ROW.CREATED] = o.created;
      r0[at + ORDER_ROW.CODE] = o.status + (o.limit_reached ? ORDER_CODE.LIMIT_REACHED : 0) +
        (o.stop_reached ? ORDER_CODE.STOP_REACHED : 0) +
        ORDER_CODE.ASSET * this.assets.of(o.asset);
      if (typeof key === "number") r0[at + ORDER_ROW.ID] = key;
      else {
        r0[at + ORDER_ROW.ID] = NaN;
        this.oOtherIds.set(rows0 + k, key);
      }
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
    const rows1 = tn.count, r1 = tn.reserve(txns.length);
    for (let k = 0, at = tn.offset; k < txns.length; k++, at += TXN_ROW.WIDTH) {
      const t = txns[k];
      const key = t.order_id === null ? NaN : this.keyOf(t.order_id, t.order_seq ?? -1);
      r1[at + TXN_ROW.DT] = t.dt;
      r1[at + TXN_ROW.AMOUNT] = t.amount;
      r1[at + TXN_ROW.PRICE] = t.price;
      r1[at + TXN_ROW.ASSET] = this.assets.of(t.asset);
      if (typeof key === "number") r1[at + TXN_ROW.ID] = key;
      else {
        r1[at + TXN_ROW.ID] = NaN;
        this.tOtherIds.set(rows1 + k, key);
      }
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

  /** What it holds (with its assets' numbering, which a feed counts: `recorder_delta.ts`). */
  get data(): RecordedData {
    return {
      held: this.ledger.heldAssets,
      pNum: this.pNum,
      pChange: this.pChange,
      pDate: this.pDate,
      pCount: this.pCount,
      oDay: this.oDay,
      oCount: this.oCount,
      assets: this.assets,
      oNum: this.oNum,
      oOtherIds: this.oOtherIds,
      oPrices: this.oPrices,
      oReason: this.oReason,
      tDay: this.tDay,
      tCount: this.tCount,
      ids: this.ids,
      tNum: this.tNum,
      tOtherIds: this.tOtherIds,
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
    return this.before.transactions.length + this.tNum.count;
  }
}
