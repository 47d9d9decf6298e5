/** London Stock Exchange (XLON), 08:00–16:30 Europe/London. Placeholder rules; see issue 2. */
import type { ExchangeSpec } from "./exchange.ts";

export const XLON_SPEC: ExchangeSpec = {
  name: "XLON",
  tz: "Europe/London",
  open: "08:00",
  close: "16:30",
  holidays: [],
};
