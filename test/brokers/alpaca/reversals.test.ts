/**
 * Position reversals against a fake Alpaca that refuses them as Alpaca does (issue 15, case 1):
 * one order that crosses zero is refused with 403 "insufficient qty available", so the adapter
 * sends a closing order and, once it has filled, an opening one, and reports both as the order
 * the strategy placed. A sell of shares already held by an open order is refused, not split.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { OrderRequest } from "../../../runtime/brokers/broker.ts";
import { FakeAlpacaVenue } from "../../fakes/alpaca_trading_server.ts";
import { connectable, fillsOf, orderTrail, until } from "./helpers.ts";
import { ASSETS, holdings, managed } from "./manager_helpers.ts";

let venue: FakeAlpacaVenue, dir: string;
beforeEach(() => {
  venue = FakeAlpacaVenue.start();
  venue.prices = { AAPL: 185 };
  dir = mkdtempSync(join(tmpdir(), "alpaca-reversal-"));
});
afterEach(async () => {
  await venue.close();
  rmSync(dir, { recursive: true, force: true });
});

const request = (id: string, amount: number, o: Partial<OrderRequest> = {}): OrderRequest => ({
  client_order_id: id,
  symbol: "AAPL",
  amount,
  limit_price: null,
  stop_price: null,
  time_in_force: "day",
  ...o,
});

/** Opens a position of `amount` AAPL at the venue through the broker. */
async function hold(broker: { submit(r: OrderRequest): Promise<void> }, amount: number) {
  await broker.submit(request("hv0-open", amount));
  venue.fill("hv0-open", Math.abs(amount), 185);
}

const posts = () =>
  venue.server.log.filter((r) => r.method === "POST" && r.path === "/v2/orders").map((r) =>
    r.status
  );

describe("reversals (case 1)", () => {
  test("long 10, sell 15: refused as one order, sent as 10 then 5, reported as one", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    await hold(broker, 10);
    venue.server.log.length = 0;
    await broker.submit(request("hv1-1", -15));
    expect(posts()).toEqual([403, 200]); // the one order refused; the closing order taken
    expect(venue.order("hv1-1")).toBeUndefined();
    expect(venue.order("hv1-1.c")).toMatchObject({ side: "sell", qty: "10" });
    expect(events.find((e) => e.type === "error" && e.code === "reversal_split")).toBeDefined();
    venue.fill("hv1-1.c", 10, 185);
    await until(() => venue.order("hv1-1.o") !== undefined, "the opening order");
    expect(venue.order("hv1-1.o")).toMatchObject({ side: "sell", qty: "5" });
    venue.fill("hv1-1.o", 5, 184.5);
    await until(() => orderTrail(events, "hv1-1").length === 3, "the order filled");
    expect(orderTrail(events, "hv1-1")).toEqual([
      "ack→WORKING",
      "partial_fill→PARTIALLY_FILLED",
      "fill→FILLED",
    ]);
    expect(fillsOf(events, "hv1-1").map((f) => [f.amount, f.price])).toEqual([
      [-10, 185],
      [-5, 184.5],
    ]);
    expect(await broker.order("hv1-1")).toMatchObject({
      client_order_id: "hv1-1",
      amount: -15,
      filled: -15,
      state: "FILLED",
    });
    expect(venue.positions.get("AAPL")?.qty).toBe(-5);
    await broker.disconnect();
  });

  test("through the order manager: the ledger follows the venue across zero", async () => {
    const { broker } = connectable(venue);
    await broker.connect();
    const m = managed(broker, join(dir, "j.jsonl"), () => venue.now(), { prices: { AAPL: 185 } });
    const aapl = ASSETS.get("AAPL")!;
    const first = (await m.manager.place(aapl, 10, null, null))!;
    venue.fill(first, 10, 185);
    await until(() => m.events.some((e) => e.type === "fill"), "the first fill");
    m.manager.drain();
    const flip = (await m.manager.place(aapl, -25, null, null))!; // long 10 → short 15
    venue.fill(`${flip}.c`, 10, 186);
    await until(() => venue.order(`${flip}.o`) !== undefined, "the opening order");
    venue.fill(`${flip}.o`, 15, 186);
    await until(() => m.events.filter((e) => e.type === "fill").length === 3, "the fills");
    await until(
      () =>
        m.events.some((e) => e.type === "order" && e.event === "fill" && e.order.amount === -25),
      "the order filled",
    );
    m.manager.drain();
    expect(m.manager.orders.get(flip)!.state).toBe("FILLED");
    expect(holdings(m.ledger)).toEqual({ AAPL: -15 });
    expect(m.ledger.cash).toBeCloseTo((await broker.account()).cash, 6);
    expect(m.manager.refused).toBe(0);
    m.journal.close();
    await broker.disconnect();
  });

  test("a sell of shares an open order already holds: REJECTED with Alpaca's reason, not split", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    await hold(broker, 10);
    await broker.submit(request("hv1-2", -6, { limit_price: 200 })); // rests, holding 6 shares
    await broker.submit(request("hv1-3", -6, { limit_price: 199 }));
    expect(orderTrail(events, "hv1-3")).toEqual(["rejected→REJECTED"]);
    const err = events.findLast((e) => e.type === "error")!;
    expect(err).toMatchObject({
      code: "insufficient_qty",
      message: "Alpaca refused the order: insufficient qty available for order " +
        "(requested: 6, available: 4)",
    });
    expect(venue.orders.map((o) => o.client_order_id)).toEqual(["hv0-open", "hv1-2"]);
    expect(broker.health().connected).toBe(true);
    await broker.disconnect();
  });

  test("the opening order refused (no shorting): CANCELED with what the closing order filled", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    await hold(broker, 10);
    venue.shortingEnabled = false;
    await broker.submit(request("hv1-4", -15));
    venue.fill("hv1-4.c", 10, 185);
    await until(() => orderTrail(events, "hv1-4").length === 3, "the end of the order");
    expect(orderTrail(events, "hv1-4")).toEqual([
      "ack→WORKING",
      "partial_fill→PARTIALLY_FILLED",
      "canceled→CANCELED",
    ]);
    const last = events.findLast((e) => e.type === "order")!;
    expect(last.type === "order" && last.reason).toMatch(
      /opening order was refused.*not allowed to short/,
    );
    expect(last.type === "order" && last.order.filled).toBe(-10);
    expect(venue.positions.has("AAPL")).toBe(false);
    await broker.disconnect();
  });

  test("canceled before the closing order filled: the opening order is never sent", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    await hold(broker, 10);
    await broker.submit(request("hv1-5", -15, { limit_price: 190 }));
    await broker.cancel("hv1-5");
    await until(() => orderTrail(events, "hv1-5").at(-1) === "canceled→CANCELED", "canceled");
    expect(orderTrail(events, "hv1-5")).toEqual(["ack→WORKING", "canceled→CANCELED"]);
    expect(venue.order("hv1-5.c")?.status).toBe("canceled");
    expect(venue.order("hv1-5.o")).toBeUndefined();
    await broker.disconnect();
  });

  test("a restarted process finds a reversal by its orders' ids", async () => {
    const first = connectable(venue);
    await first.broker.connect();
    await hold(first.broker, 10);
    await first.broker.submit(request("hv1-6", -15));
    venue.fill("hv1-6.c", 10, 185);
    await until(() => venue.order("hv1-6.o") !== undefined, "the opening order");
    await first.broker.disconnect();
    const next = connectable(venue); // knows nothing of hv1-6
    await next.broker.connect();
    expect(await next.broker.order("hv1-6")).toMatchObject({
      client_order_id: "hv1-6",
      amount: -15,
      filled: -10,
      state: "PARTIALLY_FILLED",
    });
    expect((await next.broker.openOrders()).map((o) => [o.client_order_id, o.amount])).toEqual([
      ["hv1-6", -15],
    ]);
    await next.broker.disconnect();
  });

  test("stopped between the two orders: after the restart the order ends with its closing part", async () => {
    const first = connectable(venue);
    await first.broker.connect();
    await hold(first.broker, 10);
    await first.broker.submit(request("hv1-7", -15, { limit_price: 180 }));
    await first.broker.disconnect(); // the process stops; the closing order fills meanwhile
    venue.fill("hv1-7.c", 10, 185);
    const next = connectable(venue);
    await next.broker.connect();
    // Alpaca holds only the closing order: the amount known is its -10 (the manager keeps -15).
    expect(await next.broker.order("hv1-7")).toMatchObject({
      amount: -10,
      filled: -10,
      state: "CANCELED",
    });
    expect(venue.order("hv1-7.o")).toBeUndefined(); // never sent by a process that did not place it
    await next.broker.disconnect();
  });
});
