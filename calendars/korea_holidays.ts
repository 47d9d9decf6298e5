/**
 * South Korea's public holidays as exchange_calendars' rules produce them
 * (`xkrx_holidays.py`, `pandas_extensions/korean_holiday.py`), including their substitute
 * ("alternative") holidays: a holiday on a Sunday (or Saturday, or another holiday) moves to the
 * next free day, for Seollal and Chuseok and Children's Day since 2014 and for the national days
 * since 2021-08-04. The rules run in exchange_calendars' order, each seeing the holidays the rules
 * before it produced (that is what "another holiday" means there). Lunar dates (Seollal, Buddha's
 * Birthday, Chuseok) come from Korea's lunar calendar (`data/korean_lunar.ts`, to 2050).
 */
import { dayFromYmd, SATURDAY, SUNDAY, weekday, ymdFromDay } from "./days.ts";
import type { HolidayRule } from "./rules.ts";
import { adhoc } from "./rules.ts";
import * as lunar from "./data/korean_lunar.ts";

const SATURDAYS_CLOSED_FROM = dayFromYmd(1998, 12, 7);
const ALT_SEOLLAL_CHUSEOK = dayFromYmd(2014, 1, 1);
const ALT_NATIONAL = dayFromYmd(2021, 8, 4);

/** Lunar-table dates by Gregorian year. */
function byYear(dates: readonly string[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of adhoc(dates)) out.set(ymdFromDay(d)[0], d);
  return out;
}

type Move = "none" | "seollal" | "children" | "national";

interface KoreanRule {
  /** The holiday's date in a year (NaN if none). */
  date(y: number): number;
  /** First and last year in which it is a holiday (inclusive). */
  from: number;
  to: number;
  move: Move;
  /** Registered as a Korean holiday (false for rules exchange_calendars keeps apart). */
  korean?: boolean;
}

/** The rules in exchange_calendars' order (those without substitutes first). */
function rules(): KoreanRule[] {
  const seollal = byYear(lunar.SEOLLAL);
  const buddha = byYear(lunar.BUDDHAS_BIRTHDAY);
  const chuseok = byYear(lunar.CHUSEOK);
  const solar = (m: number, d: number) => (y: number) => dayFromYmd(y, m, d);
  const lunarDay = (t: Map<number, number>, k: number) => (y: number) => (t.get(y) ?? NaN) + k;
  const r = (date: (y: number) => number, from = 0, to = 9999, move: Move = "none") => ({
    date,
    from,
    to,
    move,
  });
  return [
    r(solar(1, 1)),
    r((y) => dayFromYmd(y, 1, 2), 0, 1998),
    r((y) => dayFromYmd(y, 1, 3), 0, 1989),
    r(solar(3, 1), 0, 9999, "national"), // Independence Movement Day
    r(solar(4, 5), 1948, 2005), // Arbor Day
    r(lunarDay(buddha, 0)), // Buddha's Birthday
    r(solar(3, 10), 0, 1993), // Labor Day (old)
    { ...r(solar(5, 1), 1994, 2025), korean: false }, // Labor Day (not a public holiday)
    r(solar(5, 1), 2026, 9999, "national"), // Labor Day
    r(solar(6, 6)), // Memorial Day
    r(solar(7, 17), 1949, 2007), // Constitution Day
    r(solar(8, 15), 0, 9999, "national"), // Liberation Day
    r(solar(10, 1), 1976, 1990), // Armed Forces Day
    r(solar(10, 3), 0, 9999, "national"), // National Foundation Day
    r(solar(10, 9), 1949, 1990), // Hangul Day (old)
    r(solar(10, 9), 2013, 9999, "national"), // Hangul Day
    r(solar(12, 25)), // Christmas
    r(lunarDay(seollal, 0), 1985, 9999, "seollal"),
    r(lunarDay(seollal, 1), 1989, 9999, "seollal"),
    r(lunarDay(seollal, -1), 1989, 9999, "seollal"),
    r(solar(5, 5), 0, 9999, "children"), // Children's Day
    r(lunarDay(chuseok, 0), 1949, 9999, "seollal"),
    r(lunarDay(chuseok, 1), 1986, 9999, "seollal"),
    r(lunarDay(chuseok, -1), 1989, 9999, "seollal"),
  ];
}

/** Korea's holidays in one year (plus the KRX's last-business-day-of-the-year closure). */
function holidaysOf(list: readonly KoreanRule[], y: number): { days: number[]; first: number } {
  // exchange_calendars registers a rule's dates from the year before its first to the year after
  // its last (pandas' reference dates), and later rules' substitutes see them.
  const registered = new Set<number>();
  const out: number[] = [];
  const taken = (d: number, saturday: boolean) =>
    weekday(d) === SUNDAY || (saturday && weekday(d) === SATURDAY) || registered.has(d);
  for (const rule of list) {
    if (y < rule.from - 1 || y > rule.to + 1) continue;
    let d = rule.date(y);
    if (d !== d) continue;
    const since = rule.move === "national" ? ALT_NATIONAL : ALT_SEOLLAL_CHUSEOK;
    if (rule.move !== "none" && d >= since) {
      while (taken(d, rule.move !== "seollal")) d++;
    }
    if (rule.korean !== false) registered.add(d);
    if (y >= rule.from && y <= rule.to) out.push(d);
  }
  // exchange_calendars' "first business day of the year" (late open) skips the same days.
  let first = dayFromYmd(y, 1, 1);
  while (
    weekday(first) === SUNDAY || (weekday(first) === SATURDAY && first >= SATURDAYS_CLOSED_FROM) ||
    registered.has(first)
  ) first++;
  // The year's last business day is a closure.
  let last = dayFromYmd(y, 12, 31);
  while (
    weekday(last) === SUNDAY || (weekday(last) === SATURDAY && last >= SATURDAYS_CLOSED_FROM) ||
    registered.has(last)
  ) last--;
  out.push(last);
  return { days: out, first };
}

/**
 * Korea's public holidays and the KRX year-end closure, as one rule, and the first business day
 * of each year as exchange_calendars finds it (for the late open).
 */
export function koreanHolidays(): { holidays: HolidayRule; firstBusinessDay: HolidayRule } {
  // The rules (their lunar tables parsed) are made when XKRX is first built, not when the
  // catalogue is imported: every command imports it, few build XKRX (5 ms of start-up).
  let list: KoreanRule[] | null = null;
  const made = () => (list ??= rules());
  return {
    holidays: { name: "Korean public holidays", dates: (y) => holidaysOf(made(), y).days },
    firstBusinessDay: {
      name: "First business day of the year",
      dates: (y) => [holidaysOf(made(), y).first],
    },
  };
}
