/**
 * Compiles a (date rule, time rule) pair on a calendar into per-session lookups the engine can
 * query on every bar without allocating. zipline's `make_eventrule` builds
 * `OncePerDay(date_rule & time_rule [& NotHalfDay])`; this is the same function of the session
 * and minute, evaluated once per ISO week or month group and kept in a `Uint8Array`.
 */
import type { TradingCalendar } from "../../../calendars/calendar.ts";
import { DAY_MS, MINUTE_MS, weekday, ymdFromDay } from "../../../calendars/days.ts";
import type { DateRule, DateRuleKind, EventRule, TimeRule } from "./rules.ts";

/** Options of `compileRule`. */
export interface CompileOptions {
  /** Whether the rule may fire on early-close sessions (zipline's `half_days`). @default true */
  half_days?: boolean;
}

/** A rule bound to a calendar. Session indices are positions in `calendar.all_sessions`. */
export interface CompiledRule {
  readonly calendar: TradingCalendar;
  /**
   * Daily mode: whether the function runs on session `sessionIndex` (at its close bar).
   * Time rules are ignored, except one passed in the date-rule slot, which zipline evaluates
   * against the daily bar's time, the session close.
   */
  sessionMatches(sessionIndex: number): boolean;
  /** Minute mode: whether the function runs on the bar of `minute` (UTC ms) of the session. */
  minuteMatches(sessionIndex: number, minute: number): boolean;
  /** Minute mode: the one minute (UTC ms) the function runs at in the session, or `NaN`. */
  triggerMinute(sessionIndex: number): number;
}

const COMPUTED = 1;
/** The date slot's session condition holds (and the half-day condition). */
const DATE_OK = 2;
/** A date rule passed in the time slot holds (zipline composes it too, in minute mode only). */
const TIME_OK = 4;

/** Monday (day number) of the ISO week of a session label: pandas' `isocalendar()[0:2]`. */
function weekKey(label: number): number {
  const day = Math.floor(label / DAY_MS);
  return day - ((weekday(day) + 6) % 7);
}

/** `year * 12 + month` of a session label: pandas' `[sessions.year, sessions.month]`. */
function monthKey(label: number): number {
  const [y, m] = ymdFromDay(Math.floor(label / DAY_MS));
  return y * 12 + m;
}

function isIntraday(rule: EventRule): rule is TimeRule {
  return rule.kind === "market_open" || rule.kind === "market_close";
}

function isGrouped(rule: EventRule): rule is DateRule {
  return rule.type === "date" && rule.kind !== "every_day";
}

/**
 * Binds rules to a calendar. Nothing is computed until a session is asked for; then its whole
 * week or month is evaluated once (zipline groups the calendar's full session list, so a group
 * is never cut at the backtest's start or end).
 * @example
 * const nyse = get_calendar("XNYS");
 * const rule = compileRule(date_rules.week_start(), time_rules.market_open({ minutes: 30 }), nyse);
 * const i = nyse.session_index(Date.UTC(2024, 0, 16)); // Tue after MLK Day
 * rule.sessionMatches(i); // true
 * rule.triggerMinute(i) === Date.UTC(2024, 0, 16, 15, 0); // true: 10:00 New York
 */
export function compileRule(
  date_rule: EventRule,
  time_rule: EventRule,
  calendar: TradingCalendar,
  { half_days = true }: CompileOptions = {},
): CompiledRule {
  const sessions = calendar.all_sessions;
  const opens = calendar.opens;
  const closes = calendar.closes;
  const n = sessions.length;
  const right = calendar.side === "right";
  const flags = new Uint8Array(n);
  const dateSession = isGrouped(date_rule) ? date_rule : null;
  const timeSession = isGrouped(time_rule) ? time_rule : null;
  const dateMinute = isIntraday(date_rule) ? date_rule : null;
  const timeMinute = isIntraday(time_rule) ? time_rule : null;

  /** First and last index of the week or month around session i. */
  const span = (kind: DateRuleKind, i: number): [number, number] => {
    const key = kind === "week_start" || kind === "week_end" ? weekKey : monthKey;
    const k = key(sessions[i]);
    let start = i, end = i;
    while (start > 0 && key(sessions[start - 1]) === k) start--;
    while (end < n - 1 && key(sessions[end + 1]) === k) end++;
    return [start, end];
  };

  /** zipline's `.nth(n)` / `.nth(-n - 1)` of the group: is session j the one picked? */
  const picked = (rule: DateRule | null, j: number, group: [number, number] | null): boolean => {
    if (rule === null) return true;
    const [start, end] = group ?? span(rule.kind, j);
    return rule.kind === "week_start" || rule.kind === "month_start"
      ? j - start === rule.days_offset
      : end - j === rule.days_offset;
  };

  const fill = (i: number): number => {
    const lead = dateSession ?? timeSession;
    const [start, end] = lead === null ? [i, i] : span(lead.kind, i);
    for (let j = start; j <= end; j++) {
      const open = half_days || !calendar.is_early_close(sessions[j]);
      const dateOk = open && picked(dateSession, j, lead === dateSession ? [start, end] : null);
      const timeOk = picked(timeSession, j, lead === timeSession ? [start, end] : null);
      flags[j] = COMPUTED | (dateOk ? DATE_OK : 0) | (timeOk ? TIME_OK : 0);
    }
    return flags[i];
  };

  /** The session flags of index i (0 when i is outside the calendar). */
  const flagsOf = (i: number): number => {
    if (!(i >= 0 && i < n)) return 0;
    const f = flags[i];
    return f === 0 ? fill(i) : f;
  };

  /** zipline's AfterOpen period_end / BeforeClose period_start for session i. */
  const target = (rule: TimeRule, i: number): number =>
    rule.kind === "market_open"
      ? opens[i] + (right ? MINUTE_MS : 0) + rule.offset_ms - MINUTE_MS
      : closes[i] - rule.offset_ms;

  const triggerMinute = (i: number): number => {
    if ((flagsOf(i) & (DATE_OK | TIME_OK)) !== (DATE_OK | TIME_OK)) return NaN;
    const first = opens[i] + (right ? MINUTE_MS : 0);
    const last = closes[i] - (right ? 0 : MINUTE_MS);
    let t = first; // no minute condition: OncePerDay fires on the first bar.
    if (dateMinute !== null) t = target(dateMinute, i);
    if (timeMinute !== null) {
      const u = target(timeMinute, i);
      if (dateMinute !== null && u !== t) return NaN;
      t = u;
    }
    // The clock only visits whole session minutes; an offset off that grid never fires.
    return t >= first && t <= last && (t - first) % MINUTE_MS === 0 ? t : NaN;
  };

  return {
    calendar,
    sessionMatches(i: number): boolean {
      if ((flagsOf(i) & DATE_OK) === 0) return false;
      // Daily bars are stamped with the session close; only a time rule in the date slot sees it.
      return dateMinute === null || target(dateMinute, i) === closes[i];
    },
    minuteMatches(i: number, minute: number): boolean {
      return triggerMinute(i) === minute;
    },
    triggerMinute,
  };
}
