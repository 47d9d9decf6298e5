/**
 * A one-line description of each calendar (time zone, today's regular hours, lunch break, span),
 * read from its spec without building it, for `harvester calendar --list`.
 */
import type { ExchangeSpec, TimeHistory, TimeOfDay } from "./exchange.ts";
import { specYears } from "./exchange.ts";
import { calendar_listing, get_calendar } from "./registry.ts";

/** What `calendar --list` shows for one calendar. */
export interface CalendarDescription {
  name: string;
  aliases: string[];
  tz: string;
  /** Regular local hours now in force, e.g. `09:30-16:00`; `17:00 (day before)-17:00` for CME. */
  hours: string;
  /** Regular lunch break now in force (local), e.g. `11:30-12:30`, or empty. */
  break: string;
  /** First and last year the calendar answers for. */
  first_year: number;
  last_year: number;
}

/** The time in force today: the last entry of a history. */
function current(t: TimeOfDay | TimeHistory | undefined): string {
  if (t === undefined) return "";
  if (typeof t === "string") return t;
  return t[t.length - 1][1] ?? "";
}

function hoursOf(spec: ExchangeSpec): string {
  const open = current(spec.open), close = current(spec.close);
  const before = (spec.openDayOffset ?? 0) < 0 ? " (day before)" : "";
  const after = (spec.closeDayOffset ?? 0) > 0 ? " (day after)" : "";
  return `${open}${before}-${close}${after}`;
}

/**
 * Every registered calendar with its time zone and hours, sorted by name. Built-in calendars are
 * described from their specs (nothing is built); a calendar registered as a list of sessions is
 * built to read its span.
 * @example
 * describe_calendars().find((c) => c.name === "XTKS")?.break; // "11:30-12:30"
 */
export function describe_calendars(): CalendarDescription[] {
  return calendar_listing().map(({ name, aliases, spec }) => {
    if (spec) {
      const [first_year, last_year] = specYears(spec);
      const brk = current(spec.breakStart)
        ? `${current(spec.breakStart)}-${current(spec.breakEnd)}`
        : "";
      return {
        name,
        aliases,
        tz: spec.tz,
        hours: hoursOf(spec),
        break: brk,
        first_year,
        last_year,
      };
    }
    const cal = get_calendar(name);
    const year = (ms: number) => new Date(ms).getUTCFullYear();
    return {
      name,
      aliases,
      tz: cal.tz,
      hours: "",
      break: "",
      first_year: year(cal.first_session),
      last_year: year(cal.last_session),
    };
  });
}
