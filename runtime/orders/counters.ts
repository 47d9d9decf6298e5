/**
 * What the order path counts while it runs, for monitoring (`--metrics-port`): totals that only
 * grow (rejections, refused transitions, reconnects) and latencies kept as fixed-bucket
 * histograms, so a scraper can compute quantiles over any window (Prometheus' histogram type:
 * cumulative `le` buckets, `_sum`, `_count`; https://prometheus.io/docs/concepts/metric_types/).
 * Counted when the event happens, never recomputed from the orders still held.
 */

/** Upper bounds in seconds: 100µs to 10s, the span from an in-process venue to a slow broker. */
export const LATENCY_BUCKETS_S: readonly number[] = [
  0.0001,
  0.00025,
  0.0005,
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
];

/** A histogram over fixed bounds: counts per bucket (not cumulative), the sum and the count. */
export class Histogram {
  /** One count per bound, plus the last for values above every bound (+Inf). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[] = LATENCY_BUCKETS_S) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** Records one value; non-finite values (a time never taken) are not observations. */
  observe(v: number): void {
    if (!Number.isFinite(v)) return;
    let i = 0;
    while (i < this.bounds.length && v > this.bounds[i]) i++;
    this.counts[i]++;
    this.sum += v;
    this.count++;
  }

  /** Cumulative counts for each bound and then +Inf, as the exposition format lists them. */
  cumulative(): number[] {
    const out: number[] = [];
    let acc = 0;
    for (const c of this.counts) out.push(acc += c);
    return out;
  }
}

export class OrderCounters {
  /** Orders sent to the broker. */
  submitted = 0;
  /** Cancels sent to the broker (an order withdrawn before it was sent is not one). */
  cancelRequests = 0;
  /** Executions booked (each reported execution once). */
  fills = 0;
  /** Orders the risk gate refused before they had an id. */
  riskDenied = 0;
  /** Orders that ended REJECTED (by the risk gate, our checks or the venue). */
  rejects = 0;
  /** Broker events the transition table refused. */
  refusedTransitions = 0;
  /** The broker's connection came back after a drop. */
  reconnects = 0;
  /** The broker's connection dropped. */
  disconnects = 0;
  /** From our send to the venue's acknowledgement (wall clock). */
  readonly ackLatency = new Histogram();
  /** From our send to the order's first execution (wall clock). */
  readonly firstFillLatency = new Histogram();

  /** A `connection` broker event. */
  connection(status: "connected" | "disconnected" | "reconnected"): void {
    if (status === "reconnected") this.reconnects++;
    else if (status === "disconnected") this.disconnects++;
  }
}
