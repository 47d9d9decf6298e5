/**
 * An exchange described as data (hours, lunch break, weekmask, holiday rules, special opens and
 * closes) and compiled once into a `PrecomputedCalendar`. The order in which the parts apply is
 * exchange_calendars' (`ExchangeCalendar.__init__`): regular hours, then special offsets, then
 * special opens and closes (a special close also removes that session's break).
 */
import { DAY_MS, dayFromYmd, MINUTE_MS, parseIsoDate, weekday } from "./days.ts";
import { PrecomputedCalendar } from "./precomputed.ts";
import { adhoc, datesOf, type HolidayRule } from "./rules.ts";
import { ZoneOffsets } from "./timezone.ts";

/** A local time of day, `HH:MM` (`24:00` and later are allowed for times past midnight). */
export type TimeOfDay = `${number}:${number}`;

/**
 * Hours that changed over the years: `[from date or null, time]`, ascending. A `null` time (only
 * for a break) means there was no break from that date.
 */
export type TimeHistory = ReadonlyArray<readonly [string | null, TimeOfDay | null]>;

/** Sessions with other hours than the regular ones. */
export interface SpecialHours {
  time: TimeOfDay;
  rules?: readonly HolidayRule[];
  adhoc?: readonly string[];
  /** Every session on these weekdays (0 = Sunday), e.g. a Friday early close. */
  weekdays?: readonly number[];
  /** With `weekdays`: only from / to these dates (`YYYY-MM-DD`, inclusive). */
  start?: string;
  end?: string;
}

/** Sessions whose hours all move by some minutes (e.g. Korea's exam day opens an hour late). */
export interface SpecialOffsets {
  open?: number;
  breakStart?: number;
  breakEnd?: number;
  close?: number;
  rules?: readonly HolidayRule[];
  adhoc?: readonly string[];
}

/** A weekmask that applied between two dates (inclusive; `null` for open-ended). */
export interface WeekmaskPeriod {
  start: string | null;
  end: string | null;
  weekmask: readonly number[];
}

/** Everything that defines an exchange's calendar. */
export interface ExchangeSpec {
  name: string;
  tz: string;
  /** Weekdays with sessions (0 = Sunday); default Monday to Friday. */
  weekmask?: readonly number[];
  /** Other weekmasks for spans of dates (e.g. Saturday sessions until 1998). */
  specialWeekmasks?: readonly WeekmaskPeriod[];
  open: TimeOfDay | TimeHistory;
  close: TimeOfDay | TimeHistory;
  /** Lunch break, local times; `null` entries mark years without one. */
  breakStart?: TimeOfDay | TimeHistory;
  breakEnd?: TimeOfDay | TimeHistory;
  /** Days between a session's date and its open's local date (CME opens the evening before: -1). */
  openDayOffset?: number;
  /** Days between a session's date and its close's local date (24/7 closes at next midnight: 1). */
  closeDayOffset?: number;
  holidays?: readonly HolidayRule[];
  adhocHolidays?: readonly string[];
  /** Earlier entries win where two give the same session a time; `adhoc` dates win over rules. */
  specialCloses?: readonly SpecialHours[];
  specialOpens?: readonly SpecialHours[];
  specialOffsets?: readonly SpecialOffsets[];
  /** Calendar years the calendar answers for (default 1990 to 2050). */
  firstYear?: number;
  lastYear?: number;
  /** A first date within `firstYear` (`YYYY-MM-DD`), for an exchange that opened that year. */
  firstDate?: string;
  /**
   * The date from which the holiday rules apply (`YYYY-MM-DD`). exchange_calendars evaluates
   * rules through pandas' `AbstractHolidayCalendar`, whose span starts on 1970-01-01, so a
   * calendar reaching back further (XTAI) has no rule-based holidays before then.
   */
  rulesFrom?: string;
}

/** The span built-in calendars answer for unless they say otherwise. */
export const DEFAULT_START_YEAR = 1990;
export const DEFAULT_END_YEAR = 2050;

function minutesOf(t: TimeOfDay): number {
  const [h, m] = t.split(":").map(Number);
  return h * 60 + m;
}

function dayFromIso(iso: string): number {
  const d = parseIsoDate(iso);
  if (d === undefined) throw new RangeError(`bad calendar date ${iso}`);
  return d;
}

/** Minutes-of-day by day number (NaN where a break did not exist) for a time that changed. */
function timeLookup(t: TimeOfDay | TimeHistory | undefined): (day: number) => number {
  if (t === undefined) return () => NaN;
  if (typeof t === "string") {
    const m = minutesOf(t);
    return () => m;
  }
  const froms = t.map(([from]) => (from === null ? -Infinity : dayFromIso(from)));
  const mins = t.map(([, time]) => (time === null ? NaN : minutesOf(time)));
  return (day) => {
    let k = 0;
    while (k + 1 < froms.length && froms[k + 1] <= day) k++;
    return mins[k];
  };
}

/** Weekday mask (index 0 = Sunday) in force on a day. */
function weekmaskLookup(spec: ExchangeSpec): (day: number) => Uint8Array {
  const mask = (days: readonly number[]) => {
    const m = new Uint8Array(7);
    for (const w of days) m[w] = 1;
    return m;
  };
  const base = mask(spec.weekmask ?? [1, 2, 3, 4, 5]);
  const periods = (spec.specialWeekmasks ?? []).map((p) => ({
    from: p.start === null ? -Infinity : dayFromIso(p.start),
    to: p.end === null ? Infinity : dayFromIso(p.end),
    mask: mask(p.weekmask),
  }));
  return (day) => {
    for (const p of periods) if (day >= p.from && day <= p.to) return p.mask;
    return base;
  };
}

/** Day → special minutes-of-day; the first entry to name a day wins, adhoc dates before rules. */
function specialMap(
  list: readonly SpecialHours[] | undefined,
  firstDay: number,
  lastDay: number,
  y0: number,
  y1: number,
): Map<number, number> {
  const out = new Map<number, number>();
  const put = (d: number, m: number) => {
    if (!out.has(d)) out.set(d, m);
  };
  for (const s of list ?? []) for (const d of adhoc(s.adhoc ?? [])) put(d, minutesOf(s.time));
  for (const s of list ?? []) {
    const m = minutesOf(s.time);
    for (const d of datesOf(s.rules ?? [], y0, y1)) put(d, m);
    if (s.weekdays) {
      const from = Math.max(firstDay, s.start ? dayFromIso(s.start) : -Infinity);
      const to = Math.min(lastDay, s.end ? dayFromIso(s.end) : Infinity);
      for (let d = from; d <= to; d++) if (s.weekdays.includes(weekday(d))) put(d, m);
    }
  }
  return out;
}

type Offsets = [number, number, number, number];

function offsetMap(list: readonly SpecialOffsets[] | undefined, y0: number, y1: number) {
  const out = new Map<number, Offsets>();
  for (const s of list ?? []) {
    const o: Offsets = [s.open ?? 0, s.breakStart ?? 0, s.breakEnd ?? 0, s.close ?? 0];
    for (const d of datesOf(s.rules ?? [], y0, y1)) out.set(d, o);
    for (const d of adhoc(s.adhoc ?? [])) out.set(d, o);
  }
  return out;
}

/** The span (calendar years) a spec answers for. */
export function specYears(spec: ExchangeSpec): [number, number] {
  return [spec.firstYear ?? DEFAULT_START_YEAR, spec.lastYear ?? DEFAULT_END_YEAR];
}

/**
 * Compiles a spec into a calendar covering `startYear`…`endYear` (calendar years, inclusive).
 * @example
 * const cal = buildExchangeCalendar({ name: "MYEX", tz: "UTC", open: "09:00", close: "17:00" });
 * cal.is_session(Date.UTC(2024, 0, 6)); // false: a Saturday
 */
export function buildExchangeCalendar(
  spec: ExchangeSpec,
  startYear = specYears(spec)[0],
  endYear = specYears(spec)[1],
): PrecomputedCalendar {
  const firstDay = spec.firstDate && startYear === specYears(spec)[0]
    ? dayFromIso(spec.firstDate)
    : dayFromYmd(startYear, 1, 1);
  const lastDay = dayFromYmd(endYear, 12, 31);
  const maskOn = weekmaskLookup(spec);
  // Observance can move a date across a year boundary, so look one year further each way.
  const y0 = startYear - 1, y1 = endYear + 1;
  const rulesFrom = spec.rulesFrom ? dayFromIso(spec.rulesFrom) : -Infinity;
  const holidays = new Set(datesOf(spec.holidays ?? [], y0, y1).filter((d) => d >= rulesFrom));
  for (const d of adhoc(spec.adhocHolidays ?? [])) holidays.add(d);
  const closesAt = specialMap(spec.specialCloses, firstDay, lastDay, y0, y1);
  const opensAt = specialMap(spec.specialOpens, firstDay, lastDay, y0, y1);
  const shifts = offsetMap(spec.specialOffsets, y0, y1);
  const openTime = timeLookup(spec.open), closeTime = timeLookup(spec.close);
  const breakStartTime = timeLookup(spec.breakStart), breakEndTime = timeLookup(spec.breakEnd);
  const hasBreaks = spec.breakStart !== undefined;
  const openOffset = spec.openDayOffset ?? 0, closeOffset = spec.closeDayOffset ?? 0;
  const zone = new ZoneOffsets(spec.tz, (firstDay - 2) * DAY_MS, (lastDay + 2) * DAY_MS);
  const at = (day: number, minutes: number) => zone.wallToUtc(day * DAY_MS + minutes * MINUTE_MS);

  const sessions: number[] = [], opens: number[] = [], closes: number[] = [];
  const breakStarts: number[] = [], breakEnds: number[] = [];
  const early: number[] = [], late: number[] = [];
  for (let d = firstDay; d <= lastDay; d++) {
    if (!maskOn(d)[weekday(d)] || holidays.has(d)) continue;
    const shift = shifts.get(d);
    const regularOpen = openTime(d), regularClose = closeTime(d);
    let open = at(d + openOffset, regularOpen), close = at(d + closeOffset, regularClose);
    let bs = NaN, be = NaN;
    if (hasBreaks) {
      const s = breakStartTime(d);
      if (s === s) { // NaN where the exchange had no break that year
        bs = at(d, s);
        be = at(d, breakEndTime(d));
      }
    }
    if (shift) {
      open += shift[0] * MINUTE_MS;
      bs += shift[1] * MINUTE_MS;
      be += shift[2] * MINUTE_MS;
      close += shift[3] * MINUTE_MS;
    }
    const specialOpen = opensAt.get(d), specialClose = closesAt.get(d);
    // Special times are the session date's own local times (exchange_calendars applies no day
    // offset to them), and a special close removes the break.
    if (specialOpen !== undefined) open = at(d, specialOpen);
    if (specialClose !== undefined) {
      close = at(d, specialClose);
      bs = be = NaN;
    }
    sessions.push(d * DAY_MS);
    opens.push(open);
    closes.push(close);
    breakStarts.push(bs);
    breakEnds.push(be);
    early.push(specialClose !== undefined && specialClose < regularClose ? 1 : 0);
    late.push(specialOpen !== undefined && specialOpen > regularOpen ? 1 : 0);
  }
  return new PrecomputedCalendar({
    name: spec.name,
    tz: spec.tz,
    sessions: Float64Array.from(sessions),
    opens: Float64Array.from(opens),
    closes: Float64Array.from(closes),
    breakStarts: hasBreaks ? Float64Array.from(breakStarts) : undefined,
    breakEnds: hasBreaks ? Float64Array.from(breakEnds) : undefined,
    earlyCloses: Uint8Array.from(early),
    lateOpens: Uint8Array.from(late),
    span: [firstDay * DAY_MS, lastDay * DAY_MS],
  });
}
