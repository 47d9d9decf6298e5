/**
 * The fake TWS against the real `@stoqey/ib` client, unmodified: every message the fake sends must
 * decode without an underrun or leftover field, and every request the client sends must parse.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { Contract, EventName, IBApi, OrderAction, OrderType, SecType } from "@stoqey/ib";
import { FAKE_TWS_SERVER_VERSION, FakeTws } from "../../fakes/fake_tws.ts";

let tws: FakeTws;
let api: IBApi;
let problems: string[];

function client(clientId: number): IBApi {
  const ib = new IBApi({ host: "127.0.0.1", port: tws.port, clientId, maxReqPerSec: 200 });
  ib.on(EventName.error, (err: Error, code: number) => {
    if (code === 505 || /decod|underrun|parser/i.test(err.message)) problems.push(err.message);
  });
  return ib;
}

function once<T extends unknown[]>(ib: IBApi, event: EventName): Promise<T> {
  return new Promise((resolve) => ib.once(event, (...args: unknown[]) => resolve(args as T)));
}

async function connected(ib: IBApi, clientId: number): Promise<number> {
  const next = once<[number]>(ib, EventName.nextValidId);
  ib.connect(clientId);
  return (await next)[0];
}

beforeEach(async () => {
  problems = [];
  tws = await FakeTws.start({ now: () => Date.UTC(2024, 2, 4, 15, 0, 0) });
  tws.book.addStock("AAPL", 265598);
  api = client(7);
});

afterEach(async () => {
  api.disconnect();
  await tws.stop();
});

const aapl: Contract = { symbol: "AAPL", secType: SecType.STK, exchange: "SMART", currency: "USD" };

describe("fake TWS speaks the protocol @stoqey/ib decodes", () => {
  test("handshake: server version, managed accounts, next id, farm notices", async () => {
    const server = once<[number, string]>(api, EventName.server);
    const accounts = once<[string]>(api, EventName.managedAccounts);
    const notices: number[] = [];
    api.on(EventName.info, (_m: string, code: number) => notices.push(code));
    const next = await connected(api, 7);
    expect((await server)[0]).toBe(FAKE_TWS_SERVER_VERSION);
    expect((await accounts)[0]).toBe("DU1234567");
    expect(next).toBe(1);
    await tws.waitFor(() => notices.length === 3, "farm notices");
    expect(notices).toEqual([2104, 2106, 2158]);
    expect(api.serverVersion).toBe(176);
    expect(tws.clientIds()).toEqual([7]);
  });

  test("contract details, orders, executions, commissions, open and completed orders", async () => {
    await connected(api, 7);
    const details = once<[number, { contract: Contract }]>(api, EventName.contractDetails);
    api.reqContractDetails(11, aapl);
    const [reqId, d] = await details;
    expect(reqId).toBe(11);
    expect(d.contract.conId).toBe(265598);

    const statuses: string[] = [];
    api.on(EventName.orderStatus, (_id: number, status: string) => statuses.push(status));
    const opened = once<[number, Contract, { orderRef: string; lmtPrice: number }]>(
      api,
      EventName.openOrder,
    );
    api.placeOrder(1, { conId: 265598, exchange: "SMART" }, {
      action: OrderAction.BUY,
      totalQuantity: 10,
      orderType: OrderType.LMT,
      lmtPrice: 101.5,
      tif: "DAY",
      orderRef: "hvabc-1",
      transmit: true,
    });
    const [, , order] = await opened;
    expect(order.orderRef).toBe("hvabc-1");
    expect(order.lmtPrice).toBe(101.5);
    await tws.waitFor(() => statuses.includes("Submitted"), "Submitted");

    const exec = once<[number, Contract, { execId: string; shares: number; orderRef: string }]>(
      api,
      EventName.execDetails,
    );
    const commission = once<[{ execId: string; commission: number }]>(
      api,
      EventName.commissionReport,
    );
    const e = tws.fill("hvabc-1", { qty: 4, price: 101 });
    const [execReq, , x] = await exec;
    expect([execReq, x.execId, x.shares, x.orderRef]).toEqual([-1, e.execId, 4, "hvabc-1"]);
    expect((await commission)[0]).toMatchObject({ execId: e.execId, commission: 1 });

    const ends = once<[]>(api, EventName.openOrderEnd);
    const listed: number[] = [];
    api.on(EventName.openOrder, (id: number) => listed.push(id));
    api.reqAllOpenOrders();
    await ends;
    expect(listed).toEqual([1]);

    api.cancelOrder(1);
    await tws.waitFor(() => statuses.includes("Cancelled"), "Cancelled");
    const completed = once<[Contract, { orderRef: string }, { status: string }]>(
      api,
      EventName.completedOrder,
    );
    api.reqCompletedOrders(false);
    const [, co, st] = await completed;
    expect([co.orderRef, st.status]).toEqual(["hvabc-1", "Cancelled"]);

    const execEnd = once<[number]>(api, EventName.execDetailsEnd);
    api.reqExecutions(12, {});
    expect((await execEnd)[0]).toBe(12);
    expect(problems).toEqual([]);
  });

  test("positions, account summary, current time, bars and ticks", async () => {
    await connected(api, 7);
    tws.book.setPosition("DU1234567", tws.book.stocks[0], 50, 99);
    const pos = once<[string, Contract, number, number]>(api, EventName.position);
    api.reqPositions();
    const [acct, k, amount, cost] = await pos;
    expect([acct, k.symbol, amount, cost]).toEqual(["DU1234567", "AAPL", 50, 99]);

    const tags: string[] = [];
    api.on(EventName.accountSummary, (_r: number, _a: string, tag: string) => tags.push(tag));
    const end = once<[number]>(api, EventName.accountSummaryEnd);
    api.reqAccountSummary(5, "All", "NetLiquidation,TotalCashValue,BuyingPower");
    await end;
    expect(tags).toEqual(["NetLiquidation", "TotalCashValue", "BuyingPower"]);

    const time = once<[number]>(api, EventName.currentTime);
    api.reqCurrentTime();
    expect((await time)[0]).toBe(Date.UTC(2024, 2, 4, 15, 0, 0) / 1000);

    const bar = once<number[]>(api, EventName.realtimeBar);
    api.reqRealTimeBars(20, { conId: 265598, exchange: "SMART" }, 5, "TRADES" as never, false);
    await tws.waitFor(() => tws.requests("reqRealTimeBars").length, "reqRealTimeBars");
    tws.pushBar("AAPL", { time: 1709564400, open: 1, high: 2, low: 0.5, close: 1.5, volume: 300 });
    expect((await bar).slice(0, 6)).toEqual([20, 1709564400, 1, 2, 0.5, 1.5]);

    const rt = once<[number, number, string]>(api, EventName.tickString);
    api.reqMktData(21, { conId: 265598, exchange: "SMART" }, "233", false, false);
    await tws.waitFor(() => tws.requests("reqMktData").length, "reqMktData");
    tws.trade("AAPL", 10.5, 3, 1709564401000);
    expect((await rt)[2]).toBe("10.5;3;1709564401000;3;10.5;true");
    expect(problems).toEqual([]);
  });

  test("a second connection with a used client id is refused with 326", async () => {
    await connected(api, 7);
    const other = client(8);
    const refused = new Promise<number>((resolve) =>
      other.on(EventName.info, (_m: string, code: number) => code === 326 && resolve(code))
    );
    other.connect(7);
    expect(await refused).toBe(326);
    other.disconnect();
  });

  test("dropped connections and a restart: the client sees the disconnect and reconnects", async () => {
    await connected(api, 7);
    const gone = once<[]>(api, EventName.disconnected);
    await tws.stop();
    await gone;
    // A refused connection reports 502, then its socket closes (wait for both before retrying).
    const failed = once<[Error, number]>(api, EventName.error);
    const closed = once<[]>(api, EventName.disconnected);
    api.connect(7);
    expect((await failed)[1]).toBe(502);
    await closed;
    await tws.listen();
    expect(await connected(api, 7)).toBe(1);
  });
});
