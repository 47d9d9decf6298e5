/**
 * The little statistics factor analysis needs: average ranks (pandas `rank`, ties averaged),
 * Pearson and Spearman correlation, and Student's t distribution for `scipy.stats.ttest_1samp`'s
 * two-sided p-value (regularised incomplete beta by continued fraction, Numerical Recipes 6.4).
 *
 * @module
 */

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

function lgamma(z: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const c = [
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lgamma(1 - z);
  z -= 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function betacf(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
export function incbeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betacf(a, b, x)) / a
    : 1 - (front * betacf(b, a, 1 - x)) / b;
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
  return { t, p: Number.isFinite(t) ? incbeta(df / (df + t * t), df / 2, 0.5) : NaN };
}
