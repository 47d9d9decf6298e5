/**
 * A session's latency clock: when the current bar reached the session (performance.now), and
 * how long the venue's own code ran synchronously inside this bar's submits so far (an in-process
 * paper venue's matching and files are a broker's time, not the runtime's). One per run: two
 * sessions in one process keep their own.
 */
import type { Broker } from "../model/broker.ts";

/** Where an order's bar → broker latency goes: the ms, and its bar's arrival (performance.now). */
export interface LatencySink {
  record(ms: number, barStart: number): void;
}

export class BarClock {
  start = 0;
  venue = 0;

  /** Marks a bar's arrival. */
  begin(): void {
    this.start = performance.now();
    this.venue = 0;
  }

  /**
   * With `latencies`, records for every order the ms from its bar's arrival to its hand-off to
   * the broker (the broker's own time excluded); without, the broker is left as it is.
   */
  measure(broker: Broker, latencies?: LatencySink): Broker {
    if (!latencies) return broker;
    const submit = broker.submit.bind(broker);
    broker.submit = (r) => {
      const t0 = performance.now();
      latencies.record(t0 - this.start - this.venue, this.start);
      const sent = submit(r);
      this.venue += performance.now() - t0;
      return sent;
    };
    return broker;
  }
}
