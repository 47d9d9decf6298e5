/**
 * The little statistics factor analysis needs: average ranks (pandas `rank`, ties averaged),
 * Pearson and Spearman correlation, and Student's t distribution for `scipy.stats.ttest_1samp`'s
 * two-sided p-value (regularised incomplete beta by continued fraction, Numerical Recipes 6.4).
 *
 * @module
 */
import { studentTSf } from "../../frames/distributions.ts";

/** Ranks 1…n with ties given their average rank. @example rank([10, 20, 10]) // [1.5, 3, 1.5] */
export function rank(x: readonly number[]): number[] {
  const order = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(x.length);
  for (let a = 0; a < order.length;) {
    let b = a;
    while (b < order.length && order[b][0] === order[a][0]) b++;
    const r = (a + b + 1) / 2; // ranks a+1 … b averaged
    for (let k = a; k < b; k++) out[order[k][1]] = r;
    a = b;
  }
  return out;
}

/** Pearson correlation; NaN with fewer than 2 pairs or no variance. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n < 2) return NaN;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rank correlation (`scipy.stats.spearmanr`). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  return pearson(rank(x), rank(y));
}

/**
 * `scipy.stats.ttest_1samp(x, 0)`: t = mean / (std(ddof=1) / √n) and its two-sided p-value with
 * n − 1 degrees of freedom (NaN values dropped).
 *
 * @example
 * ```ts
 * ttest_1samp([0.1, 0.2, 0.3]); // { t: 3.4641…, p: 0.0742… }
 * ```
 */
export function ttest_1samp(values: readonly number[]): { t: number; p: number } {
  const x = values.filter((v) => v === v), n = x.length;
  if (n < 2) return { t: NaN, p: NaN };
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(x.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const t = mean / (sd / Math.sqrt(n)), df = n - 1;
  return { t, p: Number.isFinite(t) ? 2 * studentTSf(Math.abs(t), df) : NaN };
}
