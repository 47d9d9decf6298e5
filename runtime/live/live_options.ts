/** The options of a live minute session (a real broker's feed on the realtime clock). */
import { DAY_MS } from "../../calendars/days.ts";
import type { TradingState } from "../orders/risk.ts";
import { type ClockCalendar, liveSessions } from "./realtime_clock.ts";

/** What a live minute session needs beyond a paper session's options. */
export interface MinuteLiveOptions {
  /** Stop at this time (UTC ms). @default the close of the session in progress (or next) */
  end?: number;
  /** Symbols to subscribe (default: those the strategy looked up in initialize). */
  universe?: string[];
  /** An asset without a bar for this long is stale (data.is_stale, can_trade). @default 300000 */
  stale_after_ms?: number;
  /** No bar from the feed at all for this long during a session: `feed_stale`. @default 180000 */
  feed_stale_ms?: number;
  /** Where the risk gate goes when the feed is stale. @default "REDUCING" */
  feed_stale_action?: Exclude<TradingState, "ACTIVE">;
  /** How long after a minute ends its bars are waited for. @default 2000 */
  bar_grace_ms?: number;
  /** before_trading_start this many minutes before the open. @default 45 */
  bts_minutes_before_open?: number;
}

/**
 * A live minute session's options with its end: by default the close of the session in progress
 * (or the next one).
 *
 * @example
 * ```ts
 * const o = liveOptions(get_calendar("XNYS"), Date.now()); // o.end: today's (or next) close
 * ```
 */
export function liveOptions(
  calendar: ClockCalendar,
  now: number,
  o: MinuteLiveOptions = {},
): MinuteLiveOptions {
  if (o.end !== undefined) return o;
  const next = liveSessions(calendar, now, now + 10 * DAY_MS)[0];
  return { ...o, end: next === undefined ? now : calendar.session_close(next) };
}
