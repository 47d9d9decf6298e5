/**
 * The daily perf table (zipline's default metrics set), one row per session, built in O(1) per
 * session into preallocated columns. NaN stands for zipline's None.
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { Ledger } from "../finance/ledger.ts";
import { RunningRisk } from "./risk.ts";

/** Numeric perf columns, in zipline's names and order. */
export const PERF_COLUMNS = [
  "period_open",
  "period_close",
  "returns",
  "pnl",
  "capital_used",
  "starting_exposure",
  "ending_exposure",
  "starting_value",
  "ending_value",
  "starting_cash",
  "ending_cash",
  "portfolio_value",
  "longs_count",
  "shorts_count",
  "long_value",
  "short_value",
  "long_exposure",
  "short_exposure",
  "gross_leverage",
  "net_leverage",
  "algorithm_period_return",
  "algo_volatility",
  "benchmark_period_return",
  "benchmark_volatility",
  "alpha",
  "beta",
  "sharpe",
  "sortino",
  "max_drawdown",
  "max_leverage",
  "excess_return",
  "treasury_period_return",
  "trading_days",
  "positions_count",
  "orders_count",
  "transactions_count",
] as const;
export type PerfColumn = typeof PERF_COLUMNS[number];

const orNaN = (x: number): number => (Number.isFinite(x) ? x : NaN);

export interface PerfSnapshot {
  rows: number;
  columns: Record<string, (number | null)[]>;
  period_label: string[];
  recorded: [string, unknown[]][];
  benchmark: number[];
  previous_cash_flow: number;
  max_leverage: number;
}

/** One perf row as a live session's perf log stores it (NaN as null). */
export interface PerfRowRecord {
  /** The values of PERF_COLUMNS, in order. */
  values: (number | null)[];
  period_label: string;
  /** Recorded variables of the row (names never recorded up to it are absent). */
  recorded: Record<string, unknown>;
  benchmark: number;
  /** The session's positions, orders and transactions rows (perf logs from before them: none). */
  tables?: import("./recorder.ts").DayRows;
}

/** What a state file keeps of the perf tracker when its rows are in a perf log. */
export interface PerfCounters {
  rows: number;
  previous_cash_flow: number;
  max_leverage: number;
}

export class PerfTracker {
  readonly columns: Record<PerfColumn, Float64Array>;
  readonly sessions: Float64Array;
  /** `YYYY-MM` of each session. */
  readonly period_label: string[] = [];
  /** Recorded variables: name → value per session (undefined before first recorded). */
  readonly recorded = new Map<string, unknown[]>();
  rows = 0;
  private readonly risk = new RunningRisk();
  private startCash = 0;
  private startValue = 0;
  private startExposure = 0;
  private previousPnl = 0;
  private previousCashFlow = 0;
  private maxLeverage = 0;
  private periodOpen = NaN;

  constructor(sessions: Float64Array) {
    this.sessions = sessions;
    this.columns = Object.fromEntries(
      PERF_COLUMNS.map((c) => [c, new Float64Array(sessions.length).fill(NaN)]),
    ) as Record<PerfColumn, Float64Array>;
  }

  /** Row `i` for a perf log. */
  rowRecord(i: number, benchmark: number): PerfRowRecord {
    const recorded: Record<string, unknown> = {};
    for (const [k, v] of this.recorded) if (v[i] !== undefined) recorded[k] = v[i];
    return {
      values: PERF_COLUMNS.map((c) => {
        const v = this.columns[c][i];
        return Number.isNaN(v) ? null : v;
      }),
      period_label: this.period_label[i],
      recorded,
      benchmark,
    };
  }

  /** The counters a state file keeps beside a perf log. */
  counters(): PerfCounters {
    return {
      rows: this.rows,
      previous_cash_flow: this.previousCashFlow,
      max_leverage: this.maxLeverage,
    };
  }

  /** A snapshot from a perf log's rows and the state file's counters (for `restore`). */
  static snapshotOf(rows: readonly PerfRowRecord[], c: PerfCounters): PerfSnapshot {
    const columns: Record<string, (number | null)[]> = {};
    PERF_COLUMNS.forEach((name, k) => (columns[name] = rows.map((r) => r.values[k])));
    const names = new Set(rows.flatMap((r) => Object.keys(r.recorded)));
    return {
      rows: c.rows,
      columns,
      period_label: rows.map((r) => r.period_label),
      recorded: [...names].map((n) => [n, rows.map((r) => r.recorded[n])]),
      benchmark: rows.map((r) => r.benchmark),
      previous_cash_flow: c.previous_cash_flow,
      max_leverage: c.max_leverage,
    };
  }

  /** Continues from a snapshot: the risk statistics are rebuilt by replaying the returns. */
  restore(s: PerfSnapshot): void {
    for (const c of PERF_COLUMNS) this.columns[c].set(s.columns[c].map((v) => v ?? NaN));
    this.period_label.length = 0;
    this.period_label.push(...s.period_label);
    for (const [k, v] of s.recorded) {
      const col = new Array(this.sessions.length).fill(undefined);
      v.forEach((x, i) => (col[i] = x ?? undefined));
      this.recorded.set(k, col);
    }
    for (let i = 0; i < s.rows; i++) this.risk.push(this.columns.returns[i], s.benchmark[i]);
    this.rows = s.rows;
    this.previousCashFlow = s.previous_cash_flow;
    this.maxLeverage = s.max_leverage;
  }

  /** After the ledger's start of session and dividends (zipline's handle_market_open order). */
  start_of_session(ledger: Ledger, periodOpen: number): void {
    ledger.update();
    this.startCash = ledger.cash;
    this.startValue = ledger.positions_value;
    this.startExposure = ledger.positions_exposure;
    this.previousPnl = ledger.pnl;
    this.periodOpen = periodOpen;
  }

  /** Writes the session's row; `benchmarkReturn` is 0 without a benchmark. */
  end_of_session(
    ledger: Ledger,
    periodClose: number,
    benchmarkReturn: number,
    counts: { positions: number; orders: number; transactions: number },
    recorded: ReadonlyMap<string, unknown>,
  ): void {
    const i = this.rows++;
    const c = this.columns;
    ledger.update();
    const stats = ledger.stats;
    const todays = ledger.todays_returns;
    this.risk.push(todays, benchmarkReturn);
    const { gross, net } = ledger.leverage();
    this.maxLeverage = Math.max(this.maxLeverage, gross);
    c.period_open[i] = this.periodOpen;
    c.period_close[i] = periodClose;
    c.returns[i] = todays;
    c.pnl[i] = ledger.pnl - this.previousPnl;
    c.capital_used[i] = ledger.cash_flow - this.previousCashFlow;
    this.previousCashFlow = ledger.cash_flow;
    c.starting_exposure[i] = this.startExposure;
    c.ending_exposure[i] = ledger.positions_exposure;
    c.starting_value[i] = this.startValue;
    c.ending_value[i] = ledger.positions_value;
    c.starting_cash[i] = this.startCash;
    c.ending_cash[i] = ledger.cash;
    c.portfolio_value[i] = ledger.portfolio_value;
    c.longs_count[i] = stats.longs_count;
    c.shorts_count[i] = stats.shorts_count;
    c.long_value[i] = stats.long_value;
    c.short_value[i] = stats.short_value;
    c.long_exposure[i] = stats.long_exposure;
    c.short_exposure[i] = stats.short_exposure;
    c.gross_leverage[i] = gross;
    c.net_leverage[i] = net;
    c.algorithm_period_return[i] = ledger.returns;
    const r = this.risk;
    c.algo_volatility[i] = orNaN(r.algo_volatility);
    c.benchmark_period_return[i] = orNaN(r.benchmark_period_return);
    c.benchmark_volatility[i] = orNaN(r.benchmark_volatility);
    c.alpha[i] = orNaN(r.alpha);
    c.beta[i] = r.beta; // zipline keeps an infinite beta; only NaN is None
    c.sharpe[i] = orNaN(r.sharpe);
    c.sortino[i] = orNaN(r.sortino);
    c.max_drawdown[i] = orNaN(r.max_drawdown);
    c.max_leverage[i] = this.maxLeverage;
    c.excess_return[i] = 0;
    c.treasury_period_return[i] = 0;
    c.trading_days[i] = i + 1;
    c.positions_count[i] = counts.positions;
    c.orders_count[i] = counts.orders;
    c.transactions_count[i] = counts.transactions;
    this.period_label.push(isoDate(this.sessions[i] / DAY_MS).slice(0, 7));
    for (const [k, v] of recorded) {
      let col = this.recorded.get(k);
      if (!col) {
        col = new Array(this.sessions.length).fill(undefined);
        this.recorded.set(k, col);
      }
      col[i] = v;
    }
  }
}
