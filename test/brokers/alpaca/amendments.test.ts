/**
 * Busted and corrected trades, and market hours checked against Alpaca's calendar (issue 15,
 * case 6): `trade_bust` and `trade_correct` book the difference to what was booked, so the ledger
 * ends where Alpaca's account is; `/v2/calendar` is read at connect, its differences reported and
 * followed by the bar filter.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { get_calendar } from "../../../calendars/mod.ts";
import type { Bar } from "../../../runtime/brokers/broker.ts";
import { amendmentsOf } from "../../../runtime/brokers/alpaca/amendments.ts";
import { FakeAlpacaVenue } from "../../fakes/alpaca_trading_server.ts";
import { connectable, fillsOf, until } from "./helpers.ts";
import { ASSETS, holdings, managed } from "./manager_helpers.ts";

let venue: FakeAlpacaVenue, dir: string;
beforeEach(() => {
  venue = FakeAlpacaVenue.start();
  venue.prices = { AAPL: 185 };
  dir = mkdtempSync(join(tmpdir(), "alpaca-amend-"));
});
afterEach(async () => {
  await venue.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("trade_bust and trade_correct", () => {
  test("the amending fills: a bust the other way, a price correction reversed and re-booked", () => {
    expect(amendmentsOf({ qty: 10, notional: 1850 }, 6, 185)).toEqual([
      { shares: -4, price: 185, tag: "bust" },
    ]);
    expect(amendmentsOf({ qty: 10, notional: 1850 }, 10, 184.5)).toEqual([
      { shares: -10, price: 185, tag: "reversed" },
      { shares: 10, price: 184.5, tag: "corrected" },
    ]);
    expect(amendmentsOf({ qty: 10, notional: 1850 }, 10, 185)).toEqual([]);
  });

  test("through the order manager: the ledger ends where Alpaca's account is", async () => {
    const { broker } = connectable(venue);
    await broker.connect();
    const m = managed(broker, join(dir, "j.jsonl"), () => venue.now(), { prices: { AAPL: 185 } });
    const id = (await m.manager.place(ASSETS.get("AAPL")!, 10, null, null))!;
    venue.fill(id, 6, 185);
    venue.fill(id, 4, 186);
    await until(() => fillsOf(m.events, id).length === 2, "two fills");
    venue.bust(id, 4, 186); // the second execution is annulled
    await until(() => fillsOf(m.events, id).length === 3, "the bust booked");
    expect(fillsOf(m.events, id).at(-1)).toMatchObject({ amount: -4, price: 186 });
    venue.correct(id, 184.8); // the remaining 6 shares' price corrected
    await until(() => fillsOf(m.events, id).length === 5, "the correction booked");
    m.manager.drain();
    expect(holdings(m.ledger)).toEqual({ AAPL: 6 });
    expect(m.ledger.cash).toBeCloseTo((await broker.account()).cash, 6);
    const notes = m.events.flatMap((e) => (e.type === "error" ? [e.code] : []));
    expect(notes).toEqual(["trade_bust", "trade_correct"]);
    // The same event again books nothing more.
    venue.emit("trade_correct", venue.order(id)!);
    await until(() => m.events.filter((e) => e.type === "error").length === 3, "the repeat");
    expect(fillsOf(m.events, id)).toHaveLength(5);
    m.journal.close();
    await broker.disconnect();
  });
});

describe("market hours from /v2/calendar", () => {
  test("a closure announced late and an early close: reported, and bars follow Alpaca", async () => {
    venue.now = () => Date.parse("2024-07-01T13:00:00Z");
    venue.calendarChanges.set("2024-07-02", null); // closed, which our rules do not know
    venue.calendarChanges.set("2024-07-05", { open: "09:30", close: "13:00" });
    const { broker, events } = connectable(venue, undefined, { calendar: get_calendar("XNYS") });
    await broker.connect();
    const calendarAsked = venue.server.requests("/v2/calendar")[0];
    expect(calendarAsked.params).toMatchObject({ start: "2024-07-01", end: "2024-07-08" });
    const lines = events.flatMap((e) =>
      e.type === "error" && e.code === "calendar_mismatch" ? [e.message] : []
    );
    expect(lines).toEqual([
      expect.stringMatching(/2024-07-02: Alpaca closed, our calendar 09:30–16:00/),
      expect.stringMatching(/2024-07-05: Alpaca 09:30–13:00, our calendar 09:30–16:00/),
    ]);
    const got: Bar[] = [];
    await broker.subscribeBars(["AAPL"], (b) => got.push(b));
    const push = (t: string, c: number) =>
      venue.server.pushBar("AAPL", { t, o: c, h: c, l: c, c, v: 1 });
    push("2024-07-01T14:30:00Z", 1); // an ordinary day: kept
    push("2024-07-02T14:30:00Z", 2); // closed per Alpaca: dropped
    push("2024-07-05T17:30:00Z", 3); // 13:30 on the early close: dropped
    push("2024-07-05T16:59:00Z", 4); // the early close's last minute: kept
    await until(() => got.length === 2, "the kept bars");
    expect(got.map((b) => b.close)).toEqual([1, 4]);
    await broker.disconnect();
  });
});
