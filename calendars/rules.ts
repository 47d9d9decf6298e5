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
  orthodoxEasterSunday,
  parseIsoDate,
  SATURDAY,
  SUNDAY,
  weekday,
  ymdFromDay,
} from "./days.ts";

/** A named holiday (or early-close day): its dates in a given year, as day numbers. */
export interface HolidayRule {
  readonly name: string;
  dates(year: number): number[];
}

/** Moves a date that falls on a non-working day. */
export type Observance = (day: number) => number;

/** The same day (no shift). */
export const sameDay: Observance = (d) => d;
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
/** The weekday before (always moves; pandas' `previous_workday`). */
export const previousWorkday: Observance = (d) => {
  let p = d - 1;
  while (weekday(p) === SATURDAY || weekday(p) === SUNDAY) p--;
  return p;
};
/** The weekday after (always moves; pandas' `next_workday`). */
export const nextWorkday: Observance = (d) => {
  let n = d + 1;
  while (weekday(n) === SATURDAY || weekday(n) === SUNDAY) n++;
  return n;
};
/** The weekday before the nearest workday (pandas' `before_nearest_workday`). */
export const beforeNearestWorkday: Observance = (d) => previousWorkday(nearestWorkday(d));
/** The weekday after the nearest workday (pandas' `after_nearest_workday`). */
export const afterNearestWorkday: Observance = (d) => nextWorkday(nearestWorkday(d));
/** Saturday → Friday; Sunday stays. */
export const saturdayToFriday: Observance = (d) => (weekday(d) === SATURDAY ? d - 1 : d);
/** Chains observances, applied left to right. */
export function chain(...obs: readonly Observance[]): Observance {
  return (d) => obs.reduce((x, o) => o(x), d);
}

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
  // A bare year is its January 1st (as pandas reads `Timestamp("2002")`).
  const d = parseIsoDate(/^\d{4}$/.test(text) ? `${text}-01-01` : text);
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

/** The first day `wd` on or after day `d` (pandas' `DateOffset(weekday=XX(1))`). */
export function onOrAfter(d: number, wd: number): number {
  return d + ((wd - weekday(d) + 7) % 7);
}

/** The last day `wd` on or before day `d` (pandas' `DateOffset(weekday=XX(-1))`). */
export function onOrBefore(d: number, wd: number): number {
  return d - ((weekday(d) - wd + 7) % 7);
}

/**
 * A holiday whose date each year is computed (NaN for none that year), e.g. an observance that
 * changed by statute: `computed("Bermuda Day", (y) => …)`.
 */
export function computed(
  name: string,
  base: (year: number) => number,
  opts: RuleOptions = {},
): HolidayRule {
  return rule(name, base, opts);
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

/** A day relative to Orthodox (Julian) Easter Sunday, as a Gregorian date. */
export function orthodoxEaster(
  name: string,
  offsetDays: number,
  opts: RuleOptions = {},
): HolidayRule {
  return rule(name, (y) => orthodoxEasterSunday(y) + offsetDays, opts);
}

/**
 * The first weekday `wd` on or after month/day (pandas' `DateOffset(weekday=FR(1))`), or with
 * `n` = -1 the last one on or before it.
 */
export function weekdayFrom(
  name: string,
  month: number,
  day: number,
  wd: number,
  n: 1 | -1 = 1,
  opts: RuleOptions = {},
): HolidayRule {
  return rule(name, (y) => {
    const d = dayFromYmd(y, month, day);
    return n === 1 ? onOrAfter(d, wd) : onOrBefore(d, wd);
  }, opts);
}

/**
 * Dates from a table (e.g. lunar-calendar holidays), each moved by `offsetDays` and the rule's
 * options; a year may hold several.
 */
export function table(
  name: string,
  dates: readonly string[],
  opts: RuleOptions & { offsetDays?: number } = {},
): HolidayRule {
  // The table is parsed when a calendar first asks for a year, not when its spec is imported:
  // every command imports every spec (the catalogue), and few build the calendars with tables.
  let byYear: Map<number, number[]> | null = null;
  const parsed = (): Map<number, number[]> => {
    if (byYear) return byYear;
    byYear = new Map<number, number[]>();
    for (const iso of dates) {
      const d = isoDay(iso, NaN) + (opts.offsetDays ?? 0);
      const y = ymdOf(d);
      byYear.set(y, [...(byYear.get(y) ?? []), d]);
    }
    return byYear;
  };
  const start = isoDay(opts.start, -Infinity);
  const end = isoDay(opts.end, Infinity);
  return {
    name,
    dates(year: number): number[] {
      const out: number[] = [];
      for (let d of parsed().get(year) ?? []) {
        if (opts.observance) d = opts.observance(d);
        if (opts.daysOfWeek && !opts.daysOfWeek.includes(weekday(d))) continue;
        if (d >= start && d <= end) out.push(d);
      }
      return out;
    },
  };
}

function ymdOf(d: number): number {
  return ymdFromDay(d)[0];
}

/** A rule whose dates are another rule's, kept only where `keep` says so. */
export function only(name: string, base: HolidayRule, keep: (d: number) => boolean): HolidayRule {
  return { name, dates: (y) => base.dates(y).filter(keep) };
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
