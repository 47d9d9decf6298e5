/**
 * Live minute sessions end to end against the fake venues on 127.0.0.1: `runLive` with the Alpaca
 * and IB adapters, a simulated clock (sleeping moves it; the fakes push each minute's bars as it
 * completes), buyapple ordering every minute, the venues filling; then a CLI run of
 * `harvester live … --broker alpaca` on an accelerated clock.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { createAlpacaBroker } from "../../runtime/brokers/alpaca/mod.ts";
import type { Broker } from "../../runtime/model/broker.ts";
import { createIbBroker } from "../../runtime/brokers/ib/mod.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { runLive } from "../../runtime/live/session.ts";
import type { MinuteLiveOptions } from "../../runtime/live/live_options.ts";
import { FakeAlpacaVenue } from "../fakes/alpaca_trading_server.ts";
import { FakeTws } from "../fakes/fake_tws.ts";
import { tempRoot } from "../bundles/helpers.ts";

const START = Date.parse("2014-05-01T13:29:00Z"); // a minute before the open (EDT)
const END = Date.parse("2014-05-01T13:35:00Z"); // five minute bars: 13:31 … 13:35
const price = (m: number) => 590 + (m - START) / 600_000;
const algoPath = fileURLToPath(new URL("../../strategies/buyapple.ts", import.meta.url));
let root: string;

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

/** A simulated clock: each sleep moves it forward and lets the fake push completed minutes. */
function simClock(push: (minute: number) => void, start = START) {
  const c = { t: start };
  const day = Math.floor(start / 86_400_000) * 86_400_000;
  const minutes = [...get_calendar("XNYS").session_minutes(day)];
  let next = 0;
  return {
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
      while (next < minutes.length && minutes[next] <= c.t) push(minutes[next++]);
      await new Promise((r) => setTimeout(r, 10)); // real time for the bars to travel
    },
  };
}

async function session(
  broker: Broker,
  clock: ReturnType<typeof simClock>,
  live: MinuteLiveOptions = { end: END },
  dir = tempRoot("hv-live-minute-"),
) {
  const state = join(dir, "s.json");
  const results = await runLive({
    strategy: (await import(algoPath)) as Strategy,
    strategy_hash: "x",
    bundle: "zipline-examples",
    start: "2014-05-01",
    end: "2014-05-01",
    speed: "max",
    state_path: state,
    journal_path: join(dir, "j.jsonl"),
    capital_base: 100_000,
    root,
    broker,
    live,
    now: clock.now,
    sleep: clock.sleep,
  });
  return { results, state, journal: readJournal(join(dir, "j.jsonl")) };
}

describe("live minute sessions on the fake venues", () => {
  let venue: FakeAlpacaVenue | null = null;
  let tws: FakeTws | null = null;
  afterAll(async () => {
    await venue?.close();
    await tws?.stop();
  });

  test("Alpaca: bars in, buyapple's orders out and filled; journal and state written", async () => {
    venue = FakeAlpacaVenue.start();
    const v = venue;
    v.autoFill = true;
    v.cash = 1_000_000;
    const clock = simClock((m) => {
      const c = price(m);
      v.prices = { AAPL: c };
      v.server.pushBar("AAPL", {
        t: new Date(m - 60_000).toISOString(),
        o: c,
        h: c,
        l: c,
        c,
        v: 1000,
      });
    });
    v.now = clock.now;
    const broker = createAlpacaBroker({
      ...v.options(),
      now: clock.now,
      heartbeatMs: 0,
      pollMs: 600_000,
      calendar: get_calendar("XNYS"),
    });
    const { results, state, journal } = await session(broker, clock);
    expect(results.length).toBe(1);
    const bars = journal.filter((e) => e.type === "minute_bar");
    expect(bars.map((e) => new Date(e.time as number).toISOString().slice(11, 16))).toEqual([
      "13:31",
      "13:32",
      "13:33",
      "13:34",
      "13:35",
    ]);
    expect(journal.filter((e) => e.type === "order_submitted")).toHaveLength(5);
    expect(v.orders.map((o) => o.status)).toEqual(Array(5).fill("filled"));
    expect(journal.filter((e) => e.type === "fill").length).toBeGreaterThanOrEqual(4);
    expect(journal.some((e) => e.type === "feed_stale")).toBe(false);
    expect(journal.at(-1)?.type).toBe("session_stopped");
    expect(existsSync(state)).toBe(true);
    expect(results.positions.length).toBeGreaterThan(0);
  });

  test("a silent feed: feed_stale in the journal, the risk gate HALTED, orders refused", async () => {
    const v = FakeAlpacaVenue.start();
    try {
      v.autoFill = true;
      v.cash = 1_000_000;
      const clock = simClock((m) => {
        if (m > Date.parse("2014-05-01T13:32:00Z")) return; // the feed goes quiet
        const c = price(m);
        v.prices = { AAPL: c };
        v.server.pushBar("AAPL", {
          t: new Date(m - 60_000).toISOString(),
          o: c,
          h: c,
          l: c,
          c,
          v: 9,
        });
      });
      v.now = clock.now;
      const broker = createAlpacaBroker({
        ...v.options(),
        now: clock.now,
        heartbeatMs: 0,
        pollMs: 600_000,
        calendar: get_calendar("XNYS"),
      });
      const { journal } = await session(broker, clock, {
        end: Date.parse("2014-05-01T13:36:00Z"),
        feed_stale_ms: 120_000,
        feed_stale_action: "HALTED",
      });
      const stale = journal.find((e) => e.type === "feed_stale")!;
      expect(stale).toMatchObject({ action: "HALTED" });
      // The bar of 13:34 comes after its grace, 2 minutes and more after the last bar (13:32).
      expect(new Date(stale.ts).toISOString().slice(11, 16)).toBe("13:34");
      expect(journal.filter((e) => e.type === "order_submitted")).toHaveLength(3);
      expect(journal.filter((e) => e.type === "risk_denied").map((e) => e.reason)).toEqual([
        "HALTED",
        "HALTED",
        "HALTED",
      ]);
    } finally {
      await v.close();
    }
  });

  test("a restart the next day: state restored, fills made while away booked, no drift", async () => {
    const v = FakeAlpacaVenue.start();
    try {
      v.autoFill = true;
      v.cash = 1_000_000;
      const dir = tempRoot("hv-live-restart-");
      const run = async (start: number, end: number) => {
        const clock = simClock((m) => {
          const c = price(m);
          v.prices = { AAPL: c };
          v.server.pushBar("AAPL", {
            t: new Date(m - 60_000).toISOString(),
            o: c,
            h: c,
            l: c,
            c,
            v: 9,
          });
        }, start);
        v.now = clock.now;
        const broker = createAlpacaBroker({
          ...v.options(),
          now: clock.now,
          heartbeatMs: 0,
          pollMs: 600_000,
          calendar: get_calendar("XNYS"),
        });
        return await session(broker, clock, { end }, dir);
      };
      await run(START, Date.parse("2014-05-01T13:33:00Z"));
      const day2 = Date.parse("2014-05-02T13:29:00Z");
      const { journal, results } = await run(day2, Date.parse("2014-05-02T13:32:00Z"));
      const restored = journal.find((e) => e.type === "session_restored")!;
      expect(restored).toMatchObject({ trading_state: "ACTIVE" });
      expect(journal.some((e) => e.type === "position_drift")).toBe(false);
      const held = results.positions.filter((p) => p.amount !== 0);
      const venueQty = v.positions.get("AAPL")?.qty;
      expect(venueQty).toBe(50); // 3 + 2 buys of 10, all filled at the venue
      const ids = journal.filter((e) => e.type === "order_submitted").map((e) => e.client_order_id);
      expect(new Set(ids).size).toBe(5); // one journal over both days, no order sent twice
      expect(held.length).toBeGreaterThan(0);
    } finally {
      await v.close();
    }
  });

  test("IB: the same session through the fake TWS (5-second bars → minutes)", async () => {
    let now = START;
    tws = await FakeTws.start({ now: () => now, autoFill: true });
    const t = tws;
    t.book.addStock("AAPL", 265598, "NASDAQ");
    t.book.prices.set("AAPL", 590);
    const clock = simClock((m) => {
      const c = price(m);
      t.book.prices.set("AAPL", c);
      for (let k = 0; k < 12; k++) {
        const time = (m - 60_000) / 1000 + 5 * k;
        t.pushBar("AAPL", { time, open: c, high: c, low: c, close: c, volume: 10 });
      }
    });
    const tick = clock.sleep;
    clock.sleep = async (ms) => {
      await tick(ms);
      now = clock.now();
    };
    const broker = createIbBroker({
      uri: `127.0.0.1:${t.port}:7`,
      env: {},
      now: clock.now,
      commissionTimeoutMs: 300,
      requestTimeoutMs: 3000,
      connectTimeoutMs: 3000,
    });
    const { results, state, journal } = await session(broker, clock);
    expect(results.length).toBe(1);
    expect(journal.filter((e) => e.type === "minute_bar").length).toBeGreaterThanOrEqual(4);
    expect(journal.filter((e) => e.type === "order_submitted")).toHaveLength(5);
    // The last order may still be on its way when the session disconnects.
    expect(t.book.orders.length).toBeGreaterThanOrEqual(4);
    expect(t.book.orders.every((o) => o.status === "Filled")).toBe(true);
    // Fills reported before the session's last drain are booked (the last may come after it).
    expect(journal.filter((e) => e.type === "fill").length).toBeGreaterThanOrEqual(3);
    expect(existsSync(state)).toBe(true);
  });
});
