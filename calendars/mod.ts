/** Trading calendars: the public face of `calendars/`. */
export type { Direction, MinuteSide, TradingCalendar } from "./calendar.ts";
export { PrecomputedCalendar } from "./precomputed.ts";
export { buildExchangeCalendar, type ExchangeSpec } from "./exchange.ts";
export { type CalendarDescription, describe_calendars } from "./describe.ts";
export {
  calendar_listing,
  calendar_names,
  calendarFromSessions,
  type CalendarListing,
  get_calendar,
  register_calendar,
  register_calendar_alias,
} from "./registry.ts";
export * from "./errors.ts";
export { DAY_MS, isoDate, MINUTE_MS, parseIsoDate } from "./days.ts";
