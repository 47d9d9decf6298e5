/**
 * The `TradingCalendar` seam: sessions and their hours. Times are UTC epoch milliseconds
 * everywhere; a session is labelled by the UTC midnight of its date (as exchange_calendars
 * labels it), so `Date.UTC(2024, 6, 3)` is the session of 2024-07-03.
 */

/**
 * Which end of a session its minutes include. zipline uses `"right"`: an NYSE session's first
 * minute is 09:31 and its last 16:00 (New York), so a minute bar is labelled by its end.
 */
export type MinuteSide = "left" | "right";

/** What `minute_to_session` does with a minute outside every session. */
export type Direction = "next" | "previous" | "none";

/** A trading calendar: every lookup is a binary search over precomputed typed arrays. */
export interface TradingCalendar {
  /** Canonical name, e.g. `XNYS`. */
  readonly name: string;
  /** IANA time zone of the exchange, e.g. `America/New_York`. */
  readonly tz: string;
  /** Which end of a session its minutes include. */
  readonly side: MinuteSide;
  /** First and last session the calendar answers for (UTC-midnight ms). */
  readonly first_session: number;
  readonly last_session: number;
  /** Every session label, ascending (UTC-midnight ms). Do not mutate. */
  readonly all_sessions: Float64Array;
  /** Opens and closes (UTC ms), index-aligned with `all_sessions`. Do not mutate. */
  readonly opens: Float64Array;
  readonly closes: Float64Array;
  /** Lunch break start and end (UTC ms), index-aligned; NaN for a session without a break. */
  readonly break_starts: Float64Array;
  readonly break_ends: Float64Array;
  /** Whether any session has a lunch break. */
  readonly has_break: boolean;

  /** Sessions from `start` to `end` inclusive, as a view (no copy). */
  sessions_in_range(start: number, end: number): Float64Array;
  /** Whether a date (UTC-midnight ms) is a session. */
  is_session(date: number): boolean;
  /** Index of a session in `all_sessions`, or -1. */
  session_index(date: number): number;
  /** The first session strictly after `date` (need not be a session itself). */
  next_session(date: number): number;
  /** The last session strictly before `date`. */
  previous_session(date: number): number;
  /** The session on `date`, or the next (`"next"`) / previous one; `"none"` throws if not one. */
  date_to_session(date: number, direction?: Direction): number;
  /** Open and close of a session (UTC ms). */
  session_open(session: number): number;
  session_close(session: number): number;
  /** Break start and end of a session (UTC ms), NaN when it has no break. */
  session_break_start(session: number): number;
  session_break_end(session: number): number;
  session_has_break(session: number): boolean;
  /** Every trading minute of a session on this calendar's side (UTC ms), skipping its break. */
  session_minutes(session: number): Float64Array;
  /** Number of trading minutes in a session. */
  session_minute_count(session: number): number;
  /** First and last trading minute of a session on this calendar's side. */
  session_first_minute(session: number): number;
  session_last_minute(session: number): number;
  /** Whether the market is open on a minute (UTC ms), on this calendar's side; closed in breaks. */
  is_open_on_minute(minute: number): boolean;
  /** Whether a minute falls in a session's lunch break. */
  is_break_minute(minute: number): boolean;
  /**
   * The session a minute belongs to (a break minute belongs to its session); outside trading hours
   * per `direction` (default `"next"`).
   */
  minute_to_session(minute: number, direction?: Direction): number;
  /** Sessions in a range that close earlier than the regular close. */
  early_closes(start: number, end: number): Float64Array;
  /** Whether a session closes early. */
  is_early_close(session: number): boolean;
  /** Sessions in a range that open later than the regular open. */
  late_opens(start: number, end: number): Float64Array;
  /** Whether a session opens late. */
  is_late_open(session: number): boolean;
}
