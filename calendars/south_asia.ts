/**
 * Bombay (XBOM) and Karachi (XKAR), as exchange_calendars states them. BSE's closures are a table
 * (to 2026); Pakistan's Islamic holidays are tables of announced dates (to 2025), beyond which
 * only its fixed-date holidays apply.
 */
import type { ExchangeSpec } from "./exchange.ts";
import { FRIDAY, MONDAY, SATURDAY, THURSDAY, TUESDAY, WEDNESDAY } from "./days.ts";
import { fixed } from "./rules.ts";
import { BOMBAY_CLOSURES } from "./data/bombay_holidays.ts";
import * as pk from "./data/karachi_holidays.ts";

const MON_TO_SAT = [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY];

export const XBOM_SPEC: ExchangeSpec = {
  name: "XBOM",
  tz: "Asia/Kolkata",
  open: "09:15",
  close: "15:30",
  firstYear: 1997,
  lastYear: 2026, // the table of closures ends in 2026
  // Saturday sessions (2024-01-20 and 2025-02-01).
  specialWeekmasks: [
    { start: "2024-01-15", end: "2024-01-21", weekmask: MON_TO_SAT },
    { start: "2025-01-27", end: "2025-02-02", weekmask: MON_TO_SAT },
  ],
  adhocHolidays: BOMBAY_CLOSURES,
};

export const XKAR_SPEC: ExchangeSpec = {
  name: "XKAR",
  tz: "Asia/Karachi",
  open: "09:32",
  close: "15:30",
  holidays: [
    fixed("Kashmir Day", 2, 5),
    fixed("Pakistan Day", 3, 23),
    fixed("Labour Day", 5, 1),
    fixed("Youm-e-Takbeer", 5, 28, { start: "2024" }),
    fixed("Independence Day", 8, 14),
    fixed("Iqbal Day", 11, 9, { end: "2013" }),
    fixed("Iqbal Day", 11, 9, { start: "2022" }),
    fixed("Birthday of Quaid-e-Azam and Christmas", 12, 25),
  ],
  adhocHolidays: [
    ...pk.NEW_YEARS_DAY,
    ...pk.JUMA_TUL_WIDA,
    ...pk.EID_UL_FITR,
    ...pk.EID_UL_AZHA,
    ...pk.ASHURA,
    ...pk.EID_MILAD_UN_NABI,
    ...pk.MISCELLANEOUS_CLOSURES,
  ],
};
