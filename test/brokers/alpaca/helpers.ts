/**
 * Helpers for the Alpaca adapter tests: a controllable sleep (the adapter's only way to wait), a
 * bounded wait for asynchronous effects, and a broker wired to a fake venue.
 */
import type { BrokerEvent } from "../../../runtime/brokers/broker.ts";
import {
  type AlpacaBrokerOptions,
  createAlpacaBroker,
} from "../../../runtime/brokers/alpaca/mod.ts";
import type { FakeAlpacaVenue } from "../../fakes/alpaca_trading_server.ts";

/** Polling interval the tests give the adapter: a value no retry or reconnect delay takes. */
export const POLL_MS = 60_000;

/**
 * Records every requested wait. Waits resolve at once unless `hold` says to keep them, in which
 * case they stay pending until `release`d (so loops advance one step at a time).
 */
export class Sleeps {
  readonly calls: number[] = [];
  hold: (ms: number) => boolean = (ms) => ms === POLL_MS;
  private waiting: { ms: number; resolve: () => void }[] = [];

  readonly sleep = (ms: number): Promise<void> => {
    this.calls.push(ms);
    if (!this.hold(ms)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ ms, resolve }));
  };

  /** Waits currently held. */
  get pending(): number[] {
    return this.waiting.map((w) => w.ms);
  }

  /** Releases the held waits that match; returns how many. */
  release(match: (ms: number) => boolean = () => true): number {
    const go = this.waiting.filter((w) => match(w.ms));
    this.waiting = this.waiting.filter((w) => !match(w.ms));
    for (const w of go) w.resolve();
    return go.length;
  }
}

/** Waits (in 5 ms steps, at most `timeoutMs`) until `ready()` holds. */
export async function until(ready: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!ready()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A broker on the fake venue, recording its events. */
export function connectable(
  venue: FakeAlpacaVenue,
  sleeps = new Sleeps(),
  extra: Partial<AlpacaBrokerOptions> = {},
) {
  const broker = createAlpacaBroker({
    ...venue.options(),
    sleep: sleeps.sleep,
    random: () => 0.5,
    now: () => venue.now(),
    heartbeatMs: 0,
    pollMs: POLL_MS,
    handshakeTimeoutMs: 2000,
    reconnect: { baseDelayMs: 1000, maxDelayMs: 8000 },
    calendar: null,
    ...extra,
  });
  const events: BrokerEvent[] = [];
  broker.onEvent((e) => events.push(e));
  return { broker, events, sleeps };
}

/** The order events of one order, as `event→STATE` strings. */
export function orderTrail(events: readonly BrokerEvent[], coid: string): string[] {
  return events.flatMap((e) =>
    e.type === "order" && e.order.client_order_id === coid ? [`${e.event}→${e.order.state}`] : []
  );
}

/** The fills of one order. */
export function fillsOf(events: readonly BrokerEvent[], coid: string) {
  return events.flatMap((e) =>
    e.type === "fill" && e.fill.client_order_id === coid ? [e.fill] : []
  );
}
