/**
 * `harvester demo` (the README's first command). Until the backtest engine lands it shows this
 * month's NYSE sessions; it will ingest the shipped bundle and run a backtest.
 */
import { get_calendar, isoDate } from "../../calendars/mod.ts";
import { DAY_MS } from "../../calendars/days.ts";
import type { Command } from "./command.ts";
import { isoInstant } from "./calendar_command.ts";

export const demoCommand: Command = {
  name: "demo",
  summary: "Runs the demo on the data the repository ships.",
  usage: "demo",
  help: [],
  options: {},
  positionals: [0, 0],
  run(_args, io) {
    const cal = get_calendar("XNYS");
    const now = new Date();
    const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0);
    io.stdout(`XNYS sessions in ${isoDate(start / DAY_MS).slice(0, 7)} (UTC):\n`);
    for (const s of cal.sessions_in_range(start, end)) {
      const early = cal.is_early_close(s) ? "  early close" : "";
      io.stdout(
        `  ${isoDate(s / DAY_MS)}  ${isoInstant(cal.session_open(s))} → ${
          isoInstant(cal.session_close(s))
        }${early}\n`,
      );
    }
    return Promise.resolve(0);
  },
};
