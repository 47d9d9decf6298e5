/**
 * The positions, orders and transactions tables as columns, read straight from the recorder's
 * number rows: no row object on the way to a file. Rows restored from an earlier process of a
 * live session come first, as in `Recorder.positions` and the others.
 *
 * @module
 */
import type { RecorderData } from "../recorder.ts";
import type { Table } from "./table.ts";

/** Column arrays with room for `before` restored rows then `n` recorded ones. */
function alloc(n: number) {
  return { f: () => new Float64Array(n), s: () => new Array<string | null>(n) };
}

/** Each day's date over its rows: `out[from…]`, `counts[i]` rows of `days[i]`. */
function spread(
  days: readonly number[],
  counts: readonly number[],
  out: Float64Array,
  from: number,
) {
  for (let i = 0, at = from; i < days.length; i++) out.fill(days[i], at, at += counts[i]);
}

export function positionsTable(d: RecorderData): Table {
  const before = d.before.positions, b = before.length, n = b + d.pNum.count;
  const { f, s } = alloc(n);
  const date = f(), sid = f(), amount = f(), cost = f(), last = f(), symbol = s();
  before.forEach((p, i) => {
    date[i] = p.date;
    sid[i] = p.sid;
    symbol[i] = p.symbol;
    amount[i] = p.amount;
    cost[i] = p.cost_basis;
    last[i] = p.last_sale_price;
  });
  d.pNum.column(0, sid, b);
  d.pNum.column(1, last, b);
  const cRow = d.pChange.column(0), cAmount = d.pChange.column(1), cCost = d.pChange.column(2);
  // Amount and cost basis are stored only where they changed: carried forward per sid.
  const held = new Map<number, { amount: number; cost: number; symbol: string }>();
  let row = 0, c = 0;
  for (let day = 0; day < d.pDate.length; day++) {
    const dt = d.pDate[day];
    for (let k = 0; k < d.pCount[day]; k++, row++) {
      const i = b + row, id = sid[i];
      let state = held.get(id);
      if (!state) held.set(id, state = { amount: 0, cost: 0, symbol: d.held.get(id)!.symbol });
      for (; c < cRow.length && cRow[c] === row; c++) {
        state.amount = cAmount[c];
        state.cost = cCost[c];
      }
      date[i] = dt;
      symbol[i] = state.symbol;
      amount[i] = state.amount;
      cost[i] = state.cost;
    }
  }
  return {
    length: n,
    columns: [
      { name: "date", kind: "day", values: date },
      { name: "sid", kind: "float", style: "plain", values: sid },
      { name: "symbol", kind: "text", values: symbol },
      { name: "amount", kind: "float", style: "plain", values: amount },
      { name: "cost_basis", kind: "float", style: "plain", values: cost },
      { name: "last_sale_price", kind: "float", style: "plain", values: last },
    ],
  };
}

export function ordersTable(d: RecorderData): Table {
  const before = d.before.orders, b = before.length, n = b + d.oId.length;
  const { f, s } = alloc(n);
  const date = f(), created = f(), dt = f(), sid = f(), amount = f(), filled = f();
  const commission = f(), status = f(), limit = f(), stop = f(), flags = new Uint8Array(n);
  const id = s(), symbol = s(), reason = s();
  before.forEach((o, i) => {
    date[i] = o.date;
    id[i] = o.order_id;
    created[i] = o.created;
    dt[i] = o.dt;
    sid[i] = o.sid;
    symbol[i] = o.symbol;
    amount[i] = o.amount;
    filled[i] = o.filled;
    commission[i] = o.commission;
    status[i] = o.status;
    limit[i] = o.limit ?? NaN;
    stop[i] = o.stop ?? NaN;
    flags[i] = (o.limit_reached ? 1 : 0) | (o.stop_reached ? 2 : 0);
    reason[i] = o.reason;
  });
  [dt, amount, filled, commission, status, limit, stop].forEach((c, j) => d.oNum.column(j, c, b));
  const bits = d.oNum.column(7);
  spread(d.oDay, d.oCount, date, b);
  d.oNum.column(8, created, b);
  for (let k = 0; k < d.oId.length; k++) {
    const asset = d.oAsset.get(k), i = b + k;
    id[i] = d.oId.get(k);
    sid[i] = asset.sid;
    symbol[i] = asset.symbol;
    flags[i] = bits[k];
    reason[i] = null;
  }
  for (const [k, r] of d.oReason) reason[b + k] = r;
  const plain = (name: string, values: Float64Array) =>
    ({ name, kind: "float", style: "plain", values }) as const;
  return {
    length: n,
    columns: [
      { name: "date", kind: "day", values: date },
      { name: "order_id", kind: "text", values: id, ids: true },
      { name: "created", kind: "instant", values: created },
      { name: "dt", kind: "instant", values: dt },
      plain("sid", sid),
      { name: "symbol", kind: "text", values: symbol },
      plain("amount", amount),
      plain("filled", filled),
      plain("commission", commission),
      plain("status", status),
      plain("limit", limit),
      plain("stop", stop),
      { name: "limit_reached", kind: "bool", values: flags.map((x) => x & 1) },
      { name: "stop_reached", kind: "bool", values: flags.map((x) => x & 2) },
      { name: "reason", kind: "text", values: reason },
    ],
  };
}

export function transactionsTable(d: RecorderData): Table {
  const before = d.before.transactions, b = before.length, n = b + d.tAsset.length;
  const { f, s } = alloc(n);
  const date = f(), dt = f(), sid = f(), amount = f(), price = f(), id = s(), symbol = s();
  before.forEach((t, i) => {
    date[i] = t.date;
    dt[i] = t.dt;
    id[i] = t.order_id;
    sid[i] = t.sid;
    symbol[i] = t.symbol;
    amount[i] = t.amount;
    price[i] = t.price;
  });
  d.tNum.column(0, dt, b);
  d.tNum.column(1, amount, b);
  d.tNum.column(2, price, b);
  spread(d.tDay, d.tCount, date, b);
  for (let k = 0; k < d.tAsset.length; k++) {
    const i = b + k, asset = d.tAsset.get(k);
    id[i] = d.tId.get(k);
    sid[i] = asset.sid;
    symbol[i] = asset.symbol;
  }
  return {
    length: n,
    columns: [
      { name: "date", kind: "day", values: date },
      { name: "dt", kind: "instant", values: dt },
      { name: "order_id", kind: "text", values: id, ids: true },
      { name: "sid", kind: "float", style: "plain", values: sid },
      { name: "symbol", kind: "text", values: symbol },
      { name: "amount", kind: "float", style: "plain", values: amount },
      { name: "price", kind: "float", style: "plain", values: price },
    ],
  };
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
