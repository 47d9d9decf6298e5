/**
 * The series a tearsheet plots, computed from a results object: rolling Sharpe and beta, monthly
 * returns, the underwater curve, exposure and position weights. Pure functions of their inputs;
 * every series has one value per session (NaN where a window is not yet full).
 *
 * @module
 */
import { DAY_MS, isoDate } from "../../../calendars/days.ts";
import type { Results } from "../results.ts";
import { beta_aligned, sharpe_ratio } from "../empyrical.ts";

/** Six months of sessions: pyfolio's default rolling window. */
export const ROLLING_WINDOW = 126;

/**
 * Sharpe ratio over a trailing window (annualised like {@link sharpe_ratio}); NaN until the
 * window is full.
 *
 * @example
 * ```ts
 * const s = rolling_sharpe(results.perf.returns, 126);
 * s[125]; // the Sharpe ratio of the first 126 sessions
 * ```
 */
export function rolling_sharpe(
  returns: Float64Array,
  window: number = ROLLING_WINDOW,
): Float64Array {
  checkWindow(window);
  const out = new Float64Array(returns.length).fill(NaN);
  for (let i = window - 1; i < returns.length; i++) {
    out[i] = sharpe_ratio(returns.subarray(i - window + 1, i + 1));
  }
  return out;
}

/**
 * Beta to the benchmark over a trailing window (empyrical's `beta_aligned`); NaN until the window
 * is full and where the benchmark does not move.
 *
 * @example
 * ```ts
 * const b = rolling_beta(results.perf.returns, results.benchmark_returns, 126);
 * ```
 */
export function rolling_beta(
  returns: Float64Array,
  benchmark: Float64Array,
  window: number = ROLLING_WINDOW,
): Float64Array {
  checkWindow(window);
  if (benchmark.length !== returns.length) {
    throw new RangeError(
      `rolling_beta: benchmark has ${benchmark.length} values, returns ${returns.length}`,
    );
  }
  const out = new Float64Array(returns.length).fill(NaN);
  for (let i = window - 1; i < returns.length; i++) {
    out[i] = beta_aligned(
      returns.subarray(i - window + 1, i + 1),
      benchmark.subarray(i - window + 1, i + 1),
    );
  }
  return out;
}

function checkWindow(window: number): void {
  if (!Number.isInteger(window) || window < 2) {
    throw new RangeError(`rolling window must be an integer ≥ 2, got ${window}`);
  }
}

/** One calendar month's compounded return. */
export interface MonthlyReturn {
  year: number;
  /** 1–12. */
  month: number;
  return: number;
}

/**
 * Daily returns compounded by calendar month (NaN days count as 0), in session order.
 *
 * @example
 * ```ts
 * monthly_returns(results.sessions, results.perf.returns);
 * // [{ year: 2005, month: 1, return: -0.012 }, …]
 * ```
 */
export function monthly_returns(sessions: Float64Array, returns: Float64Array): MonthlyReturn[] {
  const out: MonthlyReturn[] = [];
  let key = -1, growth = 1;
  for (let i = 0; i < sessions.length; i++) {
    const d = new Date(sessions[i]);
    const k = d.getUTCFullYear() * 12 + d.getUTCMonth();
    if (k !== key) {
      if (key >= 0) out.push(monthOf(key, growth));
      key = k;
      growth = 1;
    }
    const r = returns[i];
    if (r === r) growth *= 1 + r;
  }
  if (key >= 0) out.push(monthOf(key, growth));
  return out;
}

function monthOf(key: number, growth: number): MonthlyReturn {
  return { year: Math.floor(key / 12), month: (key % 12) + 1, return: growth - 1 };
}

/**
 * Drawdown from the running peak of a value series (≤ 0), e.g. of `perf.portfolio_value`.
 *
 * @example
 * ```ts
 * underwater(new Float64Array([100, 110, 99, 120])); // [0, 0, -0.1, 0]
 * ```
 */
export function underwater(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let peak = -Infinity;
  for (let i = 0; i < values.length; i++) {
    peak = Math.max(peak, values[i]);
    out[i] = peak > 0 ? values[i] / peak - 1 : 0;
  }
  return out;
}

/** One drawdown period: from a peak, down to its trough, back to the peak's value (if ever). */
export interface DrawdownPeriod {
  /** Session index of the peak. */
  peak: number;
  /** Session index of the lowest value. */
  trough: number;
  /** Session index where the value first regained the peak; null if it never did. */
  recovery: number | null;
  /** Depth at the trough (< 0). */
  drawdown: number;
}

/**
 * The `top` deepest drawdown periods of a value series, deepest first (pyfolio's drawdown table).
 *
 * @example
 * ```ts
 * const [worst] = worst_drawdowns(results.perf.portfolio_value, 5);
 * results.sessions[worst.trough]; // the bottom of the deepest drawdown
 * ```
 */
export function worst_drawdowns(values: Float64Array, top = 5): DrawdownPeriod[] {
  const dd = underwater(values), periods: DrawdownPeriod[] = [];
  let current: DrawdownPeriod | null = null;
  for (let i = 0; i < dd.length; i++) {
    if (dd[i] < 0) {
      current ??= { peak: i - 1, trough: i, recovery: null, drawdown: dd[i] };
      if (dd[i] < current.drawdown) {
        current.trough = i;
        current.drawdown = dd[i];
      }
    } else if (current) {
      current.recovery = i;
      periods.push(current);
      current = null;
    }
  }
  if (current) periods.push(current);
  return periods.sort((a, b) => a.drawdown - b.drawdown).slice(0, top);
}

/** Daily long, short (≤ 0) and net exposure as fractions of the portfolio value. */
export interface Exposure {
  long: Float64Array;
  short: Float64Array;
  net: Float64Array;
}

/**
 * Long, short and net exposure per session, as fractions of the portfolio value.
 *
 * @example
 * ```ts
 * const { long, short, net } = exposure(results);
 * ```
 */
export function exposure(results: Results): Exposure {
  const n = results.length, { long_exposure, short_exposure, portfolio_value } = results.perf;
  const out = {
    long: new Float64Array(n),
    short: new Float64Array(n),
    net: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const pv = portfolio_value[i];
    const l = pv ? long_exposure[i] / pv : 0, s = pv ? short_exposure[i] / pv : 0;
    out.long[i] = l;
    out.short[i] = s;
    out.net[i] = l + s;
  }
  return out;
}

/** The weight of each held asset on each session, as a fraction of the portfolio value. */
export interface PositionWeights {
  /** Symbols, largest average absolute weight first (at most `top`, then `"other"`). */
  symbols: string[];
  /** `weights[k][i]`: weight of `symbols[k]` on session `i`. */
  weights: Float64Array[];
}

/**
 * Position weights over time: `amount × last_sale_price / portfolio_value` per asset and
 * session. Assets beyond the `top` largest (by mean absolute weight) are summed into `"other"`.
 *
 * @example
 * ```ts
 * const { symbols, weights } = position_weights(results, 5);
 * ```
 */
export function position_weights(results: Results, top = 8): PositionWeights {
  const n = results.length, index = new Map<number, number>();
  results.sessions.forEach((s, i) => index.set(s, i));
  const bySymbol = new Map<string, Float64Array>();
  for (const p of results.positions) {
    const i = index.get(p.date);
    const pv = i === undefined ? 0 : results.perf.portfolio_value[i];
    if (i === undefined || !pv) continue;
    let w = bySymbol.get(p.symbol);
    if (!w) bySymbol.set(p.symbol, w = new Float64Array(n));
    w[i] += (p.amount * p.last_sale_price) / pv;
  }
  const ranked = [...bySymbol.entries()].map(([symbol, w]) => {
    let s = 0;
    for (const x of w) s += Math.abs(x);
    return { symbol, w, size: s };
  }).sort((a, b) => b.size - a.size || a.symbol.localeCompare(b.symbol));
  const kept = ranked.slice(0, top);
  const symbols = kept.map((r) => r.symbol), weights = kept.map((r) => r.w);
  if (ranked.length > top) {
    const other = new Float64Array(n);
    for (const r of ranked.slice(top)) for (let i = 0; i < n; i++) other[i] += r.w[i];
    symbols.push("other");
    weights.push(other);
  }
  return { symbols, weights };
}

/** Session dates as `YYYY-MM-DD` strings. */
export function sessionDates(results: Results): string[] {
  return Array.from(results.sessions, (s) => isoDate(s / DAY_MS));
}

/** Whether the run had a benchmark (any non-zero benchmark return). */
export function hasBenchmark(results: Results): boolean {
  return results.benchmark_returns.some((x) => x !== 0);
}
