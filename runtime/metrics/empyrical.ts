/**
 * Reference risk statistics over whole return arrays, computed the way empyrical computes them
 * (two-pass means, NaN-skipping reductions, the same length guards and operation order).
 *
 * The reductions are plain left-to-right loops, which is what empyrical's `nanmean`/`nanstd`
 * do when bottleneck is installed (zipline depends on it). numpy's pairwise `sum` would differ
 * only in the last bits. These functions are O(n); the engine uses {@link RunningRisk} instead
 * and the tests hold it to these.
 *
 * @module
 */

/** Trading days per year: empyrical's `APPROX_BDAYS_PER_YEAR`. */
export const ANNUALIZATION = 252;

/** Mean of the non-NaN values, summed left to right; NaN if there are none. */
export function nanmean(a: ArrayLike<number>): number {
  let sum = 0, count = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x === x) {
      sum += x;
      count++;
    }
  }
  return count === 0 ? NaN : sum / count;
}

/**
 * Two-pass standard deviation of the non-NaN values with `ddof` degrees of freedom removed.
 *
 * @example
 * ```ts
 * nanstd(new Float64Array([1, 2, 3]), 1); // 1
 * ```
 */
export function nanstd(a: ArrayLike<number>, ddof = 0): number {
  const mean = nanmean(a);
  let ss = 0, count = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x === x) {
      const d = x - mean;
      ss += d * d;
      count++;
    }
  }
  return count - ddof <= 0 ? NaN : Math.sqrt(ss / (count - ddof));
}

/** `std(r, ddof=1) × sqrt(252)`; NaN with fewer than 2 values. */
export function annual_volatility(returns: ArrayLike<number>): number {
  if (returns.length < 2) return NaN;
  return nanstd(returns, 1) * Math.sqrt(ANNUALIZATION);
}

/**
 * `mean(r) / std(r, ddof=1) × sqrt(252)`; NaN with fewer than 2 values, ±Infinity or NaN when
 * the deviation is zero.
 *
 * @example
 * ```ts
 * sharpe_ratio(new Float64Array([0.01, -0.02, 0.03])); // sqrt(336 / 19) ≈ 4.2053
 * ```
 */
export function sharpe_ratio(returns: ArrayLike<number>): number {
  if (returns.length < 2) return NaN;
  return (nanmean(returns) / nanstd(returns, 1)) * Math.sqrt(ANNUALIZATION);
}

/** `sqrt(mean(min(r, 0)²)) × sqrt(252)`; NaN for an empty array. */
export function downside_risk(returns: ArrayLike<number>): number {
  if (returns.length < 1) return NaN;
  const sq = new Float64Array(returns.length);
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i];
    const clipped = x < 0 ? x : x === x ? 0 : NaN;
    sq[i] = clipped * clipped;
  }
  return Math.sqrt(nanmean(sq)) * Math.sqrt(ANNUALIZATION);
}

/**
 * `mean(r) × 252 / downside_risk(r)`; NaN with fewer than 2 values, +Infinity when there is no
 * downside and the mean is positive.
 */
export function sortino_ratio(returns: ArrayLike<number>): number {
  if (returns.length < 2) return NaN;
  return (nanmean(returns) * ANNUALIZATION) / downside_risk(returns);
}

/**
 * `cumprod(1 + r)` (NaN counted as 0) scaled by `starting_value`; with 0 the result is the
 * cumulative return `cumprod(1 + r) − 1`.
 */
export function cum_returns(returns: ArrayLike<number>, starting_value = 0): Float64Array {
  const out = new Float64Array(returns.length);
  let p = 1;
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i];
    p *= (x === x ? x : 0) + 1;
    out[i] = starting_value === 0 ? p - 1 : p * starting_value;
  }
  return out;
}

/**
 * `prod(1 + r)` (NaN counted as 0) scaled like {@link cum_returns}; `prod − 1` for 0. NaN for
 * an empty array.
 */
export function cum_returns_final(returns: ArrayLike<number>, starting_value = 0): number {
  if (returns.length < 1) return NaN;
  let p = 1;
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i];
    if (x === x) p *= x + 1;
  }
  return starting_value === 0 ? p - 1 : p * starting_value;
}

/**
 * Deepest fall from a running peak, `min((cum − peak) / peak)` over `cum = [100, 100 ×
 * cumprod(1 + r)]`. The starting value counts as a peak, so a loss on day 0 is a drawdown.
 * Returns a number ≤ 0; NaN for an empty array.
 *
 * @example
 * ```ts
 * max_drawdown(new Float64Array([0.01, -0.02, 0.03])); // -0.02
 * ```
 */
export function max_drawdown(returns: ArrayLike<number>): number {
  if (returns.length < 1) return NaN;
  const cum = cum_returns(returns, 100);
  let peak = 100, worst = 0;
  for (let i = 0; i < cum.length; i++) {
    const c = cum[i];
    if (c > peak) peak = c;
    const dd = (c - peak) / peak;
    if (dd < worst) worst = dd;
  }
  return worst;
}

/**
 * empyrical `beta_aligned`: `mean((x − mean(x)) × r) / mean((x − mean(x))²)` with x the
 * benchmark where r is not NaN. NaN with fewer than 2 values or a variance below 1e-30.
 */
export function beta_aligned(returns: ArrayLike<number>, benchmark: ArrayLike<number>): number {
  if (returns.length < 1 || benchmark.length < 2) return NaN;
  const n = returns.length;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = returns[i] === returns[i] ? benchmark[i] : NaN;
  const mx = nanmean(x);
  const prod = new Float64Array(n), sq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const res = x[i] - mx;
    prod[i] = res * returns[i];
    sq[i] = res * res;
  }
  const variance = nanmean(sq);
  return variance < 1e-30 ? NaN : nanmean(prod) / variance;
}

/** empyrical `alpha_aligned`: `(1 + mean(r − beta × b))^252 − 1`; NaN with fewer than 2 values. */
export function alpha_aligned(
  returns: ArrayLike<number>,
  benchmark: ArrayLike<number>,
  beta: number = beta_aligned(returns, benchmark),
): number {
  if (returns.length < 2) return NaN;
  const series = new Float64Array(returns.length);
  for (let i = 0; i < returns.length; i++) series[i] = returns[i] - beta * benchmark[i];
  return Math.pow(nanmean(series) + 1, ANNUALIZATION) - 1;
}

/**
 * `[alpha, beta]` of the returns against the benchmark (same length, same days).
 *
 * @example
 * ```ts
 * const [alpha, beta] = alpha_beta_aligned(returns, benchmark);
 * ```
 */
export function alpha_beta_aligned(
  returns: ArrayLike<number>,
  benchmark: ArrayLike<number>,
): [alpha: number, beta: number] {
  const beta = beta_aligned(returns, benchmark);
  return [alpha_aligned(returns, benchmark, beta), beta];
}

/**
 * Compound annual growth rate: `prod(1 + r)^(252 / n) − 1` (empyrical `cagr`, equal to
 * `annual_return`); NaN for an empty array or a negative ending value.
 */
export function cagr(returns: ArrayLike<number>): number {
  if (returns.length < 1) return NaN;
  const years = returns.length / ANNUALIZATION;
  return Math.pow(cum_returns_final(returns, 1), 1 / years) - 1;
}

/** `cagr / |max_drawdown|`; NaN without a drawdown or when the ratio is infinite. */
export function calmar_ratio(returns: ArrayLike<number>): number {
  const dd = max_drawdown(returns);
  if (!(dd < 0)) return NaN;
  const ratio = cagr(returns) / Math.abs(dd);
  return Number.isFinite(ratio) ? ratio : NaN;
}

/**
 * R² of a straight-line fit to the cumulative log returns against the day index (empyrical
 * `stability_of_timeseries`); NaN with fewer than 2 values, 0 for a flat series.
 */
export function stability_of_timeseries(returns: ArrayLike<number>): number {
  if (returns.length < 2) return NaN;
  const y: number[] = [];
  let acc = 0;
  for (let i = 0; i < returns.length; i++) {
    if (returns[i] !== returns[i]) continue;
    acc += Math.log1p(returns[i]);
    y.push(acc);
  }
  const n = y.length;
  const mx = (n - 1) / 2, my = nanmean(y);
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = i - mx, dy = y[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const den = Math.sqrt(sxx * syy);
  const r = den === 0 ? 0 : Math.min(1, Math.max(-1, sxy / den));
  return r * r;
}
