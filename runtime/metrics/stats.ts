/**
 * The return statistics pyfolio's tearsheet adds to empyrical's basics, computed as pyfolio and
 * empyrical compute them: scipy's (biased) skew and excess kurtosis, numpy's linearly
 * interpolated percentiles, empyrical's `omega_ratio` and `tail_ratio`, pyfolio's daily value at
 * risk (`mean − 2 × std`), calendar aggregation (`aggregate_returns`) and rolling volatility.
 * Pure functions over return arrays; NaN where a statistic is undefined.
 *
 * @module
 */
import { DAY_MS } from "../../calendars/days.ts";
import { ANNUALIZATION, nanmean, nanstd } from "./empyrical.ts";

/** The non-NaN values. */
function finite(a: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] === a[i]) out.push(a[i]);
  return out;
}

/**
 * numpy's `percentile(a, q)` with its default linear interpolation (NaN skipped, as empyrical
 * drops NaN first); NaN for no values.
 *
 * @example
 * ```ts
 * percentile([1, 2, 3, 4], 50); // 2.5
 * ```
 */
export function percentile(a: ArrayLike<number>, q: number): number {
  const x = finite(a).sort((p, r) => p - r);
  if (x.length === 0) return NaN;
  const pos = (q / 100) * (x.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
  return x[lo] + (x[hi] - x[lo]) * (pos - lo);
}

/** Central moments 2 and 3 or 4 of the non-NaN values (population, as scipy's `bias=True`). */
function moments(a: ArrayLike<number>, k: 3 | 4): [m2: number, mk: number, n: number] {
  const x = finite(a), n = x.length;
  const mean = nanmean(x);
  let m2 = 0, mk = 0;
  for (const v of x) {
    const d = v - mean;
    m2 += d * d;
    mk += d ** k;
  }
  return [m2 / n, mk / n, n];
}

/**
 * scipy `stats.skew` (biased): `m3 / m2^1.5`; NaN without values, 0… for a constant series
 * scipy returns NaN, and so does this.
 *
 * @example
 * ```ts
 * skew([0.01, -0.02, 0.05]); // 0.2658…
 * ```
 */
export function skew(returns: ArrayLike<number>): number {
  const [m2, m3, n] = moments(returns, 3);
  if (n === 0 || m2 === 0) return NaN;
  return m3 / m2 ** 1.5;
}

/**
 * scipy `stats.kurtosis` (Fisher's excess kurtosis, biased): `m4 / m2² − 3`.
 *
 * @example
 * ```ts
 * kurtosis([0.01, -0.02, 0.05, 0]); // -1.06…
 * ```
 */
export function kurtosis(returns: ArrayLike<number>): number {
  const [m2, m4, n] = moments(returns, 4);
  if (n === 0 || m2 === 0) return NaN;
  return m4 / (m2 * m2) - 3;
}

/**
 * empyrical `omega_ratio` (risk-free and required return 0): the sum of gains over the sum of
 * losses; NaN with fewer than 2 values or no loss.
 *
 * @example
 * ```ts
 * omega_ratio([0.02, -0.01, 0.01, -0.01]); // 1.5
 * ```
 */
export function omega_ratio(returns: ArrayLike<number>, required_return = 0): number {
  if (returns.length < 2 || required_return <= -1) return NaN;
  const threshold = (1 + required_return) ** (1 / ANNUALIZATION) - 1;
  let gains = 0, losses = 0;
  for (let i = 0; i < returns.length; i++) {
    const d = returns[i] - threshold;
    if (d > 0) gains += d;
    else if (d < 0) losses -= d;
  }
  return losses > 0 ? gains / losses : NaN;
}

/**
 * empyrical `tail_ratio`: `|95th percentile| / |5th percentile|` of the daily returns.
 *
 * @example
 * ```ts
 * tail_ratio(results.perf.returns);
 * ```
 */
export function tail_ratio(returns: ArrayLike<number>): number {
  if (finite(returns).length < 1) return NaN;
  return Math.abs(percentile(returns, 95)) / Math.abs(percentile(returns, 5));
}

/**
 * pyfolio's daily value at risk (`timeseries.value_at_risk`): `mean − sigma × std(ddof=1)`.
 *
 * @example
 * ```ts
 * value_at_risk(results.perf.returns); // e.g. -0.025: a 2-sigma bad day
 * ```
 */
export function value_at_risk(returns: ArrayLike<number>, sigma = 2): number {
  return nanmean(returns) - sigma * nanstd(returns, 1);
}

/** One calendar period's compounded return. */
export interface PeriodReturn {
  /** `2014` for a year, `2014-03` for a month. */
  period: string;
  return: number;
}

/**
 * empyrical `aggregate_returns(returns, "yearly" | "monthly")`: daily returns compounded within
 * each calendar year or month (NaN days count as 0), in date order.
 *
 * @example
 * ```ts
 * aggregate_returns(results.sessions, results.perf.returns, "yearly");
 * // [{ period: "2005", return: 0.12 }, …]
 * ```
 */
export function aggregate_returns(
  sessions: ArrayLike<number>,
  returns: ArrayLike<number>,
  convert_to: "yearly" | "monthly",
): PeriodReturn[] {
  const out: PeriodReturn[] = [];
  let key = "", growth = 1;
  for (let i = 0; i < sessions.length; i++) {
    const iso = new Date(sessions[i]).toISOString();
    const k = convert_to === "yearly" ? iso.slice(0, 4) : iso.slice(0, 7);
    if (k !== key) {
      if (key) out.push({ period: key, return: growth - 1 });
      key = k;
      growth = 1;
    }
    if (returns[i] === returns[i]) growth *= 1 + returns[i];
  }
  if (key) out.push({ period: key, return: growth - 1 });
  return out;
}

/** The best and worst of a set of dated returns. */
export interface Extremes {
  best: { period: string; return: number } | null;
  worst: { period: string; return: number } | null;
}

/**
 * The best and worst day, and the best and worst calendar month (quantstats' "Best Day",
 * "Worst Day", "Best Month", "Worst Month").
 *
 * @example
 * ```ts
 * const { day, month } = best_worst(results.sessions, results.perf.returns);
 * day.worst; // { period: "2008-10-15", return: -0.0785 }
 * ```
 */
export function best_worst(
  sessions: ArrayLike<number>,
  returns: ArrayLike<number>,
): { day: Extremes; month: Extremes } {
  const days: PeriodReturn[] = [];
  for (let i = 0; i < sessions.length; i++) {
    if (returns[i] === returns[i]) {
      days.push({
        period: new Date(Math.floor(sessions[i] / DAY_MS) * DAY_MS).toISOString().slice(0, 10),
        return: returns[i],
      });
    }
  }
  return { day: extremes(days), month: extremes(aggregate_returns(sessions, returns, "monthly")) };
}

function extremes(rows: PeriodReturn[]): Extremes {
  let best: PeriodReturn | null = null, worst: PeriodReturn | null = null;
  for (const r of rows) {
    if (!best || r.return > best.return) best = r;
    if (!worst || r.return < worst.return) worst = r;
  }
  return { best, worst };
}

/**
 * pyfolio `rolling_volatility`: `std(ddof=1)` over a trailing window × √252; NaN until the
 * window is full.
 *
 * @example
 * ```ts
 * rolling_volatility(results.perf.returns, 126);
 * ```
 */
export function rolling_volatility(returns: Float64Array, window = 126): Float64Array {
  if (!Number.isInteger(window) || window < 2) {
    throw new RangeError(`rolling window must be an integer ≥ 2, got ${window}`);
  }
  const out = new Float64Array(returns.length).fill(NaN);
  for (let i = window - 1; i < returns.length; i++) {
    out[i] = nanstd(returns.subarray(i - window + 1, i + 1), 1) * Math.sqrt(ANNUALIZATION);
  }
  return out;
}
