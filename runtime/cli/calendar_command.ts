/** `harvester calendar NAME`: one row per session with its open and close as UTC instants. */
import { calendar_names, get_calendar, isoDate } from "../../calendars/mod.ts";
import { DAY_MS, parseIsoDate } from "../../calendars/days.ts";
import { DEFAULT_END_YEAR, DEFAULT_START_YEAR } from "../../calendars/exchange.ts";
import { type Command, stringOpt, UsageError } from "./command.ts";

/** `2024-07-03T13:30:00Z`: ISO-8601 UTC to the second. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/** A `--flag YYYY-MM-DD` value as UTC-midnight ms, within the span calendars answer for. */
export function dateArg(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const day = parseIsoDate(text);
  if (day === undefined) {
    throw new UsageError(`${flag}: "${text}" is not a date in YYYY-MM-DD form`);
  }
  const year = Number(text.slice(0, 4));
  if (year < DEFAULT_START_YEAR || year > DEFAULT_END_YEAR) {
    throw new UsageError(
      `${flag}: ${text} is outside the calendars' range ${DEFAULT_START_YEAR}-01-01 to ${DEFAULT_END_YEAR}-12-31`,
    );
  }
  return day * DAY_MS;
}

export const calendarCommand: Command = {
  name: "calendar",
  summary:
    "Prints a trading calendar's sessions in a range, one row per session: session,open,close.",
  usage: "calendar NAME [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--format csv|json]",
  help: [
    "NAME                    a calendar or alias (XNYS, NYSE, CMES, XLON, 24/7, 24/5, …)",
    "-s, --start YYYY-MM-DD  first date (default: January 1st of this year)",
    "-e, --end YYYY-MM-DD    last date (default: December 31st of this year)",
    "--format csv|json       output format (default csv)",
    "--list                  print the known calendar names instead",
  ],
  options: {
    start: { type: "string", short: "s" },
    end: { type: "string", short: "e" },
    format: { type: "string", default: "csv" },
    list: { type: "boolean" },
  },
  positionals: [0, 1],
  run(args, io) {
    if (args.values.list) {
      io.stdout(calendar_names().join("\n") + "\n");
      return Promise.resolve(0);
    }
    const name = args.positionals[0];
    if (name === undefined) {
      throw new UsageError(`missing calendar NAME; usage: harvester ${this.usage}`);
    }
    const format = stringOpt(args, "format");
    if (format !== "csv" && format !== "json") {
      throw new UsageError(`--format: "${format}" is not one of csv, json`);
    }
    const year = new Date().getUTCFullYear();
    const start = dateArg("--start", stringOpt(args, "start"), Date.UTC(year, 0, 1));
    const end = dateArg("--end", stringOpt(args, "end"), Date.UTC(year, 11, 31));
    if (end < start) {
      throw new UsageError(
        `--end ${isoDate(end / DAY_MS)} is before --start ${isoDate(start / DAY_MS)}`,
      );
    }
    const cal = get_calendar(name);
    const sessions = cal.sessions_in_range(start, end);
    const rows = Array.from(sessions, (s) => ({
      session: isoDate(s / DAY_MS),
      open: isoInstant(cal.session_open(s)),
      close: isoInstant(cal.session_close(s)),
    }));
    if (format === "json") io.stdout(JSON.stringify(rows, null, 2) + "\n");
    else {io.stdout(
        [
          "session,open,close",
          ...rows.map((r) => `${r.session},${r.open},${r.close}`),
        ].join("\n") + "\n",
      );}
    return Promise.resolve(0);
  },
};
