/** Calendar figures: build time of XNYS 1990–2050 and lookup rates. */
import { buildExchangeCalendar } from "../calendars/exchange.ts";
import { XNYS_SPEC } from "../calendars/xnys.ts";
import { DAY_MS } from "../calendars/days.ts";
import { rate, report, timeOnce } from "./harness.ts";

export function benchCalendars(): void {
  console.log("calendars");
  buildExchangeCalendar(XNYS_SPEC); // warm the JIT and Intl once; the figure is a steady build
  let cal = buildExchangeCalendar(XNYS_SPEC);
  const cold = timeOnce(() => (cal = buildExchangeCalendar(XNYS_SPEC)));
  report("  build XNYS 1990–2050", cold, "ms");
  const first = Date.UTC(1990, 0, 1), span = 61 * 365;
  const dates = Float64Array.from({ length: 4096 }, (_, i) => first + ((i * 7919) % span) * DAY_MS);
  const minutes = Float64Array.from(
    { length: 4096 },
    (_, i) => dates[i] + ((i * 37) % 1440) * 60_000,
  );
  report("  is_session", rate((i) => cal.is_session(dates[i & 4095])), "lookups/s");
  report("  next_session", rate((i) => cal.next_session(dates[i & 4095])), "lookups/s");
  report("  minute_to_session", rate((i) => cal.minute_to_session(minutes[i & 4095])), "lookups/s");
  report("  is_open_on_minute", rate((i) => cal.is_open_on_minute(minutes[i & 4095])), "lookups/s");
}
