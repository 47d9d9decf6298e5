/**
 * A restart with open orders: a process trades, dies, and a new one — new broker, new manager
 * restored from the saved snapshot — reconciles with Alpaca as `runtime/live/restart.ts` does:
 * missed executions booked once, open orders re-attached, in-flight orders resolved or lost.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { BrokerOrder } from "../../../runtime/brokers/broker.ts";
import { Ledger } from "../../../runtime/finance/ledger.ts";
import { readJournal } from "../../../runtime/live/journal.ts";
import { ClientOrderIds } from "../../../runtime/orders/ids.ts";
import { reconcile } from "../../../runtime/orders/reconcile.ts";
import { FakeAlpacaVenue } from "../../fakes/alpaca_trading_server.ts";
import { connectable, until } from "./helpers.ts";
import { ASSETS, holdings, managed } from "./manager_helpers.ts";
import { markLost, trackInFlight } from "../../../runtime/orders/manager_recovery.ts";

let venue: FakeAlpacaVenue, dir: string, clock: number;
beforeEach(() => {
  venue = FakeAlpacaVenue.start();
  venue.prices = { AAPL: 185, MSFT: 370 };
  clock = Date.parse("2024-01-02T15:00:00Z");
  venue.now = () => clock;
  dir = mkdtempSync(join(tmpdir(), "alpaca-restart-"));
});
afterEach(async () => {
  await venue.close();
  rmSync(dir, { recursive: true, force: true });
});

test("restart with open orders: fills booked once, orders re-attached, in-flight resolved", async () => {
  const journalPath = join(dir, "journal.jsonl");
  // --- the first process ---
  const a = connectable(venue);
  await a.broker.connect();
  const first = managed(a.broker, journalPath, () => clock);
  const rest = await first.manager.place(ASSETS.get("AAPL")!, 10, 180, null); // rests
  const done = await first.manager.place(ASSETS.get("MSFT")!, 5, null, null);
  const part = await first.manager.place(ASSETS.get("AAPL")!, 20, 185, null);
  clock += 1000;
  venue.fill(done!, 5, 370);
  venue.fill(part!, 8, 185);
  await until(() => first.events.filter((e) => e.type === "fill").length === 2, "two fills");
  first.manager.drain();
  const lastBar = clock;
  const saved = first.manager.snapshot(); // what the session persisted after its last bar
  const streamExecs = first.events.flatMap((e) => e.type === "fill" ? [e.fill.exec_id] : []);
  // After the save: one more order goes out, and one is journaled but the process dies first.
  const inflight = await first.manager.place(ASSETS.get("MSFT")!, 1, 360, null);
  first.journal.write("order_submitted", {
    client_order_id: "hv0a0b0c0d-99",
    symbol: "AAPL",
    amount: 1,
    limit: null,
    stop: null,
  }, true);
  first.journal.close();
  await a.broker.disconnect(); // kill -9
  clock += 60_000;
  venue.fill(part!, 4, 184.5); // while nobody is connected

  // --- the second process ---
  const b = connectable(venue);
  await b.broker.connect();
  const ledger = new Ledger(100_000, 0);
  for (const e of readJournal(journalPath).filter((e) => e.type === "fill")) {
    ledger.process_transaction({
      asset: ASSETS.get(String(e.symbol))!,
      amount: Number(e.amount),
      price: Number(e.price),
      dt: Number(e.time),
      order_id: String(e.client_order_id),
    });
  }
  const second = managed(b.broker, join(dir, "journal2.jsonl"), () => clock, {
    ids: new ClientOrderIds(saved.ids.tag, saved.ids.next),
    ledger,
  });
  second.manager.restore(saved);
  for (const e of readJournal(journalPath)) {
    if (e.type === "order_submitted" && !second.manager.orders.has(String(e.client_order_id))) {
      trackInFlight(second.manager, e);
    }
  }
  const executions = await b.broker.executions(lastBar - 60_000);
  // The executions the stream delivered have the same ids when read back from activities.
  expect(executions.map((f) => f.exec_id).slice(0, 2)).toEqual(streamExecs);
  expect(executions.map((f) => [f.client_order_id, f.amount])).toEqual([
    [done, 5],
    [part, 8],
    [part, 4],
  ]);
  for (const fill of executions) second.manager.ingest({ type: "fill", fill });
  second.manager.drain();
  expect(holdings(ledger)).toEqual({ AAPL: 12, MSFT: 5 }); // the missed 4 booked, nothing twice

  const local = [...second.manager.orders.values()].map((m) => ({
    client_order_id: m.client_order_id,
    state: m.state,
    symbol: m.symbol,
  }));
  const brokerOpen = await b.broker.openOrders();
  expect(brokerOpen.map((o) => [o.client_order_id, o.state])).toEqual([
    [rest, "WORKING"],
    [part, "PARTIALLY_FILLED"],
    [inflight, "WORKING"],
  ]);
  const lookups = new Map<string, BrokerOrder | null>();
  for (const o of local) {
    if (!brokerOpen.some((b) => b.client_order_id === o.client_order_id)) {
      lookups.set(o.client_order_id, await b.broker.order(o.client_order_id));
    }
  }
  const r = reconcile({
    local,
    brokerOpen,
    lookups,
    localPositions: new Map(Object.entries(holdings(ledger))),
    brokerPositions: await b.broker.positions(),
    ours: (id) => second.manager.ids.owns(id),
  });
  expect(r.reattach.map((o) => o.client_order_id)).toEqual([rest, part, inflight]);
  expect(r.unknown.map((o) => o.client_order_id)).toEqual(["hv0a0b0c0d-99"]);
  expect(r.drift).toEqual([]);
  for (const o of r.reattach) second.manager.adopt(o, false);
  for (const o of r.unknown) markLost(second.manager, o.client_order_id);

  // Trading goes on: the stream's events reach the re-attached orders.
  venue.fill(part!, 8, 185.2);
  await second.manager.cancel(rest!);
  await until(() => second.events.filter((e) => e.type === "order").length >= 2, "fill, cancel");
  second.manager.drain();
  expect(second.manager.orders.get(part!)?.state).toBe("FILLED");
  expect(second.manager.orders.get(rest!)?.state).toBe("CANCELED");
  expect(second.manager.orders.get("hv0a0b0c0d-99")?.state).toBe("REJECTED");
  expect(holdings(ledger)).toEqual({ AAPL: 20, MSFT: 5 });
  expect((await b.broker.positions()).map((p) => [p.symbol, p.amount])).toEqual([
    ["MSFT", 5],
    ["AAPL", 20],
  ]);
  expect(second.manager.refused).toBe(0);
  expect(second.warnings).toEqual([]);
  second.journal.close();
  await b.broker.disconnect();
});
