/**
 * Market data through the IB adapter on its own client id: 5-second real-time bars aggregated to
 * minutes, delayed trade ticks aggregated to minutes, and the aggregation on its own.
 */
import { afterEach, describe, expect, test } from "vitest";
import type { Bar } from "../../../runtime/brokers/broker.ts";
import { MinuteBars } from "../../../runtime/brokers/ib/mod.ts";
import { type Rig, rig } from "./helpers.ts";

let r: Rig;
afterEach(async () => await r?.close());

const T0 = Date.UTC(2024, 2, 4, 15, 0, 0) / 1000; // a minute boundary, epoch seconds

describe("IB market data", () => {
  test("real-time bars: twelve 5-second bars make one minute, labelled by its end", async () => {
    r = await rig();
    const bars: Bar[] = [];
    await r.broker.subscribeBars!(["AAPL", "MSFT"], (b) => bars.push(b));
    const subs = await r.tws.waitFor(
      () => r.tws.requests("reqRealTimeBars").length === 2 && r.tws.requests("reqRealTimeBars"),
      "two subscriptions",
    );
    expect(subs.map((s) => [s.contract.conId, s.barSize, s.whatToShow, s.useRTH])).toEqual([
      [265598, 5, "TRADES", false],
      [272093, 5, "TRADES", false],
    ]);
    expect(r.tws.received.find((x) => x.request.type === "reqRealTimeBars")!.clientId).toBe(8);
    for (let i = 0; i < 12; i++) {
      const p = 100 + i;
      r.tws.pushBar("AAPL", {
        time: T0 + 5 * i,
        open: p,
        high: p + 2,
        low: p - 1,
        close: p + 1,
        volume: 10,
      });
    }
    await r.tws.waitFor(() => bars.length === 1, "a minute bar");
    expect(bars[0]).toEqual({
      symbol: "AAPL",
      time: (T0 + 60) * 1000,
      open: 100,
      high: 113,
      low: 99,
      close: 112,
      volume: 120,
    });
    const latest = await r.broker.latestBars!(["AAPL", "MSFT"]);
    expect([...latest.keys()]).toEqual(["AAPL"]);
  });

  test("delayed ticks: market data type 3, trades aggregated, a minute closes on time", async () => {
    r = await rig({ broker: { env: { HARVESTER_IB_DELAYED: "1" } } });
    const bars: Bar[] = [];
    await r.broker.subscribeBars!(["MSFT"], (b) => bars.push(b));
    await r.tws.waitFor(() => r.tws.requests("reqMktData").length === 1, "reqMktData");
    expect(r.tws.requests("reqMarketDataType")).toEqual([{
      type: "reqMarketDataType",
      dataType: 3,
    }]);
    expect(r.tws.requests("reqMktData")[0].genericTicks).toBe("");
    const ms = T0 * 1000;
    r.tws.trade("MSFT", 410, 5, ms + 1000);
    r.tws.trade("MSFT", 412, 3, ms + 20_000);
    r.tws.trade("MSFT", 409, 2, ms + 59_000);
    r.tws.trade("MSFT", 411, 1, ms + 61_000); // the next minute closes the first
    await r.tws.waitFor(() => bars.length === 1, "a minute bar");
    expect(bars[0]).toMatchObject({
      time: ms + 60_000,
      open: 410,
      high: 412,
      low: 409,
      close: 409,
      volume: 10,
    });
    r.clock.t = ms + 125_000;
    const latest = await r.broker.latestBars!(["MSFT"]);
    expect(latest.get("MSFT")).toMatchObject({ time: ms + 120_000, open: 411, volume: 1 });
  });

  test("live ticks use RTVolume (generic tick 233)", async () => {
    r = await rig({ broker: { env: { HARVESTER_IB_MARKET_DATA: "ticks" } } });
    const bars: Bar[] = [];
    await r.broker.subscribeBars!(["AAPL"], (b) => bars.push(b));
    await r.tws.waitFor(() => r.tws.requests("reqMktData").length === 1, "reqMktData");
    expect(r.tws.requests("reqMktData")[0].genericTicks).toBe("233");
    r.tws.trade("AAPL", 190, 100, T0 * 1000 + 500);
    r.tws.trade("AAPL", 191, 50, T0 * 1000 + 60_500);
    await r.tws.waitFor(() => bars.length === 1, "a minute bar");
    expect(bars[0]).toMatchObject({ open: 190, close: 190, volume: 100 });
  });
});

describe("minute aggregation", () => {
  test("late pieces of a closed minute are dropped; a gap closes the open minute", () => {
    const out: Bar[] = [];
    const m = new MinuteBars((b) => out.push(b));
    m.add("X", 0, 5000, 1, 1, 1, 1, 1);
    m.add("X", 125_000, 130_000, 3, 3, 3, 3, 3); // two minutes later
    m.add("X", 10_000, 15_000, 9, 9, 9, 9, 9); // late: ignored
    expect(out.map((b) => [b.time, b.open, b.volume])).toEqual([[60_000, 1, 1]]);
    m.flush(180_000);
    expect(out.map((b) => b.time)).toEqual([60_000, 180_000]);
    expect(m.latest.get("X")!.open).toBe(3);
  });
});
