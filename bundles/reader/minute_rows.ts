/**
 * Where a minute query's rows go: each row's epoch minute to its position among a range's
 * trading minutes, and the rows copied into asset-major field arrays.
 *
 * @module
 */

/** Minutes a position table may span (≈ 7.6 years of every minute: 16 MB). */
const MAX_TABLE_MINUTES = 4_000_000;

/**
 * The position of an epoch minute among `minutes` (sorted UTC ms), or -1 when it is not one of
 * them: a table over the span when it is small (every query of a minute backtest's chunk), a
 * binary search otherwise. A query's rows are placed one by one, a million per chunk.
 */
export function minutePositions(minutes: Float64Array): (minute: number) => number {
  const n = minutes.length;
  if (n === 0) return () => -1;
  const m0 = minutes[0] / 60_000, span = minutes[n - 1] / 60_000 - m0 + 1;
  if (span <= MAX_TABLE_MINUTES) {
    const table = new Int32Array(span).fill(-1);
    for (let k = 0; k < n; k++) table[minutes[k] / 60_000 - m0] = k;
    return (m) => {
      const d = m - m0;
      return d >= 0 && d < span ? table[d] : -1;
    };
  }
  return (m) => {
    const t = m * 60_000;
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (minutes[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return minutes[lo] === t ? lo : -1;
  };
}

/**
 * Copies query rows (`sids[r]`, epoch minute `minutes[r]`, `values[j][r]` per field) into
 * `targets[j]` at `base(sid) + position`, skipping rows off the trading minutes. Rows usually come
 * as the bundle stores them, an asset's minutes in order, so they are copied in runs: a run of
 * one asset's rows on consecutive trading minutes is one copy per field. Any order is placed
 * right (a row out of order is a run of one); a later row for the same cell wins.
 */
export function placeMinuteRows(
  place: (minute: number) => number,
  sids: Int32Array,
  minutes: Int32Array,
  values: readonly Float64Array[],
  targets: readonly Float64Array[],
  base: (sid: number) => number,
): void {
  const rows = sids.length;
  let r = 0;
  while (r < rows) {
    const k = place(minutes[r]);
    if (k < 0) { // outside the sessions' trading minutes (a lunch break, say)
      r++;
      continue;
    }
    const sid = sids[r];
    let end = r + 1;
    while (end < rows && sids[end] === sid && place(minutes[end]) === k + end - r) end++;
    const at = base(sid) + k;
    for (let j = 0; j < targets.length; j++) targets[j].set(values[j].subarray(r, end), at);
    r = end;
  }
}
