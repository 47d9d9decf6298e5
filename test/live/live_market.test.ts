/**
 * The live market: daily history = the bundle's sessions through yesterday + today's partial bar
 * from the live minutes (no gap, no duplicate); minute history on the calendar's grid; bundle
 * minute bars merged without duplicates; staleness from the feed.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { ingest, openDaily } from "../../bundles/mod.ts";
import type { Asset } from "../../runtime/assets/asset.ts";
import { DailyPortal } from "../../runtime/portal/daily_portal.ts";
import { LiveMarket } from "../../runtime/portal/live_market.ts";
import { tempRoot } from "../bundles/helpers.ts";

const TODAY = Date.parse("2014-05-01T00:00:00Z");
const m = (hhmm: string) => Date.parse(`2014-05-01T${hhmm}:00Z`);
let portal: DailyPortal, aapl: Asset, t: number;

beforeAll(async () => {
  const root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
  const source = await openDaily("zipline-examples", { root, environ: {} });
  portal = await DailyPortal.load(source, TODAY);
  source.close();
  aapl = portal.assets.find((a) => a.symbol === "AAPL")!;
  t = portal.sessionIndex(TODAY);
});

const bar = (time: number, c: number, v = 100) => ({
  symbol: "AAPL",
  time,
  open: c - 1,
  high: c + 2,
  low: c - 2,
  close: c,
  volume: v,
});

describe("live market", () => {
  test("'1d' history: the bundle through yesterday, then today's bar so far", () => {
    let now = m("13:33");
    const market = new LiveMarket(portal, { now: () => now });
    portal.advanceTo(t - 1);
    market.startSession(t);
    market.addBar(aapl, bar(m("13:31"), 590));
    market.addBar(aapl, bar(m("13:32"), 595, 50));
    market.addBar(aapl, bar(m("13:33"), 580)); // not visible yet
    market.advanceTo(m("13:32"));
    const yesterday = [
      portal.spot(aapl, "close", t - 2),
      portal.spot(aapl, "close", t - 1),
    ];
    expect(market.history(aapl, "close", 3, "1d")).toEqual(Float64Array.from([...yesterday, 595]));
    expect(market.historyIndex(3, "1d")).toEqual(portal.sessions.slice(t - 2, t + 1));
    expect(market.history(aapl, "high", 1, "1d")[0]).toBe(597);
    expect(market.history(aapl, "low", 1, "1d")[0]).toBe(588);
    expect(market.history(aapl, "open", 1, "1d")[0]).toBe(589);
    expect(market.history(aapl, "volume", 1, "1d")[0]).toBe(150);
    expect(market.spot(aapl, "price")).toBe(595);
    expect(market.lastTraded(aapl)).toBe(m("13:32"));
    expect(market.canTrade(aapl)).toBe(true);
    now += 10 * 60_000;
    expect(market.isStale(aapl)).toBe(true);
    expect(market.canTrade(aapl)).toBe(false);
  });

  test("'1m' history: live minutes on the grid, bundle minutes merged once, price filled", async () => {
    const market = new LiveMarket(portal, { now: () => m("13:35") });
    portal.advanceTo(t - 1);
    market.startSession(t);
    market.addBar(aapl, bar(m("13:31"), 500), false); // the bundle's minute bar for today
    market.addBar(aapl, bar(m("13:31"), 590)); // the feed's bar for the same minute wins
    market.addBar(aapl, bar(m("13:33"), 592));
    market.advanceTo(m("13:33"));
    expect(market.historyIndex(4, "1m")).toEqual(
      Float64Array.from([
        portal.calendar.session_close(portal.sessions[t - 1]),
        ...[
          "13:31",
          "13:32",
          "13:33",
        ].map(m),
      ]),
    );
    const close = await market.history(aapl, "close", 3, "1m");
    expect([...close]).toEqual([590, NaN, 592]);
    expect([...await market.history(aapl, "price", 3, "1m")]).toEqual([590, 590, 592]);
    expect([...await market.history(aapl, "volume", 3, "1m")]).toEqual([100, 0, 100]);
    const prior = portal.spot(aapl, "price", t - 1);
    expect((await market.history(aapl, "price", 4, "1m"))[0]).toBeCloseTo(prior, 6);
    expect(market.hasBars([aapl], m("13:33"))).toBe(true);
    expect(market.hasBars([aapl], m("13:32"))).toBe(false);
  });

  test("before any bar: yesterday's price, not tradable, stale when it traded before", () => {
    const market = new LiveMarket(portal, { now: () => m("13:00") });
    portal.advanceTo(t - 1);
    market.startSession(t);
    expect(market.spot(aapl, "price")).toBeCloseTo(portal.spot(aapl, "price", t - 1), 6);
    expect(Number.isNaN(market.spot(aapl, "close"))).toBe(true);
    expect(market.canTrade(aapl)).toBe(false);
    expect(market.isStale(aapl)).toBe(true);
  });
});
