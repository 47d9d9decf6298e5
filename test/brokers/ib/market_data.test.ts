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
      [265598, 5, "TRADES", true], // regular trading hours only
      [272093, 5, "TRADES", true],
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

describe("real-world market data (issue 15, cases 7 and 11)", () => {
  const push = (symbol: string, startS: number, n: number, p: number) => {
    for (let i = 0; i < n; i++) {
      r.tws.pushBar(symbol, {
        time: startS + 5 * i,
        open: p,
        high: p,
        low: p,
        close: p,
        volume: 1,
      });
    }
  };

  test("a bust (10225 on the subscription's id): cancelled and resubscribed; bars resume", async () => {
    r = await rig();
    const bars: Bar[] = [];
    await r.broker.subscribeBars!(["AAPL", "MSFT"], (b) => bars.push(b));
    const subs = await r.tws.waitFor(
      () => r.tws.requests("reqRealTimeBars").length === 2 && r.tws.requests("reqRealTimeBars"),
      "two subscriptions",
    );
    push("AAPL", T0, 12, 100);
    await r.tws.waitFor(() => bars.length === 1, "the first minute");
    expect(r.tws.bust("AAPL")).toBe(1); // sent with AAPL's request id, which TWS deactivates
    const again = await r.tws.waitFor(
      () => r.tws.requests("reqRealTimeBars")[2],
      "the resubscription",
    );
    expect(again.contract.conId).toBe(265598);
    expect(again.reqId).not.toBe(subs[0].reqId);
    expect(r.tws.requests("cancelRealTimeBars").map((c) => c.reqId)).toEqual([subs[0].reqId]);
    const bust = await r.event("error", (e) => e.code === "10225");
    expect(bust.message).toMatch(/market data for AAPL: Bust event occurred/);
    push("AAPL", T0 + 60, 12, 101);
    await r.tws.waitFor(() => bars.length === 2, "bars after the bust");
    expect(bars.map((b) => [b.symbol, b.time, b.close])).toEqual([
      ["AAPL", (T0 + 60) * 1000, 100],
      ["AAPL", (T0 + 120) * 1000, 101],
    ]);
  });

  test("pre- and post-market minutes never reach the session (ticks: no RTH filter at IB)", async () => {
    r = await rig({ broker: { env: { HARVESTER_IB_MARKET_DATA: "ticks" } } });
    const bars: Bar[] = [];
    await r.broker.subscribeBars!(["AAPL"], (b) => bars.push(b));
    await r.tws.waitFor(() => r.tws.requests("reqMktData").length === 1, "reqMktData");
    const open = Date.UTC(2024, 2, 4, 14, 30); // 09:30 New York
    r.tws.trade("AAPL", 189, 10, open - 30 * 60_000); // 09:00: pre-market
    r.tws.trade("AAPL", 190, 10, open + 1000); // the first regular minute
    r.tws.trade("AAPL", 191, 10, open + 61_000);
    await r.tws.waitFor(() => bars.length === 1, "a regular minute");
    expect(bars.map((b) => [b.time, b.close])).toEqual([[open + 60_000, 190]]);
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
