/**
 * Cumulative-to-date risk statistics of zipline's perf table, kept as running sums so that each
 * session costs O(1) however long the backtest.
 *
 * Every getter gives the number empyrical gives on the whole arrays so far (see
 * `empyrical.ts`), raw: NaN, ±Infinity included. zipline's metric layer turns non-finite values
 * into null (`alpha`, `sharpe`, `sortino`, `max_drawdown`, `algo_volatility`) or NaN into null
 * (`beta`, `benchmark_*`); use {@link finiteOrNull} there.
 *
 * How the sums stay exact enough:
 * - means are plain left-to-right sums divided by the count, exactly as empyrical's `nanmean`;
 * - second moments and the return/benchmark co-moment use Welford's updates around a mean kept
 *   as a double-double (`hi + lo`), so a deviation `x − μ` keeps full precision even when the
 *   mean is 10⁴ times the spread (plain Welford would lose four digits there);
 * - squared deviations are moved onto the left-to-right mean m with the exact identity
 *   `Σ(x − m)² = Σ(x − μ)² + n(μ − m)²`, so a constant series gives the same rounding-noise
 *   variance as the two-pass formula (not 0, and so a huge finite Sharpe, as empyrical gives);
 * - beta's covariance is the exact centred co-moment. empyrical sums `(x − m)·r` uncentred,
 *   which adds its own noise of about ε·|mean(r)|/std(r) relative; we do not copy that noise;
 * - compounding (period return, drawdown) repeats numpy's `cumprod` products in the same order.
 *
 * @module
 */
import { InvalidInputError } from "../errors.ts";
import { ANNUALIZATION } from "./empyrical.ts";

const SQRT_ANN = Math.sqrt(ANNUALIZATION);

/** Below this benchmark variance empyrical reports beta as NaN. */
const MIN_BENCHMARK_VARIANCE = 1e-30;

/** Starting value of empyrical's drawdown curve; it changes the rounding, so it is kept. */
const DRAWDOWN_BASE = 100;

/**
 * The value if it is finite, else null: zipline's conversion for the perf row.
 *
 * @example
 * ```ts
 * finiteOrNull(Infinity); // null
 * finiteOrNull(0.5); // 0.5
 * ```
 */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * Running risk metrics for one backtest: push each session's algorithm and benchmark return
 * (0 when there is no benchmark), then read the statistics to date.
 *
 * @example
 * ```ts
 * const risk = new RunningRisk();
 * risk.push(0.01, 0.005);
 * risk.push(-0.02, -0.01);
 * risk.sharpe; // mean / std(ddof=1) × sqrt(252) of [0.01, -0.02]
 * finiteOrNull(risk.sortino);
 * ```
 */
export class RunningRisk {
  #n = 0;
  // Left-to-right sums: Σr, Σb, Σ min(r, 0)².
  #sumR = 0;
  #sumB = 0;
  #sumDown = 0;
  // Welford means, squared deviations about them, and the co-moment Σ(b − μb)(r − μr).
  #meanR = new CompensatedMean();
  #meanB = new CompensatedMean();
  #m2R = 0;
  #m2B = 0;
  #coBR = 0;
  // Compounded growth, as numpy's cumprod, and the drawdown curve's peak and trough.
  #growthR = 1;
  #growthB = 1;
  #peak = DRAWDOWN_BASE;
  #drawdown = 0;

  /**
   * Adds one session. Both values must be finite; daily returns are never NaN in a backtest,
   * and a NaN here would poison every later statistic.
   */
  push(r: number, b = 0): void {
    if (!Number.isFinite(r)) {
      throw new InvalidInputError("returns", r, "a daily return must be a finite number");
    }
    if (!Number.isFinite(b)) {
      throw new InvalidInputError("benchmark", b, "a benchmark return must be a finite number");
    }
    const n = ++this.#n;
    this.#sumR += r;
    this.#sumB += b;
    const down = r < 0 ? r : 0;
    this.#sumDown += down * down;

    const dr = this.#meanR.deviation(r);
    const db = this.#meanB.deviation(b);
    this.#meanR.add(dr / n);
    this.#meanB.add(db / n);
    const dr2 = this.#meanR.deviation(r);
    this.#m2R += dr * dr2;
    this.#m2B += db * this.#meanB.deviation(b);
    this.#coBR += db * dr2;

    this.#growthR *= r + 1;
    this.#growthB *= b + 1;
    const level = this.#growthR * DRAWDOWN_BASE;
    if (level > this.#peak) this.#peak = level;
    const dd = (level - this.#peak) / this.#peak;
    if (dd < this.#drawdown) this.#drawdown = dd;
  }

  /** Sessions pushed so far. */
  get count(): number {
    return this.#n;
  }

  /** `std(r, ddof=1) × sqrt(252)`; NaN before 2 sessions. */
  get algo_volatility(): number {
    const n = this.#n;
    return n < 2 ? NaN : Math.sqrt(this.#squaresR() / (n - 1)) * SQRT_ANN;
  }

  /**
   * `std(b, ddof=1) × sqrt(252)`; NaN before 2 sessions. zipline takes this from pandas'
   * `expanding(2).std()`, itself a Welford recurrence, so no two-pass shift is applied.
   */
  get benchmark_volatility(): number {
    const n = this.#n;
    return n < 2 ? NaN : Math.sqrt(this.#m2B / (n - 1)) * SQRT_ANN;
  }

  /** `prod(1 + b) − 1` including day 0; NaN before any session. */
  get benchmark_period_return(): number {
    return this.#n < 1 ? NaN : this.#growthB - 1;
  }

  /** `mean(r) / std(r, ddof=1) × sqrt(252)`; NaN before 2 sessions, ±Infinity if std is 0. */
  get sharpe(): number {
    const n = this.#n;
    if (n < 2) return NaN;
    return (this.#sumR / n / Math.sqrt(this.#squaresR() / (n - 1))) * SQRT_ANN;
  }

  /** `mean(r) × 252 / (sqrt(mean(min(r, 0)²)) × sqrt(252))`; NaN before 2 sessions. */
  get sortino(): number {
    const n = this.#n;
    if (n < 2) return NaN;
    return (this.#sumR / n * ANNUALIZATION) / (Math.sqrt(this.#sumDown / n) * SQRT_ANN);
  }

  /** Deepest fall of `100 × cumprod(1 + r)` from its running peak (100 included); ≤ 0. */
  get max_drawdown(): number {
    return this.#n < 1 ? NaN : this.#drawdown;
  }

  /** empyrical `beta_aligned`; NaN before 2 sessions or for a (near-)constant benchmark. */
  get beta(): number {
    const n = this.#n;
    if (n < 2) return NaN;
    const shift = this.#meanB.minus(this.#sumB / n);
    const variance = (this.#m2B + n * shift * shift) / n;
    if (variance < MIN_BENCHMARK_VARIANCE) return NaN;
    return this.#coBR / n / variance;
  }

  /** empyrical `alpha_aligned`: `(1 + mean(r − beta × b))^252 − 1`; NaN without a beta. */
  get alpha(): number {
    const n = this.#n;
    if (n < 2) return NaN;
    const excess = (this.#sumR - this.beta * this.#sumB) / n;
    return Math.pow(excess + 1, ANNUALIZATION) - 1;
  }

  /** `Σ(r − mean)²` about the left-to-right mean, as the two-pass formula sees it. */
  #squaresR(): number {
    const n = this.#n;
    const shift = this.#meanR.minus(this.#sumR / n);
    return this.#m2R + n * shift * shift;
  }
}

/**
 * A running mean held as the unevaluated sum `hi + lo` (Knuth's TwoSum keeps what rounding
 * drops), so that `x − mean` is right to the last bit of the deviation, not of the mean.
 */
class CompensatedMean {
  hi = 0;
  lo = 0;

  /** `x − mean`, rounded once. */
  deviation(x: number): number {
    const s = x - this.hi;
    const v = s - x;
    const err = (x - (s - v)) - (this.hi + v);
    return s + (err - this.lo);
  }

  /** `mean += q`. */
  add(q: number): void {
    const s = this.hi + q;
    const v = s - this.hi;
    const lo = this.lo + ((this.hi - (s - v)) + (q - v));
    this.hi = s + lo;
    this.lo = lo - (this.hi - s);
  }

  /** `mean − m` for a double m close to the mean. */
  minus(m: number): number {
    return (this.hi - m) + this.lo;
  }
}
