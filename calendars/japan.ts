/**
 * Tokyo Stock Exchange (XTKS), 09:00–15:00 (15:30 since 2024-11-05) Asia/Tokyo with a lunch break
 * 11:30–12:30, and Japan's national holidays as exchange_calendars states them
 * (`exchange_calendar_xtks.py`, `xtks_holidays.py`). The equinox days are computed with the
 * formula Japan's National Astronomical Observatory's announcements follow for 1980–2099
 * (exchange_calendars lists them to 2040; the two agree, see the tests).
 */
import type { ExchangeSpec } from "./exchange.ts";
import { dayFromYmd, MONDAY, SUNDAY, weekday } from "./days.ts";
import { computed, fixed, nthWeekday, type Observance, type RuleOptions } from "./rules.ts";
import { sundayToMonday } from "./rules.ts";

/** Sunday → the given number of days later (a substitute holiday after a run of holidays). */
const sundayPlus = (days: number): Observance => (d) => (weekday(d) === SUNDAY ? d + days : d);

/** Vernal (March) equinox day of a year, 1980–2099. */
export function vernalEquinox(y: number): number {
  const day = Math.floor(20.8431 + 0.242194 * (y - 1980) - Math.floor((y - 1980) / 4));
  return dayFromYmd(y, 3, day);
}

/** Autumnal (September) equinox day of a year, 1980–2099. */
export function autumnalEquinox(y: number): number {
  const day = Math.floor(23.2488 + 0.242194 * (y - 1980) - Math.floor((y - 1980) / 4));
  return dayFromYmd(y, 9, day);
}

/** Respect for the Aged Day: September 15th until 2002, the third Monday of September since. */
function respectForTheAged(y: number): number {
  return y < 2003 ? sundayToMonday(dayFromYmd(y, 9, 15)) : nthWeekdayOfSeptember(y, 3);
}

function nthWeekdayOfSeptember(y: number, n: number): number {
  const first = dayFromYmd(y, 9, 1);
  return first + ((MONDAY - weekday(first) + 7) % 7) + (n - 1) * 7;
}

/** A one-year holiday (a moved date, e.g. for the 2020 Olympics). */
const once = (name: string, y: number, month: number, day: number) =>
  fixed(name, month, day, { start: `${y}-01-01`, end: `${y}-12-31` });

const sm = (name: string, month: number, day: number, o: RuleOptions = {}) =>
  fixed(name, month, day, { observance: sundayToMonday, ...o });

export const XTKS_SPEC: ExchangeSpec = {
  name: "XTKS",
  tz: "Asia/Tokyo",
  open: "09:00",
  breakStart: "11:30",
  breakEnd: "12:30",
  close: [[null, "15:00"], ["2024-11-05", "15:30"]],
  firstYear: 1997, // exchange_calendars' earliest year for XTKS
  holidays: [
    fixed("New Year's Holiday (Dec 31)", 12, 31),
    fixed("New Year's Day", 1, 1),
    fixed("New Year's Holiday (Jan 2)", 1, 2),
    fixed("New Year's Holiday (Jan 3)", 1, 3),
    sm("Coming of Age Day", 1, 15, { end: "2000-01-01" }),
    nthWeekday("Coming of Age Day", 1, MONDAY, 2, { start: "2000-01-01" }),
    sm("National Foundation Day", 2, 11),
    computed("Vernal Equinox Day", (y) => sundayToMonday(vernalEquinox(y))),
    sm("Greenery Day", 4, 29, { end: "2007-01-01" }),
    sm("Showa Day", 4, 29, { start: "2007-01-01" }),
    fixed("Constitution Memorial Day", 5, 3, { observance: sundayPlus(3) }),
    fixed("Greenery Day", 5, 4, { start: "2007-01-01", observance: sundayPlus(2) }),
    sm("Citizen's Holiday (Golden Week)", 5, 4, { end: "2007-01-01" }),
    sm("Children's Day", 5, 5),
    sm("Marine Day", 7, 20, { end: "2003-01-01" }),
    nthWeekday("Marine Day", 7, MONDAY, 3, { start: "2003-01-01", end: "2020-01-01" }),
    once("Marine Day (2020 Olympics)", 2020, 7, 23),
    once("Marine Day (2021 Olympics)", 2021, 7, 22),
    nthWeekday("Marine Day", 7, MONDAY, 3, { start: "2022-01-01" }),
    sm("Mountain Day", 8, 11, { start: "2016-01-01", end: "2020-01-01" }),
    once("Mountain Day (2020 Olympics)", 2020, 8, 10),
    once("Mountain Day (2021 Olympics)", 2021, 8, 9),
    sm("Mountain Day", 8, 11, { start: "2022-01-01" }),
    computed("Respect for the Aged Day", respectForTheAged),
    computed("Autumnal Equinox Day", (y) => sundayToMonday(autumnalEquinox(y))),
    // A weekday between Respect for the Aged Day and the equinox is a holiday ("Silver Week").
    computed("Citizen's Holiday (Silver Week)", (y) => {
      const aged = respectForTheAged(y), equinox = autumnalEquinox(y);
      return y >= 2003 && equinox - aged === 2 ? aged + 1 : NaN;
    }),
    sm("Health and Sports Day", 10, 10, { end: "2000-01-01" }),
    nthWeekday("Health and Sports Day", 10, MONDAY, 2, {
      start: "2000-01-01",
      end: "2020-01-01",
    }),
    once("Sports Day (2020 Olympics)", 2020, 7, 24),
    once("Sports Day (2021 Olympics)", 2021, 7, 23),
    nthWeekday("Sports Day", 10, MONDAY, 2, { start: "2022-01-01" }),
    sm("Culture Day", 11, 3),
    sm("Labor Thanksgiving Day", 11, 23),
    sm("Emperor Akihito's Birthday", 12, 23, { end: "2019-04-30" }),
    sm("Emperor Naruhito's Birthday", 2, 23, { start: "2019-04-30" }),
  ],
  adhocHolidays: [
    "2019-04-30", // enthronement of Emperor Naruhito
    "2019-05-01",
    "2019-05-02",
    "2019-10-22",
    "2020-10-01", // equity trading system failure
  ],
};
