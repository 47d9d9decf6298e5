/** Reading zipline's expected CSVs and comparing Harvester's results with them. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Results } from "../../runtime/metrics/results.ts";

export const FIXTURES = fileURLToPath(new URL("../fixtures/zipline_examples/", import.meta.url));

export type Row = Record<string, string>;

export function readCsv(name: string): Row[] {
  const [head, ...lines] = readFileSync(FIXTURES + name, "utf8").trim().split("\n");
  const cols = head.split(",");
  return lines.map((l) => {
    const cells = l.split(",");
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ""]));
  });
}

/** zipline's `_cols_to_check` (the columns its own example test compares). */
export const CHECKED = [
  "algo_volatility",
  "algorithm_period_return",
  "alpha",
  "benchmark_period_return",
  "benchmark_volatility",
  "beta",
  "capital_used",
  "ending_cash",
  "ending_exposure",
  "ending_value",
  "excess_return",
  "gross_leverage",
  "long_exposure",
  "long_value",
  "longs_count",
  "max_drawdown",
  "max_leverage",
  "net_leverage",
  "period_close",
  "period_label",
  "period_open",
  "pnl",
  "portfolio_value",
  "returns",
  "short_exposure",
  "short_value",
  "shorts_count",
  "sortino",
  "starting_cash",
  "starting_exposure",
  "starting_value",
  "trading_days",
  "treasury_period_return",
];
const EXACT = new Set([
  "period_close",
  "period_label",
  "period_open",
  "longs_count",
  "shorts_count",
  "trading_days",
]);

/** Within 1e-6 relative (with a 1e-12 absolute floor for values that are ~0). */
export function close(a: number, b: number, rel = 1e-6): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= rel * Math.abs(b) + 1e-12;
}

const num = (
  s: string | null | undefined,
) => (s === "" || s === null || s === undefined ? NaN : Number(s));

/** Every mismatch between the perf table and the expected CSV, on zipline's checked columns. */
export function perfMismatches(results: Results, expected: Row[], extra: string[] = []): string[] {
  const out: string[] = [];
  if (results.length !== expected.length) out.push(`rows: ${results.length} vs ${expected.length}`);
  for (let i = 0; i < Math.min(results.length, expected.length); i++) {
    const got = results.row(i), want = expected[i];
    if (got.date !== want.date) out.push(`row ${i}: date ${got.date} vs ${want.date}`);
    for (const c of [...CHECKED, ...extra]) {
      const g = got[c], w = want[c] ?? want[`rec_${c}`];
      if (EXACT.has(c)) {
        const gs = typeof g === "number" ? String(g) : String(g ?? "");
        if (gs !== String(Number(w)) && gs !== w) out.push(`${want.date} ${c}: ${gs} vs ${w}`);
        continue;
      }
      if (!close(num(g === null ? "" : String(g)), num(w))) {
        out.push(`${want.date} ${c}: ${g} vs ${w}`);
      }
    }
  }
  return out;
}

export function positionMismatches(results: Results, expected: Row[]): string[] {
  const out: string[] = [];
  const got = results.positions.map((p) => ({
    date: new Date(p.date).toISOString().slice(0, 10),
    sid: p.sid,
    amount: p.amount,
    cost_basis: p.cost_basis,
    last_sale_price: p.last_sale_price,
  })).sort((a, b) => a.date.localeCompare(b.date) || a.sid - b.sid);
  if (got.length !== expected.length) {
    out.push(`positions: ${got.length} rows vs ${expected.length}`);
  }
  for (let i = 0; i < Math.min(got.length, expected.length); i++) {
    const g = got[i], w = expected[i];
    if (g.date !== w.date || g.sid !== Number(w.sid) || g.amount !== Number(w.amount)) {
      out.push(
        `position ${i}: ${g.date} sid ${g.sid} x${g.amount} vs ${w.date} sid ${w.sid} x${w.amount}`,
      );
    }
    if (!close(g.cost_basis, Number(w.cost_basis), 1e-9)) {
      out.push(`${w.date} sid ${w.sid} cost_basis ${g.cost_basis} vs ${w.cost_basis}`);
    }
    if (!close(g.last_sale_price, Number(w.last_sale_price), 1e-9)) {
      out.push(
        `${w.date} sid ${w.sid} last_sale_price ${g.last_sale_price} vs ${w.last_sale_price}`,
      );
    }
  }
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/**
 * Within one day, rows are compared in (sid, created) order: the expected files come from zipline
 * 1.x on a Python whose dicts iterated in hash order (sid 8 before sid 7), while zipline-reloaded
 * and Harvester keep placement order.
 */
function byDayThenSid<T extends { date: number; sid: number }>(
  rows: readonly T[],
  key: (r: T) => number,
): T[] {
  return [...rows].sort((a, b) => a.date - b.date || a.sid - b.sid || key(a) - key(b));
}

function rowsByDayThenSid(rows: Row[], key: string): Row[] {
  return [...rows].sort((a, b) =>
    a.date.localeCompare(b.date) || Number(a.sid) - Number(b.sid) ||
    Date.parse(a[key]) - Date.parse(b[key])
  );
}

export function orderMismatches(results: Results, expectedRows: Row[]): string[] {
  const out: string[] = [];
  const orders = byDayThenSid(results.orders, (o) => o.created);
  const expected = rowsByDayThenSid(expectedRows, "created");
  if (orders.length !== expected.length) {
    out.push(`orders: ${orders.length} rows vs ${expected.length}`);
  }
  for (let i = 0; i < Math.min(results.orders.length, expected.length); i++) {
    const g = orders[i], w = expected[i];
    const gotKey = [
      new Date(g.date).toISOString().slice(0, 10),
      iso(g.created),
      iso(g.dt),
      g.sid,
      g.amount,
      g.filled,
      g.status,
    ].join(" ");
    const wantKey = [
      w.date,
      w.created,
      w.dt,
      Number(w.sid),
      Number(w.amount),
      Number(w.filled),
      Number(w.status),
    ].join(" ");
    if (gotKey !== wantKey) out.push(`order ${i}: ${gotKey} vs ${wantKey}`);
    if (!close(g.commission, Number(w.commission), 1e-9)) {
      out.push(`order ${i}: commission ${g.commission} vs ${w.commission}`);
    }
  }
  return out;
}

export function transactionMismatches(results: Results, expectedRows: Row[]): string[] {
  const out: string[] = [];
  const txns = byDayThenSid(results.transactions, (t) => t.dt);
  const expected = rowsByDayThenSid(expectedRows, "dt");
  if (results.transactions.length !== expected.length) {
    out.push(`transactions: ${results.transactions.length} rows vs ${expected.length}`);
  }
  for (let i = 0; i < Math.min(results.transactions.length, expected.length); i++) {
    const g = txns[i], w = expected[i];
    const gotKey = [new Date(g.date).toISOString().slice(0, 10), iso(g.dt), g.sid, g.amount].join(
      " ",
    );
    const wantKey = [w.date, w.dt, Number(w.sid), Number(w.amount)].join(" ");
    if (gotKey !== wantKey) out.push(`transaction ${i}: ${gotKey} vs ${wantKey}`);
    if (!close(g.price, Number(w.price), 1e-9)) {
      out.push(`transaction ${i}: price ${g.price} vs ${w.price}`);
    }
  }
  return out;
}
