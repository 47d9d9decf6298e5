/**
 * The pieces a minute backtest reads its bundle in (see minute_market.ts): a chunk is the minutes
 * of consecutive sessions for every asset of the run, and a window reaching back past the current
 * chunk is assembled from the chunks before it.
 *
 * @module
 */
import type { MinuteBars } from "../../bundles/mod.ts";
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { roundHistory } from "./rounding.ts";

/** One read of the bundle: consecutive sessions' minutes of every asset. */
export interface Chunk {
  /** Portal index of the chunk's first session. */
  first: number;
  bars: MinuteBars;
  /** The bundle's arrays of each field, in `BAR_FIELDS` order (asset-major). */
  sources: Float64Array[];
  /** The visible arrays, likewise: made when a field is first asked for. */
  targets: (Float64Array | null)[];
  /** Per field and asset (`field × assets + slot`): the chunk's minutes made visible so far. */
  shown: Int32Array;
}

/** Portal session index of chunk position `p`. */
export function sessionOfPos(c: Chunk, p: number): number {
  const starts = c.bars.sessionStarts;
  let lo = 0, hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= p) lo = mid;
    else hi = mid - 1;
  }
  return c.first + lo;
}

/**
 * Multiplies `out[outFrom…outTo)` — chunk `c`'s positions from `posFrom` — by each bar's
 * adjustment factor as of session `today` (`factor(session)`), rounded as history is; bars of
 * `today` itself are never adjusted.
 */
export function adjustRun(
  out: Float64Array,
  c: Chunk,
  posFrom: number,
  outFrom: number,
  outTo: number,
  today: number,
  factor: (session: number) => number,
): void {
  for (let k = outFrom, p = posFrom; k < outTo; k++, p++) {
    const s = sessionOfPos(c, p);
    if (s >= today) break;
    const f = factor(s);
    if (f !== 1) out[k] = roundHistory(out[k] * f);
  }
}

/**
 * Copies chunk `c`'s bundle values of field number `k` for asset slot `a` into `out`, its last
 * minute at `out[end - 1]` and as many before it as fit, adjusted (`adjustRun`). Values of an
 * earlier chunk are all past: its bundle arrays are read directly.
 */
export function copyChunkTail(
  out: Float64Array,
  c: Chunk,
  k: number,
  a: number,
  end: number,
  today: number,
  factor: (session: number) => number,
): void {
  const m = c.bars.minutes.length, from = Math.max(0, m - end);
  if (end <= 0 || from >= m) return;
  const at = end - (m - from);
  out.set(c.sources[k].subarray(a * m + from, a * m + m), at);
  adjustRun(out, c, from, at, end, today, factor);
}

/**
 * Whether chunk `older` ends right before session `first` and holds `minutes` minutes (or
 * every minute from the data's first session).
 */
export function holds(older: Chunk | null, first: number, minutes: number): older is Chunk {
  return older !== null && older.first + older.bars.sessions.length === first &&
    (older.bars.minutes.length >= minutes || older.first === 0);
}

/**
 * The first of the sessions before portal index `first` that hold `minutes` minutes and are at
 * least `atLeast` sessions (0 where the data starts later).
 */
export function sessionsBack(
  portal: { calendar: TradingCalendar; sessions: Float64Array },
  first: number,
  minutes: number,
  atLeast: number,
): number {
  let s = first, got = 0;
  while (s > 0 && (got < minutes || first - s < atLeast)) {
    got += portal.calendar.session_minute_count(portal.sessions[--s]);
  }
  return s;
}
