/**
 * zipline's `OncePerDay` in daily mode. zipline wraps every scheduled rule in
 * `OncePerDay(date_rule & time_rule)` (`utils/events.py` `make_eventrule`) and asks it at every
 * bar. Its day is not a session: it starts afresh at a bar at least 24 hours after the bar where
 * it last started afresh (`should_trigger`: `if self.date is None or dt >= self.next_date` …
 * `self.next_date = dt + pd.Timedelta(1, unit="d")`), and fires at most once in between.
 *
 * Daily bars are stamped with the session's close (`algorithm.py` `_create_clock`), and in daily
 * mode the time rule is ignored (`schedule_function`: `time_rules.every_minute()`), so a function
 * that fired at a 16:00 close does not fire at the next day's 13:00 early close, 21 hours later
 * (for an every-day rule on NYSE: 2012-07-03, 2013-07-03, 2013-12-24). In minute mode every
 * session's first minute is 24 hours or more after the previous one's on every calendar
 * Harvester ships, so the state starts afresh each session and the compiled rule alone decides.
 *
 * The state is recomputed, not carried: a bar whose close is 24 hours or more after the previous
 * bar's always starts afresh, so the function is replayed from the latest such bar (at most a
 * few sessions back). A restarted session therefore decides as the uninterrupted run did.
 */
import type { TradingCalendar } from "../../../calendars/calendar.ts";
import type { CompiledRule } from "./compile.ts";

const DAY_MS = 86_400_000;

/** The daily bars a scheduled function is asked at. */
export interface DailyBars {
  /** The algorithm's calendar: one bar per session, stamped with its close. */
  calendar: TradingCalendar;
  /** The run's first session (UTC midnight ms), where OncePerDay has no state yet. */
  run_start: number;
}

/**
 * The compiled rule with zipline's `OncePerDay` applied to `sessionMatches` (daily mode);
 * `minuteMatches` and `triggerMinute` are the compiled rule's.
 *
 * @example
 * ```ts
 * const nyse = get_calendar("XNYS");
 * const every = compileRule(date_rules.every_day(), time_rules.every_minute(), nyse);
 * const rule = oncePerDayDaily(every, { calendar: nyse, run_start: Date.UTC(2013, 0, 2) });
 * rule.sessionMatches(nyse.session_index(Date.UTC(2013, 6, 3))); // false: 21 h after July 2's
 * rule.sessionMatches(nyse.session_index(Date.UTC(2013, 6, 5))); // true
 * ```
 */
export function oncePerDayDaily(rule: CompiledRule, bars: DailyBars): CompiledRule {
  const clock = bars.calendar;
  const sessions = clock.all_sessions, closes = clock.closes;
  const same = clock === rule.calendar;
  const first = clock.session_index(clock.date_to_session(bars.run_start, "next"));

  /** Whether the compiled rule holds at bar j (an index in the clock's sessions). */
  const holds = (j: number): boolean => {
    const k = same ? j : rule.calendar.session_index(sessions[j]);
    return k >= 0 && rule.sessionMatches(k);
  };

  /** zipline's OncePerDay over the bars up to j: whether it fires at bar j. */
  const fires = (j: number): boolean => {
    if (j < first) return holds(j);
    let s = j;
    while (s > first && closes[s] - closes[s - 1] < DAY_MS) s--;
    let next = -Infinity, triggered = false, fired = false;
    for (let m = s; m <= j; m++) {
      const dt = closes[m];
      if (dt >= next) {
        triggered = false;
        next = dt + DAY_MS;
      }
      fired = !triggered && holds(m);
      if (fired) triggered = true;
    }
    return fired;
  };

  return {
    calendar: rule.calendar,
    sessionMatches(k: number): boolean {
      if (!(k >= 0 && k < rule.calendar.all_sessions.length)) return false;
      const j = same ? k : clock.session_index(rule.calendar.all_sessions[k]);
      return j < 0 ? rule.sessionMatches(k) : fires(j);
    },
    minuteMatches: rule.minuteMatches,
    triggerMinute: rule.triggerMinute,
  };
}
