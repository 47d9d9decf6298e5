/**
 * Connectivity through the IB adapter: the connect handshake and its failures (502, 326), a
 * dropped socket mid-order and the re-sync after reconnecting, a TWS restart the session lives
 * through, IB's 1100 / 1101 / 1102, and notices and errors as events.
 */
import { afterEach, describe, expect, test } from "vitest";
import { createIbBroker } from "../../../runtime/brokers/ib/mod.ts";
import { IbConnectError, IbNotConnectedError } from "../../../runtime/brokers/ib/errors.ts";
import { FakeTws } from "../../fakes/fake_tws.ts";
import { attach, fastBroker, req, type Rig, rig } from "./helpers.ts";

let r: Rig;
afterEach(async () => await r?.close());

describe("IB connectivity", () => {
  test("connect: accounts, clock skew, farm notices, account and positions", async () => {
    r = await rig({ fake: { skewMs: 2000 } });
    expect(r.broker.health()).toMatchObject({ connected: true });
    expect(r.broker.timeSkewMs()).toBe(2000);
    const farm = await r.event("connection", (e) => e.detail?.includes("(IB 2104)") ?? false);
    expect(farm.status).toBe("connected");
    r.tws.book.setPosition("DU1234567", r.tws.book.stocks[1], -20, 400);
    expect(await r.broker.positions()).toEqual([{ symbol: "MSFT", amount: -20, avg_cost: 400 }]);
    expect(await r.broker.account()).toEqual({
      cash: 1_000_000,
      equity: 1_000_000 - 20 * 410,
      buying_power: (1_000_000 - 20 * 410) * 4,
    });
    expect(r.tws.clientIds()).toEqual([7]);
  });

  test("nothing listening: IbConnectError 502 that says what to check", async () => {
    const tws = await FakeTws.start();
    const port = tws.port;
    await tws.stop();
    const broker = createIbBroker({ ...fastBroker(port) });
    const err = await broker.connect().catch((e) => e);
    expect(err).toBeInstanceOf(IbConnectError);
    expect(err.code).toBe(502);
    expect(err.message).toMatch(/127\.0\.0\.1:\d+ \(client id 7\).*API enabled/);
  });

  test("a client id in use: IbConnectError 326", async () => {
    r = await rig();
    const other = createIbBroker({ ...fastBroker(r.tws.port) });
    const err = await other.connect().catch((e) => e);
    expect(err).toBeInstanceOf(IbConnectError);
    expect(err.code).toBe(326);
  });

  test("a disconnect mid-order: reconnect, re-sync, the missed fill is booked once", async () => {
    // The first reconnection waits for the test: what happens while down is deterministic.
    let release = () => {};
    const gate = new Promise<void>((ok) => release = ok);
    const sleep = (ms: number) => ms === 20 ? gate : new Promise<void>((ok) => setTimeout(ok, ms));
    r = await rig({ broker: { sleep, random: () => 0.5 } }); // jitter at its midpoint: 20 ms
    await r.broker.submit(req("hv2-1", { limit_price: 189 }));
    await r.event("order", (e) => e.event === "ack");
    const mark = r.events.length;
    r.tws.dropConnections();
    const down = await r.event("connection", (e) => e.status === "disconnected", mark);
    expect(down.detail).toMatch(/dropped; reconnecting/);
    expect(r.broker.health().connected).toBe(false);
    await r.broker.submit(req("hv2-2"));
    const refused = await r.event("order", (e) => e.order.client_order_id === "hv2-2");
    expect(refused.reason).toMatch(/not sent: not connected.*\(504\)/);
    const down504 = await r.broker.positions().catch((x) => x);
    expect(down504).toBeInstanceOf(IbNotConnectedError);
    expect(down504.message).toMatch(/positions: not connected.*\(IB 504\)/);
    const e = r.tws.fill("hv2-1", { price: 188.5 }); // executes while nobody listens
    release();
    const back = await r.event("connection", (x) => x.status === "reconnected", mark);
    expect(back.detail).toMatch(/re-synced 0 open order\(s\), 1 missed fill\(s\)/);
    const fills = r.events.filter((x) => x.type === "fill");
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ fill: { exec_id: e.execId, commission: 1, amount: 100 } });
    expect(r.trail("hv2-1")).toEqual(["ack:WORKING", "fill:FILLED"]);
    await r.event("account", undefined, mark);
    expect(r.broker.health().connected).toBe(true);
  });

  test("a TWS restart: retries fail with 502, then the session picks up where it was", async () => {
    r = await rig();
    await r.broker.submit(req("hv2-3", { limit_price: 150 }));
    await r.broker.submit(req("hv2-4", { limit_price: 150 }));
    await r.event("order", (e) => e.order.client_order_id === "hv2-4" && e.event === "ack");
    const mark = r.events.length;
    await r.tws.stop();
    await r.event("connection", (e) => e.status === "disconnected", mark);
    const retry = await r.event("error", (e) => e.code === "reconnect", mark);
    expect(retry.message).toMatch(/attempt 1 failed.*\(IB 502\)/);
    r.tws.confirmCancel("hv2-3"); // canceled in TWS while we were away
    await r.tws.listen();
    await r.event("connection", (e) => e.status === "reconnected", mark);
    expect(r.trail("hv2-3")).toEqual(["ack:WORKING", "canceled:CANCELED"]);
    expect((await r.broker.openOrders()).map((o) => o.client_order_id)).toEqual(["hv2-4"]);
    r.tws.fill("hv2-4", { qty: 100 });
    await r.event("order", (e) => e.order.client_order_id === "hv2-4" && e.event === "fill");
  });

  test("1100 / 1102 / 1101: link down and back, market data resubscribed after 1101", async () => {
    r = await rig();
    await r.broker.subscribeBars!(["AAPL"], () => {});
    await r.tws.waitFor(() => r.tws.requests("reqRealTimeBars").length === 1, "bars");
    const mark = r.events.length;
    r.tws.linkLost();
    const lost = await r.event("connection", (e) => e.status === "disconnected", mark);
    expect(lost.detail).toContain("(IB 1100)");
    expect(r.broker.health().connected).toBe(false);
    await r.broker.submit(req("hv2-5"));
    expect((await r.event("order", undefined, mark)).reason).toMatch(
      /no connection to IB \(1100\)/,
    );
    r.tws.linkRestored(false);
    const ok = await r.event("connection", (e) => e.status === "reconnected", mark);
    expect(ok.detail).toContain("(IB 1102)");
    expect(r.broker.health().connected).toBe(true);
    r.tws.linkRestored(true);
    await r.tws.waitFor(() => r.tws.requests("reqRealTimeBars").length === 2, "resubscribed");
  });

  test("notices and errors become events: a broken farm, unknown codes", async () => {
    r = await rig();
    r.tws.notice(2103, "Market data farm connection is broken:usfarm");
    const broken = await r.event("error", (e) => e.code === "2103");
    expect(broken.message).toBe("Market data farm connection is broken:usfarm (IB 2103)");
    r.tws.notice(10225, "Bust event occurred, current subscription is deactivated.");
    await r.event("error", (e) => e.code === "10225");
  });

  test("the market data client id is its own; a second broker re-attaches to the same TWS", async () => {
    r = await rig();
    await r.broker.subscribeBars!(["MSFT"], () => {});
    expect(r.tws.clientIds().sort()).toEqual([7, 8]);
    const again = await attach(r.tws, r.clock, { uri: `127.0.0.1:${r.tws.port}:9` });
    expect(r.tws.clientIds().sort()).toEqual([7, 8, 9]);
    await again.broker.disconnect();
  });
});
