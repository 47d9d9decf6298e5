/**
 * Market hours as Alpaca publishes them (`GET /v2/calendar`: each trading day's date, open and
 * close in New York time; docs.alpaca.markets "Calendar"), checked against our trading calendar.
 * A day Alpaca lists differently — a closure announced late, an early close our rules do not know —
 * is reported, and bars follow Alpaca's hours for the days it has published; beyond them our
 * calendar decides.
 */
import { intlOffset } from "../../../calendars/timezone.ts";
import type { MinuteFilter } from "./config.ts";

const NY = "America/New_York";
const DAY = 86_400_000;

/** One day of Alpaca's calendar, as the SDK gives it (date at UTC midnight, "HH:MM" times). */
export interface AlpacaCalendarDay {
  date: Date | string;
  open: string;
  close: string;
}

/** A trading calendar that can also say when a session opens and closes. */
export interface SessionCalendar extends MinuteFilter {
  is_session(date: number): boolean;
  session_open(session: number): number;
  session_close(session: number): number;
}

/** New York wall time on `date` (UTC midnight) at "HH:MM", as UTC ms. */
function nyTime(date: number, hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  const local = date + (h * 60 + m) * 60_000;
  const guess = local - intlOffset(NY, local);
  return local - intlOffset(NY, guess);
}

/** The UTC-midnight label of the New York date a minute (labelled by its end) belongs to. */
export function nyDate(minute: number): number {
  const t = minute - 1; // a session's last minute ends at its close
  return Math.floor((t + intlOffset(NY, t)) / DAY) * DAY;
}

const iso = (d: number) => new Date(d).toISOString().slice(0, 10);
const hm = (t: number) =>
  new Date(t).toLocaleTimeString("en-GB", { timeZone: NY, hour: "2-digit", minute: "2-digit" });

/** Whether a calendar can say when its sessions open and close (the XNYS calendar can). */
export function isSessionCalendar(c: MinuteFilter | null): c is SessionCalendar {
  return !!c && "is_session" in c && "session_open" in c && "session_close" in c;
}

/** Our calendar, corrected by Alpaca's for the days Alpaca has published. */
export class MarketHours implements MinuteFilter {
  private readonly days = new Map<number, { open: number; close: number } | null>();

  constructor(private readonly calendar: SessionCalendar) {}

  /**
   * Takes Alpaca's days from `from` to `to` (UTC-midnight labels; days missing from the list are
   * closed) and returns how they differ from our calendar, one line a day.
   */
  learn(from: number, to: number, published: readonly AlpacaCalendarDay[]): string[] {
    const given = new Map<number, { open: number; close: number }>();
    for (const d of published) {
      const day = d.date instanceof Date ? iso(d.date.getTime()) : String(d.date).slice(0, 10);
      const date = Date.parse(`${day}T00:00:00Z`);
      given.set(date, { open: nyTime(date, d.open), close: nyTime(date, d.close) });
    }
    const differences: string[] = [];
    for (let date = from; date <= to; date += DAY) {
      const theirs = given.get(date) ?? null;
      const ours = this.calendar.is_session(date)
        ? { open: this.calendar.session_open(date), close: this.calendar.session_close(date) }
        : null;
      this.days.set(date, theirs);
      const say = (h: typeof ours) => (h ? `${hm(h.open)}–${hm(h.close)}` : "closed");
      if (say(theirs) !== say(ours)) {
        differences.push(`${iso(date)}: Alpaca ${say(theirs)}, our calendar ${say(ours)}`);
      }
    }
    return differences;
  }

  is_open_on_minute(minute: number): boolean {
    const date = nyDate(minute);
    if (!this.days.has(date)) return this.calendar.is_open_on_minute(minute);
    const h = this.days.get(date);
    return !!h && minute > h.open && minute <= h.close;
  }
}

/**
 * Reads Alpaca's calendar for the week from `day` and reports each day it lists differently from
 * ours (`calendar_mismatch`); bars then follow Alpaca's hours on those days. A calendar that
 * cannot be read leaves ours alone in charge (reported as `calendar`).
 */
export async function checkMarketHours(
  hours: MarketHours,
  day: number,
  read: (from: Date, to: Date) => Promise<AlpacaCalendarDay[]>,
  report: (e: { message: string; code: string }) => void,
): Promise<void> {
  const to = day + 7 * DAY;
  try {
    for (const line of hours.learn(day, to, await read(new Date(day), new Date(to)))) {
      report({
        message: `market hours differ (${line}): bars follow Alpaca's calendar; check the ` +
          "session's calendar",
        code: "calendar_mismatch",
      });
    }
  } catch (e) {
    report({
      message: `Alpaca's calendar could not be read (${(e as Error).message}): our calendar ` +
        "alone decides",
      code: "calendar",
    });
  }
}
