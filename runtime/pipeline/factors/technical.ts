/** zipline's technical-analysis factors: RSI, Bollinger Bands, Aroon, stochastics, ROC. */
import { CustomFactor } from "../custom.ts";
import { EquityPricing } from "../dataset.ts";
import type { Factor } from "../factor.ts";
import { nanargextremeCols, nanextremeCols, nanstdCols } from "../kernels/columns.ts";
import type { Term, TermData } from "../term.ts";

type F = Float64Array;

/**
 * Relative Strength Index over `window_length` closes (default 15, so 14 changes):
 * 100 − 100 / (1 + mean gain / mean loss), NaN changes skipped; 100 when nothing fell.
 */
export class RSI extends CustomFactor {
  static override inputs: readonly Term[] = [EquityPricing.close];
  static override window_length = 15;
  static override window_safe = true;

  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    const out = outs[0] as F;
    for (let j = 0; j < N; j++) {
      // Gains and losses as (d ± |d|) / 2: exact, branch-free, and NaN-propagating.
      let ups = 0, downs = 0, prev = w[j];
      for (let k = j + N; k < W * N; k += N) {
        const x = w[k], d = x - prev, m = Math.abs(d);
        ups += (d + m) * 0.5;
        downs += (d - m) * 0.5;
        prev = x;
      }
      let up = ups / (W - 1), down = Math.abs(downs / (W - 1));
      // A NaN change: numpy's nanmean skips it; redo this column that way.
      if (up !== up || down !== down) [up, down] = this.#meansSkippingNaN(w, W, N, j);
      out[j] = 100 - (100 / (1 + (up / down)));
    }
  };

  /** Mean gain and |mean loss| of column `j`, skipping NaN changes (numpy's nanmean). */
  #meansSkippingNaN(w: TermData, W: number, N: number, j: number): [number, number] {
    let up = 0, down = 0, n = 0;
    for (let t = 1; t < W; t++) {
      const d = w[t * N + j] - w[(t - 1) * N + j];
      if (d === d) {
        up += d > 0 ? d : 0;
        down += d < 0 ? d : 0;
        n++;
      }
    }
    return n ? [up / n, Math.abs(down / n)] : [NaN, NaN];
  }
}

/** Bollinger Bands: outputs `lower`, `middle` (nanmean), `upper` = middle ± k × nanstd. */
export class BollingerBands extends CustomFactor {
  static override inputs: readonly Term[] = [EquityPricing.close];
  static override params: readonly string[] = ["k"];
  static override outputs = ["lower", "middle", "upper"];

  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    const [lower, middle, upper] = outs as F[], std = this.scratch.get("std", N);
    nanstdCols(w, W, N, std, middle);
    const k = this.params.k as number;
    for (let j = 0; j < N; j++) {
      const diff = k * std[j];
      upper[j] = middle[j] + diff;
      lower[j] = middle[j] - diff;
    }
  };

  /** The lower band. */
  get lower(): Factor {
    return this.output("lower");
  }
  /** The middle band (the moving average). */
  get middle(): Factor {
    return this.output("middle");
  }
  /** The upper band. */
  get upper(): Factor {
    return this.output("upper");
  }
}

/** Aroon: outputs `down` and `up`, 100 × (row of the window's low / high) / (window − 1). */
export class Aroon extends CustomFactor {
  static override inputs: readonly Term[] = [EquityPricing.low, EquityPricing.high];
  static override outputs = ["down", "up"];

  override kernel = (outs: TermData[], [lows, highs]: TermData[], W: number, N: number): void => {
    const [down, up] = outs as F[], best = this.scratch.get("best", N);
    nanargextremeCols(highs, W, N, up, best, true);
    nanargextremeCols(lows, W, N, down, best, false);
    for (let j = 0; j < N; j++) {
      up[j] = up[j] < 0 ? NaN : (100 * up[j]) / (W - 1);
      down[j] = down[j] < 0 ? NaN : (100 * down[j]) / (W - 1);
    }
  };
}

/** Fast stochastic oscillator %K: (close − lowest low) / (highest high − lowest low) × 100. */
export class FastStochasticOscillator extends CustomFactor {
  static override inputs: readonly Term[] = [
    EquityPricing.close,
    EquityPricing.low,
    EquityPricing.high,
  ];
  static override window_length = 14;
  static override window_safe = true;

  override kernel = (
    outs: TermData[],
    [closes, lows, highs]: TermData[],
    W: number,
    N: number,
  ): void => {
    const out = outs[0] as F, hh = this.scratch.get("hh", N), ll = this.scratch.get("ll", N);
    nanextremeCols(highs, W, N, hh, true);
    nanextremeCols(lows, W, N, ll, false);
    const last = (W - 1) * N;
    for (let j = 0; j < N; j++) out[j] = ((closes[last + j] - ll[j]) / (hh[j] - ll[j])) * 100;
  };
}

/** Rate of change in percent over the window: (last − first) / first × 100. */
export class RateOfChangePercentage extends CustomFactor {
  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    const out = outs[0] as F, last = (W - 1) * N;
    for (let j = 0; j < N; j++) out[j] = ((w[last + j] - w[j]) / w[j]) * 100;
  };
}

/** True range: the largest of high − low, |high − previous close|, |low − previous close|. */
export class TrueRange extends CustomFactor {
  static override inputs: readonly Term[] = [
    EquityPricing.high,
    EquityPricing.low,
    EquityPricing.close,
  ];
  static override window_length = 2;

  override kernel = (
    outs: TermData[],
    [highs, lows, closes]: TermData[],
    W: number,
    N: number,
  ): void => {
    const out = outs[0] as F;
    const tmp = this.scratch.get("tmp", 3 * N);
    for (let j = 0; j < N; j++) {
      const h = highs[(W - 1) * N + j], l = lows[(W - 1) * N + j], c = closes[(W - 2) * N + j];
      tmp[j] = h - l;
      tmp[N + j] = Math.abs(h - c);
      tmp[2 * N + j] = Math.abs(l - c);
    }
    nanextremeCols(tmp, 3, N, out, true);
  };
}
