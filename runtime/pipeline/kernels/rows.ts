/**
 * Cross-sectional (per-day) kernels with zipline's NaN and tie rules: ranking, quantile labels,
 * percentiles, de-meaning, z-scores and winsorizing of one row of values. Pure functions over
 * typed arrays; `idx` arguments are scratch index arrays the caller reuses.
 */

/** zipline's rank methods (scipy's `rankdata` names). */
export type RankMethod = "ordinal" | "average" | "min" | "max" | "dense";

/** Scratch buffers of `rankPositions`, at least as long as the rows ranked. */
export interface RankScratch {
  keys: Float64Array;
  ids: Int32Array;
  keys2: Float64Array;
  ids2: Int32Array;
}

/** Scratch for ranking up to `n` values. */
export function rankScratch(n: number): RankScratch {
  return {
    keys: new Float64Array(n),
    ids: new Int32Array(n),
    keys2: new Float64Array(n),
    ids2: new Int32Array(n),
  };
}

/**
 * Stable sort of `keys[0..n)` ascending, carrying `ids` along (insertion-sorted runs of 16,
 * then bottom-up merges). Returns the buffers holding the result.
 */
function stableSort(s: RankScratch, n: number): [Float64Array, Int32Array] {
  const k = s.keys, d = s.ids, RUN = 16;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = lo + RUN < n ? lo + RUN : n;
    for (let i = lo + 1; i < hi; i++) {
      const kv = k[i], dv = d[i];
      let j = i - 1;
      while (j >= lo && k[j] > kv) {
        k[j + 1] = k[j];
        d[j + 1] = d[j];
        j--;
      }
      k[j + 1] = kv;
      d[j + 1] = dv;
    }
  }
  let inFirst = true;
  for (let width = RUN; width < n; width *= 2) {
    const ks = inFirst ? k : s.keys2, ds = inFirst ? d : s.ids2;
    const kd = inFirst ? s.keys2 : k, dd = inFirst ? s.ids2 : d;
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      let i = lo, j = mid, o = lo;
      while (i < mid && j < hi) {
        const a = ks[i], b = ks[j];
        // Ties take the left run first: stable.
        if (b < a) {
          kd[o] = b;
          dd[o++] = ds[j++];
        } else {
          kd[o] = a;
          dd[o++] = ds[i++];
        }
      }
      while (i < mid) {
        kd[o] = ks[i];
        dd[o++] = ds[i++];
      }
      while (j < hi) {
        kd[o] = ks[j];
        dd[o++] = ds[j++];
      }
    }
    inFirst = !inFirst;
  }
  return inFirst ? [k, d] : [s.keys2, s.ids2];
}

/**
 * Ranks the entries of `values` at positions `idx[0..n)` (the non-missing ones, in ascending
 * position order), ascending or descending, writing ranks 1… into `out` at those positions.
 * Ties: "ordinal" breaks them by position (zipline's stable mergesort), the others as scipy's
 * `rankdata`.
 */
export function rankPositions(
  values: ArrayLike<number>,
  idx: Int32Array,
  n: number,
  method: RankMethod,
  ascending: boolean,
  out: Float64Array,
  scratch: RankScratch = rankScratch(n),
): void {
  for (let q = 0; q < n; q++) {
    const v = values[idx[q]];
    // -0 and 0 are one value (as numpy compares them): normalise before sorting.
    scratch.keys[q] = ascending ? v + 0 : -v + 0;
    scratch.ids[q] = idx[q];
  }
  const [keys, ids] = stableSort(scratch, n);
  if (method === "ordinal") {
    for (let q = 0; q < n; q++) out[ids[q]] = q + 1;
    return;
  }
  let q = 0, dense = 0;
  while (q < n) {
    let e = q + 1;
    while (e < n && keys[e] === keys[q]) e++;
    dense++;
    const r = method === "average"
      ? (q + 1 + e) / 2
      : method === "min"
      ? q + 1
      : method === "max"
      ? e
      : dense;
    for (let m = q; m < e; m++) out[ids[m]] = r;
    q = e;
  }
}

/**
 * numpy's linear-interpolation quantile (`np.percentile(…, method="linear")`) of the first `n`
 * entries of `sorted` (ascending, no NaN), `q` in [0, 1].
 */
export function quantileSorted(sorted: ArrayLike<number>, n: number, q: number): number {
  if (n === 0) return NaN;
  const h = q * (n - 1);
  const lo = Math.floor(h), hi = Math.min(lo + 1, n - 1), g = h - lo;
  const a = sorted[lo], b = sorted[hi], d = b - a;
  // numpy's _lerp: a + d*g, or b - d*(1-g) from the upper side (exact at both ends).
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

/** Collects the non-NaN values at positions `idx[0..n)` of `values`, sorted, into `buf`. */
export function sortedValues(
  values: ArrayLike<number>,
  idx: Int32Array,
  n: number,
  buf: Float64Array,
): number {
  let m = 0;
  for (let k = 0; k < n; k++) {
    const v = values[idx[k]];
    if (v === v) buf[m++] = v;
  }
  buf.subarray(0, m).sort();
  return m;
}

/**
 * pandas `qcut(x, bins, labels=False)` over positions `idx[0..n)`: quantile edges of the
 * non-NaN values, labels 0…bins−1 (NaN → `missing`). Throws on duplicate edges, as pandas does.
 */
export function quantileLabels(
  values: ArrayLike<number>,
  idx: Int32Array,
  n: number,
  bins: number,
  buf: Float64Array,
  out: Int32Array,
  missing: number,
): void {
  const m = sortedValues(values, idx, n, buf);
  if (m === 0) {
    for (let k = 0; k < n; k++) out[idx[k]] = missing;
    return;
  }
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) {
    // pandas passes percentages to numpy, which divides them back.
    const q = b === bins ? 1 : ((b * (1 / bins)) * 100) / 100;
    edges[b] = quantileSorted(buf, m, q);
  }
  for (let b = 1; b <= bins; b++) {
    if (!(edges[b] > edges[b - 1])) {
      throw new RangeError(
        `quantiles(${bins}): bin edges must be unique (only ${m} values, some equal); ` +
          `use fewer bins or a mask`,
      );
    }
  }
  for (let k = 0; k < n; k++) {
    const j = idx[k], v = values[j];
    if (v !== v) {
      out[j] = missing;
      continue;
    }
    // searchsorted(edges, v, "left") − 1, with the first edge included in bin 0.
    let lo = 0, hi = bins + 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    out[j] = v === edges[0] ? 0 : lo > bins ? missing : lo - 1;
  }
}

/** Mean of the non-NaN values at positions `idx[0..n)` (NaN if none). */
function nanmeanAt(values: ArrayLike<number>, idx: Int32Array, n: number): number {
  let s = 0, c = 0;
  for (let k = 0; k < n; k++) {
    const v = values[idx[k]];
    if (v === v) {
      s += v;
      c++;
    }
  }
  return c ? s / c : NaN;
}

/** zipline's `demean`: value − nanmean of the group. */
export function demeanAt(values: ArrayLike<number>, idx: Int32Array, n: number, out: Float64Array) {
  const mean = nanmeanAt(values, idx, n);
  for (let k = 0; k < n; k++) out[idx[k]] = values[idx[k]] - mean;
}

/** zipline's `zscore`: (value − nanmean) / nanstd (ddof 0) of the group. */
export function zscoreAt(values: ArrayLike<number>, idx: Int32Array, n: number, out: Float64Array) {
  const mean = nanmeanAt(values, idx, n);
  let ss = 0, c = 0;
  for (let k = 0; k < n; k++) {
    const v = values[idx[k]];
    if (v === v) {
      ss += (v - mean) * (v - mean);
      c++;
    }
  }
  const std = c ? Math.sqrt(ss / c) : NaN;
  for (let k = 0; k < n; k++) out[idx[k]] = (values[idx[k]] - mean) / std;
}

/**
 * zipline's `winsorize` (after scipy.stats.mstats.winsorize): values ranked below
 * `min_percentile` take the value at that rank, above `max_percentile` the value at that rank.
 */
export function winsorizeAt(
  values: ArrayLike<number>,
  idx: Int32Array,
  n: number,
  minP: number,
  maxP: number,
  out: Float64Array,
  order: Int32Array,
): void {
  // argsort with NaNs last.
  const o = order.subarray(0, n);
  for (let k = 0; k < n; k++) o[k] = idx[k];
  o.sort((a, b) => {
    const x = values[a], y = values[b];
    if (x !== x) return y !== y ? a - b : 1;
    if (y !== y) return -1;
    return (x - y) || (a - b);
  });
  let nans = 0;
  for (let k = 0; k < n; k++) if (values[idx[k]] !== values[idx[k]]) nans++;
  const valid = n - nans;
  for (let k = 0; k < n; k++) out[idx[k]] = values[idx[k]];
  if (minP > 0) {
    const cut = Math.trunc(minP * valid);
    const v = values[o[cut]];
    for (let k = 0; k < cut; k++) out[o[k]] = v;
  }
  if (maxP < 1) {
    const cut = Math.ceil(valid * maxP);
    if (cut < valid) {
      const v = values[o[cut - 1]];
      for (let k = cut; k < valid; k++) out[o[k]] = v;
    }
  }
}

/**
 * Marks (1 in `out`) the first `k` of positions `idx[0..n)` in rank order — value ascending or
 * descending, then position — exactly the assets `rank(...) <= k` keeps, by quickselect (linear
 * on average) instead of a full sort.
 */
export function selectFirst(
  values: ArrayLike<number>,
  idx: Int32Array,
  n: number,
  k: number,
  ascending: boolean,
  out: Uint8Array,
  scratch: RankScratch,
): void {
  if (k <= 0) return;
  if (k >= n) {
    for (let q = 0; q < n; q++) out[idx[q]] = 1;
    return;
  }
  const keys = scratch.keys, ids = scratch.ids;
  for (let q = 0; q < n; q++) {
    const v = values[idx[q]];
    keys[q] = ascending ? v + 0 : -v + 0;
    ids[q] = idx[q];
  }
  const target = k - 1;
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    // Median-of-three pivot, compared as (key, position).
    const mid = (lo + hi) >>> 1;
    let a = lo, b = mid, c = hi;
    if (before(keys, ids, b, a)) [a, b] = [b, a];
    if (before(keys, ids, c, b)) [b, c] = [c, b];
    if (before(keys, ids, b, a)) [a, b] = [b, a];
    const pk = keys[b], pi = ids[b];
    let i = lo, j = hi;
    while (i <= j) {
      while (keys[i] < pk || (keys[i] === pk && ids[i] < pi)) i++;
      while (keys[j] > pk || (keys[j] === pk && ids[j] > pi)) j--;
      if (i <= j) {
        const tk = keys[i], ti = ids[i];
        keys[i] = keys[j];
        ids[i] = ids[j];
        keys[j] = tk;
        ids[j] = ti;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  for (let q = 0; q <= target; q++) out[ids[q]] = 1;
}

function before(keys: Float64Array, ids: Int32Array, x: number, y: number): boolean {
  return keys[x] < keys[y] || (keys[x] === keys[y] && ids[x] < ids[y]);
}
