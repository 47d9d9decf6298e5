/**
 * pyfolio's "Performance statistics" (`timeseries.perf_stats`) with quantstats' best and worst
 * day and month, for a strategy and — side by side — its benchmark, plus the run's round trips.
 * Numbers stay raw (fractions, NaN where undefined); the report formats them.
 *
 * @module
 */
import type { Results } from "./results.ts";
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
import { daily_turnover, gross_leverage, position_values } from "./positions.ts";
import { extract_round_trips, type RoundTrip, with_closing_fills } from "./round_trips.ts";
import { best_worst, kurtosis, omega_ratio, skew, tail_ratio, value_at_risk } from "./stats.ts";

/** pyfolio's statistics of one return series (and, for a strategy, its book). */
export interface PerfStats {
  annual_return: number;
  cumulative_returns: number;
  annual_volatility: number;
  sharpe_ratio: number;
  calmar_ratio: number;
  stability: number;
  max_drawdown: number;
  omega_ratio: number;
  sortino_ratio: number;
  skew: number;
  kurtosis: number;
  tail_ratio: number;
  daily_value_at_risk: number;
  /** Mean daily gross leverage and turnover (NaN for a benchmark). */
  gross_leverage: number;
  daily_turnover: number;
  /** Against the benchmark (NaN without one, and for the benchmark itself). */
  alpha: number;
  beta: number;
  best_day: number;
  worst_day: number;
  best_month: number;
  worst_month: number;
}

/** Row labels in pyfolio's order and wording (quantstats' for the last four). */
export const PERF_STAT_LABELS: readonly [keyof PerfStats, string][] = [
  ["annual_return", "Annual return"],
  ["cumulative_returns", "Cumulative returns"],
  ["annual_volatility", "Annual volatility"],
  ["sharpe_ratio", "Sharpe ratio"],
  ["calmar_ratio", "Calmar ratio"],
  ["stability", "Stability"],
  ["max_drawdown", "Max drawdown"],
  ["omega_ratio", "Omega ratio"],
  ["sortino_ratio", "Sortino ratio"],
  ["skew", "Skew"],
  ["kurtosis", "Kurtosis"],
  ["tail_ratio", "Tail ratio"],
  ["daily_value_at_risk", "Daily value at risk"],
  ["gross_leverage", "Gross leverage"],
  ["daily_turnover", "Daily turnover"],
  ["alpha", "Alpha"],
  ["beta", "Beta"],
  ["best_day", "Best day"],
  ["worst_day", "Worst day"],
  ["best_month", "Best month"],
  ["worst_month", "Worst month"],
];

/** What else a return series' statistics may use. */
export interface PerfStatsInputs {
  /** Benchmark returns on the same sessions (alpha and beta). */
  benchmark?: Float64Array | null;
  /** Daily gross leverage and turnover series, averaged. */
  gross_leverage?: Float64Array;
  daily_turnover?: Float64Array;
}

/**
 * pyfolio `perf_stats` of daily returns (with quantstats' best and worst day and month).
 *
 * @example
 * ```ts
 * perf_stats(results.sessions, results.perf.returns, { benchmark: results.benchmark_returns });
 * ```
 */
export function perf_stats(
  sessions: Float64Array,
  returns: Float64Array,
  inputs: PerfStatsInputs = {},
): PerfStats {
  const [alpha, beta] = inputs.benchmark
    ? alpha_beta_aligned(returns, inputs.benchmark)
    : [NaN, NaN];
  const { day, month } = best_worst(sessions, returns);
  return {
    annual_return: cagr(returns),
    cumulative_returns: cum_returns_final(returns),
    annual_volatility: annual_volatility(returns),
    sharpe_ratio: sharpe_ratio(returns),
    calmar_ratio: calmar_ratio(returns),
    stability: stability_of_timeseries(returns),
    max_drawdown: max_drawdown(returns),
    omega_ratio: omega_ratio(returns),
    sortino_ratio: sortino_ratio(returns),
    skew: skew(returns),
    kurtosis: kurtosis(returns),
    tail_ratio: tail_ratio(returns),
    daily_value_at_risk: value_at_risk(returns),
    gross_leverage: inputs.gross_leverage ? nanmean(inputs.gross_leverage) : NaN,
    daily_turnover: inputs.daily_turnover ? nanmean(inputs.daily_turnover) : NaN,
    alpha,
    beta,
    best_day: day.best?.return ?? NaN,
    worst_day: day.worst?.return ?? NaN,
    best_month: month.best?.return ?? NaN,
    worst_month: month.worst?.return ?? NaN,
  };
}

/**
 * The strategy's statistics and, when the run had a benchmark, the benchmark's beside them.
 *
 * @example
 * ```ts
 * const { strategy, benchmark } = results_perf_stats(results);
 * ```
 */
export function results_perf_stats(
  results: Results,
  withBenchmark = results.benchmark_returns.some((x) => x !== 0),
): { strategy: PerfStats; benchmark: PerfStats | null } {
  const positions = position_values(results);
  const strategy = perf_stats(results.sessions, results.perf.returns, {
    benchmark: withBenchmark ? results.benchmark_returns : null,
    gross_leverage: gross_leverage(positions),
    daily_turnover: daily_turnover(positions, results.transactions),
  });
  const benchmark = withBenchmark ? perf_stats(results.sessions, results.benchmark_returns) : null;
  return { strategy, benchmark };
}

/**
 * The run's round trips as pyfolio's round-trip tearsheet finds them: positions still open on
 * the last session closed at their value, returns over the portfolio value at the start of the
 * closing day.
 *
 * @example
 * ```ts
 * const trips = round_trips(results);
 * round_trip_stats(trips).profit_factor;
 * ```
 */
export function round_trips(results: Results): RoundTrip[] {
  const n = results.length;
  if (n === 0) return [];
  const positions = position_values(results);
  const open: Record<string, number> = {};
  positions.symbols.forEach((s, k) => open[s] = positions.values[k][n - 1]);
  const fills = with_closing_fills(results.transactions, open, results.perf.period_close[n - 1]);
  const index = new Map<number, number>();
  results.sessions.forEach((s, i) => index.set(s, i));
  const { portfolio_value, returns } = results.perf;
  return extract_round_trips(fills, (dt) => {
    const i = index.get(Math.floor(dt / 86_400_000) * 86_400_000);
    return i === undefined ? NaN : portfolio_value[i] / (1 + returns[i]);
  });
}
