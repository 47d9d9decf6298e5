/**
 * Column reductions over a date-major window (`rows × cols`, element `(t, j)` at `t * cols + j`),
 * numpy's `axis=0` reductions: rows are added in order (numpy reduces axis 0 row by row), NaN
 * skipped by the `nan*` forms. Each writes one value per column into `out`. Pure functions; the
 * loops run along rows so memory is read in order.
 */

/** Reusable scratch arrays, one per size asked for. */
export class Scratch {
  #bufs = new Map<string, Float64Array>();
  /** A zeroed-or-stale Float64Array of length `n` for slot `name` (callers initialise it). */
  get(name: string, n: number): Float64Array {
    let b = this.#bufs.get(name);
    if (!b || b.length < n) this.#bufs.set(name, b = new Float64Array(n));
    return b.length === n ? b : b.subarray(0, n);
  }
}

// Each reduction first sums every column as if nothing were missing (one add per value); only
// columns whose result is NaN are summed again skipping NaN. Both add in row order, so the
// result is the same as numpy's either way.

/** Sum of column `j` skipping NaN, and how many values were summed. */
function nansumCol(w: ArrayLike<number>, rows: number, cols: number, j: number): [number, number] {
  let s = 0, n = 0;
  for (let t = 0; t < rows; t++) {
    const v = w[t * cols + j];
    if (v === v) {
      s += v;
      n++;
    }
  }
  return [s, n];
}

/**
 * Sum of each column in row order. Four columns at a time with scalar accumulators: the
 * window's rows stay in cache and nothing is stored until a column is done.
 */
function sumCols(w: ArrayLike<number>, rows: number, cols: number, out: Float64Array): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let t = 0, k = j; t < rows; t++, k += cols) {
      s0 += w[k];
      s1 += w[k + 1];
      s2 += w[k + 2];
      s3 += w[k + 3];
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < cols; j++) {
    let s = 0;
    for (let t = 0, k = j; t < rows; t++, k += cols) s += w[k];
    out[j] = s;
  }
}

/** Sum over rows of (w − m[j])² per column, in row order (NaN when any value is NaN). */
function sumSquaredDeviations(
  w: ArrayLike<number>,
  rows: number,
  cols: number,
  m: Float64Array,
  out: Float64Array,
): void {
  let j = 0;
  for (; j + 2 <= cols; j += 2) {
    let s0 = 0, s1 = 0;
    const m0 = m[j], m1 = m[j + 1];
    for (let t = 0, k = j; t < rows; t++, k += cols) {
      const d0 = w[k] - m0, d1 = w[k + 1] - m1;
      s0 += d0 * d0;
      s1 += d1 * d1;
    }
    out[j] = s0;
    out[j + 1] = s1;
  }
  for (; j < cols; j++) {
    let s = 0;
    for (let t = 0, k = j; t < rows; t++, k += cols) s += (w[k] - m[j]) * (w[k] - m[j]);
    out[j] = s;
  }
}

/** numpy `nansum(w, axis=0)` (0 for an all-NaN column). */
export function nansumCols(w: ArrayLike<number>, rows: number, cols: number, out: Float64Array) {
  sumCols(w, rows, cols, out);
  for (let j = 0; j < cols; j++) if (out[j] !== out[j]) out[j] = nansumCol(w, rows, cols, j)[0];
}

/** numpy `nanmean(w, axis=0)` (NaN for an all-NaN column). */
export function nanmeanCols(w: ArrayLike<number>, rows: number, cols: number, out: Float64Array) {
  sumCols(w, rows, cols, out);
  for (let j = 0; j < cols; j++) {
    if (out[j] === out[j]) out[j] /= rows;
    else {
      const [s, n] = nansumCol(w, rows, cols, j);
      out[j] = n > 0 ? s / n : NaN;
    }
  }
}

/** numpy `mean(w, axis=0)`: NaN propagates. */
export function meanCols(w: ArrayLike<number>, rows: number, cols: number, out: Float64Array) {
  sumCols(w, rows, cols, out);
  for (let j = 0; j < cols; j++) out[j] /= rows;
}

/**
 * numpy `nanstd(w, axis=0)` with ddof 0 (two passes: mean, then mean squared deviation);
 * `mean` is scratch of `cols` and holds the means afterwards.
 */
export function nanstdCols(
  w: ArrayLike<number>,
  rows: number,
  cols: number,
  out: Float64Array,
  mean: Float64Array,
): void {
  nanmeanCols(w, rows, cols, mean);
  sumSquaredDeviations(w, rows, cols, mean, out);
  for (let j = 0; j < cols; j++) {
    if (out[j] === out[j]) {
      out[j] = Math.sqrt(out[j] / rows);
      continue;
    }
    let ss = 0, n = 0;
    for (let t = 0; t < rows; t++) {
      const v = w[t * cols + j];
      if (v === v) {
        ss += (v - mean[j]) * (v - mean[j]);
        n++;
      }
    }
    out[j] = n > 0 ? Math.sqrt(ss / n) : NaN;
  }
}

/** numpy `nanmax(w, axis=0)` / `nanmin` (NaN for an all-NaN column). */
export function nanextremeCols(
  w: ArrayLike<number>,
  rows: number,
  cols: number,
  out: Float64Array,
  max: boolean,
): void {
  out.fill(NaN, 0, cols);
  for (let t = 0; t < rows; t++) {
    const b = t * cols;
    for (let j = 0; j < cols; j++) {
      const v = w[b + j], o = out[j];
      if (v === v && (o !== o || (max ? v > o : v < o))) out[j] = v;
    }
  }
}

/**
 * numpy `nanargmax(w, axis=0)` / `nanargmin`: row of the first extreme value; -1 marks an
 * all-NaN column (numpy raises there; callers decide what to output).
 */
export function nanargextremeCols(
  w: ArrayLike<number>,
  rows: number,
  cols: number,
  out: Float64Array,
  best: Float64Array,
  max: boolean,
): void {
  out.fill(-1, 0, cols);
  best.fill(NaN, 0, cols);
  for (let t = 0; t < rows; t++) {
    const b = t * cols;
    for (let j = 0; j < cols; j++) {
      const v = w[b + j], o = best[j];
      if (v === v && (o !== o || (max ? v > o : v < o))) {
        best[j] = v;
        out[j] = t;
      }
    }
  }
}

/**
 * numpy's pairwise summation of a contiguous 1-d array (what `np.sum` does along its fast
 * axis), so weight sums match numpy's to the bit.
 */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length): number {
  if (n < 8) {
    let s = -0;
    for (let i = 0; i < n; i++) s += a[start + i];
    return s;
  }
  if (n <= 128) {
    const r = [a[start], a[start + 1], a[start + 2], a[start + 3]];
    const q = [a[start + 4], a[start + 5], a[start + 6], a[start + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      r[0] += a[start + i];
      r[1] += a[start + i + 1];
      r[2] += a[start + i + 2];
      r[3] += a[start + i + 3];
      q[0] += a[start + i + 4];
      q[1] += a[start + i + 5];
      q[2] += a[start + i + 6];
      q[3] += a[start + i + 7];
    }
    let s = ((r[0] + r[1]) + (r[2] + r[3])) + ((q[0] + q[1]) + (q[2] + q[3]));
    for (; i < n; i++) s += a[start + i];
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}
