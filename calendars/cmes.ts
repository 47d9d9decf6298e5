/** CME Globex (CMES). Placeholder rules; see issue 2. */
import type { ExchangeSpec } from "./exchange.ts";

export const CMES_SPEC: ExchangeSpec = {
  name: "CMES",
  tz: "America/Chicago",
  open: "17:00",
  openDayOffset: -1,
  close: "17:00",
  holidays: [],
};
