import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Bar, OrderRequest } from "../../../runtime/brokers/broker.ts";
import { get_calendar } from "../../../calendars/mod.ts";
import { FakeAlpacaVenue } from "../../fakes/alpaca_trading_server.ts";
import { connectable, fillsOf, orderTrail, POLL_MS, Sleeps, until } from "./helpers.ts";

let venue: FakeAlpacaVenue;
beforeEach(() => {
  venue = FakeAlpacaVenue.start();
  venue.prices = { AAPL: 185 };
});
afterEach(() => venue.close());

const buy = (id: string, limit: number | null = null): OrderRequest => ({
  client_order_id: id,
  symbol: "AAPL",
  amount: 10,
  limit_price: limit,
  stop_price: null,
  time_in_force: "day",
});
const calls = (path: string) => venue.server.log.filter((r) => r.path === path);
const trail = () => venue.server.log.map((r) => `${r.method} ${r.path} ${r.status}`);

describe("REST retries", () => {
  test("429 honours Retry-After; 5xx backs off exponentially (jitter injected)", async () => {
    const { broker, sleeps } = connectable(venue);
    venue.server.fail({ path: "/v2/account", status: 429, headers: { "retry-after": "2" } });
    venue.server.fail({ path: "/v2/account", status: 503, times: 2 });
    expect((await broker.account()).cash).toBe(100_000);
    expect(sleeps.calls).toEqual([2000, 1000, 2000]); // Retry-After, then backoff by attempt
    expect(calls("/v2/account").map((r) => r.status)).toEqual([429, 503, 503, 200]);
  });

  test("retries give up with the request's facts", async () => {
    const { broker } = connectable(venue, new Sleeps(), { retry: { attempts: 2 } });
    venue.server.fail({ path: "/v2/positions", status: 500, times: 5 });
    await expect(broker.positions()).rejects.toThrow(/GET \/v2\/positions failed \(HTTP 500\)/);
  });
});

describe("submits are never repeated before asking Alpaca", () => {
  test("a 503 before the order arrived: ask by client order id, then send again", async () => {
    const { broker, events, sleeps } = connectable(venue);
    await broker.connect();
    venue.server.log.length = 0;
    venue.server.fail({ path: "/v2/orders", status: 503 });
    await broker.submit(buy("hv1-1"));
    expect(trail()).toEqual([
      "POST /v2/orders 503",
      "GET /v2/orders:by_client_order_id 404",
      "POST /v2/orders 200",
    ]);
    expect(sleeps.calls).toEqual([500]);
    expect(venue.orders).toHaveLength(1);
    expect(orderTrail(events, "hv1-1")).toEqual(["ack→WORKING"]);
    await broker.disconnect();
  });

  test("a response lost after the order arrived: found by client order id, not sent again", async () => {
    const { broker, events } = connectable(venue);
    await broker.connect();
    venue.server.log.length = 0;
    venue.loseOrderResponses(1, "gateway");
    await broker.submit(buy("hv1-1", 184));
    expect(trail()).toEqual(["POST /v2/orders 504", "GET /v2/orders:by_client_order_id 200"]);
    expect(venue.orders).toHaveLength(1);
    expect(orderTrail(events, "hv1-1")).toEqual(["ack→WORKING"]);
    await broker.disconnect();
  });

  test("a response that never comes (timeout): the same", async () => {
    const { broker, events } = connectable(venue, new Sleeps(), { timeoutMs: 250 });
    await broker.connect();
    venue.server.log.length = 0;
    venue.autoAccept = false;
    venue.loseOrderResponses(1, "hang");
    await broker.submit(buy("hv1-1", 184));
    expect(calls("/v2/orders").filter((r) => r.method === "POST")).toHaveLength(1);
    expect(venue.orders).toHaveLength(1);
    expect(orderTrail(events, "hv1-1")).toEqual(["ack→WORKING"]);
    await broker.disconnect();
  });

  test("when even the lookup cannot answer, the order waits SUBMITTED until Alpaca does", async () => {
    const { broker, events } = connectable(venue, new Sleeps(), { retry: { attempts: 2 } });
    await broker.connect();
    venue.autoAccept = false; // no stream event: only REST can tell
    venue.loseOrderResponses(1, "gateway");
    venue.server.fail({ path: "/v2/orders:by_client_order_id", status: 500, times: 2 });
    await broker.submit(buy("hv1-1", 184));
    expect(events.findLast((e) => e.type === "error")).toMatchObject({ code: "submit_in_doubt" });
    expect(orderTrail(events, "hv1-1")).toEqual([]);
    await until(() => orderTrail(events, "hv1-1").length === 1, "the order found");
    expect(orderTrail(events, "hv1-1")).toEqual(["ack→WORKING"]);
    expect(calls("/v2/orders").filter((r) => r.method === "POST")).toHaveLength(1);

    venue.server.fail({ path: "/v2/orders", status: 503 });
    venue.server.fail({ path: "/v2/orders:by_client_order_id", status: 500, times: 2 });
    await broker.submit(buy("hv1-2", 184));
    await until(() => orderTrail(events, "hv1-2").length === 1, "the verdict");
    expect(orderTrail(events, "hv1-2")).toEqual(["rejected→REJECTED"]);
    expect(events.findLast((e) => e.type === "order")).toMatchObject({
      reason: "Alpaca has no record of the order",
    });
    await broker.disconnect();
  });

  test("Alpaca never takes it: REJECTED after the attempts, each checked first", async () => {
    const { broker, events } = connectable(venue, new Sleeps(), { retry: { attempts: 3 } });
    await broker.connect();
    venue.server.log.length = 0;
    venue.server.fail({ path: "/v2/orders", status: 502, times: 3 });
    await broker.submit(buy("hv1-1"));
    expect(trail().map((t) => t.split(" ")[1])).toEqual([
      "/v2/orders",
      "/v2/orders:by_client_order_id",
      "/v2/orders",
      "/v2/orders:by_client_order_id",
      "/v2/orders",
      "/v2/orders:by_client_order_id",
    ]);
    expect(orderTrail(events, "hv1-1")).toEqual(["rejected→REJECTED"]);
    expect(events.findLast((e) => e.type === "order")).toMatchObject({
      reason: expect.stringMatching(/did not accept the order after 3 attempts/),
    });
    await broker.disconnect();
  });
});

describe("stream loss", () => {
  test("trade_updates dropped mid-order: reconnect, listen again, re-sync fills and state", async () => {
    const sleeps = new Sleeps();
    sleeps.hold = (ms) => ms === 1000 || ms === 2000; // the first two reconnect delays
    const { broker, events } = connectable(venue, sleeps);
    await broker.connect();
    await broker.submit(buy("hv1-1", 185));
    const id = venue.order("hv1-1")!.id;
    venue.dropTradeStream();
    await until(() => sleeps.pending.length === 1, "a reconnect delay");
    expect(broker.health().connected).toBe(false);
    venue.fill("hv1-1", 4, 185); // nobody listening: these events are lost
    venue.fill("hv1-1", 6, 184.9);
    venue.tradeStreamDown = true;
    sleeps.release(); // attempt 1 is refused
    await until(() => sleeps.pending[0] === 2000, "the second, longer delay");
    venue.tradeStreamDown = false;
    sleeps.release();
    await until(() => events.at(-1)?.type === "account", "the re-sync (it ends with the account)");
    expect(venue.received.map((m) => m.action)).toEqual([
      "authenticate",
      "listen",
      "authenticate",
      "listen",
    ]);
    expect(fillsOf(events, "hv1-1").map((f) => [f.exec_id, f.amount, f.price])).toEqual([
      [`${id}:4`, 4, 185],
      [`${id}:10`, 6, 184.9],
    ]);
    expect(orderTrail(events, "hv1-1")).toEqual(["ack→WORKING", "fill→FILLED"]);
    const statuses = events.flatMap((e) => e.type === "connection" ? [e.status] : []);
    expect(statuses).toEqual(["connected", "disconnected", "reconnected"]);
    expect(broker.health().connected).toBe(true);
    // The same fills arriving late on the stream are not booked twice.
    const before = events.length;
    venue.emit("fill", venue.order("hv1-1")!, { price: "184.9", qty: "6" });
    // A later order's acknowledgement on the same (ordered) stream: once it is here, the
    // duplicate before it was handled.
    await broker.submit(buy("hv1-9", 100));
    await until(
      () => events.some((e) => e.type === "order" && e.order.client_order_id === "hv1-9"),
      "the marker's ack",
    );
    expect(events.slice(before).map((e) => e.type === "order" ? e.order.client_order_id : e.type))
      .toEqual(["hv1-9"]);
    await broker.disconnect();
  });
});

describe("liveness", () => {
  test("pings keep a healthy connection up", async () => {
    const { broker, events } = connectable(venue, new Sleeps(), { heartbeatMs: 15 });
    await broker.connect();
    // Several pings answered (counted as they come back), not a span of time waited out.
    await until(() => broker.tradeStreamPongs >= 4, "four pongs");
    expect(broker.health().connected).toBe(true);
    expect(events.filter((e) => e.type === "error" || e.type === "connection").length).toBe(1);
    await broker.disconnect();
  });
});

describe("market data", () => {
  const bar = (t: string, c: number) => ({ t, o: c, h: c, l: c, c, v: 100, n: 3, vw: c });

  test("minute bars from the stream, labelled by the calendar's minutes; extended hours dropped", async () => {
    const { broker } = connectable(venue, new Sleeps(), { calendar: get_calendar("XNYS") });
    const got: Bar[] = [];
    await broker.subscribeBars(["AAPL", "MSFT"], (b) => got.push(b));
    expect(venue.server.streamReceived).toEqual([
      { action: "auth", key: "test-key", secret: "test-secret" },
      { action: "subscribe", bars: ["AAPL", "MSFT"] },
    ]);
    venue.server.pushBar("AAPL", bar("2024-01-02T13:00:00Z", 184)); // 08:00 New York: pre-market
    venue.server.pushBar("AAPL", bar("2024-01-02T14:30:00Z", 185)); // the 09:30 bar → minute 09:31
    venue.server.pushBar("MSFT", bar("2024-01-02T14:30:00Z", 370));
    await until(() => got.length === 2, "two bars");
    expect(got[0]).toEqual({
      symbol: "AAPL",
      time: Date.parse("2024-01-02T14:31:00Z"),
      open: 185,
      high: 185,
      low: 185,
      close: 185,
      volume: 100,
    });
    expect(got[1].symbol).toBe("MSFT");
    expect(broker.health().detail).toBe("trade_updates down (reconnecting); market data streaming");
    await broker.disconnect();
  });

  test("while the stream is down, latest bars are polled over REST; then it resubscribes", async () => {
    const sleeps = new Sleeps();
    sleeps.hold = (ms) => ms === POLL_MS || ms === 1000;
    const { broker } = connectable(venue, sleeps);
    venue.server.data.bars["1Min"] = { AAPL: [bar("2024-01-02T14:31:00Z", 186)] };
    const got: Bar[] = [];
    await broker.subscribeBars(["AAPL"], (b) => got.push(b));
    venue.server.pushBar("AAPL", bar("2024-01-02T14:30:00Z", 185));
    await until(() => got.length === 1, "a streamed bar");
    venue.server.dropDataStream();
    await until(() => got.length === 2, "a polled bar");
    expect(got[1]).toMatchObject({ time: Date.parse("2024-01-02T14:32:00Z"), close: 186 });
    expect(calls("/v2/stocks/bars/latest")[0].params).toEqual({ symbols: "AAPL", feed: "iex" });
    expect(broker.health().detail).toMatch(/market data on the REST fallback/);
    // The same latest bar again is not delivered twice; a newer one is.
    const polling = () => sleeps.pending.includes(POLL_MS);
    await until(polling, "the wait between polls");
    sleeps.release((ms) => ms === POLL_MS);
    await until(() => calls("/v2/stocks/bars/latest").length === 2 && polling(), "a second poll");
    venue.server.data.bars["1Min"].AAPL.push(bar("2024-01-02T14:32:00Z", 187));
    sleeps.release((ms) => ms === POLL_MS);
    await until(() => got.length === 3, "the next polled bar");
    await until(() => sleeps.pending.includes(1000), "the reconnect's wait");
    sleeps.release((ms) => ms === 1000); // the stream comes back and subscribes again
    await until(() => venue.server.streamClients === 1, "resubscribed");
    expect(venue.server.streamReceived.filter((m) => m.action === "subscribe")).toHaveLength(2);
    venue.server.pushBar("AAPL", bar("2024-01-02T14:32:00Z", 187)); // already had it from REST
    venue.server.pushBar("AAPL", bar("2024-01-02T14:33:00Z", 188));
    await until(() => got.length === 4, "streaming again");
    expect(got.map((b) => b.close)).toEqual([185, 186, 187, 188]);
    expect((await broker.latestBars(["AAPL", "NONE"])).get("AAPL")?.close).toBe(187);
    await broker.disconnect();
  });

  test("a data stream that refuses the keys: a clear error, bars from REST", async () => {
    const sleeps = new Sleeps();
    const { broker, events } = connectable(venue, sleeps);
    venue.server.data.bars["1Min"] = { AAPL: [bar("2024-01-02T14:31:00Z", 186)] };
    venue.server.streamAuthRefused = true;
    const got: Bar[] = [];
    await broker.subscribeBars(["AAPL"], (b) => got.push(b));
    await until(() => got.length === 1, "a polled bar");
    expect(events.find((e) => e.type === "error")).toMatchObject({
      code: "unauthorized",
      message: expect.stringMatching(/market data stream.*error 402: auth failed.*APCA_API_KEY_ID/),
    });
    expect(broker.health()).toMatchObject({ connected: false });
    await broker.disconnect();
    sleeps.release();
  });
});
