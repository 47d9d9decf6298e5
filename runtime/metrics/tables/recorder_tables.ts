/**
 * The positions, orders and transactions tables as columns, read straight from the recorder's
 * number rows: no row object on the way to a file. Rows restored from an earlier process of a
 * live session come first, as in `Recorder.positions` and the others.
 *
 * @module
 */
import type { RecorderData } from "../recorder.ts";
import { ORDER_CODE, ORDER_ROW, type Rows, TXN_ROW } from "../recorder_rows.ts";
import { type BlockArrays, blockedTable, type ColumnSpec, type Filler } from "./blocked.ts";
import type { Table } from "./table.ts";

type Texts = (string | null)[];

/** Each day's date over its rows, in order: `counts[i]` rows of `days[i]`, a block at a time. */
function dayCursor(days: readonly number[], counts: readonly number[]) {
  let day = 0, left = 0;
  /** Dates of the next `n` rows into `out` from `at`. */
  return (out: Float64Array, at: number, n: number) => {
    while (n > 0) {
      while (left === 0) left = counts[day++];
      const k = Math.min(n, left);
      out.fill(days[day - 1], at, at += k);
      left -= k;
      n -= k;
    }
  };
}

/**
 * Rows `from` until `to` (or the last restored one) of the rows an earlier process of a live
 * session recorded, which come first in every table: each column's value is the row's field of
 * the same name (a missing price NaN, a flag 0 or 1). Returns the row it stopped before.
 */
function restored(
  rows: readonly object[],
  specs: readonly ColumnSpec[],
  out: BlockArrays,
  from: number,
  to: number,
): number {
  const end = Math.min(to, rows.length);
  for (let i = from; i < end; i++) {
    const row = rows[i] as Record<string, unknown>;
    specs.forEach((c, j) => {
      const v = row[c.name];
      if (c.array === "f64") (out[j] as Float64Array)[i - from] = (v ?? NaN) as number;
      else if (c.array === "u8") (out[j] as Uint8Array)[i - from] = v ? 1 : 0;
      else (out[j] as Texts)[i - from] = (v ?? null) as string | null;
    });
  }
  return Math.max(from, end);
}

const NO_ROWS = new Float64Array(0);

/**
 * Fields `a` and `b` of rows `from` until `to`, into the scratch arrays `s` keeps (made `size`
 * long when too short): a block's asset numbers and id keys, read before its rows are.
 */
function scratchPair(
  s: { a: Float64Array; b: Float64Array },
  rows: Rows,
  a: number,
  b: number,
  from: number,
  to: number,
  size: number,
): void {
  if (s.a.length < to - from) {
    s.a = new Float64Array(size);
    s.b = new Float64Array(size);
  }
  rows.copyColumn(a, from, to, s.a);
  rows.copyColumn(b, from, to, s.b);
}

const plain = (name: string) => ({ name, kind: "float", style: "plain", array: "f64" }) as const;

const POSITIONS: readonly ColumnSpec[] = [
  { name: "date", kind: "day", array: "f64" },
  plain("sid"),
  { name: "symbol", kind: "text", array: "text" },
  plain("amount"),
  plain("cost_basis"),
  plain("last_sale_price"),
];

/** The positions table's rows, a block at a time from the first (see {@link SideTable}). */
function positionRows(d: RecorderData): Filler {
  const before = d.before.positions, b = before.length;
  const dates = dayCursor(d.pDate, d.pCount), changes = d.pChange.reader();
  let more = false;
  // Amount and cost basis are stored only where they changed: carried forward per sid.
  const held = new Map<number, { amount: number; cost: number; symbol: string }>();
  return (out, from, to) => {
    const date = out[0] as Float64Array, sid = out[1] as Float64Array, symbol = out[2] as Texts;
    const amount = out[3] as Float64Array, cost = out[4] as Float64Array;
    const last = out[5] as Float64Array;
    let i = restored(before, POSITIONS, out, from, to), o = i - from;
    if (i === to) return;
    // Asked again each block: rows recorded since (a table written while the run goes on)
    // may bring changes after the last one read.
    more ||= changes.next();
    d.pNum.copyColumn(0, i - b, to - b, sid, o);
    d.pNum.copyColumn(1, i - b, to - b, last, o);
    dates(date, o, to - i);
    for (; i < to; i++, o++) {
      const row = i - b, id = sid[o];
      let state = held.get(id);
      if (!state) held.set(id, state = { amount: 0, cost: 0, symbol: d.held.get(id)!.symbol });
      for (; more && changes.data[changes.at] === row; more = changes.next()) {
        state.amount = changes.data[changes.at + 1];
        state.cost = changes.data[changes.at + 2];
      }
      symbol[o] = state.symbol;
      amount[o] = state.amount;
      cost[o] = state.cost;
    }
  };
}

const ORDERS: readonly ColumnSpec[] = [
  { name: "date", kind: "day", array: "f64" },
  { name: "order_id", kind: "text", array: "text", ids: true },
  { name: "created", kind: "instant", array: "f64" },
  { name: "dt", kind: "instant", array: "f64" },
  plain("sid"),
  { name: "symbol", kind: "text", array: "text" },
  plain("amount"),
  plain("filled"),
  plain("commission"),
  plain("status"),
  plain("limit"),
  plain("stop"),
  { name: "limit_reached", kind: "bool", array: "u8" },
  { name: "stop_reached", kind: "bool", array: "u8" },
  { name: "reason", kind: "text", array: "text" },
];

/** The `oNum` field of each numeric orders column, by its place in `ORDERS`. */
const ORDER_FIELDS: readonly [column: number, field: number][] = [
  [2, ORDER_ROW.CREATED],
  [3, ORDER_ROW.DT],
  [6, ORDER_ROW.AMOUNT],
  [7, ORDER_ROW.FILLED],
  [8, ORDER_ROW.COMMISSION],
];

/** The orders table's rows, a block at a time from the first. */
function orderRows(d: RecorderData): Filler {
  const before = d.before.orders, b = before.length;
  const dates = dayCursor(d.oDay, d.oCount), prices = d.oPrices.reader();
  let priced = false;
  const pair = { a: NO_ROWS, b: NO_ROWS };
  return (out, from, to) => {
    const date = out[0] as Float64Array, id = out[1] as Texts, sid = out[4] as Float64Array;
    const symbol = out[5] as Texts, status = out[9] as Float64Array;
    const limit = out[10] as Float64Array, stop = out[11] as Float64Array;
    const limitReached = out[12] as Uint8Array, stopReached = out[13] as Uint8Array;
    const reason = out[14] as Texts;
    let i = restored(before, ORDERS, out, from, to), o = i - from;
    if (i === to) return;
    priced ||= prices.next(); // asked again each block, as the positions' changes
    for (const [c, field] of ORDER_FIELDS) {
      d.oNum.copyColumn(field, i - b, to - b, out[c] as Float64Array, o);
    }
    scratchPair(pair, d.oNum, ORDER_ROW.CODE, ORDER_ROW.ID, i - b, to - b, out[0].length);
    const codes = pair.a, keys = pair.b;
    dates(date, o, to - i);
    for (let k = 0; i < to; i++, o++, k++) {
      const row = i - b, code = codes[k], key = keys[k];
      const bits = code % ORDER_CODE.ASSET,
        asset = d.assets.asset((code - bits) / ORDER_CODE.ASSET);
      id[o] = key === key ? d.ids.id(key) : d.oOtherIds.get(row)!;
      sid[o] = asset.sid;
      symbol[o] = asset.symbol;
      status[o] = bits & ORDER_CODE.STATUS;
      limitReached[o] = bits & ORDER_CODE.LIMIT_REACHED ? 1 : 0;
      stopReached[o] = bits & ORDER_CODE.STOP_REACHED ? 1 : 0;
      if (priced && prices.data[prices.at] === row) {
        limit[o] = prices.data[prices.at + 1];
        stop[o] = prices.data[prices.at + 2];
        priced = prices.next();
      } else limit[o] = stop[o] = NaN;
      reason[o] = d.oReason.size === 0 ? null : d.oReason.get(row) ?? null;
    }
  };
}

const TRANSACTIONS: readonly ColumnSpec[] = [
  { name: "date", kind: "day", array: "f64" },
  { name: "dt", kind: "instant", array: "f64" },
  { name: "order_id", kind: "text", array: "text", ids: true },
  plain("sid"),
  { name: "symbol", kind: "text", array: "text" },
  plain("amount"),
  plain("price"),
];

/** The transactions table's rows, a block at a time from the first. */
function transactionRows(d: RecorderData): Filler {
  const before = d.before.transactions, b = before.length;
  const dates = dayCursor(d.tDay, d.tCount);
  const pair = { a: NO_ROWS, b: NO_ROWS };
  return (out, from, to) => {
    const date = out[0] as Float64Array, dt = out[1] as Float64Array, id = out[2] as Texts;
    const sid = out[3] as Float64Array, symbol = out[4] as Texts;
    const amount = out[5] as Float64Array, price = out[6] as Float64Array;
    let i = restored(before, TRANSACTIONS, out, from, to), o = i - from;
    if (i === to) return;
    d.tNum.copyColumn(TXN_ROW.DT, i - b, to - b, dt, o);
    d.tNum.copyColumn(TXN_ROW.AMOUNT, i - b, to - b, amount, o);
    d.tNum.copyColumn(TXN_ROW.PRICE, i - b, to - b, price, o);
    scratchPair(pair, d.tNum, TXN_ROW.ASSET, TXN_ROW.ID, i - b, to - b, out[0].length);
    const refs = pair.a, keys = pair.b;
    dates(date, o, to - i);
    for (let k = 0; i < to; i++, o++, k++) {
      const asset = d.assets.asset(refs[k]), key = keys[k];
      // No number: an id of another family (kept as text), or none (a delisting's close).
      id[o] = key === key ? d.ids.id(key) : d.tOtherIds.get(i - b) ?? null;
      sid[o] = asset.sid;
      symbol[o] = asset.symbol;
    }
  };
}

/**
 * One of the recorder's tables: its columns, how many rows the recorder holds, and a filler of
 * its rows in order from the first. A filler reads only rows below the last it is asked for,
 * so one opened early goes on as rows are recorded (`table_stream.ts`).
 */
export interface SideTable {
  readonly specs: readonly ColumnSpec[];
  rows(d: RecorderData): number;
  open(d: RecorderData): Filler;
}

/** The three side tables of a run, in the order their files are named. */
export const SIDE_TABLES = {
  positions: {
    specs: POSITIONS,
    rows: (d) => d.before.positions.length + d.pNum.count,
    open: positionRows,
  },
  orders: {
    specs: ORDERS,
    rows: (d) => d.before.orders.length + d.oNum.count,
    open: orderRows,
  },
  transactions: {
    specs: TRANSACTIONS,
    rows: (d) => d.before.transactions.length + d.tNum.count,
    open: transactionRows,
  },
} as const satisfies Record<string, SideTable>;

/** A side table of `d` as it stands. */
function sideTable(t: SideTable, d: RecorderData): Table {
  return blockedTable(t.rows(d), t.specs, () => t.open(d));
}

export function positionsTable(d: RecorderData): Table {
  return sideTable(SIDE_TABLES.positions, d);
}

export function ordersTable(d: RecorderData): Table {
  return sideTable(SIDE_TABLES.orders, d);
}

export function transactionsTable(d: RecorderData): Table {
  return sideTable(SIDE_TABLES.transactions, d);
}

/**
 * The rows of a side table as objects with its raw values (dates and instants as ms, flags as
 * booleans): what `Results.positions`, `.orders` and `.transactions` hand out.
 */
export function recordsOf<T>(t: Table): T[] {
  return Array.from({ length: t.length }, (_, i) => {
    const row: Record<string, unknown> = {};
    for (const c of t.columns) row[c.name] = c.kind === "bool" ? Boolean(c.values[i]) : c.values[i];
    return row as T;
  });
}
