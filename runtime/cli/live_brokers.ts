/**
 * The brokers and the clock of `harvester live --broker alpaca|ib`: adapters built with their
 * factories, and an optional accelerated clock (`HARVESTER_LIVE_CLOCK`) for rehearsals against
 * a fake venue.
 */
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { createAlpacaBroker } from "../brokers/alpaca/mod.ts";
import type { Broker } from "../model/broker.ts";
import { createIbBroker } from "../brokers/ib/mod.ts";
import { UsageError } from "./command.ts";

/** A time source and the matching wait. */
export interface LiveClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * `HARVESTER_LIVE_CLOCK=<ISO start>@<real anchor ms>x<speed>`: time is `start` at the real
 * instant `anchor` and runs `speed` times faster (a fake venue given the same spec agrees).
 * Without it: the wall clock.
 *
 * @example
 * ```ts
 * const c = liveClock("2014-06-02T14:29:00Z@1700000000000x60"); // a minute per second
 * ```
 */
export function liveClock(spec: string | undefined): LiveClock {
  if (!spec) {
    return { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms))) };
  }
  const m = /^(.+)@(\d+)x(\d+(?:\.\d+)?)$/.exec(spec);
  const start = m ? Date.parse(m[1]) : NaN;
  if (!m || Number.isNaN(start) || !(Number(m[3]) > 0)) {
    throw new UsageError(`HARVESTER_LIVE_CLOCK: "${spec}" is not <ISO start>@<anchor ms>x<speed>`);
  }
  const anchor = Number(m[2]), speed = Number(m[3]);
  return {
    now: () => start + (Date.now() - anchor) * speed,
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms / speed))),
  };
}

/** What building an adapter needs from the command line. */
export interface BrokerChoice {
  name: string;
  env: Record<string, string | undefined>;
  /** Alpaca: trade real money (`--live`); paper otherwise. */
  live?: boolean;
  /** IB: `host:port:client_id`. */
  uri?: string;
  clock: LiveClock;
  calendar: TradingCalendar;
}

/**
 * The adapter for `--broker alpaca|ib`, not connected yet.
 *
 * @example
 * ```ts
 * const b = buildBroker({ name: "ib", uri: "127.0.0.1:4002:7", env: {}, clock, calendar });
 * ```
 */
export function buildBroker(c: BrokerChoice): Broker {
  if (c.name === "alpaca") {
    return createAlpacaBroker({
      env: c.env,
      paper: !c.live,
      now: c.clock.now,
      sleep: c.clock.sleep,
      calendar: c.calendar,
    });
  }
  if (c.name === "ib") {
    return createIbBroker({
      uri: c.uri,
      env: c.env,
      now: c.clock.now,
      sleep: c.clock.sleep,
      calendar: c.calendar,
    });
  }
  throw new UsageError(`--broker ${c.name}: use paper, alpaca or ib`);
}
