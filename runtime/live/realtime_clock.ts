/**
 * The realtime clock of a live minute session (zipline's RealtimeClock, any calendar): for each
 * session from now until `end` it yields `session_start`, `before_trading_start` a configurable
 * time before the open, one `bar` per trading minute as that minute completes (after the broker's
 * bars for it arrived, or a short grace), and `session_end`. Time is the broker's (our clock plus
 * its skew); `now` and `sleep` are injected, so tests run a whole day in milliseconds.
 */
import { DAY_MS } from "../../calendars/days.ts";
import type { TradingCalendar } from "../../calendars/calendar.ts";

/** One event of the realtime clock. Times are UTC ms; `session` is the session label. */
export type ClockEvent =
  | { kind: "session_start"; session: number; time: number }
  | { kind: "before_trading_start"; session: number; time: number }
  /** `time` is the minute's label: its end, as calendars and broker bars count. */
  | { kind: "bar"; session: number; time: number; waitedMs: number }
  /** `time` is the close, or `end` when the run stops before the close. */
  | { kind: "session_end"; session: number; time: number; complete: boolean };

/** The calendar methods the clock uses. */
export type ClockCalendar = Pick<
  TradingCalendar,
  "sessions_in_range" | "session_open" | "session_close" | "session_minutes"
>;

export interface RealtimeClockOptions {
  calendar: ClockCalendar;
  /** Stop after this time (UTC ms); the session it falls in ends there. */
  end: number;
  /** Our clock (UTC ms). @default Date.now */
  now?: () => number;
  /** Waits `ms`. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Broker clock minus ours (ms), read at every wait. @default () => 0 */
  skewMs?: () => number;
  /** before_trading_start runs this many minutes before the open. @default 45 */
  btsMinutesBeforeOpen?: number;
  /** Whether the broker's bars for a minute (by its label) have all arrived. @default none: no wait */
  barsReady?: (minute: number) => boolean;
  /** How long after a minute ends to wait for its bars before going on. @default 2000 */
  barGraceMs?: number;
  /** Polling interval while waiting for bars. @default 100 */
  pollMs?: number;
  /** Checked at every step; true ends the clock. */
  stop?: () => boolean;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The session labels the clock will run: from the one in progress (or next) until `end`.
 *
 * @example
 * ```ts
 * const sessions = liveSessions(get_calendar("XNYS"), Date.now(), Date.now() + 86_400_000);
 * ```
 */
export function liveSessions(calendar: ClockCalendar, now: number, end: number): number[] {
  const from = Math.floor(now / DAY_MS) * DAY_MS - 2 * DAY_MS;
  const to = Math.floor(end / DAY_MS) * DAY_MS + DAY_MS;
  return [...calendar.sessions_in_range(from, to)].filter((s) =>
    calendar.session_close(s) > now && calendar.session_open(s) < end
  );
}

/**
 * Yields the live session's events in real time. Minutes that ended before the clock started
 * are skipped (a start in the middle of a session runs its remaining minutes).
 *
 * @example
 * ```ts
 * for await (const e of realtimeClock({ calendar: get_calendar("24/7"), end: Date.now() + 3e5 })) {
 *   if (e.kind === "bar") console.log(new Date(e.time).toISOString());
 * }
 * ```
 */
export async function* realtimeClock(o: RealtimeClockOptions): AsyncGenerator<ClockEvent> {
  const now = o.now ?? Date.now, sleep = o.sleep ?? realSleep;
  const skew = o.skewMs ?? (() => 0);
  const server = () => now() + skew();
  const btsMs = (o.btsMinutesBeforeOpen ?? 45) * 60_000;
  const grace = o.barGraceMs ?? 2000, poll = Math.max(1, o.pollMs ?? 100);
  const stopped = () => o.stop?.() ?? false;
  const until = async (t: number) => {
    for (let left = t - server(); left > 0 && !stopped(); left = t - server()) await sleep(left);
  };
  const startedAt = server();
  for (const session of liveSessions(o.calendar, startedAt, o.end)) {
    if (stopped()) return;
    const open = o.calendar.session_open(session), close = o.calendar.session_close(session);
    await until(open - btsMs);
    if (stopped()) return;
    yield { kind: "session_start", session, time: server() };
    yield { kind: "before_trading_start", session, time: Math.max(server(), open - btsMs) };
    const minutes = o.calendar.session_minutes(session);
    const last = Math.min(close, o.end);
    for (let k = 0; k < minutes.length; k++) {
      const m = minutes[k];
      if (m > last) break;
      if (m <= startedAt) continue; // ended before the clock started
      await until(m);
      if (stopped()) return;
      const ready = o.barsReady;
      while (ready && !ready(m) && server() < m + grace && !stopped()) {
        await sleep(Math.min(poll, m + grace - server()));
      }
      yield { kind: "bar", session, time: m, waitedMs: Math.max(0, server() - m) };
    }
    if (stopped()) return;
    await until(last);
    yield { kind: "session_end", session, time: last, complete: last === close };
    if (close >= o.end) return;
  }
}
