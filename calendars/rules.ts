/**
 * Holiday rules as pure functions of a year, in the vocabulary of pandas' `Holiday` (which
 * exchange_calendars uses): a base date, an optional observance shift, an optional weekday filter
 * and an optional validity span, applied in that order. A rule answers any year, so calendars are
 * right for 1990–2050 and beyond, not just for the years of a reference file.
 */
import {
  dayFromYmd,
  easterSunday,
  MONDAY,
  parseIsoDate,
  SATURDAY,
  SUNDAY,
  weekday,
} from "./days.ts";

/** A named holiday (or early-close day): its dates in a given year, as day numbers. */
export interface HolidayRule {
  readonly name: string;
  dates(year: number): number[];
}

/** Moves a date that falls on a non-working day. */
export type Observance = (day: number) => number;

/** Saturday → Friday, Sunday → Monday. */
export const nearestWorkday: Observance = (d) => {
  const w = weekday(d);
  return w === SATURDAY ? d - 1 : w === SUNDAY ? d + 1 : d;
};
/** Sunday → Monday. */
export const sundayToMonday: Observance = (d) => (weekday(d) === SUNDAY ? d + 1 : d);
/** Saturday or Sunday → the following Monday. */
export const weekendToMonday: Observance = (d) => {
  const w = weekday(d);
  return w === SATURDAY ? d + 2 : w === SUNDAY ? d + 1 : d;
};
/** Saturday → Monday; Sunday or Monday → Tuesday (the second of two adjacent holidays). */
export const nextMondayOrTuesday: Observance = (d) => {
  const w = weekday(d);
  return w === SATURDAY || w === SUNDAY ? d + 2 : w === MONDAY ? d + 1 : d;
};
/** Saturday or Sunday → the previous Friday. */
export const previousFriday: Observance = (d) => {
  const w = weekday(d);
  return w === SATURDAY ? d - 1 : w === SUNDAY ? d - 2 : d;
};
/** Saturday → Monday after, Sunday → Monday after (alias kept for readability). */
export const nextMonday: Observance = weekendToMonday;

/** Options every rule takes. */
export interface RuleOptions {
  /** Shift applied to the base date. */
  observance?: Observance;
  /** Keep the (observed) date only on these weekdays (0 = Sunday). */
  daysOfWeek?: readonly number[];
  /** First and last date (`YYYY-MM-DD`, inclusive) on which the rule gives holidays. */
  start?: string;
  end?: string;
}

function isoDay(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const d = parseIsoDate(text);
  if (d === undefined) throw new RangeError(`bad rule date ${text}`);
  return d;
}

function rule(name: string, base: (year: number) => number, opts: RuleOptions): HolidayRule {
  const start = isoDay(opts.start, -Infinity);
  const end = isoDay(opts.end, Infinity);
  const { observance, daysOfWeek } = opts;
  return {
    name,
    dates(year: number): number[] {
      let d = base(year);
      if (observance) d = observance(d);
      if (daysOfWeek && !daysOfWeek.includes(weekday(d))) return [];
      return d >= start && d <= end ? [d] : [];
    },
  };
}

/** The same month and day every year, e.g. `fixed("Christmas", 12, 25, { observance })`. */
export function fixed(
  name: string,
  month: number,
  day: number,
  opts: RuleOptions = {},
): HolidayRule {
  return rule(name, (y) => dayFromYmd(y, month, day), opts);
}

/**
 * The n-th given weekday of a month (n = 1…5), or counting from the month's end when n < 0
 * (-1 = last), e.g. Thanksgiving = `nthWeekday("Thanksgiving", 11, THURSDAY, 4)`.
 */
export function nthWeekday(
  name: string,
  month: number,
  wd: number,
  n: number,
  opts: RuleOptions = {},
): HolidayRule {
  return rule(name, (y) => nthWeekdayOf(y, month, wd, n), opts);
}

/** Day number of the n-th weekday `wd` of a month (n < 0 counts from the end). */
export function nthWeekdayOf(year: number, month: number, wd: number, n: number): number {
  if (n > 0) {
    const first = dayFromYmd(year, month, 1);
    return first + ((wd - weekday(first) + 7) % 7) + (n - 1) * 7;
  }
  const last = dayFromYmd(year, month + 1, 1) - 1; // dayFromYmd handles month 13 as next January
  return last - ((weekday(last) - wd + 7) % 7) + (n + 1) * 7;
}

/** A day relative to Easter Sunday, e.g. Good Friday = `easter("Good Friday", -2)`. */
export function easter(name: string, offsetDays: number, opts: RuleOptions = {}): HolidayRule {
  return rule(name, (y) => easterSunday(y) + offsetDays, opts);
}

/** A day relative to another rule's date, e.g. the Friday after Thanksgiving. */
export function after(
  name: string,
  base: HolidayRule,
  offsetDays: number,
  opts: RuleOptions = {},
): HolidayRule {
  return rule(name, (y) => {
    const ds = base.dates(y);
    return ds.length ? ds[0] + offsetDays : NaN;
  }, opts);
}

/** One-off dates (`YYYY-MM-DD`) as day numbers. */
export function adhoc(dates: readonly string[]): number[] {
  return dates.map((d) => isoDay(d, NaN));
}

/** Every date the rules give in years `fromYear`…`toYear` inclusive. */
export function datesOf(rules: readonly HolidayRule[], fromYear: number, toYear: number): number[] {
  const out: number[] = [];
  for (const r of rules) {
    for (let y = fromYear; y <= toYear; y++) {
      for (const d of r.dates(y)) if (Number.isFinite(d)) out.push(d);
    }
  }
  return out;
}
