/**
 * The end-of-run summary the CLI prints: whole-run statistics of the daily returns, computed
 * once with the reference functions of `empyrical.ts`.
 *
 * @module
 */
import { InvalidInputError } from "../errors.ts";
import { count, percent as formatPercent, ratio as formatRatio } from "./format.ts";
import {
  alpha_beta_aligned,
  annual_volatility,
  cagr,
  calmar_ratio,
  cum_returns_final,
  max_drawdown,
  nanmean,
  sharpe_ratio,
  sortino_ratio,
  stability_of_timeseries,
} from "./empyrical.ts";

/** Whole-run statistics. Numbers stay raw: NaN where undefined, ±Infinity where unbounded. */
export interface Summary {
  /** Number of sessions (daily returns). */
  sessions: number;
  /** `prod(1 + r) − 1`. */
  total_return: number;
  /** Compound annual growth rate over `sessions / 252` years. */
  cagr: number;
  /** `std(r, ddof=1) × sqrt(252)`. */
  annual_volatility: number;
  sharpe: number;
  sortino: number;
  /** ≤ 0. */
  max_drawdown: number;
  /** `cagr / |max_drawdown|`. */
  calmar: number;
  /** R² of the cumulative log returns against time. */
  stability: number;
  /** `prod(1 + b) − 1`; NaN without a benchmark. */
  benchmark_return: number;
  /** Annualised alpha against the benchmark; NaN without one. */
  alpha: number;
  /** NaN without a benchmark or when it does not move. */
  beta: number;
  /** Number of fills (transactions) in the run. */
  trades: number;
  /** Mean of the daily exposure series given (e.g. gross leverage); NaN if none was given. */
  avg_exposure: number;
}

/** What the runtime knows besides the return series. */
export interface SummaryExtras {
  /** Number of fills (transactions). */
  trades: number;
  /** One exposure value per session, e.g. gross leverage; averaged. */
  exposure?: Float64Array;
}

/**
 * Summarises a finished run.
 *
 * @example
 * ```ts
 * const s = summarize(returns, benchmark, { trades: 42 });
 * console.log(formatSummary(s));
 * ```
 */
export function summarize(
  returns: Float64Array,
  benchmark: Float64Array | null,
  extras: SummaryExtras,
): Summary {
  if (benchmark !== null && benchmark.length !== returns.length) {
    throw new InvalidInputError(
      "benchmark",
      benchmark.length,
      `needs one return per session (${returns.length}); align it to the run's sessions`,
    );
  }
  const [alpha, beta] = benchmark === null ? [NaN, NaN] : alpha_beta_aligned(returns, benchmark);
  return {
    sessions: returns.length,
    total_return: cum_returns_final(returns),
    cagr: cagr(returns),
    annual_volatility: annual_volatility(returns),
    sharpe: sharpe_ratio(returns),
    sortino: sortino_ratio(returns),
    max_drawdown: max_drawdown(returns),
    calmar: calmar_ratio(returns),
    stability: stability_of_timeseries(returns),
    benchmark_return: benchmark === null ? NaN : cum_returns_final(benchmark),
    alpha,
    beta,
    trades: extras.trades,
    avg_exposure: extras.exposure === undefined ? NaN : nanmean(extras.exposure),
  };
}

type Row = [label: string, value: string];

/**
 * Renders a summary as a two-column text table, labels left and values right-aligned. Rows
 * about the benchmark are left out when there was none, and exposure when it was not given;
 * `lead` rows (label, value) come first (the CLI's start, end and final value).
 *
 * @example
 * ```ts
 * formatSummary(summarize(returns, null, { trades: 3 }));
 * // Sessions               252
 * // Total return        12.34%
 * // ...
 * ```
 */
export function formatSummary(summary: Summary, lead: readonly Row[] = []): string {
  const rows: Row[] = [
    ...lead,
    ["Sessions", count(summary.sessions)],
    ["Total return", percent(summary.total_return)],
    ["CAGR", percent(summary.cagr)],
    ["Annual volatility", percent(summary.annual_volatility)],
    ["Sharpe ratio", ratio(summary.sharpe)],
    ["Sortino ratio", ratio(summary.sortino)],
    ["Max drawdown", percent(summary.max_drawdown)],
    ["Calmar ratio", ratio(summary.calmar)],
    ["Stability", ratio(summary.stability)],
  ];
  if (!Number.isNaN(summary.benchmark_return)) {
    rows.push(
      ["Benchmark return", percent(summary.benchmark_return)],
      ["Alpha", ratio(summary.alpha, 4)],
      ["Beta", ratio(summary.beta)],
    );
  }
  rows.push(["Trades", count(summary.trades)]);
  if (!Number.isNaN(summary.avg_exposure)) {
    rows.push(["Avg exposure", percent(summary.avg_exposure)]);
  }
  const left = Math.max(...rows.map(([label]) => label.length));
  const right = Math.max(...rows.map(([, value]) => value.length));
  return rows.map(([label, value]) => `${label.padEnd(left)}  ${value.padStart(right)}`).join("\n");
}

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return "n/a";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return null;
}

function percent(x: number): string {
  return nonFinite(x) ?? formatPercent(x);
}

function ratio(x: number, digits = 2): string {
  return nonFinite(x) ?? formatRatio(x, digits);
}
