/**
 * Calendars with no holidays that trade the whole day, as exchange_calendars ≥ 4 defines them:
 * a session D opens at D 00:00 UTC and closes at D+1 00:00 UTC (1,440 minutes).
 */
import type { ExchangeSpec } from "./exchange.ts";

/** `24/7`: every calendar day is a session. */
export const ALWAYS_OPEN_SPEC: ExchangeSpec = {
  name: "24/7",
  tz: "UTC",
  weekmask: [0, 1, 2, 3, 4, 5, 6],
  open: "00:00",
  close: "00:00",
  closeDayOffset: 1,
};

/** `24/5`: every weekday is a session. */
export const WEEKDAY_SPEC: ExchangeSpec = {
  name: "24/5",
  tz: "UTC",
  open: "00:00",
  close: "00:00",
  closeDayOffset: 1,
};
