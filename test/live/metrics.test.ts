/**
 * The Prometheus endpoint (`--metrics-port`, runtime/live/metrics_endpoint.ts) over a real HTTP
 * server on 127.0.0.1, fed by the order manager on the Alpaca adapter against the fake venue: a
 * rejection, a fill and a dropped trade stream happen, and the scrape says so with the types the
 * exposition format defines (https://prometheus.io/docs/instrumenting/exposition_formats/).
 */
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { serveMetrics } from "../../runtime/live/metrics_endpoint.ts";
import { Histogram } from "../../runtime/orders/counters.ts";
import { FakeAlpacaVenue } from "../fakes/alpaca_trading_server.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { connectable, Sleeps, until } from "../brokers/alpaca/helpers.ts";
import { ASSETS, managed } from "../brokers/alpaca/manager_helpers.ts";

let venue: FakeAlpacaVenue;
beforeEach(() => {
  venue = FakeAlpacaVenue.start();
  venue.prices = { AAPL: 185 };
});
afterEach(() => venue.close());

interface Family {
  type: string;
  help: string;
  samples: Map<string, number>;
}

/** Parses the text format strictly: every sample belongs to a family declared with HELP and TYPE. */
function parse(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: Family | null = null, name = "";
  for (const line of text.split("\n").filter(Boolean)) {
    const help = line.match(/^# HELP (\w+) (.+)$/);
    const type = line.match(/^# TYPE (\w+) (counter|gauge|histogram|summary)$/);
    if (help) {
      name = help[1];
      current = { type: "", help: help[2], samples: new Map() };
      families.set(name, current);
    } else if (type) {
      expect(type[1]).toBe(name);
      current!.type = type[2];
    } else {
      const s = line.match(/^(\w+)(\{[^}]*\})? (\S+)$/);
      expect(s, line).not.toBeNull();
      const base = current!.type === "histogram"
        ? s![1].replace(/_(bucket|sum|count)$/, "")
        : s![1];
      expect(base, line).toBe(name);
      const value = Number(s![3]);
      expect(Number.isFinite(value), line).toBe(true);
      current!.samples.set(s![1] + (s![2] ?? ""), value);
    }
  }
  return families;
}

test("counters, histograms and gauges tell what happened, served on 127.0.0.1", async () => {
  const sleeps = new Sleeps();
  sleeps.hold = (ms) => ms === 1000; // the first reconnect delay
  const { broker } = connectable(venue, sleeps);
  const m = managed(broker, join(tempRoot("hv-metrics-"), "j.jsonl"), () => venue.now(), {
    prices: { AAPL: 185 },
    quality: true, // as a live session runs it: latencies measured
  });
  await broker.connect();
  const AAPL = ASSETS.get("AAPL")!;
  const filled = (await m.manager.place(AAPL, 10, 185, null))!;
  const rejected = (await m.manager.place(AAPL, 5, 100, null))!;
  venue.fill(filled, 10, 185);
  venue.finish(rejected, "rejected", "insufficient buying power");
  await until(() => {
    m.manager.drain();
    return m.manager.get(filled)!.state === "FILLED" &&
      m.manager.get(rejected)!.state === "REJECTED";
  }, "the fill and the rejection");
  venue.dropTradeStream();
  await until(() => sleeps.pending.length === 1, "a reconnect delay");
  sleeps.release();
  await until(() => {
    m.manager.drain();
    return m.manager.counters.reconnects === 1;
  }, "the reconnection reaches the manager");

  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = serveMetrics(port, {
    manager: m.manager,
    ledger: m.ledger,
    tradingState: () => "ACTIVE",
  });
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4");
    const f = parse(await res.text());
    const v = (family: string, sample = family) => f.get(family)?.samples.get(sample);
    expect(f.get("harvester_rejects_total")?.type).toBe("counter");
    expect(v("harvester_rejects_total")).toBe(1);
    expect(v("harvester_orders_submitted_total")).toBe(2);
    expect(v("harvester_orders", 'harvester_orders{state="FILLED"}')).toBe(1);
    expect(v("harvester_orders", 'harvester_orders{state="REJECTED"}')).toBe(1);
    expect(v("harvester_orders", 'harvester_orders{state="WORKING"}')).toBe(0);
    expect(v("harvester_disconnects_total")).toBe(1);
    expect(v("harvester_reconnects_total")).toBe(1);
    expect(f.get("harvester_ack_latency_seconds")?.type).toBe("histogram");
    for (const name of ["harvester_ack_latency_seconds", "harvester_first_fill_latency_seconds"]) {
      const samples = f.get(name)!.samples;
      const buckets = [...samples].filter(([k]) => k.startsWith(`${name}_bucket`));
      expect(buckets.length).toBe(17);
      expect(buckets.at(-1)![0]).toBe(`${name}_bucket{le="+Inf"}`);
      // Cumulative: never decreasing, and +Inf equals the count.
      for (let i = 1; i < buckets.length; i++) {
        expect(buckets[i][1]).toBeGreaterThanOrEqual(buckets[i - 1][1]);
      }
      expect(buckets.at(-1)![1]).toBe(samples.get(`${name}_count`));
      expect(samples.get(`${name}_sum`)).toBeGreaterThan(0);
    }
    expect(v("harvester_ack_latency_seconds", "harvester_ack_latency_seconds_count")).toBe(2);
    expect(
      v("harvester_first_fill_latency_seconds", "harvester_first_fill_latency_seconds_count"),
    ).toBe(1);
    expect(v("harvester_equity")).toBeCloseTo(100_000, 0);
    expect(v("harvester_trading_state", 'harvester_trading_state{state="ACTIVE"}')).toBe(1);
    expect(v("harvester_trading_state", 'harvester_trading_state{state="HALTED"}')).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  } finally {
    await server.shutdown();
    await broker.disconnect();
  }
});

test("a histogram puts each value in the first bucket at or above it; +Inf takes the rest", () => {
  const h = new Histogram([1, 2, 5]);
  for (const x of [0.5, 1, 1.5, 2, 7, NaN, Infinity]) h.observe(x);
  expect([...h.counts]).toEqual([2, 2, 0, 1]);
  expect(h.cumulative()).toEqual([2, 4, 4, 5]);
  expect(h.count).toBe(5);
  expect(h.sum).toBe(12);
});
