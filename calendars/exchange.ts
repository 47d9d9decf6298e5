/**
 * An exchange described as data (hours, weekmask, holiday rules, special opens and closes) and
 * compiled once into a `PrecomputedCalendar`.
 */
import { DAY_MS, dayFromYmd, MINUTE_MS, weekday } from "./days.ts";
import { PrecomputedCalendar } from "./precomputed.ts";
import { adhoc, datesOf, type HolidayRule } from "./rules.ts";
import { ZoneOffsets } from "./timezone.ts";

/** A local time of day, `HH:MM`. */
export type TimeOfDay = `${number}:${number}`;

/** Hours that changed over the years: `[from date or null, time]`, ascending. */
export type TimeHistory = ReadonlyArray<readonly [string | null, TimeOfDay]>;

/** Sessions with other hours than the regular ones. */
export interface SpecialHours {
  time: TimeOfDay;
  rules?: readonly HolidayRule[];
  adhoc?: readonly string[];
}

/** Everything that defines an exchange's calendar. */
export interface ExchangeSpec {
  name: string;
  tz: string;
  /** Weekdays with sessions (0 = Sunday); default Monday to Friday. */
  weekmask?: readonly number[];
  open: TimeOfDay | TimeHistory;
  close: TimeOfDay | TimeHistory;
  /** Days between a session's date and its open's local date (CME opens the evening before: -1). */
  openDayOffset?: number;
  /** Days between a session's date and its close's local date (24/7 closes at next midnight: 1). */
  closeDayOffset?: number;
  holidays?: readonly HolidayRule[];
  adhocHolidays?: readonly string[];
  specialCloses?: readonly SpecialHours[];
  specialOpens?: readonly SpecialHours[];
}

/** The span every built-in calendar answers for. */
export const DEFAULT_START_YEAR = 1990;
export const DEFAULT_END_YEAR = 2050;

function minutesOf(t: TimeOfDay): number {
  const [h, m] = t.split(":").map(Number);
  return h * 60 + m;
}

/** A function from day number to minutes-of-day for a time that may have changed over years. */
function timeLookup(t: TimeOfDay | TimeHistory): (day: number) => number {
  if (typeof t === "string") {
    const m = minutesOf(t);
    return () => m;
  }
  const froms = t.map(([from]) => (from === null ? -Infinity : dayFromIso(from)));
  const mins = t.map(([, time]) => minutesOf(time));
  return (day) => {
    let k = 0;
    while (k + 1 < froms.length && froms[k + 1] <= day) k++;
    return mins[k];
  };
}

function dayFromIso(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number);
  return dayFromYmd(y, m, d);
}

function specialMap(
  list: readonly SpecialHours[] | undefined,
  y0: number,
  y1: number,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of list ?? []) {
    const m = minutesOf(s.time);
    for (const d of datesOf(s.rules ?? [], y0, y1)) out.set(d, m);
    for (const d of adhoc(s.adhoc ?? [])) out.set(d, m);
  }
  return out;
}

/** Compiles a spec into a calendar covering `startYear`…`endYear` (calendar years, inclusive). */
export function buildExchangeCalendar(
  spec: ExchangeSpec,
  startYear = DEFAULT_START_YEAR,
  endYear = DEFAULT_END_YEAR,
): PrecomputedCalendar {
  const firstDay = dayFromYmd(startYear, 1, 1);
  const lastDay = dayFromYmd(endYear, 12, 31);
  const weekmask = new Uint8Array(7);
  for (const w of spec.weekmask ?? [1, 2, 3, 4, 5]) weekmask[w] = 1;
  // Observance can move a date across a year boundary, so look one year further each way.
  const holidays = new Set(datesOf(spec.holidays ?? [], startYear - 1, endYear + 1));
  for (const d of adhoc(spec.adhocHolidays ?? [])) holidays.add(d);
  const closesAt = specialMap(spec.specialCloses, startYear - 1, endYear + 1);
  const opensAt = specialMap(spec.specialOpens, startYear - 1, endYear + 1);
  const openTime = timeLookup(spec.open), closeTime = timeLookup(spec.close);
  const openOffset = spec.openDayOffset ?? 0, closeOffset = spec.closeDayOffset ?? 0;
  const zone = new ZoneOffsets(spec.tz, (firstDay - 2) * DAY_MS, (lastDay + 2) * DAY_MS);

  const sessions: number[] = [], opens: number[] = [], closes: number[] = [], early: number[] = [];
  for (let d = firstDay; d <= lastDay; d++) {
    if (!weekmask[weekday(d)] || holidays.has(d)) continue;
    const regularClose = closeTime(d);
    const close = closesAt.get(d) ?? regularClose;
    const open = opensAt.get(d) ?? openTime(d);
    sessions.push(d * DAY_MS);
    opens.push(zone.wallToUtc((d + openOffset) * DAY_MS + open * MINUTE_MS));
    closes.push(zone.wallToUtc((d + closeOffset) * DAY_MS + close * MINUTE_MS));
    early.push(close < regularClose ? 1 : 0);
  }
  return new PrecomputedCalendar({
    name: spec.name,
    tz: spec.tz,
    sessions: Float64Array.from(sessions),
    opens: Float64Array.from(opens),
    closes: Float64Array.from(closes),
    earlyCloses: Uint8Array.from(early),
  });
}
