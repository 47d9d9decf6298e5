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

/** What is special about a day of the span being built (bits). */
const HOLIDAY = 1, SPECIAL = 2;

/** Minutes-of-day of a time that never changed (NaN for none), or null for one that did. */
function fixedTime(t: TimeOfDay | TimeHistory | undefined): number | null {
  if (t === undefined) return NaN;
  return typeof t === "string" ? minutesOf(t) : null;
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

  // Per day of the span, whether anything is special about it: an ordinary day (most of the
  // ~22,000 of 1990–2050) then costs no Set or Map lookup. This loop runs once per process, cold,
  // in V8's interpreter, where every call and lookup counts: 26–29 ms of each command's set-up
  // for XNYS went here.
  const n = Math.max(0, lastDay - firstDay + 1);
  const marks = new Uint8Array(n);
  const mark = (d: number, bit: number) => {
    if (d >= firstDay && d <= lastDay) marks[d - firstDay] |= bit;
  };
  for (const d of holidays) mark(d, HOLIDAY);
  for (const m of [closesAt, opensAt, shifts]) for (const d of m.keys()) mark(d, SPECIAL);
  const baseMask = spec.specialWeekmasks?.length ? null : maskOn(firstDay);
  const fixedOpen = fixedTime(spec.open), fixedClose = fixedTime(spec.close);

  const sessions = new Float64Array(n), opens = new Float64Array(n), closes = new Float64Array(n);
  const breakStarts = new Float64Array(hasBreaks ? n : 0);
  const breakEnds = new Float64Array(hasBreaks ? n : 0);
  const early = new Uint8Array(n), late = new Uint8Array(n);
  let k = 0;
  for (let d = firstDay, wd = weekday(firstDay); d <= lastDay; d++, wd = wd === 6 ? 0 : wd + 1) {
    const m = marks[d - firstDay];
    if ((m & HOLIDAY) !== 0 || !(baseMask ?? maskOn(d))[wd]) continue;
    const regularOpen = fixedOpen ?? openTime(d), regularClose = fixedClose ?? closeTime(d);
    let open = at(d + openOffset, regularOpen), close = at(d + closeOffset, regularClose);
    let bs = NaN, be = NaN;
    if (hasBreaks) {
      const s = breakStartTime(d);
      if (s === s) { // NaN where the exchange had no break that year
        bs = at(d, s);
        be = at(d, breakEndTime(d));
      }
    }
    if (m !== 0) {
      const shift = shifts.get(d);
      if (shift) {
        open += shift[0] * MINUTE_MS;
        bs += shift[1] * MINUTE_MS;
        be += shift[2] * MINUTE_MS;
        close += shift[3] * MINUTE_MS;
      }
      const specialOpen = opensAt.get(d), specialClose = closesAt.get(d);
      // Special times are the session date's own local times (exchange_calendars applies no day
      // offset to them), and a special close removes the break.
      if (specialOpen !== undefined) {
        open = at(d, specialOpen);
        if (specialOpen > regularOpen) late[k] = 1;
      }
      if (specialClose !== undefined) {
        close = at(d, specialClose);
        bs = be = NaN;
        if (specialClose < regularClose) early[k] = 1;
      }
    }
    sessions[k] = d * DAY_MS;
    opens[k] = open;
    closes[k] = close;
    if (hasBreaks) {
      breakStarts[k] = bs;
      breakEnds[k] = be;
    }
    k++;
  }
  return new PrecomputedCalendar({
    name: spec.name,
    tz: spec.tz,
    sessions: sessions.slice(0, k),
    opens: opens.slice(0, k),
    closes: closes.slice(0, k),
    breakStarts: hasBreaks ? breakStarts.slice(0, k) : undefined,
    breakEnds: hasBreaks ? breakEnds.slice(0, k) : undefined,
    earlyCloses: early.slice(0, k),
    lateOpens: late.slice(0, k),
    span: [firstDay * DAY_MS, lastDay * DAY_MS],
  });
}
