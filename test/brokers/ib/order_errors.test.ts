/**
 * Orders TWS answers the way a real TWS does, beyond the happy path (issue 15, cases 8, 10, 11):
 * an error TWS never follows with a status, an order TWS stops knowing, Inactive (not final), and
 * modifications TWS refuses (104, 105) or confirms.
 */
import { afterEach, describe, expect, test } from "vitest";
import { req, type Rig, rig } from "./helpers.ts";

let r: Rig;
afterEach(async () => await r?.close());

const errorsOf = (code: string) =>
  r.events.filter((e) => e.type === "error" && e.code === code).map((e) =>
    e.type === "error" ? e.message : ""
  );

describe("order errors TWS follows with no status (case 8)", () => {
  test("10311 and silence: TWS is asked, does not know the order, REJECTED with the error", async () => {
    r = await rig();
    r.tws.onPlace = () => ({
      error: 10311,
      text: "This order will be directly routed to NASDAQ. Direct routed orders may result in " +
        "higher trade fees. Restriction is specified in Precautionary Settings of Global " +
        "Configuration/API.",
    });
    await r.broker.submit(req("hv8-1", { limit_price: 150 }));
    const rejected = await r.event("order", (e) => e.event === "rejected");
    expect(rejected.reason).toMatch(/directly routed to NASDAQ.*\(IB 10311\)/);
    expect(r.trail("hv8-1")).toEqual(["rejected:REJECTED"]);
    expect(errorsOf("10311")).toHaveLength(1);
    // The verdict came from TWS's answer, not from the adapter's book.
    expect(r.tws.requests("reqAllOpenOrders").length).toBeGreaterThanOrEqual(1);
    expect(await r.broker.order("hv8-1")).toMatchObject({ state: "REJECTED" });
  });

  test("order() asks TWS: a working order TWS no longer has is not reported WORKING", async () => {
    r = await rig();
    await r.broker.submit(req("hv8-2", { limit_price: 150 }));
    await r.event("order", (e) => e.event === "ack");
    const o = r.tws.book.find("hv8-2")!;
    r.tws.book.complete(o, "Cancelled", "Cancelled by Trader"); // TWS says nothing about it
    const seen = await r.broker.order("hv8-2");
    expect(seen?.state).toBe("CANCELED");
    expect(r.trail("hv8-2")).toEqual(["ack:WORKING", "canceled:CANCELED"]);
  });

  test("an order TWS never received (no error, no status) is unknown: null", async () => {
    r = await rig();
    r.tws.onPlace = () => ({ error: 10311, text: "direct routing" });
    await r.broker.submit(req("hv8-3", { limit_price: 150 }));
    await r.event("order", (e) => e.event === "rejected");
    expect(await r.broker.order("hv8-unknown")).toBe(null);
  });

  test("an error about a live order: TWS is asked, still lists it, nothing changes", async () => {
    r = await rig();
    await r.broker.submit(req("hv8-4", { limit_price: 150 }));
    await r.event("order", (e) => e.event === "ack");
    const id = r.tws.book.find("hv8-4")!.orderId;
    const asked = r.tws.requests("reqAllOpenOrders").length;
    r.tws.notice(10200, "an order error about a live order", id); // and no status after it
    await r.event("error", (e) => e.code === "10200");
    await r.tws.waitFor(() => r.tws.requests("reqAllOpenOrders").length > asked, "the question");
    // order() asks again; its answer comes after the one to the question above.
    expect(await r.broker.order("hv8-4")).toMatchObject({ state: "WORKING" });
    expect(r.trail("hv8-4")).toEqual(["ack:WORKING"]);
  });
});

test("an order from an earlier day TWS no longer reports is unknown, not CANCELED", async () => {
  r = await rig();
  await r.broker.submit(req("hv8-5", { limit_price: 150, time_in_force: "gtc" }));
  await r.event("order", (e) => e.event === "ack");
  r.tws.book.orders.splice(0); // finished on that day; its reports lost, and TWS keeps today's only
  r.clock.t += 24 * 3600_000;
  expect(await r.broker.order("hv8-5")).toBe(null); // left to the restart's reconciliation
  expect(r.trail("hv8-5")).toEqual(["ack:WORKING"]);
});

describe("Inactive is not final (case 10)", () => {
  test("a short-sale locate hold: reported, then Submitted again and filled", async () => {
    r = await rig();
    r.tws.onPlace = () => ({ inactive: "locate" });
    await r.broker.submit(req("hv10-1", { amount: -100, limit_price: 190 }));
    const held = await r.event("error", (e) => e.code === "inactive");
    expect(held.message).toMatch(/hv10-1 is inactive at IB \(not final.*locate/);
    expect(r.trail("hv10-1")).toEqual(["ack:WORKING"]);
    expect(await r.broker.order("hv10-1")).toMatchObject({ state: "WORKING" });
    r.tws.setStatus("hv10-1", "Submitted"); // the shares were located
    r.tws.fill("hv10-1");
    await r.event("order", (e) => e.event === "fill");
    expect(r.trail("hv10-1")).toEqual(["ack:WORKING", "fill:FILLED"]);
  });
});

describe("modifications (case 11)", () => {
  test("105 refuses the modification only: the order stands, its amounts unchanged", async () => {
    r = await rig();
    await r.broker.submit(req("hv11-1", { limit_price: 150 }));
    await r.event("order", (e) => e.event === "ack");
    // A stop added to a limit order changes its type (LMT → STP LMT): TWS refuses with 105.
    await r.broker.replace!("hv11-1", { stop_price: 149, limit_price: 151 });
    const refused = await r.event("error", (e) => e.code === "replace_rejected");
    expect(refused.message).toMatch(/does not match original order.*\(IB 105\)/);
    expect(r.trail("hv11-1")).toEqual(["ack:WORKING"]);
    expect(await r.broker.order("hv11-1")).toMatchObject({
      state: "WORKING",
      limit_price: 150,
      stop_price: null,
    });
    // A modification TWS accepts changes the amounts once TWS confirms it.
    await r.broker.replace!("hv11-1", { limit_price: 152, amount: 60 });
    await r.tws.waitFor(() => r.tws.book.find("hv11-1")?.lmtPrice === 152, "the modify");
    // order() asks TWS for its open orders: answered after the modification's confirmation.
    expect(await r.broker.order("hv11-1")).toMatchObject({ amount: 60, limit_price: 152 });
  });

  test("104 (already filled at TWS): the order is not REJECTED; its fill books it FILLED", async () => {
    r = await rig();
    await r.broker.submit(req("hv11-2", { limit_price: 150 }));
    await r.event("order", (e) => e.event === "ack");
    const e = r.tws.fill("hv11-2", { report: false }); // filled; the reports are on their way
    await r.broker.replace!("hv11-2", { limit_price: 151 });
    const refused = await r.event("error", (x) => x.code === "replace_rejected");
    expect(refused.message).toMatch(/filled order.*\(IB 104\)/);
    r.tws.report(e);
    await r.event("order", (x) => x.event === "fill");
    expect(r.trail("hv11-2")).toEqual(["ack:WORKING", "fill:FILLED"]);
    expect(await r.broker.order("hv11-2")).toMatchObject({ amount: 100, limit_price: 150 });
  });
});
