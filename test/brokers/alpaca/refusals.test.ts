/**
 * Alpaca's refusals as Alpaca words them (issue 15, cases 2 and 3): a 403 about the account or
 * the order — pattern day trading protection, an account not authorized to trade, no shorting —
 * ends that order REJECTED with Alpaca's reason and never makes the session think its keys are
 * wrong; an order in doubt is REJECTED as unknown only when a lookup answers 404, not when the
 * lookups fail.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { BrokerEvent, OrderRequest } from "../../../runtime/brokers/broker.ts";
import { FakeAlpacaVenue } from "../../fakes/alpaca_trading_server.ts";
import { connectable, orderTrail, Sleeps, until } from "./helpers.ts";

let venue: FakeAlpacaVenue;
beforeEach(() => {
  venue = FakeAlpacaVenue.start();
  venue.prices = { AAPL: 185 };
});
afterEach(() => venue.close());

const request = (id: string, amount: number, o: Partial<OrderRequest> = {}): OrderRequest => ({
  client_order_id: id,
  symbol: "AAPL",
  amount,
  limit_price: null,
  stop_price: null,
  time_in_force: "day",
  ...o,
});

const lastError = (events: readonly BrokerEvent[]) => {
  const e = events.findLast((x) => x.type === "error");
  return e?.type === "error" ? e : { code: undefined, message: "" };
};

describe("403s that are not about the keys (case 3)", () => {
  test("pattern day trading protection (40310100): REJECTED with the reason; keys fine", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    venue.cash = 20_000; // under $25,000
    venue.dayTrades = 3;
    await broker.submit(request("hv3-1", 10));
    venue.fill("hv3-1", 10, 185); // bought today
    await broker.submit(request("hv3-2", -10)); // selling it today would be a fourth day trade
    expect(orderTrail(events, "hv3-2")).toEqual(["rejected→REJECTED"]);
    expect(lastError(events)).toMatchObject({
      code: "pattern_day_trading",
      message: "Alpaca refused the order: trade denied due to pattern day trading protection",
    });
    expect(broker.health()).toEqual({ connected: true, detail: "trade_updates up" });
    await broker.submit(request("hv3-3", 1)); // and the session goes on trading
    expect(orderTrail(events, "hv3-3")).toEqual(["ack→WORKING"]);
    await broker.disconnect();
  });

  test("an account not authorized to trade, and one not allowed to short", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    venue.shortingEnabled = false;
    await broker.submit(request("hv3-4", -5));
    expect(orderTrail(events, "hv3-4")).toEqual(["rejected→REJECTED"]);
    expect(lastError(events)).toMatchObject({
      code: "forbidden",
      message: "Alpaca refused the order: account is not allowed to short",
    });
    venue.tradingBlocked = true;
    await broker.submit(request("hv3-5", 5));
    const rejected = events.findLast((e) => e.type === "order")!;
    expect(rejected.type === "order" && rejected.reason).toBe(
      "Alpaca refused the order: account is not authorized to trade",
    );
    expect(broker.health().connected).toBe(true);
    expect(broker.health().detail).not.toMatch(/APCA_API_KEY_ID/);
    await broker.disconnect();
  });

  test("401 on an order still says the keys are wrong", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    venue.server.fail({
      path: "/v2/orders",
      status: 401,
      body: { code: 40110000, message: "request is not authorized" },
    });
    await broker.submit(request("hv3-6", 5));
    expect(lastError(events)).toMatchObject({ code: "unauthorized" });
    expect(broker.health()).toMatchObject({ connected: false });
    expect(broker.health().detail).toMatch(/APCA_API_KEY_ID/);
    await broker.disconnect();
  });
});

describe("an order in doubt (case 2)", () => {
  test("lookups that fail leave it SUBMITTED; Alpaca's answer later settles it", async () => {
    const { broker, events } = connectable(venue, new Sleeps(), { retry: { attempts: 2 } });
    await broker.connect();
    venue.autoAccept = false; // no stream event: only REST can tell
    venue.loseOrderResponses(1, "gateway"); // the order arrives; its answer is lost
    venue.server.fail({ path: "/v2/orders:by_client_order_id", status: 503, times: 6 });
    await broker.submit(request("hv2-1", 5, { limit_price: 180 }));
    await until(
      () => events.filter((e) => e.type === "error" && e.code === "submit_in_doubt").length === 2,
      "the lookups given up",
    );
    expect(orderTrail(events, "hv2-1")).toEqual([]); // not REJECTED: Alpaca never said so
    expect(lastError(events).message).toMatch(/stays SUBMITTED and is asked about again/);
    // Alpaca answers again: the in-flight check's question finds the order working.
    expect(await broker.order("hv2-1")).toMatchObject({ state: "WORKING", amount: 5 });
    expect(venue.orders).toHaveLength(1);
    await broker.disconnect();
  });

  test("a lookup that answers 404 is a verdict: Alpaca has no record, REJECTED", async () => {
    const { broker, events } = connectable(venue, new Sleeps(), { retry: { attempts: 2 } });
    await broker.connect();
    venue.server.fail({ path: "/v2/orders", status: 503 }); // never arrived
    venue.server.fail({ path: "/v2/orders:by_client_order_id", status: 503, times: 2 });
    await broker.submit(request("hv2-2", 5));
    await until(() => orderTrail(events, "hv2-2").length === 1, "the verdict");
    expect(orderTrail(events, "hv2-2")).toEqual(["rejected→REJECTED"]);
    expect(venue.server.requests("/v2/orders:by_client_order_id").map((r) => r.status)).toEqual([
      503,
      503,
      404,
    ]);
    await broker.disconnect();
  });
});
