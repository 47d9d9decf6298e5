/**
 * A sweep's result table: one row per combination, the parameter columns (named as the
 * parameters) first, then the end-of-run metrics, the wall time, and the error of a failed cell;
 * sorted as the grid was given or ranked by a column; written as CSV, Parquet or Arrow.
 *
 * @module
 */
import { type CellMetrics, type CellResult, METRIC_COLUMNS } from "./cell.ts";
import type { Params } from "./grid.ts";
import { SweepSettingsError } from "./errors.ts";
import { recordsCsv, type RecordTable, writeRecords } from "./records.ts";

/** One row: a combination and what its backtest gave (NaN metrics for a failed cell). */
export interface SweepRow extends CellMetrics {
  params: Params;
  wall_time_s: number;
  /** Why the cell failed (after its retry); undefined when it ran. */
  error?: string;
  /** The finished cell (series for curves), undefined when it failed. */
  result?: CellResult;
  /** Whether the result came from the cache. */
  cached: boolean;
}

/** Columns a table can be ranked by (`--sort`). */
export const SORT_COLUMNS: readonly string[] = [...METRIC_COLUMNS, "wall_time_s"];

/** A failed cell's row. */
export function failedRow(params: Params, error: string): SweepRow {
  const nan = Object.fromEntries(METRIC_COLUMNS.map((c) => [c, NaN])) as unknown as CellMetrics;
  return { ...nan, params, wall_time_s: NaN, error, cached: false };
}

/** A finished cell's row. */
export function resultRow(result: CellResult, cached: boolean): SweepRow {
  return {
    ...result.metrics,
    params: result.params,
    wall_time_s: result.wall_ms / 1000,
    result,
    cached,
  };
}

/**
 * Rows ranked by a column, best first (largest first: a max drawdown of −5 % beats −20 %); NaN
 * (failed cells) last; ties keep the grid's order.
 *
 * @example
 * ```ts
 * sortRows(rows, "sharpe")[0].params; // the combination with the highest Sharpe ratio
 * ```
 */
export function sortRows(rows: readonly SweepRow[], column: string): SweepRow[] {
  if (!SORT_COLUMNS.includes(column)) {
    throw new SweepSettingsError(`--sort: "${column}" is not one of ${SORT_COLUMNS.join(", ")}`);
  }
  const key = (r: SweepRow) => {
    const v = r[column as keyof CellMetrics] as number;
    return Number.isNaN(v) ? -Infinity : v;
  };
  return rows.map((r, i) => ({ r, i })).sort((a, b) => key(b.r) - key(a.r) || a.i - b.i)
    .map((x) => x.r);
}

/** Column names of a table: parameters, metrics, wall time, and `error` when a cell failed. */
export function tableColumns(paramNames: readonly string[], rows: readonly SweepRow[]): string[] {
  const cols = [...paramNames, ...METRIC_COLUMNS, "wall_time_s"];
  if (rows.some((r) => r.error !== undefined)) cols.push("error");
  return cols;
}

/** One row as a record of its columns (parameters as given; numbers raw, NaN as null). */
export function rowRecord(row: SweepRow, paramNames: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of paramNames) out[p] = row.params[p];
  for (const c of METRIC_COLUMNS) out[c] = Number.isNaN(row[c]) ? null : row[c];
  out.wall_time_s = Number.isNaN(row.wall_time_s) ? null : row.wall_time_s;
  if (row.error !== undefined) out.error = row.error;
  return out;
}

/** The rows as a table of records. */
export function sweepRecords(
  rows: readonly SweepRow[],
  paramNames: readonly string[],
): RecordTable {
  return {
    columns: tableColumns(paramNames, rows),
    text: [...paramNames, "error"],
    rows: rows.map((r) => rowRecord(r, paramNames)),
  };
}

/**
 * The table as CSV: numbers exactly as the backtest's perf CSV writes them, empty for a failed
 * cell's metrics.
 *
 * @example
 * ```ts
 * tableCsv(rows, ["short", "long"]); // "short,long,portfolio_value,…\n5,20,10001234.5,…"
 * ```
 */
export function tableCsv(rows: readonly SweepRow[], paramNames: readonly string[]): string {
  return recordsCsv(sweepRecords(rows, paramNames));
}

/**
 * Writes the table to `out`, its format chosen by the suffix (`.csv`, `.parquet`, `.arrow`).
 *
 * @example
 * ```ts
 * await writeTable(rows, ["short", "long"], "out/sweep.parquet");
 * ```
 */
export async function writeTable(
  rows: readonly SweepRow[],
  paramNames: readonly string[],
  out: string,
): Promise<void> {
  await writeRecords(sweepRecords(rows, paramNames), out);
}
