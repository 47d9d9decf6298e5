/**
 * A backtest's four tables as columns: the perf table (zipline's columns, then every recorded
 * name) and the positions, orders and transactions tables.
 *
 * @module
 */
import type { PerfColumn } from "../perf.ts";
import type { Results } from "../results.ts";
import { RISK_COLUMNS } from "../results.ts";
import { ordersTable, positionsTable, transactionsTable } from "./recorder_tables.ts";
import type { Column, Table } from "./table.ts";

/** Perf columns zipline writes as whole numbers. */
const COUNT_COLUMNS = new Set([
  "longs_count",
  "shorts_count",
  "trading_days",
  "positions_count",
  "orders_count",
  "transactions_count",
]);
const INSTANT_COLUMNS = new Set(["period_open", "period_close"]);

/** The perf table: one row per session, `date` first. */
export function perfTable(r: Results): Table {
  const columns: Column[] = r.columns.map((name): Column => {
    if (name === "date") return { name, kind: "day", values: r.sessions };
    // A recorded perf column shows the recorded value unless zipline's risk metric wins it.
    const recorded = r.recorded.get(name);
    if (recorded && name !== "period_label" && !(RISK_COLUMNS.has(name) && name in r.perf)) {
      return { name, kind: "cells", values: recorded };
    }
    if (name === "period_label") return { name, kind: "text", values: r.period_label };
    const values = r.perf[name as PerfColumn];
    if (INSTANT_COLUMNS.has(name)) return { name, kind: "instant", values };
    if (COUNT_COLUMNS.has(name)) return { name, kind: "int", values };
    return { name, kind: "float", style: "python", values };
  });
  return { length: r.length, columns };
}

/** The four tables of a run, named as their files are (`perf`, `perf_positions`, …). */
export function resultTables(
  r: Results,
): Record<"perf" | "positions" | "orders" | "transactions", Table> {
  const d = r.recorderData;
  return {
    perf: perfTable(r),
    positions: positionsTable(d),
    orders: ordersTable(d),
    transactions: transactionsTable(d),
  };
}
