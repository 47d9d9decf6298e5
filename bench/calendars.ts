/** Calendar figures: build time of XNYS 1990–2050 and lookup rates; the same for XTKS (lunch break). */
import { buildExchangeCalendar, type ExchangeSpec } from "../calendars/exchange.ts";
import { XNYS_SPEC } from "../calendars/xnys.ts";
import { XTKS_SPEC } from "../calendars/japan.ts";
import { BUILT_IN_CALENDARS } from "../calendars/catalogue.ts";
import { DAY_MS } from "../calendars/days.ts";
import type { TradingCalendar } from "../calendars/calendar.ts";
import { rate, report, timeOnce } from "./harness.ts";

function lookups(label: string, cal: TradingCalendar, firstYear: number): void {
  const first = Date.UTC(firstYear, 0, 1), span = (2050 - firstYear + 1) * 365;
  const dates = Float64Array.from({ length: 4096 }, (_, i) => first + ((i * 7919) % span) * DAY_MS);
  const minutes = Float64Array.from(
    { length: 4096 },
    (_, i) => dates[i] + ((i * 37) % 1440) * 60_000,
  );
  report(`  ${label}is_session`, rate((i) => cal.is_session(dates[i & 4095])), "lookups/s");
  report(`  ${label}next_session`, rate((i) => cal.next_session(dates[i & 4095])), "lookups/s");
  report(
    `  ${label}minute_to_session`,
    rate((i) => cal.minute_to_session(minutes[i & 4095])),
    "lookups/s",
  );
  report(
    `  ${label}is_open_on_minute`,
    rate((i) => cal.is_open_on_minute(minutes[i & 4095])),
    "lookups/s",
  );
}

function build(spec: ExchangeSpec): [TradingCalendar, number] {
  buildExchangeCalendar(spec); // warm the JIT and Intl once; the figure is a steady build
  let cal = buildExchangeCalendar(spec);
  const ms = timeOnce(() => (cal = buildExchangeCalendar(spec)));
  return [cal, ms];
}

export function benchCalendars(): void {
  console.log("calendars");
  const [nyse, nyseMs] = build(XNYS_SPEC);
  report("  build XNYS 1990–2050", nyseMs, "ms");
  lookups("", nyse, 1990);
  const [tokyo, tokyoMs] = build(XTKS_SPEC);
  report("  build XTKS 1997–2050 (lunch break)", tokyoMs, "ms");
  lookups("XTKS ", tokyo, 1997);
  const all = timeOnce(() => {
    for (const c of BUILT_IN_CALENDARS) buildExchangeCalendar(c.spec);
  });
  report(`  build all ${BUILT_IN_CALENDARS.length} calendars (none is built unasked)`, all, "ms");
}
