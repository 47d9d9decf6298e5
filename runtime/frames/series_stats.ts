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
    // numpy's eight accumulators, as locals: no array per call (a Series' mean runs per asset
    // per bar in users' strategies), same additions in the same order.
    const z = (v: number) => (v === v ? v : 0);
    let r0 = z(x[lo]), r1 = z(x[lo + 1]), r2 = z(x[lo + 2]), r3 = z(x[lo + 3]);
    let r4 = z(x[lo + 4]), r5 = z(x[lo + 5]), r6 = z(x[lo + 6]), r7 = z(x[lo + 7]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const at = lo + i;
      let v = x[at];
      if (v === v) r0 += v;
      v = x[at + 1];
      if (v === v) r1 += v;
      v = x[at + 2];
      if (v === v) r2 += v;
      v = x[at + 3];
      if (v === v) r3 += v;
      v = x[at + 4];
      if (v === v) r4 += v;
      v = x[at + 5];
      if (v === v) r5 += v;
      v = x[at + 6];
      if (v === v) r6 += v;
      v = x[at + 7];
      if (v === v) r7 += v;
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
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
  const len = x.length;
  if (len < 8 || len > 128) {
    const n = nancount(x);
    return n === 0 ? NaN : nansum(x) / n;
  }
  // A window of 8…128 values (a moving average's): numpy's one block of eight accumulators,
  // counting as it sums — the same additions in the same order as `pairwise`, in one pass.
  let n = 0, r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6 = 0, r7 = 0;
  let v = x[0];
  if (v === v) (r0 = v), n++;
  v = x[1];
  if (v === v) (r1 = v), n++;
  v = x[2];
  if (v === v) (r2 = v), n++;
  v = x[3];
  if (v === v) (r3 = v), n++;
  v = x[4];
  if (v === v) (r4 = v), n++;
  v = x[5];
  if (v === v) (r5 = v), n++;
  v = x[6];
  if (v === v) (r6 = v), n++;
  v = x[7];
  if (v === v) (r7 = v), n++;
  let i = 8;
  for (const end = len - (len % 8); i < end; i += 8) {
    v = x[i];
    if (v === v) (r0 += v), n++;
    v = x[i + 1];
    if (v === v) (r1 += v), n++;
    v = x[i + 2];
    if (v === v) (r2 += v), n++;
    v = x[i + 3];
    if (v === v) (r3 += v), n++;
    v = x[i + 4];
    if (v === v) (r4 += v), n++;
    v = x[i + 5];
    if (v === v) (r5 += v), n++;
    v = x[i + 6];
    if (v === v) (r6 += v), n++;
    v = x[i + 7];
    if (v === v) (r7 += v), n++;
  }
  let sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
  for (; i < len; i++) if (x[i] === x[i]) (sum += x[i]), n++;
  return n === 0 ? NaN : sum / n;
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
