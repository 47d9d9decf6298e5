/**
 * Korea Exchange (XKRX), as exchange_calendars states it: hours and the lunch break as they
 * changed since 1978, Saturday sessions until 1998-12-06, a late open (one hour) on the year's
 * first business day, and all hours moved later on the College Scholastic Ability Test days.
 * Closures are Korea's holiday rules (`korea_holidays.ts`) together with exchange_calendars'
 * table of closures (the exchange's own list to 2021, dates dumped from its rules to 2024, and
 * later ones added by hand), as exchange_calendars combines them.
 */
import type { ExchangeSpec } from "./exchange.ts";
import { FRIDAY, MONDAY, SATURDAY, THURSDAY, TUESDAY, WEDNESDAY } from "./days.ts";
import * as kr from "./data/seoul_holidays.ts";
import { koreanHolidays } from "./korea_holidays.ts";

const korean = koreanHolidays();

const csat = (from: string, to: string) =>
  kr.PRECOMPUTED_CSAT_DAYS.filter((d) => d >= from && d <= to);

export const XKRX_SPEC: ExchangeSpec = {
  name: "XKRX",
  tz: "Asia/Seoul",
  open: [
    [null, "09:30"],
    ["1978-04-01", "10:00"],
    ["1986-04-01", "09:40"],
    ["1995-01-01", "09:30"],
    ["1998-12-07", "09:00"],
  ],
  breakStart: [
    [null, "11:30"],
    ["1978-04-01", "12:00"],
    ["1987-03-01", "11:40"],
    ["1995-01-01", "11:30"],
    ["1998-12-07", "12:00"],
    ["2000-05-22", null],
  ],
  breakEnd: [
    [null, "13:30"],
    ["1986-04-01", "13:20"],
    ["1995-01-01", "13:00"],
    ["2000-05-22", null],
  ],
  close: [
    [null, "15:30"],
    ["1986-04-01", "15:20"],
    ["1995-01-01", "15:00"],
    ["2016-08-01", "15:30"],
  ],
  specialWeekmasks: [{
    start: null,
    end: "1998-12-06",
    weekmask: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY],
  }],
  firstYear: 1986,
  holidays: [korean.holidays],
  adhocHolidays: [
    ...kr.ORIGINAL_PRECOMPUTED_KRX_HOLIDAYS,
    ...kr.DUMPED_PRECOMPUTED_KRX_HOLIDAYS,
    ...kr.MANUALLY_ADDED_HOLIDAYS,
  ],
  specialOffsets: [
    { open: 60, rules: [korean.firstBusinessDay] },
    // Exam days: everything 30 minutes later until 1998-11-17, an hour later since.
    { open: 30, breakStart: 30, breakEnd: 30, close: 30, adhoc: csat("1993-08-20", "1998-11-17") },
    { open: 60, breakStart: 60, breakEnd: 60, close: 60, adhoc: csat("1998-11-18", "9999-12-31") },
  ],
};
