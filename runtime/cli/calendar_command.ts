/**
 * `harvester calendar NAME`: one row per session with its open and close (and lunch break, for a
 * calendar that has one) as UTC instants; `harvester calendar --list`: every calendar with its time
 * zone and hours.
 */
import {
  type CalendarDescription,
  describe_calendars,
  get_calendar,
  isoDate,
  type TradingCalendar,
} from "../../calendars/mod.ts";
import { DAY_MS, isoInstant, parseIsoDate } from "../../calendars/days.ts";
import { DEFAULT_END_YEAR, DEFAULT_START_YEAR } from "../../calendars/exchange.ts";
import { type Command, stringOpt, UsageError } from "./command.ts";

/** A strict `YYYY-MM-DD` option as UTC-midnight ms (the calendar checks its own span). */
function dayArg(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const day = parseIsoDate(text);
  if (day === undefined) {
    throw new UsageError(`${flag}: "${text}" is not a date in YYYY-MM-DD form`);
  }
  return day * DAY_MS;
}

/** A `--flag YYYY-MM-DD` value as UTC-midnight ms, within the span calendars answer for. */
export function dateArg(flag: string, text: string | undefined, fallback: number): number {
  const ms = dayArg(flag, text, fallback);
  const year = new Date(ms).getUTCFullYear();
  if (text !== undefined && (year < DEFAULT_START_YEAR || year > DEFAULT_END_YEAR)) {
    throw new UsageError(
      `${flag}: ${text} is outside the calendars' range ${DEFAULT_START_YEAR}-01-01 to ${DEFAULT_END_YEAR}-12-31`,
    );
  }
  return ms;
}

/** A date outside the years the calendar answers for is a usage error naming them. */
function checkSpan(cal: TradingCalendar, start: number, end: number): void {
  const first = Date.UTC(new Date(cal.first_session).getUTCFullYear(), 0, 1);
  const last = Date.UTC(new Date(cal.last_session).getUTCFullYear(), 11, 31);
  for (const [flag, value] of [["--start", start], ["--end", end]] as const) {
    if (value < first || value > last) {
      throw new UsageError(
        `${flag} ${isoDate(value / DAY_MS)} is outside calendar ${cal.name}'s range ${
          isoDate(first / DAY_MS)
        } to ${isoDate(last / DAY_MS)}`,
      );
    }
  }
}

const LIST_COLUMNS = [
  "name",
  "tz",
  "hours",
  "break",
  "first_year",
  "last_year",
  "aliases",
] as const;

/** `--list` as an aligned table (csv and json for scripts). */
function renderList(rows: CalendarDescription[], format: string): string {
  if (format === "json") return JSON.stringify(rows, null, 2) + "\n";
  const cells = rows.map((r) => [
    r.name,
    r.tz,
    r.hours,
    r.break,
    String(r.first_year),
    String(r.last_year),
    r.aliases.join(" "),
  ]);
  if (format === "csv") {
    return [LIST_COLUMNS.join(","), ...cells.map((c) => c.join(","))].join("\n") + "\n";
  }
  const head = ["NAME", "TIME ZONE", "HOURS (LOCAL)", "BREAK", "FROM", "TO", "ALIASES"];
  const width = head.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k].length)));
  const line = (c: string[]) => c.map((v, k) => v.padEnd(width[k])).join("  ").trimEnd();
  return [line(head), ...cells.map(line)].join("\n") + "\n";
}

export const calendarCommand: Command = {
  name: "calendar",
  summary: "Prints a trading calendar's sessions in a range, one row per session: " +
    "session,open,close (and break_start,break_end for a calendar with a lunch break).",
  usage: "calendar NAME [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--format csv|json] | --list",
  help: [
    "NAME                    a calendar or alias (XNYS, NYSE, XTKS, XHKG, CMES, us_futures, 24/7, …)",
    "-s, --start YYYY-MM-DD  first date (default: January 1st of this year)",
    "-e, --end YYYY-MM-DD    last date (default: December 31st of this year)",
    "--format csv|json       output format (default csv; --list defaults to a table)",
    "--list                  every calendar with its time zone, local hours, break, span and aliases",
  ],
  options: {
    start: { type: "string", short: "s" },
    end: { type: "string", short: "e" },
    format: { type: "string" },
    list: { type: "boolean" },
  },
  positionals: [0, 1],
  run(args, io) {
    const format = stringOpt(args, "format");
    if (format !== undefined && format !== "csv" && format !== "json") {
      throw new UsageError(`--format: "${format}" is not one of csv, json`);
    }
    if (args.values.list) {
      io.stdout(renderList(describe_calendars(), format ?? "table"));
      return Promise.resolve(0);
    }
    const name = args.positionals[0];
    if (name === undefined) {
      throw new UsageError(`missing calendar NAME; usage: harvester ${this.usage}`);
    }
    const year = new Date().getUTCFullYear();
    const start = dayArg("--start", stringOpt(args, "start"), Date.UTC(year, 0, 1));
    const end = dayArg("--end", stringOpt(args, "end"), Date.UTC(year, 11, 31));
    if (end < start) {
      throw new UsageError(
        `--end ${isoDate(end / DAY_MS)} is before --start ${isoDate(start / DAY_MS)}`,
      );
    }
    const cal = get_calendar(name);
    checkSpan(cal, start, end);
    const sessions = cal.sessions_in_range(start, end);
    // A calendar with a lunch break gets two more columns, empty for a session without one.
    const breaks = cal.has_break;
    const rows = Array.from(sessions, (s) => {
      const row: Record<string, string | null> = {
        session: isoDate(s / DAY_MS),
        open: isoInstant(cal.session_open(s)),
        close: isoInstant(cal.session_close(s)),
      };
      if (breaks) {
        row.break_start = isoInstant(cal.session_break_start(s));
        row.break_end = isoInstant(cal.session_break_end(s));
      }
      return row;
    });
    if (format === "json") io.stdout(JSON.stringify(rows, null, 2) + "\n");
    else {
      const columns = breaks
        ? ["session", "open", "close", "break_start", "break_end"]
        : ["session", "open", "close"];
      const lines = rows.map((r) => columns.map((c) => r[c] ?? "").join(","));
      io.stdout([columns.join(","), ...lines].join("\n") + "\n");
    }
    return Promise.resolve(0);
  },
};
