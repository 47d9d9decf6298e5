/**
 * Orders through the IB adapter against the fake TWS: fills with commissions, partial fills with
 * late and missing commissions, rejections, order types, cancels and the fill/cancel race, and
 * every IB order status mapped onto the order state machine.
 */
import { afterEach, describe, expect, test } from "vitest";
import { req, type Rig, rig } from "./helpers.ts";

let r: Rig;
afterEach(async () => await r?.close());

describe("IB orders", () => {
  test("a market order: acknowledged, filled, one fill with its commission", async () => {
    r = await rig();
    await r.broker.submit(req("hv1-1"));
    const placed = await r.tws.waitFor(() => r.tws.requests("placeOrder")[0], "placeOrder");
    expect(placed).toMatchObject({
      action: "BUY",
      quantity: 100,
      orderType: "MKT",
      tif: "DAY",
      orderRef: "hv1-1",
      transmit: true,
      account: "DU1234567",
    });
    expect(placed.contract.conId).toBe(265598);
    await r.event("order", (e) => e.event === "ack");
    const e = r.tws.fill("hv1-1", { price: 190.25 });
    const fill = await r.event("fill");
    expect(fill.fill).toEqual({
      client_order_id: "hv1-1",
      broker_order_id: String(placed.orderId),
      exec_id: e.execId,
      symbol: "AAPL",
      amount: 100,
      price: 190.25,
      commission: 1,
      time: r.clock.t,
    });
    await r.event("order", (x) => x.event === "fill");
    expect(r.trail("hv1-1")).toEqual(["ack:WORKING", "fill:FILLED"]);
    expect(await r.broker.order("hv1-1")).toMatchObject({
      state: "FILLED",
      filled: 100,
      avg_fill_price: 190.25,
    });
  });

  test("partial fills; a late commission completes its fill; a missing one times out", async () => {
    r = await rig();
    await r.broker.submit(req("hv1-2", { amount: -100, limit_price: 191 }));
    await r.event("order", (e) => e.event === "ack");
    const first = r.tws.fill("hv1-2", { qty: 40, commission: "later" });
    // A round trip to TWS (answered after the execution, read in order): the adapter has seen it.
    await r.broker.openOrders();
    expect(r.events.filter((e) => e.type === "fill")).toEqual([]); // not final without commission
    r.tws.reportCommission(first.execId, 1.25);
    const f1 = await r.event("fill");
    expect(f1.fill).toMatchObject({ amount: -40, price: 191, commission: 1.25 });
    await r.event("order", (e) => e.event === "partial_fill");

    const second = r.tws.fill("hv1-2", { qty: 60, price: 191.5, commission: "later" });
    const f2 = await r.event("fill", (e) => e.fill.exec_id === second.execId);
    expect(f2.fill).toMatchObject({ amount: -60, commission: 0 }); // booked after the timeout
    await r.event("error", (e) => e.code === "commission_timeout");
    r.tws.reportCommission(second.execId, 0.8);
    const late = await r.event("error", (e) => e.code === "late_commission");
    expect(late.message).toContain("0.8");
    expect(r.trail("hv1-2")).toEqual([
      "ack:WORKING",
      "partial_fill:PARTIALLY_FILLED",
      "fill:FILLED",
    ]);
    expect(await r.broker.order("hv1-2")).toMatchObject({
      filled: -100,
      avg_fill_price: (40 * 191 + 60 * 191.5) / 100,
    });
  });

  test("a rejection: 201 becomes REJECTED with IB's reason; later statuses change nothing", async () => {
    r = await rig();
    r.tws.onPlace = () => ({ reject: "YOUR ORDER IS NOT ACCEPTED. INSUFFICIENT EQUITY" });
    await r.broker.submit(req("hv1-3"));
    const e = await r.event("order", (x) => x.event === "rejected");
    expect(e.reason).toBe("YOUR ORDER IS NOT ACCEPTED. INSUFFICIENT EQUITY (IB 201)");
    await r.tws.waitFor(() => r.tws.book.find("hv1-3")?.status === "Cancelled", "Cancelled");
    await new Promise((ok) => setTimeout(ok, 50));
    expect(r.trail("hv1-3")).toEqual(["rejected:REJECTED"]);
  });

  test("requests that cannot be sent are rejected at once, with the reason", async () => {
    r = await rig();
    await r.broker.submit(req("hv1-4", { symbol: "NOPE" }));
    const unknown = await r.event("order", (x) => x.order.client_order_id === "hv1-4");
    expect(unknown.event).toBe("rejected");
    expect(unknown.reason).toMatch(/NOPE: IB knows no STK "NOPE" in USD/);
    await r.broker.submit(req("hv1-5", { amount: 1.5 }));
    const bad = await r.event("order", (x) => x.order.client_order_id === "hv1-5");
    expect(bad.reason).toMatch(/whole number of shares/);
    expect(r.tws.requests("placeOrder")).toEqual([]);
  });

  test("order types and time in force: LMT, STP, STP LMT, GTC", async () => {
    r = await rig();
    await r.broker.submit(req("hv1-6", { limit_price: 180, time_in_force: "gtc" }));
    await r.broker.submit(req("hv1-7", { amount: -10, stop_price: 170 }));
    await r.broker.submit(req("hv1-8", { amount: -10, stop_price: 170, limit_price: 169.5 }));
    const placed = await r.tws.waitFor(
      () => r.tws.requests("placeOrder").length === 3 && r.tws.requests("placeOrder"),
      "three orders",
    );
    expect(placed.map((p) => [p.orderType, p.lmtPrice, p.auxPrice, p.tif, p.action])).toEqual([
      ["LMT", 180, null, "GTC", "BUY"],
      ["STP", null, 170, "DAY", "SELL"],
      ["STP LMT", 169.5, 170, "DAY", "SELL"],
    ]);
    await r.event("order", (e) => e.order.client_order_id === "hv1-8" && e.event === "ack");
    expect(await r.broker.openOrders()).toHaveLength(3);
    const stp = (await r.broker.order("hv1-8"))!;
    expect([stp.limit_price, stp.stop_price, stp.state]).toEqual([169.5, 170, "WORKING"]);
  });

  test("cancel: PendingCancel then Cancelled and 202; a fill racing the cancel is booked", async () => {
    r = await rig();
    await r.broker.submit(req("hv1-9", { limit_price: 150 }));
    await r.event("order", (e) => e.event === "ack");
    await r.broker.cancel("hv1-9");
    const c = await r.event("order", (e) => e.event === "canceled");
    expect(c.order.state).toBe("CANCELED");
    expect(r.trail("hv1-9")).toEqual(["ack:WORKING", "canceled:CANCELED"]);

    r.tws.holdCancels = true;
    await r.broker.submit(req("hv1-10", { limit_price: 150 }));
    await r.event("order", (e) => e.order.client_order_id === "hv1-10" && e.event === "ack");
    await r.broker.cancel("hv1-10");
    await r.tws.waitFor(() => r.tws.book.find("hv1-10")?.status === "PendingCancel", "pending");
    r.tws.fill("hv1-10", { qty: 30 });
    await r.event(
      "order",
      (e) => e.order.client_order_id === "hv1-10" && e.event === "partial_fill",
    );
    r.tws.confirmCancel("hv1-10");
    await r.event("order", (e) => e.order.client_order_id === "hv1-10" && e.event === "canceled");
    expect(r.trail("hv1-10")).toEqual([
      "ack:WORKING",
      "partial_fill:PENDING_CANCEL",
      "canceled:CANCELED",
    ]);
  });

  test("a cancel TWS refuses (161) puts the order back to working", async () => {
    r = await rig();
    r.tws.holdCancels = true;
    await r.broker.submit(req("hv1-11", { limit_price: 150 }));
    await r.event("order", (e) => e.event === "ack");
    await r.broker.cancel("hv1-11");
    const id = r.tws.book.find("hv1-11")!.orderId;
    await r.tws.waitFor(() => r.tws.book.find("hv1-11")?.status === "PendingCancel", "pending");
    r.tws.notice(161, "Cancel attempted when order is not in a cancellable state.", id);
    const e = await r.event("order", (x) => x.event === "cancel_reject");
    expect(e.order.state).toBe("WORKING");
    expect(e.reason).toContain("(IB 161)");
  });

  test("every IB status maps onto the order state machine", async () => {
    r = await rig();
    await r.broker.submit(req("hv1-12", { limit_price: 150 }));
    await r.event("order", (e) => e.event === "ack");
    for (const s of ["PendingSubmit", "ApiPending", "PreSubmitted", "Submitted"]) {
      r.tws.setStatus("hv1-12", s);
    }
    r.tws.setStatus("hv1-12", "PendingCancel");
    await r.event("order", (e) => e.event === "cancel_request");
    r.tws.setStatus("hv1-12", "Cancelled");
    await r.event("order", (e) => e.event === "canceled");
    expect(r.trail("hv1-12")).toEqual([
      "ack:WORKING",
      "cancel_request:PENDING_CANCEL",
      "canceled:CANCELED",
    ]);

    await r.broker.submit(req("hv1-14", { limit_price: 150 }));
    await r.event("order", (e) => e.order.client_order_id === "hv1-14" && e.event === "ack");
    r.tws.setStatus("hv1-14", "ApiCancelled");
    await r.event("order", (e) => e.order.client_order_id === "hv1-14" && e.event === "canceled");
  });

  test("replace: the same order id placed again with new prices and quantity", async () => {
    r = await rig();
    await r.broker.submit(req("hv1-15", { limit_price: 150 }));
    await r.event("order", (e) => e.event === "ack");
    await r.broker.replace!("hv1-15", { limit_price: 151.5, amount: 80 });
    await r.tws.waitFor(() => r.tws.book.find("hv1-15")?.lmtPrice === 151.5, "modified");
    const [first, second] = r.tws.requests("placeOrder");
    expect(second.orderId).toBe(first.orderId);
    expect([second.quantity, second.lmtPrice, second.orderRef]).toEqual([80, 151.5, "hv1-15"]);
    expect(await r.broker.order("hv1-15")).toMatchObject({ amount: 80, limit_price: 151.5 });
    expect(r.tws.book.orders).toHaveLength(1);
  });
});
