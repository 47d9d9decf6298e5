/**
 * The pieces a minute backtest reads its bundle in (see minute_market.ts): a chunk is the minutes
 * of consecutive sessions for every asset of the run, and a window reaching back past the current
 * chunk is assembled from the chunks before it.
 *
 * @module
 */
import { BAR_FIELDS, type MinuteBarReader, type MinuteBars } from "../../bundles/mod.ts";
import type { BufferPool } from "./buffer_pool.ts";
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { roundHistory } from "./rounding.ts";
import { addToBar } from "./bar_fields.ts";

/** One read of the bundle: consecutive sessions' minutes of every asset. */
export interface Chunk {
  /** Portal index of the chunk's first session. */
  first: number;
  bars: MinuteBars;
  /**
   * The bundle's arrays of each field, in `BAR_FIELDS` order (asset-major): null until first read
   * (`source`), so that a run never reading open, high and low never has them read.
   */
  sources: (Float64Array | null)[];
  /** The arrays the reader took from a pool for this chunk, given back when it is dropped. */
  pooled?: Float64Array[];
  /** The visible arrays, likewise: made when a field is first asked for. */
  targets: (Float64Array | null)[];
  /** Per field and asset (`field × assets + slot`): the chunk's minutes made visible so far. */
  shown: Int32Array;
}

/**
 * Reads the chunk of sessions `from`…`to` (UTC ms; portal index `first`) of `sids`. Every array
 * the reader takes for it from `pool` — at the read, or when a field is first read from the
 * minute cache — is the chunk's `pooled`, given back when the chunk is dropped.
 */
export async function readChunk(
  reader: MinuteBarReader,
  sids: readonly number[],
  first: number,
  from: number,
  to: number,
  pool: BufferPool,
): Promise<Chunk> {
  const pooled: Float64Array[] = [];
  const bars = await reader.loadMinuteRange(sids, from, to, BAR_FIELDS, (length) => {
    const a = pool.take(length);
    pooled.push(a);
    return a;
  });
  return {
    first,
    bars,
    pooled,
    sources: BAR_FIELDS.map(() => null),
    targets: BAR_FIELDS.map(() => null),
    shown: new Int32Array(BAR_FIELDS.length * sids.length),
  };
}

/** Chunk `c`'s bundle array of raw field number `k`, taken from its bars when first asked for. */
export function source(c: Chunk, k: number): Float64Array {
  return c.sources[k] ??= c.bars.fields[BAR_FIELDS[k]]!;
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
  out.set(source(c, k).subarray(a * m + from, a * m + m), at);
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

/**
 * Where a window's first minute is: the chunk and position, `start` being its position in chunk
 * `c` (negative: that many minutes before it, in the chunks `before` it, nearest first). Null
 * when the window starts before the chunks hold.
 */
export function windowStart(
  c: Chunk,
  start: number,
  before: readonly Chunk[],
): [Chunk, number] | null {
  if (start >= 0) return [c, start];
  let end = -start;
  for (const b of before) {
    const m = b.bars.minutes.length;
    if (m >= end) return [b, m - end];
    end -= m;
  }
  return null;
}

/**
 * The last close (field number `closeNo`) of asset slot `a` before chunk position `p` within the
 * same session; NaN when it had none there.
 */
export function closeBefore(c: Chunk, a: number, p: number, closeNo: number): number {
  const m = c.bars.minutes.length, close = source(c, closeNo);
  const from = c.bars.sessionStarts[sessionOfPos(c, p) - c.first];
  for (let q = p - 1; q >= from; q--) {
    const v = close[a * m + q];
    if (v === v) return v;
  }
  return NaN;
}

/** A bar made of the minutes `from`…`to` (inclusive) of `values` at offset `base` (`addToBar`). */
export function partialBar(
  values: Float64Array,
  base: number,
  from: number,
  to: number,
  field: "open" | "high" | "low" | "close" | "volume",
): number {
  let acc = field === "volume" ? 0 : NaN;
  for (let p = from; p <= to; p++) acc = addToBar(acc, values[base + p], field);
  return acc;
}

/**
 * Per asset, the last close of the current session so far and its minute, found by looking back
 * over the minutes not looked at yet (`current` at every minute costs a step, not a session).
 */
export class SessionCloses {
  readonly close: Float64Array;
  readonly minute: Float64Array;
  /** Per asset: the chunk position up to which (exclusive) it has looked. */
  private readonly scanned: Int32Array;

  constructor(assets: number) {
    this.close = new Float64Array(assets).fill(NaN);
    this.minute = new Float64Array(assets).fill(NaN);
    this.scanned = new Int32Array(assets);
  }

  /** A new session, its first minute at chunk position `sessionStart`: nothing seen yet. */
  reset(sessionStart: number): void {
    this.close.fill(NaN);
    this.minute.fill(NaN);
    this.scanned.fill(sessionStart);
  }

  /** Brings asset slot `a` up to chunk position `pos` (field number `closeNo` is the close). */
  scan(c: Chunk, a: number, pos: number, closeNo: number): this {
    const from = this.scanned[a], to = pos + 1;
    if (from >= to) return this;
    const n = c.bars.minutes.length, close = source(c, closeNo), base = a * n;
    for (let p = to - 1; p >= from; p--) {
      const v = close[base + p];
      if (v === v) {
        this.close[a] = v;
        this.minute[a] = c.bars.minutes[p];
        break;
      }
    }
    this.scanned[a] = to;
    return this;
  }
}

/**
 * The labels of a `count`-minute window ending at chunk `c`'s position `pos`: the chunk's own
 * minutes (a view when the window lies inside it), earlier ones the calendar's — the labels do
 * not wait for their bars to be read.
 */
export function windowLabels(
  c: Chunk,
  pos: number,
  count: number,
  portal: { calendar: TradingCalendar; sessions: Float64Array },
): Float64Array {
  const start = pos - count + 1;
  if (start >= 0) return c.bars.minutes.subarray(start, pos + 1);
  const out = new Float64Array(count).fill(NaN);
  out.set(c.bars.minutes.subarray(0, pos + 1), -start);
  const { calendar, sessions } = portal;
  for (let end = -start, s = c.first - 1; end > 0 && s >= 0; s--) {
    const minutes = calendar.session_minutes(sessions[s]), take = Math.min(end, minutes.length);
    out.set(minutes.subarray(minutes.length - take), end - take);
    end -= take;
  }
  return out;
}
