/**
 * Where a minute query's rows go: each row's epoch minute to its position among a range's
 * trading minutes, and the rows copied into asset-major field arrays.
 *
 * @module
 */
import type { TradingCalendar } from "../../calendars/calendar.ts";

/**
 * The trading minutes of `sessions` back to back (UTC ms) and where each session's start
 * (`starts[i]`; `starts[sessions.length]` is their count): the labels every read of minute bars
 * lays its arrays out on, from the database or from the minute cache.
 */
export function minuteGrid(
  cal: TradingCalendar,
  sessions: Float64Array,
): { minutes: Float64Array; starts: Int32Array } {
  const starts = new Int32Array(sessions.length + 1);
  const firstMinute = new Float64Array(sessions.length);
  // A lunch break (XTKS, XHKG, …): the session's minutes skip `pause` minutes after its first
  // `morning` minutes.
  const morning = new Float64Array(sessions.length).fill(Infinity);
  const pause = new Float64Array(sessions.length);
  for (let i = 0; i < sessions.length; i++) {
    firstMinute[i] = cal.session_first_minute(sessions[i]) / 60_000;
    starts[i + 1] = starts[i] + cal.session_minute_count(sessions[i]);
    const bs = cal.has_break ? cal.session_break_start(sessions[i]) : NaN;
    if (bs === bs) {
      morning[i] = (bs - cal.session_open(sessions[i])) / 60_000;
      pause[i] = (cal.session_break_end(sessions[i]) - bs) / 60_000;
    }
  }
  const minutes = new Float64Array(starts[sessions.length]);
  for (let i = 0; i < sessions.length; i++) {
    for (let k = starts[i]; k < starts[i + 1]; k++) {
      const j = k - starts[i];
      minutes[k] = (firstMinute[i] + j + (j >= morning[i] ? pause[i] : 0)) * 60_000;
    }
  }
  return { minutes, starts };
}

/** What the readers of minute bars make their arrays with when the caller gives nothing to reuse. */
export const newFloats = (length: number): Float64Array => new Float64Array(length);

/** The sessions `first`…`last` of `cal` and their minute grid (`minuteGrid`). */
export function minuteRange(
  cal: TradingCalendar,
  first: number,
  last: number,
): { sessions: Float64Array; minutes: Float64Array; starts: Int32Array } {
  const sessions = cal.sessions_in_range(first, last);
  return { sessions, ...minuteGrid(cal, sessions) };
}

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
 * Copies rows `from`…`to` (exclusive) of one asset (epoch minute `minutes[r]`, `values[j][r]` per
 * field) into `targets[j]` at `at + position`, skipping rows off the trading minutes. Rows usually
 * come as the bundle stores them, the asset's minutes in order, so they are copied in runs: a run
 * of rows on consecutive trading minutes is one copy per field. Any order is placed right (a row
 * out of order is a run of one); a later row for the same cell wins.
 */
export function placeAssetRows(
  place: (minute: number) => number,
  minutes: ArrayLike<number>,
  values: readonly ArrayLike<number>[],
  targets: readonly Float64Array[],
  at: number,
  from: number,
  to: number,
): void {
  let r = from;
  while (r < to) {
    const k = place(minutes[r]);
    if (k < 0) { // outside the sessions' trading minutes (a lunch break, say)
      r++;
      continue;
    }
    let end = r + 1;
    while (end < to && place(minutes[end]) === k + end - r) end++;
    for (let j = 0; j < targets.length; j++) copyRun(targets[j], at + k, values[j], r, end);
    r = end;
  }
}

/** `target[at…] = source[from…to)`: one `set` of a view for typed arrays. */
function copyRun(
  target: Float64Array,
  at: number,
  source: ArrayLike<number>,
  from: number,
  to: number,
): void {
  if (source instanceof Float64Array) target.set(source.subarray(from, to), at);
  else for (let i = from; i < to; i++) target[at + i - from] = source[i];
}
