/**
 * A backtest's results: the perf table (one row per session, zipline's columns plus every
 * recorded name) and the positions, orders and transactions tables.
 */
import { PERF_COLUMNS, type PerfColumn, type PerfTracker } from "./perf.ts";
import { to_pyfolio } from "./pyfolio_export.ts";
import type { OrderRow, PositionRow, RecordedData, Recorder, TransactionRow } from "./recorder.ts";
import { arrowTable } from "./tables/arrow.ts";
import { csvString } from "./tables/csv.ts";
import { perfTable, resultTables } from "./tables/result_tables.ts";
import { type RowCell, rowOf, type Table } from "./tables/table.ts";

/** A cell of a perf row: numbers (null for zipline's None), strings, booleans. */
export type Cell = RowCell;

/**
 * Perf columns that zipline's DataFrame takes from its cumulative risk metrics, which it applies
 * after the recorded variables (`algorithm.py` `_create_daily_stats`: `daily_perf.update(
 * recorded_vars)` then `daily_perf.update(cumulative_risk_metrics)`): a recorded name among these
 * does not show. Any other perf column recorded shows the recorded value, as in zipline.
 */
export const RISK_COLUMNS: ReadonlySet<string> = new Set([
  "period_label",
  // zipline's cumulative risk metrics are the run of perf columns from the period return to the
  // trading-day count.
  ...PERF_COLUMNS.slice(
    PERF_COLUMNS.indexOf("algorithm_period_return"),
    PERF_COLUMNS.indexOf("trading_days") + 1,
  ),
]);

/** The perf table's own columns (a recorded name among them is not a column of its own). */
export const OWN_COLUMNS: ReadonlySet<string> = new Set([
  "date",
  "period_label",
  ...PERF_COLUMNS,
]);

export class Results {
  /** Session dates (UTC-midnight ms). */
  readonly sessions: Float64Array;
  readonly perf: Readonly<Record<PerfColumn, Float64Array>>;
  readonly period_label: readonly string[];
  readonly recorded: ReadonlyMap<string, readonly unknown[]>;
  private readonly recorder: Recorder;
  #positions?: PositionRow[];
  #orders?: OrderRow[];
  #transactions?: TransactionRow[];
  /** Benchmark daily returns used (zeros without a benchmark). */
  readonly benchmark_returns: Float64Array;

  /** Where the time went: reading bars from the bundle, and the simulation (first bar to last row). */
  readonly timings: { load_ms: number; simulation_ms: number };

  constructor(
    perf: PerfTracker,
    recorder: Recorder,
    benchmark: Float64Array,
    timings = { load_ms: NaN, simulation_ms: NaN },
  ) {
    this.timings = timings;
    const n = perf.rows;
    this.sessions = perf.sessions.subarray(0, n);
    this.perf = Object.fromEntries(
      PERF_COLUMNS.map((c) => [c, perf.columns[c].subarray(0, n)]),
    ) as Record<PerfColumn, Float64Array>;
    this.period_label = perf.period_label;
    this.recorded = perf.recorded;
    this.recorder = recorder;
    this.benchmark_returns = benchmark.subarray(0, n);
  }

  /** End-of-day positions, one row per (session, asset held). */
  get positions(): readonly PositionRow[] {
    return this.#positions ??= this.recorder.positions;
  }

  /** Each session's created or changed orders, as they stood at its end. */
  get orders(): readonly OrderRow[] {
    return this.#orders ??= this.recorder.orders;
  }

  /** Every fill. */
  get transactions(): readonly TransactionRow[] {
    return this.#transactions ??= this.recorder.transactions;
  }

  /** How many fills (without building the transactions' rows). */
  get transactionCount(): number {
    return this.#transactions?.length ?? this.recorder.transactionCount;
  }

  /** The recorder's rows, for the column writers (`tables/`). */
  get recorderData(): RecordedData {
    return this.recorder.data;
  }

  get length(): number {
    return this.sessions.length;
  }

  /** Column names of the perf table, as written: `date` first, then zipline's, then recorded. */
  get columns(): string[] {
    return [
      "date",
      ...PERF_COLUMNS.slice(0, 2),
      "period_label",
      ...PERF_COLUMNS.slice(2),
      ...[...this.recorded.keys()].filter((k) => !OWN_COLUMNS.has(k)),
    ];
  }

  /** One perf row as an object (dates as ISO strings). */
  row(i: number): Record<string, Cell> {
    return rowOf(perfTable(this), i);
  }

  /** Every perf row. */
  rows(): Record<string, Cell>[] {
    const table = perfTable(this);
    return Array.from({ length: this.length }, (_, i) => rowOf(table, i));
  }

  /** The perf table as CSV (`date` first; empty cells for None/NaN). */
  toCSV(): string {
    return csvString(perfTable(this));
  }

  /**
   * The perf table as an Apache Arrow table: `date` a date, `period_open`/`period_close` UTC
   * timestamps, counts Int32, the rest Float64 (NaN as null), recorded columns by their values.
   */
  async toArrow(): Promise<import("apache-arrow").Table> {
    return await arrowTable(perfTable(this));
  }

  /**
   * Writes the run in pyfolio's input shapes (`returns.csv`, `positions.csv`,
   * `transactions.csv`) into `dir`; returns the paths written.
   * @example results.to_pyfolio("out/pyfolio")
   */
  to_pyfolio(dir: string): string[] {
    return to_pyfolio(this, dir);
  }

  /** Everything as one JSON document. */
  toJSON(): Record<string, unknown> {
    const rows = (t: Table) => Array.from({ length: t.length }, (_, i) => rowOf(t, i));
    const t = resultTables(this);
    return {
      perf: rows(t.perf),
      positions: rows(t.positions),
      orders: rows(t.orders),
      transactions: rows(t.transactions),
    };
  }
}
