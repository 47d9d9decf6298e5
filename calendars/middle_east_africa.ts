/**
 * Tel Aviv (XTAE), Riyadh (XSAU) and Johannesburg (XJSE), as exchange_calendars states them.
 * Tel Aviv traded Sunday to Thursday until 2026-01-04 and Monday to Friday since; its Jewish
 * holidays are computed (`hebrew.ts`). Riyadh's Eid closures are tables of dates.
 */
import type { ExchangeSpec } from "./exchange.ts";
import { FRIDAY, MONDAY, SATURDAY, SUNDAY, THURSDAY, TUESDAY, WEDNESDAY, weekday } from "./days.ts";
import * as heb from "./hebrew.ts";
import { computed, easter, fixed, type HolidayRule, sundayToMonday } from "./rules.ts";
import { DAY_MS, isoDate } from "./days.ts";

/** Memorial Day (4 Iyar, moved off Friday, Saturday and Sunday as Israel moves it). */
function memorialDay(y: number): number {
  let d = heb.iyar4(y);
  const w = weekday(d);
  if (w === SUNDAY) d += 1;
  else if (w === FRIDAY) d -= 2;
  else if (w === THURSDAY) d -= 1;
  // exchange_calendars' second adjustment on the Gregorian weekday (never needed after the first).
  const g = weekday(d);
  return g === THURSDAY ? d - 1 : g === FRIDAY ? d - 2 : g === SATURDAY ? d + 1 : d;
}

/** Tisha B'Av, moved from a Saturday to the Sunday. */
function fastDay(y: number): number {
  const d = heb.tishaBav(y);
  return weekday(d) === SATURDAY ? d + 1 : d;
}

/** The day before Yom Kippur, moved from a weekend to the Friday before (from 2026). */
function yomKippurEveObserved(y: number): number {
  const d = heb.roshHashanah(y) + 9 - 1;
  const w = weekday(d);
  return w === SATURDAY ? d - 1 : w === SUNDAY ? d - 2 : d;
}

const at = (name: string, base: (y: number) => number, offset = 0, opts = {}) =>
  computed(name, (y) => base(y) + offset, opts);
const sukkot = (y: number) => heb.roshHashanah(y) + 14;
const yomKippur = (y: number) => heb.roshHashanah(y) + 9;
const simchatTorah = (y: number) => heb.roshHashanah(y) + 21;

/** Days of Passover's and Sukkot's intermediate days that are half days. */
function interimDays(): HolidayRule[] {
  const before = [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, SUNDAY];
  const since = [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY];
  const out: HolidayRule[] = [];
  const spans = [["Passover interim day", heb.passover, 4], [
    "Sukkot interim day",
    sukkot,
    5,
  ]] as const;
  for (const [name, base, n] of spans) {
    for (let k = 1; k <= n; k++) {
      out.push(at(name, base, k, { start: "2026-01-05", daysOfWeek: since }));
      out.push(at(name, base, k, { end: "2026-01-05", daysOfWeek: before }));
    }
  }
  return out;
}

export const XTAE_SPEC: ExchangeSpec = {
  name: "XTAE",
  tz: "Asia/Tel_Aviv",
  open: "09:59",
  close: "17:15",
  // Sunday to Thursday until the move to Monday to Friday on 2026-01-05.
  specialWeekmasks: [{
    start: null,
    end: "2026-01-04",
    weekmask: [SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY],
  }],
  holidays: [
    at("Purim", heb.purim),
    at("Passover Eve", heb.passover, -1),
    at("Passover", heb.passover),
    at("Passover II Eve", heb.passover, 5),
    at("Passover II", heb.passover, 6),
    computed("Memorial Day", memorialDay),
    computed("Independence Day", (y) => memorialDay(y) + 1),
    at("Shavuot Eve", heb.shavuot, -1),
    at("Shavuot", heb.shavuot),
    computed("Tisha B'Av", fastDay),
    at("Rosh Hashanah Eve", heb.roshHashanah, -1),
    at("Rosh Hashanah", heb.roshHashanah),
    at("Rosh Hashanah II", heb.roshHashanah, 1),
    at("Yom Kippur Eve", yomKippur, -1),
    computed("Yom Kippur Eve (observed)", yomKippurEveObserved, { start: "2026-01-05" }),
    at("Yom Kippur", yomKippur),
    at("Sukkot Eve", sukkot, -1),
    at("Sukkot", sukkot),
    at("Simchat Torah Eve", simchatTorah, -1),
    at("Simchat Torah", simchatTorah),
  ],
  adhocHolidays: ["2019-04-09", "2019-09-17", "2020-03-02", "2021-03-23", "2022-11-01"], // elections
  specialCloses: [
    { time: "14:15", rules: interimDays() },
    { time: "15:40", weekdays: [SUNDAY], end: "2026-01-05" },
    { time: "13:50", weekdays: [FRIDAY], start: "2026-01-05" },
  ],
};

/** Every day from `from` to `to` inclusive (`YYYY-MM-DD`). */
function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS) out.push(isoDate(t / DAY_MS));
  return out;
}

export const XSAU_SPEC: ExchangeSpec = {
  name: "XSAU",
  tz: "Asia/Riyadh",
  open: "10:00",
  close: "15:00",
  weekmask: [SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY],
  // exchange_calendars bounds the calendar to its Eid tables' years.
  firstYear: 2021,
  lastYear: 2029,
  holidays: [fixed("Saudi Founding Day", 2, 22), fixed("National Day of Saudi Arabia", 9, 23)],
  adhocHolidays: [
    // Eid al-Adha closures.
    ...daysBetween("2021-07-16", "2021-07-22"),
    ...daysBetween("2022-07-07", "2022-07-13"),
    ...daysBetween("2023-06-27", "2023-07-02"),
    ...daysBetween("2024-06-13", "2024-06-23"),
    ...daysBetween("2025-06-04", "2025-06-09"),
    ...daysBetween("2026-05-22", "2026-05-30"),
    ...daysBetween("2027-05-14", "2027-05-22"),
    ...daysBetween("2028-05-03", "2028-05-09"),
    ...daysBetween("2029-04-20", "2029-04-28"),
    // Eid al-Fitr closures.
    ...daysBetween("2021-05-13", "2021-05-16"),
    ...daysBetween("2022-04-28", "2022-05-08"),
    ...daysBetween("2023-04-18", "2023-04-25"),
    ...daysBetween("2024-04-05", "2024-04-15"),
    ...daysBetween("2025-03-27", "2025-04-02"),
    ...daysBetween("2026-03-17", "2026-03-23"),
    ...daysBetween("2027-03-05", "2027-03-13"),
    ...daysBetween("2028-02-25", "2028-03-04"),
    ...daysBetween("2029-02-12", "2029-02-18"),
  ],
};

const sa = (name: string, month: number, day: number) =>
  fixed(name, month, day, { observance: sundayToMonday });

export const XJSE_SPEC: ExchangeSpec = {
  name: "XJSE",
  tz: "Africa/Johannesburg",
  open: "09:00",
  close: "17:00",
  holidays: [
    sa("New Year's Day", 1, 1),
    sa("Human Rights Day", 3, 21),
    easter("Good Friday", -2),
    easter("Family Day", 1),
    sa("Freedom Day", 4, 27),
    sa("Workers' Day", 5, 1),
    sa("Youth Day", 6, 16),
    sa("National Women's Day", 8, 9),
    sa("Heritage Day", 9, 24),
    sa("Day of Reconciliation", 12, 16),
    sa("Christmas", 12, 25),
    sa("Day of Goodwill", 12, 26),
  ],
  adhocHolidays: [
    "2004-04-14",
    "2006-03-01",
    "2009-04-22",
    "2011-05-18",
    "2014-05-07",
    "2016-08-03",
    "2019-05-08", // elections
    "2008-05-02",
    "2011-12-27",
    "2016-12-27",
  ],
};
