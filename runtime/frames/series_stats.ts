/**
 * NaN-skipping reductions over a Float64Array, with pandas' rules for empty and all-NaN input
 * (`pandas/core/nanops.py`): sums use numpy's pairwise order and variance is two-pass (mean
 * first, then the sum of squared deviations), so results match pandas bit for bit.
 */

/** Number of non-NaN values. */
export function nancount(x: Float64Array): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) n++;
  return n;
}

/**
 * numpy's pairwise summation of `x[lo..lo+n)`, NaN counted as 0 (pandas fills NaN with 0
 * before summing), so sums match `np.sum` bit for bit.
 */
function pairwise(x: Float64Array, lo: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = lo; i < lo + n; i++) if (x[i] === x[i]) res += x[i];
    return res;
  }
  if (n <= 128) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) r[j] = x[lo + j] === x[lo + j] ? x[lo + j] : 0;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) {
        const v = x[lo + i + j];
        if (v === v) r[j] += v;
      }
    }
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) if (x[lo + i] === x[lo + i]) res += x[lo + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(x, lo, n2) + pairwise(x, lo + n2, n - n2);
}

/** Sum of non-NaN values (numpy pairwise order); 0 when there are none, as pandas. */
export function nansum(x: Float64Array): number {
  return pairwise(x, 0, x.length);
}

/** Mean of non-NaN values; NaN when there are none. */
export function nanmean(x: Float64Array): number {
  const n = nancount(x);
  return n === 0 ? NaN : nansum(x) / n;
}

/**
 * Variance of non-NaN values with `ddof`, two-pass as pandas' `nanvar` (mean, then the sum of
 * squared deviations); NaN when there are no more than `ddof` values.
 */
export function nanvar(x: Float64Array, ddof = 1): number {
  const n = nancount(x);
  if (n - ddof <= 0) return NaN;
  const avg = nansum(x) / n;
  const sqr = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) sqr[i] = x[i] === x[i] ? (avg - x[i]) ** 2 : 0;
  return pairwise(sqr, 0, sqr.length) / (n - ddof);
}

/** Smallest non-NaN value; NaN when there are none. */
export function nanmin(x: Float64Array): number {
  let m = NaN;
  for (let i = 0; i < x.length; i++) if (x[i] < m || m !== m) m = x[i];
  return m;
}

/** Largest non-NaN value; NaN when there are none. */
export function nanmax(x: Float64Array): number {
  let m = NaN;
  for (let i = 0; i < x.length; i++) if (x[i] > m || m !== m) m = x[i];
  return m;
}

/** Median of non-NaN values (mean of the middle two for an even count); NaN when none. */
export function nanmedian(x: Float64Array): number {
  const n = nancount(x);
  if (n === 0) return NaN;
  const sorted = new Float64Array(n);
  for (let i = 0, j = 0; i < x.length; i++) if (x[i] === x[i]) sorted[j++] = x[i];
  sorted.sort();
  const h = n >> 1;
  return n % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}
