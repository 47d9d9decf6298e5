/**
 * The restart's id scan (runtime/live/id_scan.ts) covers the whole reserved block: orders lost on
 * their way out (a run of ids that never reached the broker) do not hide a later one that did.
 * Against the Alpaca fake (one `GET /v2/orders?status=all` listing, no lookup per id), the fake
 * TWS (its open and completed orders, one round), and a broker with no listing (id by id).
 */
import { afterEach, describe, expect, test } from "vitest";
import type { OrderRequest } from "../../runtime/brokers/broker.ts";
import { scanReservedIds } from "../../runtime/live/id_scan.ts";
import { ClientOrderIds } from "../../runtime/orders/ids.ts";
import { FakeAlpacaVenue } from "../fakes/alpaca_trading_server.ts";
import { connectable, until } from "../brokers/alpaca/helpers.ts";
import { attach, req, type Rig, rig } from "../brokers/ib/helpers.ts";

const order = (id: string): OrderRequest => ({
  client_order_id: id,
  symbol: "AAPL",
  amount: 10,
  limit_price: 100, // under the market: it rests
  stop_price: null,
  time_in_force: "day",
});

describe("the whole reserved block", () => {
  let venue: FakeAlpacaVenue | null = null;
  let ib: Rig | null = null;
  afterEach(async () => {
    await venue?.close();
    await ib?.close();
    venue = ib = null;
  });

  test("Alpaca: one listing finds ids past a run of lost ones, finished ones too", async () => {
    venue = FakeAlpacaVenue.start();
    venue.prices = { AAPL: 185 };
    const { broker } = connectable(venue);
    await broker.connect();
    const ids = new ClientOrderIds("feed0001", 1);
    const before = venue.now();
    // Ids 1 and 2 reached Alpaca; 3–14 were lost on their way out; 15 reached it and was
    // cancelled there; an order of another family is not ours.
    for (const seq of [1, 2, 15]) await broker.submit(order(ids.idOf(seq)));
    await broker.submit(order("someone-else-1"));
    venue.finish(ids.idOf(15), "canceled");
    await until(() => venue!.order(ids.idOf(15))?.status === "canceled", "the cancel");
    venue.server.log.length = 0;
    const found = await scanReservedIds(broker, ids, 1000, before - 1, (id) => id === ids.idOf(1));
    expect([...found.keys()]).toEqual([ids.idOf(2), ids.idOf(15)]);
    expect(found.get(ids.idOf(15))!.state).toBe("CANCELED");
    expect(venue.server.log.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v2/orders"]);
    await broker.disconnect();
  });

  test("a broker without a listing is asked id by id, over the whole block", async () => {
    venue = FakeAlpacaVenue.start();
    venue.prices = { AAPL: 185 };
    const { broker } = connectable(venue);
    await broker.connect();
    const ids = new ClientOrderIds("feed0002", 1);
    await broker.submit(order(ids.idOf(14)));
    venue.server.log.length = 0;
    const byId = { order: (id: string) => broker.order(id) }; // no ordersSince
    const found = await scanReservedIds(byId, ids, 20, 0, () => false);
    expect([...found.keys()]).toEqual([ids.idOf(14)]);
    // Every id of the block was asked about (a reversal's legs are asked about too); the one the
    // adapter sent itself is asked by its Alpaca id.
    const asked = new Set(
      venue.server.log.filter((r) => r.path === "/v2/orders:by_client_order_id")
        .map((r) => r.params.client_order_id),
    );
    for (let seq = 1; seq <= 20; seq++) {
      expect(asked.has(ids.idOf(seq)), `id ${seq}`).toBe(seq !== 14);
    }
    await broker.disconnect();
  });

  test("IB: open and today's finished orders, past a run of lost ids", async () => {
    ib = await rig();
    await ib.broker.submit(req("hvaaaa0001-1", { limit_price: 150 }));
    await ib.broker.submit(req("hvaaaa0001-13", { amount: 10 }));
    await ib.event(
      "order",
      (e) => e.order.client_order_id === "hvaaaa0001-13" && e.event === "ack",
    );
    ib.tws.fill("hvaaaa0001-13", { price: 191 });
    await ib.event(
      "order",
      (e) => e.order.client_order_id === "hvaaaa0001-13" && e.event === "fill",
    );
    await ib.broker.disconnect(); // the process ends; a new one scans
    const again = await attach(ib.tws, ib.clock);
    try {
      const ids = new ClientOrderIds("aaaa0001", 1);
      const found = await scanReservedIds(
        again.broker,
        ids,
        1000,
        ib.clock.t - 3_600_000,
        () => false,
      );
      expect([...found].map(([id, b]) => [id, b.state])).toEqual([
        ["hvaaaa0001-1", "WORKING"],
        ["hvaaaa0001-13", "FILLED"],
      ]);
    } finally {
      await again.broker.disconnect();
    }
  });
});
