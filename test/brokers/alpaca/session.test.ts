/**
 * A simulated trading session through the order manager: minute bars from the fake's stream
 * drive a small strategy, the fake venue executes its orders against those bars, and at the end
 * the manager's ledger, the journal and Alpaca's account agree.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { get_calendar } from "../../../calendars/mod.ts";
import type { Bar } from "../../../runtime/brokers/broker.ts";
import { readJournal } from "../../../runtime/live/journal.ts";
import { FakeAlpacaVenue } from "../../fakes/alpaca_trading_server.ts";
import { connectable, until } from "./helpers.ts";
import { ASSETS, holdings, managed } from "./manager_helpers.ts";

let venue: FakeAlpacaVenue, dir: string;
beforeEach(() => {
  venue = FakeAlpacaVenue.start();
  dir = mkdtempSync(join(tmpdir(), "alpaca-session-"));
});
afterEach(async () => {
  await venue.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a session: bars in, orders out, fills back; ledger, journal and Alpaca agree", async () => {
  const open = Date.parse("2024-01-02T14:30:00Z"); // 09:30 New York
  let clock = open;
  venue.now = () => clock;
  const { broker } = connectable(venue, undefined, { calendar: get_calendar("XNYS") });
  await broker.connect();
  const journalPath = join(dir, "journal.jsonl");
  const m = managed(broker, journalPath, () => clock, { prices: { AAPL: 185, MSFT: 370 } });
  const bars: Bar[] = [];
  await broker.subscribeBars(["AAPL", "MSFT"], (b) => bars.push(b));
  const aapl = ASSETS.get("AAPL")!, msft = ASSETS.get("MSFT")!;
  const ids: string[] = [];

  for (let minute = 0; minute < 8; minute++) {
    const start = new Date(open + minute * 60_000).toISOString();
    const px = { AAPL: 185 + minute * 0.1, MSFT: 370 - minute * 0.2 };
    clock = open + (minute + 1) * 60_000 + 500;
    venue.prices = { ...px };
    for (const [s, c] of Object.entries(px)) {
      venue.server.pushBar(s, { t: start, o: c, h: c, l: c, c, v: 1000 });
    }
    await until(() => bars.length === 2 * (minute + 1), `the bars of minute ${minute}`);
    // The venue executes what rests against this minute's close.
    for (const o of venue.orders) {
      if (!["new", "partially_filled"].includes(o.status)) continue;
      const close = px[o.symbol as "AAPL" | "MSFT"], left = +o.qty - +o.filled_qty;
      const limit = o.limit_price === null ? Infinity : +o.limit_price;
      if (o.side === "buy" && close > limit) continue;
      venue.fill(o.client_order_id, o.type === "limit" ? Math.ceil(left / 2) : left, close);
    }
    await until(
      () => m.events.filter((e) => e.type === "fill").length === venue.activities.length,
      "the fills",
    );
    m.manager.drain();
    // The strategy decides on the bar.
    if (minute === 0) {
      ids.push((await m.manager.place(aapl, 10, null, null))!);
      ids.push((await m.manager.place(msft, 4, 369.9, null))!);
    }
    if (minute === 3) ids.push((await m.manager.place(aapl, -4, null, null))!);
    if (minute === 5) ids.push((await m.manager.place(aapl, 5, 100, null))!); // never fills
  }
  expect(await m.manager.cancelAll()).toBe(1);
  await until(() => m.events.some((e) => e.type === "order" && e.event === "canceled"), "cancel");
  m.manager.drain();

  expect(bars.slice(0, 2).map((b) => [b.symbol, new Date(b.time).toISOString()])).toEqual([
    ["AAPL", "2024-01-02T14:31:00.000Z"],
    ["MSFT", "2024-01-02T14:31:00.000Z"],
  ]);
  expect(ids.map((id) => m.manager.orders.get(id)!.state)).toEqual([
    "FILLED",
    "FILLED",
    "FILLED",
    "CANCELED",
  ]);
  expect(holdings(m.ledger)).toEqual({ AAPL: 6, MSFT: 4 });
  const venuePositions = Object.fromEntries(
    (await broker.positions()).map((p) => [p.symbol, p.amount]),
  );
  expect(venuePositions).toEqual(holdings(m.ledger));
  expect(m.ledger.cash).toBeCloseTo((await broker.account()).cash, 6);
  m.journal.close();
  const journal = readJournal(journalPath);
  expect(journal.filter((e) => e.type === "fill")).toHaveLength(venue.activities.length);
  expect(journal.filter((e) => e.type === "order_submitted")).toHaveLength(4);
  expect(m.manager.refused).toBe(0);
  expect(m.warnings).toEqual([]);
  await broker.disconnect();
});
