/**
 * How much of a selection's performance is selection: the deflated Sharpe ratio (Bailey and
 * López de Prado, "The Deflated Sharpe Ratio", Journal of Portfolio Management 40(5), 2014) and
 * the probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey,
 * Borwein, López de Prado and Zhu, "The Probability of Backtest Overfitting", Journal of
 * Computational Finance 20(4), 2017). Sharpe ratios here are per period (not annualised), as
 * both papers state their formulas.
 *
 * @module
 */
import { normal_cdf, normal_ppf } from "./normal.ts";

/** The Euler–Mascheroni constant. */
const EULER_GAMMA = 0.5772156649015329;

/** Mean, sample standard deviation (ddof 1), skewness and kurtosis (not excess) of a series. */
export function moments(
  returns: ArrayLike<number>,
): { n: number; mean: number; std: number; skew: number; kurtosis: number } {
  let n = 0, sum = 0;
  for (let i = 0; i < returns.length; i++) {
    if (!Number.isNaN(returns[i])) (n++, sum += returns[i]);
  }
  const mean = sum / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < returns.length; i++) {
    const d = returns[i] - mean;
    if (Number.isNaN(d)) continue;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  const std = Math.sqrt(m2 / (n - 1));
  m2 /= n;
  return { n, mean, std, skew: m3 / n / m2 ** 1.5, kurtosis: m4 / n / (m2 * m2) };
}

/**
 * The per-period Sharpe ratio: mean over sample standard deviation (empyrical's Sharpe ratio
 * divided by √252 for daily returns).
 *
 * @example
 * ```ts
 * periodSharpe([0.01, -0.005, 0.02]); // 0.6…
 * ```
 */
export function periodSharpe(returns: ArrayLike<number>): number {
  const m = moments(returns);
  return m.n < 2 || m.std === 0 ? NaN : m.mean / m.std;
}

/**
 * The Sharpe ratio the best of `trials` independent strategies with no skill is expected to
 * show, given the variance of the trials' Sharpe ratios (the DSR paper's SR₀):
 * `√V · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e)))`; 0 for a single trial.
 *
 * @example
 * ```ts
 * expected_max_sharpe(100, 0.5 / 250); // 0.1132 (the paper's example, per day)
 * ```
 */
export function expected_max_sharpe(trials: number, variance: number): number {
  if (trials <= 1) return 0;
  return Math.sqrt(variance) *
    ((1 - EULER_GAMMA) * normal_ppf(1 - 1 / trials) +
      EULER_GAMMA * normal_ppf(1 - 1 / (trials * Math.E)));
}

/**
 * The probabilistic Sharpe ratio: the probability that the true Sharpe ratio exceeds `benchmark`
 * given an observed `sharpe` over `n` returns with this skewness and kurtosis (not excess).
 *
 * @example
 * ```ts
 * probabilistic_sharpe_ratio(0.1581, 0.1132, 1250, -3, 10); // 0.9004
 * ```
 */
export function probabilistic_sharpe_ratio(
  sharpe: number,
  benchmark: number,
  n: number,
  skew: number,
  kurtosis: number,
): number {
  const denom = 1 - skew * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (!(denom > 0) || n < 2) return NaN;
  return normal_cdf(((sharpe - benchmark) * Math.sqrt(n - 1)) / Math.sqrt(denom));
}

/** A deflated Sharpe ratio and what went into it. */
export interface DeflatedSharpe {
  /** The probability that the selected strategy's true Sharpe ratio is above SR₀. */
  dsr: number;
  /** The selection's per-period Sharpe ratio. */
  sharpe: number;
  /** The expected best per-period Sharpe ratio of `trials` strategies with no skill. */
  sr0: number;
  trials: number;
  /** Returns of the selection. */
  n: number;
  skew: number;
  kurtosis: number;
}

/**
 * The deflated Sharpe ratio of a selection: the chosen returns, and the per-period Sharpe ratios
 * of every trial it was chosen from (itself included; NaN trials are not counted).
 *
 * @example
 * ```ts
 * deflated_sharpe_ratio(best.returns, rows.map((r) => periodSharpe(r.returns))).dsr;
 * ```
 */
export function deflated_sharpe_ratio(
  selected: ArrayLike<number>,
  trialSharpes: readonly number[],
): DeflatedSharpe {
  const trials = trialSharpes.filter((x) => !Number.isNaN(x));
  const m = moments(selected);
  const sharpe = m.n < 2 || m.std === 0 ? NaN : m.mean / m.std;
  let variance = 0;
  if (trials.length > 1) {
    const mean = trials.reduce((a, b) => a + b, 0) / trials.length;
    variance = trials.reduce((a, b) => a + (b - mean) ** 2, 0) / (trials.length - 1);
  }
  const sr0 = expected_max_sharpe(trials.length, variance);
  return {
    dsr: probabilistic_sharpe_ratio(sharpe, sr0, m.n, m.skew, m.kurtosis),
    sharpe,
    sr0,
    trials: trials.length,
    n: m.n,
    skew: m.skew,
    kurtosis: m.kurtosis,
  };
}

/** The probability of backtest overfitting and its parts. */
export interface Overfitting {
  /** The share of combinations whose in-sample best ranks at or below the median out of sample. */
  pbo: number;
  /** λ of each combination: the logit of the in-sample best's relative rank out of sample. */
  logits: number[];
  /** Number of blocks and of trials. */
  blocks: number;
  trials: number;
}

/** Every subset of `k` indexes out of `n`, in lexicographic order. */
export function subsets(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick = (from: number, chosen: number[]) => {
    if (chosen.length === k) return void out.push(chosen);
    for (let i = from; i <= n - (k - chosen.length); i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return out;
}

/** The rank of `values[at]` among `values`, 1 the lowest, ties sharing their mean rank. */
function rankOf(values: readonly number[], at: number): number {
  const v = values[at];
  let below = 0, equal = 0;
  for (const x of values) {
    if (x < v || (Number.isNaN(x) && !Number.isNaN(v))) below++;
    else if (x === v) equal++;
  }
  return below + (equal + 1) / 2;
}

/**
 * Combinatorially symmetric cross-validation: `blocks[s][n]` holds trial `n`'s returns in block
 * `s`; every choice of half the blocks (⌊S/2⌋ of them) is the in-sample part and the rest the
 * out-of-sample part. In each, the trial with the best in-sample `metric` is found and its
 * relative rank ω out of sample (rank / (N + 1)) gives λ = ln(ω / (1 − ω)); the probability of
 * backtest overfitting is the share of combinations with λ ≤ 0.
 *
 * @example
 * ```ts
 * cscv(folds.map((f) => f.cells.map((c) => c.returns)), periodSharpe).pbo;
 * ```
 */
export function cscv(
  blocks: readonly (readonly ArrayLike<number>[])[],
  metric: (returns: ArrayLike<number>) => number = periodSharpe,
): Overfitting {
  const S = blocks.length, N = S ? blocks[0].length : 0;
  if (S < 2 || N < 2) return { pbo: NaN, logits: [], blocks: S, trials: N };
  const joined = (chosen: readonly number[], n: number) =>
    chosen.flatMap((s) => Array.from(blocks[s][n]));
  const logits: number[] = [];
  for (const inSample of subsets(S, Math.floor(S / 2))) {
    const outSample = [...Array(S).keys()].filter((s) => !inSample.includes(s));
    const is = Array.from({ length: N }, (_, n) => metric(joined(inSample, n)));
    let best = -1;
    is.forEach((v, n) => {
      if (!Number.isNaN(v) && (best < 0 || v > is[best])) best = n;
    });
    if (best < 0) continue;
    const oos = Array.from({ length: N }, (_, n) => metric(joined(outSample, n)));
    const omega = rankOf(oos, best) / (N + 1);
    logits.push(Math.log(omega / (1 - omega)));
  }
  const pbo = logits.length ? logits.filter((l) => l <= 0).length / logits.length : NaN;
  return { pbo, logits, blocks: S, trials: N };
}
