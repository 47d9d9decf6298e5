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
 * numpy's pairwise summation of `term(x[i])` over `x[lo..lo+n)`, NaN terms counted as 0 (as
 * pandas fills NaN with 0 before summing), so sums match `np.sum` bit for bit.
 */
function pairwise(x: Float64Array, lo: number, n: number, term: (v: number) => number): number {
  const t = (i: number): number => {
    const v = x[i];
    return v === v ? term(v) : 0;
  };
  if (n < 8) {
    let res = 0;
    for (let i = lo; i < lo + n; i++) res += t(i);
    return res;
  }
  if (n <= 128) {
    let r0 = t(lo), r1 = t(lo + 1), r2 = t(lo + 2), r3 = t(lo + 3);
    let r4 = t(lo + 4), r5 = t(lo + 5), r6 = t(lo + 6), r7 = t(lo + 7);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const j = lo + i;
      r0 += t(j), r1 += t(j + 1), r2 += t(j + 2), r3 += t(j + 3);
      r4 += t(j + 4), r5 += t(j + 5), r6 += t(j + 6), r7 += t(j + 7);
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += t(lo + i);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(x, lo, n2, term) + pairwise(x, lo + n2, n - n2, term);
}

const identity = (v: number): number => v;

/** Sum of non-NaN values (numpy pairwise order); 0 when there are none, as pandas. */
export function nansum(x: Float64Array): number {
  return pairwise(x, 0, x.length, identity);
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
  return pairwise(x, 0, x.length, (v) => (avg - v) ** 2) / (n - ddof);
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
