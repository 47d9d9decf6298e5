/**
 * `us_futures`: zipline's synthetic calendar for US futures (exchange_calendars'
 * `QuantopianUSFuturesCalendar`, `us_futures_calendar.py`). Sessions are labelled by the day they
 * end, run 18:00 to 18:00 America/New_York (opening the evening before; CME's Sunday pre-open hour
 * is ignored so every session has the same hours), and only New Year's Day, Good Friday and
 * Christmas are holidays. It is not CMES: CMES opens at 17:00 Chicago and has its own closures.
 */
import type { ExchangeSpec } from "./exchange.ts";
import { usHolidays } from "./xnys.ts";

export const US_FUTURES_SPEC: ExchangeSpec = {
  name: "us_futures",
  tz: "America/New_York",
  open: "18:00",
  openDayOffset: -1,
  close: "18:00",
  holidays: [usHolidays.newYearsDay, usHolidays.goodFriday, usHolidays.christmas],
};
