import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { OrderRequest } from "../../../runtime/brokers/broker.ts";
import { AlpacaAuthError } from "../../../runtime/brokers/alpaca/mod.ts";
import { FakeAlpacaVenue } from "../../fakes/alpaca_trading_server.ts";
import { connectable, fillsOf, orderTrail, until } from "./helpers.ts";

let venue: FakeAlpacaVenue;
beforeEach(() => {
  venue = FakeAlpacaVenue.start();
  venue.server.data.assets = ["AAPL", "MSFT"].map((symbol) => ({
    symbol,
    name: symbol,
    exchange: "NASDAQ",
    tradable: true,
    status: "active" as const,
  }));
  venue.prices = { AAPL: 185, MSFT: 370 };
});
afterEach(() => venue.close());

const request = (id: string, o: Partial<OrderRequest> = {}): OrderRequest => ({
  client_order_id: id,
  symbol: "AAPL",
  amount: 10,
  limit_price: null,
  stop_price: null,
  time_in_force: "day",
  ...o,
});

describe("connecting", () => {
  test("authenticates and listens on trade_updates; measures the clock skew", async () => {
    const { broker, events } = connectable(venue, undefined, { now: () => venue.now() - 1500 });
    await broker.connect();
    expect(venue.received).toEqual([
      { action: "authenticate", data: { key_id: "test-key", secret_key: "test-secret" } },
      { action: "listen", data: { streams: ["trade_updates"] } },
    ]);
    expect(broker.health()).toEqual({ connected: true, detail: "trade_updates up" });
    expect(broker.timeSkewMs()).toBe(1500);
    expect(events.map((e) => e.type)).toEqual(["connection", "account"]);
    expect(await broker.account()).toEqual({
      cash: 100_000,
      equity: 100_000,
      buying_power: 100_000,
    });
    await broker.disconnect();
  });

  test("bad keys: a clear error naming the variables, for REST (401/403) and the stream", async () => {
    const { broker } = connectable(venue);
    venue.server.keys = { id: "other", secret: "other" }; // the broker's keys are now wrong
    const refused = await broker.connect().catch((e) => e);
    expect(refused).toBeInstanceOf(AlpacaAuthError);
    expect(refused.message).toMatch(
      /HTTP 401.*APCA_API_KEY_ID and APCA_API_SECRET_KEY.*paper keys/,
    );

    venue.server.keys = { id: "test-key", secret: "test-secret" };
    venue.server.fail({ path: "/v2/clock", status: 403, body: { message: "forbidden" } });
    const forbidden = await connectable(venue).broker.connect().catch((e) => e);
    expect(forbidden).toBeInstanceOf(AlpacaAuthError);
    expect(forbidden.message).toMatch(/HTTP 403\): forbidden/);

    venue.server.streamAuthRefused = true;
    const stream = await connectable(venue).broker.connect().catch((e) => e);
    expect(stream).toBeInstanceOf(AlpacaAuthError);
    expect(stream.message).toMatch(/trade_updates stream.*unauthorized/);
  });
});

describe("orders", () => {
  test("market, limit, stop and stop_limit; day and gtc; our client order id", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    await broker.submit(request("hv1-1"));
    await broker.submit(request("hv1-2", { amount: -3, limit_price: 190.25 }));
    await broker.submit(request("hv1-3", { stop_price: 180, time_in_force: "gtc" }));
    await broker.submit(request("hv1-4", { amount: -2, stop_price: 180, limit_price: 179.5 }));
    const sent = venue.orders.map((o) => [
      o.client_order_id,
      o.type,
      o.side,
      o.qty,
      o.limit_price,
      o.stop_price,
      o.time_in_force,
    ]);
    expect(sent).toEqual([
      ["hv1-1", "market", "buy", "10", null, null, "day"],
      ["hv1-2", "limit", "sell", "3", "190.25", null, "day"],
      ["hv1-3", "stop", "buy", "10", null, "180", "gtc"],
      ["hv1-4", "stop_limit", "sell", "2", "179.5", "180", "day"],
    ]);
    for (const id of ["hv1-1", "hv1-2", "hv1-3", "hv1-4"]) {
      expect(orderTrail(events, id)).toEqual(["ack→WORKING"]); // stream and REST: one ack
    }
    const open = await broker.openOrders();
    expect(open.map((o) => [o.client_order_id, o.amount, o.state])).toEqual([
      ["hv1-1", 10, "WORKING"],
      ["hv1-2", -3, "WORKING"],
      ["hv1-3", 10, "WORKING"],
      ["hv1-4", -2, "WORKING"],
    ]);
    await broker.disconnect();
  });

  test("partial fills then the fill: price, quantity, time, one execution id each", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    await broker.submit(request("hv1-1", { amount: -10, limit_price: 186 }));
    venue.now = () => Date.parse("2024-01-02T15:01:02.250Z");
    venue.fill("hv1-1", 4, 186);
    venue.now = () => Date.parse("2024-01-02T15:03:00Z");
    venue.fill("hv1-1", 6, 186.5);
    await until(() => fillsOf(events, "hv1-1").length === 2, "two fills");
    const id = venue.order("hv1-1")!.id;
    expect(fillsOf(events, "hv1-1")).toEqual([
      {
        client_order_id: "hv1-1",
        broker_order_id: id,
        exec_id: `${id}:4`,
        symbol: "AAPL",
        amount: -4,
        price: 186,
        commission: 0,
        time: Date.parse("2024-01-02T15:01:02.250Z"),
      },
      {
        client_order_id: "hv1-1",
        broker_order_id: id,
        exec_id: `${id}:10`,
        symbol: "AAPL",
        amount: -6,
        price: 186.5,
        commission: 0,
        time: Date.parse("2024-01-02T15:03:00Z"),
      },
    ]);
    await until(() => orderTrail(events, "hv1-1").length === 3, "the fill event");
    expect(orderTrail(events, "hv1-1")).toEqual([
      "ack→WORKING",
      "partial_fill→PARTIALLY_FILLED",
      "fill→FILLED",
    ]);
    const last = events.findLast((e) => e.type === "order")!;
    expect(last.type === "order" && last.order).toMatchObject({
      filled: -10,
      avg_fill_price: 186.3,
    });
    expect(await broker.positions()).toEqual([{ symbol: "AAPL", amount: -10, avg_cost: 186.3 }]);
    await broker.disconnect();
  });

  test("rejections: invalid (422), buying power (403), and the venue's own, with the reason", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    await broker.submit(request("hv1-1", { symbol: "ZZZZ" }));
    expect(orderTrail(events, "hv1-1")).toEqual(["rejected→REJECTED"]);
    const rejected = events.find((e) => e.type === "order" && e.event === "rejected");
    expect(rejected?.type === "order" && rejected.reason).toBe('asset "ZZZZ" not found');
    expect(events.find((e) => e.type === "error")).toMatchObject({
      code: "invalid_order",
      client_order_id: "hv1-1",
    });

    venue.cash = 1_000;
    await broker.submit(request("hv1-2", { limit_price: 185 }));
    expect(orderTrail(events, "hv1-2")).toEqual(["rejected→REJECTED"]);
    expect(events.findLast((e) => e.type === "error")).toMatchObject({
      code: "insufficient_buying_power",
      message: "Alpaca refused the order: insufficient buying power",
    });

    await broker.submit(request("hv1-3", { amount: -1 }));
    venue.finish("hv1-3", "rejected", "short selling not allowed");
    await until(() => orderTrail(events, "hv1-3").length === 2, "the venue's rejection");
    expect(orderTrail(events, "hv1-3")).toEqual(["ack→WORKING", "rejected→REJECTED"]);
    expect(events.findLast((e) => e.type === "order")).toMatchObject({
      reason: "short selling not allowed",
    });
    expect(venue.server.requests("/v2/orders").filter((r) => r.method === "POST")).toHaveLength(3);
    await broker.disconnect();
  });

  test("cancel: at once, pending then done, refused, and after the fill", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    await broker.submit(request("hv1-1", { limit_price: 180 }));
    await broker.cancel("hv1-1");
    await until(() => orderTrail(events, "hv1-1").length === 2, "canceled");
    expect(orderTrail(events, "hv1-1")).toEqual(["ack→WORKING", "canceled→CANCELED"]);

    venue.instantCancel = false;
    await broker.submit(request("hv1-2", { limit_price: 180 }));
    await broker.cancel("hv1-2"); // pending_cancel echoes our own request: nothing to report
    venue.fill("hv1-2", 3, 180); // a fill that races the cancel is still booked
    venue.completeCancel("hv1-2");
    await until(() => orderTrail(events, "hv1-2").length === 3, "pending cancel done");
    expect(orderTrail(events, "hv1-2")).toEqual([
      "ack→WORKING",
      "partial_fill→PENDING_CANCEL",
      "canceled→CANCELED",
    ]);
    expect(fillsOf(events, "hv1-2").map((f) => f.amount)).toEqual([3]);

    await broker.submit(request("hv1-3", { limit_price: 180 }));
    await broker.cancel("hv1-3");
    const o = venue.order("hv1-3")!;
    o.status = "new";
    venue.emit("order_cancel_rejected", o, { reason: "TOO_LATE_TO_CANCEL" });
    await until(() => orderTrail(events, "hv1-3").length === 2, "cancel rejected");
    expect(orderTrail(events, "hv1-3")).toEqual(["ack→WORKING", "cancel_reject→WORKING"]);

    await broker.submit(request("hv1-4"));
    venue.fill("hv1-4", 10, 185);
    await until(() => orderTrail(events, "hv1-4").length === 2, "filled");
    await broker.cancel("hv1-4"); // 422 not cancelable: Alpaca's view stands, no event
    expect(orderTrail(events, "hv1-4")).toEqual(["ack→WORKING", "fill→FILLED"]);
    await broker.disconnect();
  });

  test("replace: the replacement stays ours; fills on it are ours; refusals are errors", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    await broker.submit(request("hv1-1", { limit_price: 180 }));
    await broker.replace("hv1-1", { limit_price: 181.5, amount: 8 });
    const next = venue.order("hv1-1.r1")!;
    expect([next.limit_price, next.qty, next.replaces]).toEqual([
      "181.5",
      "8",
      venue.order("hv1-1")!.id,
    ]);
    venue.fill("hv1-1.r1", 8, 181.5);
    await until(() => fillsOf(events, "hv1-1").length === 1, "the replacement's fill");
    await until(() => orderTrail(events, "hv1-1").length === 2, "filled");
    expect(orderTrail(events, "hv1-1")).toEqual(["ack→WORKING", "fill→FILLED"]);
    expect(fillsOf(events, "hv1-1")[0]).toMatchObject({ amount: 8, exec_id: `${next.id}:8` });
    expect(await broker.order("hv1-1")).toMatchObject({
      client_order_id: "hv1-1",
      broker_order_id: next.id,
      limit_price: 181.5,
      state: "FILLED",
    });

    await broker.replace("hv1-1", { limit_price: 182 });
    expect(events.findLast((e) => e.type === "error")).toMatchObject({
      code: "replace",
      message: "order hv1-1 is not open at Alpaca",
    });
    await broker.submit(request("hv1-2", { limit_price: 180 }));
    await broker.replace("hv1-2", { amount: -5 });
    expect(events.findLast((e) => e.type === "error")?.code).toBe("replace");
    await broker.disconnect();
  });

  test("expiry and done_for_day; unknown and replace-rejected events are errors", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    await broker.submit(request("hv1-1", { limit_price: 180 }));
    venue.finish("hv1-1", "done_for_day");
    const o = venue.order("hv1-1")!;
    venue.emit("order_replace_rejected", o, { reason: "TOO_LATE_TO_CANCEL" });
    venue.emit("trade_bust", o);
    venue.finish("hv1-1", "expired");
    await until(() => orderTrail(events, "hv1-1").length === 2, "expired");
    expect(orderTrail(events, "hv1-1")).toEqual(["ack→WORKING", "expired→EXPIRED"]);
    const errors = events.filter((e) => e.type === "error").map((e) =>
      e.type === "error" && e.code
    );
    expect(errors).toEqual(["order_replace_rejected", "trade_bust"]);
    await broker.disconnect();
  });
});
