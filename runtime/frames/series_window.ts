/**
 * Moving-window kernels behind `Series.rolling` and `Series.ewm`: pure functions from a
 * Float64Array to a new Float64Array of the same length, following pandas' window
 * aggregations (`pandas/_libs/window/aggregations.pyx`) so results match to the last digits.
 */

import { InvalidInputError } from "../errors.ts";

/** Options of a fixed-size rolling window. */
export interface RollingOptions {
  /** Fewest non-NaN values a window needs to give a result; @default the window size */
  min_periods?: number;
}

/**
 * How fast an exponential window decays; give exactly one (pandas' `span`, `com`, `alpha`,
 * `halflife` in rows).
 */
export type EwmDecay = { span: number } | { com: number } | { alpha: number } | {
  halflife: number;
};

/** Options of an exponentially weighted window. */
export interface EwmOptions {
  /** Divide by the decaying sum of weights (pandas' default) rather than recursing; @default true */
  adjust?: boolean;
  /** Fewest non-NaN values seen before a result is given; @default 0 */
  min_periods?: number;
  /** Let NaN rows not age the weights; @default false */
  ignore_na?: boolean;
}

/** Checks a window size and min_periods, returning min_periods. */
export function checkWindow(window: number, minPeriods: number | undefined): number {
  if (!Number.isInteger(window) || window < 1) {
    throw new InvalidInputError("window", window, "must be an integer ≥ 1");
  }
  const minp = minPeriods ?? window;
  if (!Number.isInteger(minp) || minp < 0 || minp > window) {
    throw new InvalidInputError("min_periods", minPeriods, `must be an integer in 0..${window}`);
  }
  return minp;
}

/** The smoothing factor alpha of an EWM decay, validated as pandas does. */
export function ewmAlpha(decay: EwmDecay): number {
  const given = Object.entries(decay).filter(([, v]) => v !== undefined);
  if (given.length !== 1) {
    throw new InvalidInputError("ewm", decay, "give exactly one of span, com, alpha, halflife");
  }
  const [key, v] = given[0] as [string, number];
  // pandas converts every decay to a centre of mass first; doing the same keeps its rounding.
  if (key === "com" && v >= 0) return 1 / (1 + v);
  if (key === "span" && v >= 1) return 1 / (1 + (v - 1) / 2);
  if (key === "halflife" && v > 0) return 1 / (1 + (1 / (1 - Math.exp(Math.log(0.5) / v)) - 1));
  if (key === "alpha" && v > 0 && v <= 1) return 1 / (1 + (1 - v) / v);
  const rule = { com: "≥ 0", span: "≥ 1", halflife: "> 0", alpha: "in (0, 1]" }[key];
  throw new InvalidInputError(`ewm ${key}`, v, rule ? `must be ${rule}` : "unknown decay");
}

/**
 * Rolling sum (`agg = "sum"`) or mean as pandas' `roll_sum`/`roll_mean`: Kahan-compensated
 * removals then additions, and a run of equal values gives that value exactly.
 */
export function rollingSumMean(
  x: Float64Array,
  window: number,
  minp: number,
  agg: "sum" | "mean",
): Float64Array {
  const out = new Float64Array(x.length);
  let nobs = 0, negs = 0, sum = 0, compAdd = 0, compRemove = 0, same = 0, prev = NaN;
  for (let i = 0; i < x.length; i++) {
    const old = i >= window ? x[i - window] : NaN;
    if (old === old) {
      nobs--;
      if (old < 0 || (old === 0 && 1 / old < 0)) negs--;
      const y = -old - compRemove, t = sum + y;
      compRemove = t - sum - y;
      sum = t;
    }
    const v = x[i];
    if (v === v) {
      nobs++;
      if (v < 0 || (v === 0 && 1 / v < 0)) negs++;
      const y = v - compAdd, t = sum + y;
      compAdd = t - sum - y;
      sum = t;
      same = v === prev ? same + 1 : 1;
      prev = v;
    }
    if (agg === "sum") {
      if (nobs === 0 && minp === 0) out[i] = 0;
      else out[i] = nobs < minp ? NaN : same >= nobs ? prev * nobs : sum;
    } else if (nobs < minp || nobs === 0) out[i] = NaN;
    else if (same >= nobs) out[i] = prev;
    else {
      const mean = sum / nobs;
      out[i] = (negs === 0 && mean < 0) || (negs === nobs && mean > 0) ? 0 : mean;
    }
  }
  return out;
}

/** Count, mean and squared deviations of the non-NaN `x[lo..hi) - shift`, two-pass. */
function windowMoments(x: Float64Array, lo: number, hi: number, shift: number) {
  let n = 0, sum = 0, ssq = 0;
  for (let j = lo; j < hi; j++) if (x[j] === x[j]) n++, sum += x[j] - shift;
  const mean = n ? sum / n : 0;
  for (let j = lo; j < hi; j++) if (x[j] === x[j]) ssq += (x[j] - shift - mean) ** 2;
  return [n, mean, ssq];
}

/**
 * Rolling variance: Welford add/remove on values shifted by the first one (so prices far from
 * 0 keep their digits), recomputed two-pass when a removal cancels most of the sum of squares
 * (as pandas ≥ 3 does); exactly 0 over a window of equal values.
 */
export function rollingVar(
  x: Float64Array,
  window: number,
  minp: number,
  ddof: number,
): Float64Array {
  const out = new Float64Array(x.length);
  let nobs = 0, mean = 0, ssq = 0, same = 0, prev = NaN, shift = NaN;
  minp = Math.max(minp, 1);
  for (let i = 0; i < x.length; i++) {
    const old = i >= window ? x[i - window] - shift : NaN;
    if (old === old) {
      nobs--;
      if (nobs > 0) {
        const delta = old - mean;
        mean -= delta / nobs;
        const removed = delta * (old - mean);
        ssq -= removed;
        if (!(ssq * 1e4 > removed)) [nobs, mean, ssq] = windowMoments(x, i - window + 1, i, shift);
      } else mean = ssq = 0;
    }
    if (x[i] === x[i]) {
      if (shift !== shift) shift = x[i];
      const v = x[i] - shift;
      nobs++;
      same = x[i] === prev ? same + 1 : 1;
      prev = x[i];
      const delta = v - mean;
      mean += delta / nobs;
      ssq += delta * (v - mean);
    }
    if (nobs >= minp && nobs > ddof) {
      out[i] = same >= nobs ? 0 : Math.max(0, ssq) / (nobs - ddof);
    } else out[i] = NaN;
  }
  return out;
}

/** Rolling minimum (`sign = 1`) or maximum (`sign = -1`) with a monotonic deque; NaN skipped. */
export function rollingExtreme(x: Float64Array, window: number, minp: number, sign: 1 | -1) {
  const out = new Float64Array(x.length);
  const deque = new Int32Array(x.length);
  let head = 0, tail = 0, nobs = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === v) {
      nobs++;
      while (tail > head && sign * x[deque[tail - 1]] >= sign * v) tail--;
      deque[tail++] = i;
    }
    if (i >= window) {
      if (x[i - window] === x[i - window]) nobs--;
      while (tail > head && deque[head] <= i - window) head++;
    }
    out[i] = nobs >= minp && nobs > 0 ? x[deque[head]] : NaN;
  }
  return out;
}

/** Applies `fn` to each full-or-partial window (a zero-copy view) with enough non-NaN values. */
export function rollingApply(
  x: Float64Array,
  window: number,
  minp: number,
  fn: (w: Float64Array) => number,
): Float64Array {
  const out = new Float64Array(x.length);
  let nobs = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === x[i]) nobs++;
    if (i >= window && x[i - window] === x[i - window]) nobs--;
    out[i] = nobs >= minp && nobs > 0 ? fn(x.subarray(Math.max(0, i - window + 1), i + 1)) : NaN;
  }
  return out;
}

/** Exponentially weighted mean (pandas `ewma`). */
export function ewmMean(x: Float64Array, alpha: number, opts: EwmOptions = {}): Float64Array {
  const { adjust = true, ignore_na = false } = opts;
  const minp = Math.max(opts.min_periods ?? 0, 1);
  const out = new Float64Array(x.length);
  if (x.length === 0) return out;
  const decay = 1 - alpha, newWt = adjust ? 1 : alpha;
  let weighted = x[0], nobs = weighted === weighted ? 1 : 0, oldWt = 1;
  out[0] = nobs >= minp ? weighted : NaN;
  for (let i = 1; i < x.length; i++) {
    const cur = x[i], obs = cur === cur;
    if (obs) nobs++;
    if (weighted === weighted) {
      if (obs || !ignore_na) {
        oldWt *= decay;
        if (obs) {
          if (weighted !== cur) weighted = (oldWt * weighted + newWt * cur) / (oldWt + newWt);
          oldWt = adjust ? oldWt + newWt : 1;
        }
      }
    } else if (obs) weighted = cur;
    out[i] = nobs >= minp ? weighted : NaN;
  }
  return out;
}

/** Exponentially weighted variance (pandas `ewmcov` of x with itself); `bias` skips the fix. */
export function ewmVar(x: Float64Array, alpha: number, opts: EwmOptions = {}, bias = false) {
  const { adjust = true, ignore_na = false } = opts;
  const minp = Math.max(opts.min_periods ?? 0, 1);
  const out = new Float64Array(x.length);
  if (x.length === 0) return out;
  const decay = 1 - alpha, newWt = adjust ? 1 : alpha;
  let mean = x[0], nobs = mean === mean ? 1 : 0;
  let cov = 0, sumWt = 1, sumWt2 = 1, oldWt = 1;
  const emit = (i: number): void => {
    if (nobs < minp) out[i] = NaN;
    else if (bias) out[i] = cov;
    else {
      const num = sumWt * sumWt, den = num - sumWt2;
      out[i] = den > 0 ? (num / den) * cov : NaN;
    }
  };
  emit(0);
  for (let i = 1; i < x.length; i++) {
    const cur = x[i], obs = cur === cur;
    if (obs) nobs++;
    if (mean === mean) {
      if (obs || !ignore_na) {
        sumWt *= decay;
        sumWt2 *= decay * decay;
        oldWt *= decay;
        if (obs) {
          const oldMean = mean;
          if (mean !== cur) mean = (oldWt * oldMean + newWt * cur) / (oldWt + newWt);
          const d = oldMean - mean;
          cov = (oldWt * (cov + d * d) + newWt * ((cur - mean) * (cur - mean))) / (oldWt + newWt);
          sumWt += newWt;
          sumWt2 += newWt * newWt;
          oldWt += newWt;
          if (!adjust) {
            sumWt /= oldWt;
            sumWt2 /= oldWt * oldWt;
            oldWt = 1;
          }
        }
      }
    } else if (obs) mean = cur;
    emit(i);
  }
  return out;
}

function sqrtInPlace(x: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] = Math.sqrt(x[i]);
  return x;
}

/** Runs a column kernel over whatever a window belongs to (a Series or each Frame column). */
export type KernelRunner<R> = (kernel: (x: Float64Array) => Float64Array) => R;

/** A fixed-size moving window, as returned by `rolling(n)`; each method returns new values. */
export class Rolling<R> {
  readonly min_periods: number;
  constructor(
    private readonly run: KernelRunner<R>,
    readonly window: number,
    options: RollingOptions = {},
  ) {
    this.min_periods = checkWindow(window, options.min_periods);
  }

  /**
   * Moving mean; NaN until `min_periods` non-NaN values are in the window.
   * @example new Series(Float64Array.of(1, 2, 3), idx).rolling(2).mean() // [NaN, 1.5, 2.5]
   */
  mean(): R {
    return this.run((x) => rollingSumMean(x, this.window, this.min_periods, "mean"));
  }

  /**
   * Moving sum.
   * @example s.rolling(2).sum() // [NaN, 3, 5] for [1, 2, 3]
   */
  sum(): R {
    return this.run((x) => rollingSumMean(x, this.window, this.min_periods, "sum"));
  }

  /**
   * Moving variance with `ddof` (1 = sample, as pandas).
   * @example s.rolling(3).var() // [NaN, NaN, 1] for [1, 2, 3]
   */
  var(ddof = 1): R {
    return this.run((x) => rollingVar(x, this.window, this.min_periods, ddof));
  }

  /**
   * Moving standard deviation with `ddof`.
   * @example s.rolling(2).std() // [NaN, 0.7071…, 0.7071…] for [1, 2, 3]
   */
  std(ddof = 1): R {
    return this.run((x) => sqrtInPlace(rollingVar(x, this.window, this.min_periods, ddof)));
  }

  /**
   * Moving minimum.
   * @example s.rolling(2).min() // [NaN, 1, 2] for [1, 2, 3]
   */
  min(): R {
    return this.run((x) => rollingExtreme(x, this.window, this.min_periods, 1));
  }

  /**
   * Moving maximum.
   * @example s.rolling(2).max() // [NaN, 2, 3] for [1, 2, 3]
   */
  max(): R {
    return this.run((x) => rollingExtreme(x, this.window, this.min_periods, -1));
  }

  /**
   * Any reduction of each window, given as a zero-copy view (NaNs included, as pandas' raw).
   * @example s.rolling(2).apply((w) => w[1] - w[0]) // [NaN, 1, 1] for [1, 2, 3]
   */
  apply(fn: (window: Float64Array) => number): R {
    return this.run((x) => rollingApply(x, this.window, this.min_periods, fn));
  }
}

/** An exponentially weighted window, as returned by `ewm(...)`. */
export class Ewm<R> {
  readonly alpha: number;
  constructor(
    private readonly run: KernelRunner<R>,
    decay: EwmDecay,
    private readonly options: EwmOptions = {},
  ) {
    this.alpha = ewmAlpha(decay);
  }

  /**
   * Exponentially weighted mean.
   * @example s.ewm({ span: 2 }).mean() // [1, 1.75, 2.6153…, 3.55] for [1, 2, 3, 4]
   */
  mean(): R {
    return this.run((x) => ewmMean(x, this.alpha, this.options));
  }

  /**
   * Exponentially weighted variance; unbiased unless `bias`.
   * @example s.ewm({ span: 2 }).var() // [NaN, 0.5, 0.8461…, 1.1230…] for [1, 2, 3, 4]
   */
  var(bias = false): R {
    return this.run((x) => ewmVar(x, this.alpha, this.options, bias));
  }

  /**
   * Exponentially weighted standard deviation; unbiased unless `bias`.
   * @example s.ewm({ span: 2 }).std() // [NaN, 0.7071…, 0.9198…, 1.0597…] for [1, 2, 3, 4]
   */
  std(bias = false): R {
    return this.run((x) => sqrtInPlace(ewmVar(x, this.alpha, this.options, bias)));
  }
}
