/**
 * zipline's basic built-in factors, computed column-wise over each day's windows with numpy's
 * NaN rules (`nanmean`, `nansum`, `nanstd` with ddof 0 skip NaN; plain averages propagate it).
 */
import { CustomFactor, type CustomTermOptions } from "../custom.ts";
import { EquityPricing } from "../dataset.ts";
import { PipelineError } from "../errors.ts";
import { nanmeanCols, nanstdCols, nansumCols, pairwiseSum } from "../kernels/columns.ts";
import type { Term, TermData } from "../term.ts";

type F = Float64Array;

/** Percent change of the close over the window: (last − first) / first. Window ≥ 2. */
export class Returns extends CustomFactor {
  static override inputs: readonly Term[] = [EquityPricing.close];
  static override window_safe = true;

  constructor(opts: CustomTermOptions = {}) {
    super({ window_safe: true, ...opts });
    if (this.window_length < 2) {
      throw new PipelineError(
        `Returns needs window_length ≥ 2 (got ${this.window_length}); for daily returns use 2`,
      );
    }
  }

  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    const out = outs[0] as F, last = (W - 1) * N;
    for (let j = 0; j < N; j++) out[j] = (w[last + j] - w[j]) / w[j];
  };
}

/** One-day percent change of the close (`Returns` with window_length 2). */
export class DailyReturns extends Returns {
  static override window_length = 2;
}

/** Percent change of any input over the window: (last − first) / |first|. Window ≥ 2. */
export class PercentChange extends CustomFactor {
  static override window_safe = true;

  constructor(opts: CustomTermOptions = {}) {
    super({ window_safe: true, ...opts });
    if (this.window_length < 2) {
      throw new PipelineError(`PercentChange needs window_length ≥ 2 (got ${this.window_length})`);
    }
  }

  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    const out = outs[0] as F, last = (W - 1) * N;
    for (let j = 0; j < N; j++) out[j] = (w[last + j] - w[j]) / Math.abs(w[j]);
  };
}

/** Mean of an input over the window, ignoring NaN. */
export class SimpleMovingAverage extends CustomFactor {
  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    nanmeanCols(w, W, N, outs[0] as F);
  };
}

/** nansum(base × weight) / nansum(weight) over the window. */
export class WeightedAverageValue extends CustomFactor {
  override kernel = (outs: TermData[], [base, weight]: TermData[], W: number, N: number): void => {
    const out = outs[0] as F, num = this.scratch.get("num", N), den = this.scratch.get("den", N);
    num.fill(0);
    for (let k = 0; k < W * N; k++) {
      const p = base[k] * weight[k];
      if (p === p) num[k % N] += p;
    }
    nansumCols(weight, W, N, den);
    for (let j = 0; j < N; j++) out[j] = num[j] / den[j];
  };
}

/** Volume-weighted average close over the window. */
export class VWAP extends WeightedAverageValue {
  static override inputs: readonly Term[] = [EquityPricing.close, EquityPricing.volume];
}

/** Average daily dollar volume: nansum(close × volume) / window_length. */
export class AverageDollarVolume extends CustomFactor {
  static override inputs: readonly Term[] = [EquityPricing.close, EquityPricing.volume];

  override kernel = (outs: TermData[], [close, volume]: TermData[], W: number, N: number): void => {
    const out = outs[0] as F;
    let j = 0;
    for (; j + 2 <= N; j += 2) {
      let s0 = 0, s1 = 0;
      for (let t = 0, k = j; t < W; t++, k += N) {
        s0 += close[k] * volume[k];
        s1 += close[k + 1] * volume[k + 1];
      }
      out[j] = s0;
      out[j + 1] = s1;
    }
    for (; j < N; j++) {
      let s = 0;
      for (let t = 0, k = j; t < W; t++, k += N) s += close[k] * volume[k];
      out[j] = s;
    }
    for (j = 0; j < N; j++) {
      if (out[j] !== out[j]) {
        // Some product was NaN: sum again skipping those (same order: numpy's nansum).
        let s = 0;
        for (let t = 0, k = j; t < W; t++, k += N) {
          const p = close[k] * volume[k];
          if (p === p) s += p;
        }
        out[j] = s;
      }
      out[j] /= W;
    }
  };
}

/** Largest peak-to-trough fall over the window, as a fraction of the trough. */
export class MaxDrawdown extends CustomFactor {
  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    const out = outs[0] as F;
    for (let j = 0; j < N; j++) {
      // fmax.accumulate − data; NaN drawdowns count as −inf; the first largest one ends it.
      let peak = NaN, best = -Infinity, end = 0;
      for (let t = 0; t < W; t++) {
        const v = w[t * N + j];
        if (v === v && !(peak >= v)) peak = v;
        const dd = peak - v;
        if ((dd === dd ? dd : -Infinity) > best) {
          best = dd === dd ? dd : -Infinity;
          end = t;
        }
      }
      let hi = NaN;
      for (let t = 0; t <= end; t++) {
        const v = w[t * N + j];
        if (v === v && !(hi >= v)) hi = v;
      }
      const trough = w[end * N + j];
      out[j] = (hi - trough) / trough;
    }
  };
}

/** zipline's exponential weights: decay^(W+1) … decay^2, oldest first. */
function exponentialWeights(length: number, decay: number): Float64Array {
  return Float64Array.from({ length }, (_, t) => Math.pow(decay, length + 1 - t));
}

/** The window, weights and weight sum of an EWM factor (cached per window length). */
function weighted(self: CustomFactor & { weights?: [number, Float64Array, number] }, W: number) {
  if (!self.weights || self.weights[0] !== W) {
    const w = exponentialWeights(W, self.params.decay_rate as number);
    self.weights = [W, w, pairwiseSum(w)];
  }
  return self.weights;
}

function ewmMean(w: TermData, weights: Float64Array, sum: number, W: number, N: number, out: F) {
  out.fill(0);
  for (let t = 0; t < W; t++) {
    const b = t * N, k = weights[t];
    for (let j = 0; j < N; j++) out[j] += w[b + j] * k;
  }
  for (let j = 0; j < N; j++) out[j] /= sum;
}

/** Shared by EWMA and EWMSTD: `decay_rate` and the span/halflife/center-of-mass builders. */
abstract class ExponentialWeightedFactor extends CustomFactor {
  static override params: readonly string[] = ["decay_rate"];
  weights?: [number, Float64Array, number];

  constructor(opts: CustomTermOptions = {}) {
    super(opts);
    const d = this.params.decay_rate as number;
    if (!(d > 0 && d <= 1)) throw new PipelineError(`decay_rate must be in (0, 1] (got ${d})`);
  }

  /** decay_rate = 1 − 2 / (1 + span), as pandas' `span`. */
  static from_span<T extends ExponentialWeightedFactor>(
    this: new (o: CustomTermOptions) => T,
    opts: CustomTermOptions & { span: number },
  ): T {
    const { span, ...rest } = opts;
    if (!(span > 1)) throw new PipelineError(`span must be > 1 (got ${span})`);
    return new this({ ...rest, decay_rate: 1 - 2 / (1 + span) });
  }

  /** decay_rate = exp(ln 0.5 / halflife), as pandas' `halflife`. */
  static from_halflife<T extends ExponentialWeightedFactor>(
    this: new (o: CustomTermOptions) => T,
    opts: CustomTermOptions & { halflife: number },
  ): T {
    const { halflife, ...rest } = opts;
    if (!(halflife > 0)) throw new PipelineError(`halflife must be > 0 (got ${halflife})`);
    return new this({ ...rest, decay_rate: Math.exp(Math.log(0.5) / halflife) });
  }

  /** decay_rate = 1 − 1 / (1 + center_of_mass), as pandas' `com`. */
  static from_center_of_mass<T extends ExponentialWeightedFactor>(
    this: new (o: CustomTermOptions) => T,
    opts: CustomTermOptions & { center_of_mass: number },
  ): T {
    const { center_of_mass, ...rest } = opts;
    return new this({ ...rest, decay_rate: 1 - 1 / (1 + center_of_mass) });
  }
}

/** Exponentially weighted moving average (NaN in the window gives NaN). */
export class ExponentialWeightedMovingAverage extends ExponentialWeightedFactor {
  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    const [, weights, sum] = weighted(this, W);
    ewmMean(w, weights, sum, W, N, outs[0] as F);
  };
}

/** Exponentially weighted moving standard deviation, bias-corrected. */
export class ExponentialWeightedMovingStdDev extends ExponentialWeightedFactor {
  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    const [, weights, sum] = weighted(this, W), out = outs[0] as F;
    const mean = this.scratch.get("mean", N);
    ewmMean(w, weights, sum, W, N, mean);
    out.fill(0);
    for (let t = 0; t < W; t++) {
      const b = t * N, k = weights[t];
      for (let j = 0; j < N; j++) {
        const d = w[b + j] - mean[j];
        out[j] += d * d * k;
      }
    }
    const sq = sum * sum, correction = sq / (sq - pairwiseSum(weights.map((x) => x * x)));
    for (let j = 0; j < N; j++) out[j] = Math.sqrt((out[j] / sum) * correction);
  };
}

/** zipline's alias of ExponentialWeightedMovingAverage. */
export const EWMA = ExponentialWeightedMovingAverage;
/** zipline's alias of ExponentialWeightedMovingStdDev. */
export const EWMSTD = ExponentialWeightedMovingStdDev;

/** Linearly weighted average (weights 1…W, newest heaviest), NaN counted as 0. */
export class LinearWeightedMovingAverage extends CustomFactor {
  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    const out = outs[0] as F;
    out.fill(0);
    for (let t = 0; t < W; t++) {
      for (let j = 0; j < N; j++) {
        const p = w[t * N + j] * (t + 1);
        if (p === p) out[j] += p;
      }
    }
    const norm = (W * (W + 1)) / 2;
    for (let j = 0; j < N; j++) out[j] /= norm;
  };
}

/** Standard deviation (ddof 0) of daily returns × √annualization_factor. */
export class AnnualizedVolatility extends CustomFactor {
  static override inputs: readonly Term[] = [new Returns({ window_length: 2 })];
  static override params = { annualization_factor: 252 };
  static override window_length = 252;

  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    const out = outs[0] as F;
    nanstdCols(w, W, N, out, this.scratch.get("mean", N));
    const k = Math.pow(this.params.annualization_factor as number, 0.5);
    for (let j = 0; j < N; j++) out[j] *= k;
  };
}
