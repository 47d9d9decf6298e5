/**
 * The one implementation of `TradingCalendar`: all answers come from index-aligned typed arrays
 * (session labels, opens, closes, lunch breaks) by binary search, so no lookup allocates.
 */
import type { Direction, MinuteSide, TradingCalendar } from "./calendar.ts";
import { DAY_MS, MINUTE_MS } from "./days.ts";
import { CalendarRangeError, MinuteOutOfSessionError, NotSessionError } from "./errors.ts";

/** What a calendar is made of. */
export interface CalendarData {
  name: string;
  tz: string;
  side?: MinuteSide;
  /** Session labels (UTC-midnight ms), strictly ascending. */
  sessions: Float64Array;
  opens: Float64Array;
  closes: Float64Array;
  /** Lunch breaks (UTC ms), NaN for a session without one; omitted when no session has one. */
  breakStarts?: Float64Array;
  breakEnds?: Float64Array;
  /** 1 where a session closes early; defaults to none. */
  earlyCloses?: Uint8Array;
  /** 1 where a session opens late; defaults to none. */
  lateOpens?: Uint8Array;
  /**
   * First and last day (UTC-midnight ms) the calendar was built for, e.g. 1997-01-01 and
   * 2050-12-31 for XTKS; dates in them are in range even before the first or after the last
   * session. Defaults to the first and last session.
   */
  span?: readonly [number, number];
}

/** Whether any value is not NaN. */
function hasNumber(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] === a[i]) return true;
  return false;
}

/** First index `i` with `a[i] >= x` (a.length if none). */
export function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index `i` with `a[i] > x` (a.length if none). */
export function upperBound(a: Float64Array, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A calendar over precomputed arrays. */
export class PrecomputedCalendar implements TradingCalendar {
  readonly name: string;
  readonly tz: string;
  readonly side: MinuteSide;
  readonly all_sessions: Float64Array;
  readonly opens: Float64Array;
  readonly closes: Float64Array;
  readonly first_session: number;
  readonly last_session: number;
  readonly break_starts: Float64Array;
  readonly break_ends: Float64Array;
  readonly has_break: boolean;
  private readonly early: Uint8Array;
  private readonly late: Uint8Array;
  private readonly spanFirst: number;
  private readonly spanLast: number;

  constructor(data: CalendarData) {
    const n = data.sessions.length;
    if (n === 0) throw new RangeError(`calendar ${data.name} has no sessions`);
    if (data.opens.length !== n || data.closes.length !== n) {
      throw new RangeError(`calendar ${data.name}: sessions, opens and closes differ in length`);
    }
    this.name = data.name;
    this.tz = data.tz;
    this.side = data.side ?? "right";
    this.all_sessions = data.sessions;
    this.opens = data.opens;
    this.closes = data.closes;
    this.early = data.earlyCloses ?? new Uint8Array(n);
    this.late = data.lateOpens ?? new Uint8Array(n);
    [this.spanFirst, this.spanLast] = data.span ?? [data.sessions[0], data.sessions[n - 1]];
    this.break_starts = data.breakStarts ?? new Float64Array(n).fill(NaN);
    this.break_ends = data.breakEnds ?? new Float64Array(n).fill(NaN);
    if (this.break_starts.length !== n || this.break_ends.length !== n) {
      throw new RangeError(`calendar ${data.name}: breaks and sessions differ in length`);
    }
    // A loop, not `some` with a callback: 16,000 calls of a cold callback were 5 ms of every
    // command's set-up; without break times given there is nothing to look at.
    this.has_break = data.breakStarts !== undefined && hasNumber(this.break_starts);
    this.first_session = data.sessions[0];
    this.last_session = data.sessions[n - 1];
  }

  /** A copy of this calendar whose minutes include the other end of each session. */
  withSide(side: MinuteSide): PrecomputedCalendar {
    if (side === this.side) return this;
    return new PrecomputedCalendar({
      name: this.name,
      tz: this.tz,
      side,
      sessions: this.all_sessions,
      opens: this.opens,
      closes: this.closes,
      breakStarts: this.break_starts,
      breakEnds: this.break_ends,
      earlyCloses: this.early,
      lateOpens: this.late,
      span: [this.spanFirst, this.spanLast],
    });
  }

  private checkRange(ms: number): void {
    // A date is in range when it is within the built span; one day of slack either way so
    // next_session(last - 1 day) and the like still answer.
    if (!(ms >= this.spanFirst - DAY_MS && ms < this.spanLast + 2 * DAY_MS)) {
      throw new CalendarRangeError(this.name, ms, this.first_session, this.last_session);
    }
  }

  private indexOf(session: number): number {
    const i = this.session_index(session);
    if (i < 0) {
      this.checkRange(session);
      throw new NotSessionError(this.name, session);
    }
    return i;
  }

  sessions_in_range(start: number, end: number): Float64Array {
    return this.all_sessions.subarray(
      lowerBound(this.all_sessions, start),
      upperBound(this.all_sessions, end),
    );
  }

  session_index(date: number): number {
    const i = lowerBound(this.all_sessions, date);
    return i < this.all_sessions.length && this.all_sessions[i] === date ? i : -1;
  }

  is_session(date: number): boolean {
    this.checkRange(date);
    return this.session_index(date) >= 0;
  }

  next_session(date: number): number {
    this.checkRange(date);
    const i = upperBound(this.all_sessions, date);
    if (i >= this.all_sessions.length) {
      throw new CalendarRangeError(this.name, date + DAY_MS, this.first_session, this.last_session);
    }
    return this.all_sessions[i];
  }

  previous_session(date: number): number {
    this.checkRange(date);
    const i = lowerBound(this.all_sessions, date) - 1;
    if (i < 0) {
      throw new CalendarRangeError(this.name, date - DAY_MS, this.first_session, this.last_session);
    }
    return this.all_sessions[i];
  }

  date_to_session(date: number, direction: Direction = "none"): number {
    const day = Math.floor(date / DAY_MS) * DAY_MS;
    if (this.is_session(day)) return day;
    if (direction === "next") return this.next_session(day);
    if (direction === "previous") return this.previous_session(day);
    throw new NotSessionError(this.name, day);
  }

  session_open(session: number): number {
    return this.opens[this.indexOf(session)];
  }

  session_close(session: number): number {
    return this.closes[this.indexOf(session)];
  }

  session_first_minute(session: number): number {
    const open = this.opens[this.indexOf(session)];
    return this.side === "right" ? open + MINUTE_MS : open;
  }

  session_last_minute(session: number): number {
    const close = this.closes[this.indexOf(session)];
    return this.side === "right" ? close : close - MINUTE_MS;
  }

  session_break_start(session: number): number {
    return this.break_starts[this.indexOf(session)];
  }

  session_break_end(session: number): number {
    return this.break_ends[this.indexOf(session)];
  }

  session_has_break(session: number): boolean {
    const b = this.break_starts[this.indexOf(session)];
    return b === b;
  }

  session_minute_count(session: number): number {
    const i = this.indexOf(session);
    const bs = this.break_starts[i];
    const pause = bs === bs ? this.break_ends[i] - bs : 0;
    return Math.round((this.closes[i] - this.opens[i] - pause) / MINUTE_MS);
  }

  session_minutes(session: number): Float64Array {
    const i = this.indexOf(session);
    const first = this.session_first_minute(session);
    const out = new Float64Array(this.session_minute_count(session));
    const bs = this.break_starts[i];
    // Minutes before the break number (break start - open); the rest resume after its end.
    const am = bs === bs ? Math.round((bs - this.opens[i]) / MINUTE_MS) : out.length;
    const resume = bs === bs ? this.break_ends[i] - bs : 0;
    for (let k = 0; k < out.length; k++) {
      out[k] = first + k * MINUTE_MS + (k < am ? 0 : resume);
    }
    return out;
  }

  /** Index of the first session whose last minute is at or after `minute`. */
  private sessionAtOrAfterMinute(minute: number): number {
    // right side: a session holds (open, close]; left side: [open, close).
    return this.side === "right"
      ? lowerBound(this.closes, minute)
      : upperBound(this.closes, minute);
  }

  is_open_on_minute(minute: number): boolean {
    const i = this.sessionAtOrAfterMinute(minute);
    if (i >= this.opens.length) return false;
    const right = this.side === "right";
    if (right ? this.opens[i] >= minute : this.opens[i] > minute) return false;
    const bs = this.break_starts[i];
    if (bs !== bs) return true;
    // During the break: (break_start, break_end] on the right side, [start, end) on the left.
    const be = this.break_ends[i];
    return right ? !(minute > bs && minute <= be) : !(minute >= bs && minute < be);
  }

  /** Whether a minute falls in a session's lunch break (the market is then closed). */
  is_break_minute(minute: number): boolean {
    const i = this.sessionAtOrAfterMinute(minute);
    if (i >= this.opens.length) return false;
    const bs = this.break_starts[i], be = this.break_ends[i];
    if (bs !== bs) return false;
    return this.side === "right" ? minute > bs && minute <= be : minute >= bs && minute < be;
  }

  minute_to_session(minute: number, direction: Direction = "next"): number {
    const i = this.sessionAtOrAfterMinute(minute);
    const inside = i < this.opens.length &&
      (this.side === "right" ? this.opens[i] < minute : this.opens[i] <= minute);
    if (inside) return this.all_sessions[i];
    if (direction === "next" && i < this.all_sessions.length) return this.all_sessions[i];
    if (direction === "previous" && i > 0) return this.all_sessions[i - 1];
    if (direction === "none") throw new MinuteOutOfSessionError(this.name, minute);
    throw new CalendarRangeError(this.name, minute, this.first_session, this.last_session);
  }

  is_early_close(session: number): boolean {
    return this.early[this.indexOf(session)] === 1;
  }

  early_closes(start: number, end: number): Float64Array {
    return this.flagged(this.early, start, end);
  }

  is_late_open(session: number): boolean {
    return this.late[this.indexOf(session)] === 1;
  }

  late_opens(start: number, end: number): Float64Array {
    return this.flagged(this.late, start, end);
  }

  private flagged(flags: Uint8Array, start: number, end: number): Float64Array {
    const lo = lowerBound(this.all_sessions, start), hi = upperBound(this.all_sessions, end);
    const out: number[] = [];
    for (let i = lo; i < hi; i++) if (flags[i] === 1) out.push(this.all_sessions[i]);
    return Float64Array.from(out);
  }
}
