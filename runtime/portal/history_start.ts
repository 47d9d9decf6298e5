/**
 * History windows that reach before the data. zipline refuses them: `data/data_portal.py`
 * `_get_days_for_window` raises `HistoryWindowStartsBeforeData` when a daily window starts
 * before the first trading day, and `_get_history_minute_window` when a minute window starts
 * before its first minute. Harvester does the same by default, the first day being the bundle's
 * first session; `history_before_data: "nan"` pads such windows with NaN instead (volume 0, and
 * `price` forward-filled from nothing, so NaN), as Harvester did before issue 21.
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { HarvesterError } from "../errors.ts";

/** What a history window reaching before the data does: fail (zipline's) or pad with NaN. */
export type HistoryBeforeData = "raise" | "nan";

/** The policies, for validating a setting. */
export const HISTORY_BEFORE_DATA: readonly HistoryBeforeData[] = ["raise", "nan"];

/** zipline's `HistoryWindowStartsBeforeData`, with the window and the data's first bar. */
export class HistoryWindowStartsBeforeData extends HarvesterError {
  override name = "HistoryWindowStartsBeforeData";
  constructor(
    readonly bar_count: number,
    readonly frequency: "1d" | "1m",
    /** The bar the window ends at: a session label (1d) or a minute (1m), UTC ms. */
    readonly end: number,
    /** The bundle's first session (1d) or the first minute of it (1m), UTC ms. */
    readonly first: number,
    /** The first session from which a window of `bar_count` fits, UTC midnight ms. */
    readonly suggested_start: number,
  ) {
    const at = (ms: number) =>
      frequency === "1d"
        ? isoDate(Math.floor(ms / DAY_MS))
        : new Date(ms).toISOString().replace(":00.000Z", "Z");
    super(
      `data.history: a window of ${bar_count} "${frequency}" bars ending ${at(end)} starts ` +
        `before the bundle's first ${frequency === "1d" ? "session" : "minute"}, ${at(first)}; ` +
        `start the backtest on or after ${isoDate(Math.floor(suggested_start / DAY_MS))}, ` +
        `ask for fewer bars, or set history_before_data to "nan" to pad the window with NaN`,
    );
  }
}

/**
 * Checks a daily window of `count` bars ending at index `end` of `sessions` (the portal's,
 * starting at the bundle's first session). Returns normally when the window fits or the policy
 * is `"nan"`.
 *
 * @example
 * ```ts
 * checkDailyWindow(portal.sessions, t, 20, portal.calendar, "raise"); // throws when t < 19
 * ```
 */
export function checkDailyWindow(
  sessions: Float64Array,
  end: number,
  count: number,
  calendar: TradingCalendar,
  policy: HistoryBeforeData,
): void {
  if (end - count + 1 >= 0 || policy === "nan") return;
  throw new HistoryWindowStartsBeforeData(
    count,
    "1d",
    end >= 0 ? sessions[end] : calendar.previous_session(sessions[0]),
    sessions[0],
    nthSession(calendar, sessions[0], count - 1),
  );
}

/**
 * Checks a minute window of `count` bars ending at the `have`-th minute of session index `t`
 * (1-based: the current minute of the session is minute `have`). Earlier sessions' minutes are
 * the calendar's, as zipline's `minutes_window` counts them.
 *
 * @example
 * ```ts
 * checkMinuteWindow(portal.sessions, t, 5, 400, minute, portal.calendar, "raise");
 * ```
 */
export function checkMinuteWindow(
  sessions: Float64Array,
  t: number,
  have: number,
  count: number,
  minute: number,
  calendar: TradingCalendar,
  policy: HistoryBeforeData,
): void {
  if (count <= have || policy === "nan") return;
  let enough = have;
  for (let s = t - 1; s >= 0 && enough < count; s--) {
    enough += calendar.session_minute_count(sessions[s]);
  }
  if (enough >= count) return;
  // The first session whose own minutes, with those before it, hold `count` minutes.
  let suggested = sessions[0], total = calendar.session_minute_count(suggested);
  while (total < count) {
    suggested = calendar.next_session(suggested);
    total += calendar.session_minute_count(suggested);
  }
  throw new HistoryWindowStartsBeforeData(
    count,
    "1m",
    // Before the session's first bar (before_trading_start), the window ends at its start.
    Number.isFinite(minute) ? minute : calendar.session_first_minute(sessions[t]),
    calendar.session_first_minute(sessions[0]),
    suggested,
  );
}

/** The session `n` sessions after `session` on the calendar. */
function nthSession(calendar: TradingCalendar, session: number, n: number): number {
  const all = calendar.all_sessions, i = calendar.session_index(session);
  return all[Math.min(all.length - 1, i + n)];
}
