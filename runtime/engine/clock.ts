/**
 * The Clock seam: what tells the engine that time has moved. Every mode's clock yields the same
 * four events — a session starts, before_trading_start is due, a bar completes, the session ends —
 * and the engine (engine.ts) does the same work for each whatever the clock. Simulation clocks
 * answer synchronously (no Promise per bar on the hot path); a realtime clock waits.
 */
import type { TradingCalendar } from "../../calendars/calendar.ts";

/** One event. Times are UTC ms; `session` is the session label (UTC midnight). */
export type ClockEvent =
  | { kind: "session_start"; session: number; time: number }
  | { kind: "before_trading_start"; session: number; time: number }
  /** `time` is the bar's label: the session's close (daily) or the minute's end. */
  | { kind: "bar"; session: number; time: number }
  /** `time` is the close, or the run's end when it stops before the close (`complete` false). */
  | { kind: "session_end"; session: number; time: number; complete: boolean };

/** A source of events; null at the end. */
export interface Clock {
  next(): ClockEvent | null | Promise<ClockEvent | null>;
}

/** Minutes before the open at which before_trading_start runs (zipline: 08:45 New York). */
export const BTS_MINUTES_BEFORE_OPEN = 45;

/** What the simulation clocks read of a calendar. */
export type SimulationCalendar = Pick<
  TradingCalendar,
  "session_open" | "session_close" | "session_minutes"
>;

/**
 * A backtest's or a replay's clock over `sessions`: per session its start, before_trading_start
 * 45 minutes before the open, one bar at the close (daily) or one per trading minute (minute),
 * and its end at the close. `from` skips sessions already run (a restart continues there).
 *
 * @example
 * ```ts
 * const clock = simulationClock(calendar, sessions, "daily");
 * for (let e = clock.next(); e; e = clock.next()) console.log(e.kind, e.time);
 * ```
 */
export function simulationClock(
  calendar: SimulationCalendar,
  sessions: Float64Array,
  frequency: "daily" | "minute",
  from = 0,
): Clock & { next(): ClockEvent | null } {
  let i = from, step = 0, minutes: Float64Array | null = null, k = 0;
  const next = (): ClockEvent | null => {
    if (i >= sessions.length) return null;
    const session = sessions[i];
    switch (step) {
      case 0:
        step = 1;
        return { kind: "session_start", session, time: session };
      case 1:
        step = 2;
        return {
          kind: "before_trading_start",
          session,
          time: calendar.session_open(session) - BTS_MINUTES_BEFORE_OPEN * 60_000,
        };
      case 2:
        if (frequency === "daily") {
          step = 3;
          return { kind: "bar", session, time: calendar.session_close(session) };
        }
        minutes ??= calendar.session_minutes(session);
        if (k < minutes.length) return { kind: "bar", session, time: minutes[k++] };
        step = 3;
        return next();
      default: {
        step = 0;
        i++;
        minutes = null;
        k = 0;
        return {
          kind: "session_end",
          session,
          time: calendar.session_close(session),
          complete: true,
        };
      }
    }
  };
  return { next };
}

/** A clock from an async iterable of events (the realtime clock's generator). */
export function asyncClock(events: AsyncIterable<ClockEvent>): Clock {
  const it = events[Symbol.asyncIterator]();
  return {
    async next(): Promise<ClockEvent | null> {
      const r = await it.next();
      return r.done ? null : r.value;
    },
  };
}

/**
 * A clock that paces another in wall time: before each session after the first it waits
 * `(session - previous) / speed` ms (a replay at N× real time), interruptibly.
 */
export function pacedClock(
  inner: Clock,
  speed: number,
  sleep: (ms: number) => Promise<void>,
): Clock {
  let last = NaN;
  return {
    async next(): Promise<ClockEvent | null> {
      const e = await inner.next();
      if (e && e.kind === "session_start") {
        if (last === last) await sleep((e.session - last) / speed);
        last = e.session;
      }
      return e;
    },
  };
}
