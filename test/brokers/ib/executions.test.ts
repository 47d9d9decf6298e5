/**
 * Executions as TWS reports them (issue 15, case 11): a commission that comes after its fill was
 * booked is booked too; reqExecutions answers for the current day only, and the adapter says so;
 * executions of orders other clients placed (TWS reports them to the placing client only) reach a
 * running session through the periodic check, each once.
 */
import { afterEach, describe, expect, test } from "vitest";
import type { BrokerFill } from "../../../runtime/brokers/broker.ts";
import { req, type Rig, rig } from "./helpers.ts";

let r: Rig;
afterEach(async () => await r?.close());

const fills = (): BrokerFill[] => r.events.flatMap((e) => (e.type === "fill" ? [e.fill] : []));

describe("IB executions", () => {
  test("a commission after the wait: booked on its own, as a fill of no shares", async () => {
    r = await rig();
    await r.broker.submit(req("hv11-1", { amount: 10 }));
    await r.event("order", (e) => e.event === "ack");
    const e = r.tws.fill("hv11-1", { price: 190, commission: "later" });
    await r.event("error", (x) => x.code === "commission_timeout");
    r.tws.reportCommission(e.execId, 1.37);
    await r.event("error", (x) => x.code === "late_commission");
    expect(fills().map((f) => [f.exec_id, f.amount, f.price, f.commission])).toEqual([
      [e.execId, 10, 190, 0],
      [`${e.execId}~commission`, 0, 190, 1.37],
    ]);
    expect(fills()[1].client_order_id).toBe("hv11-1");
    expect(r.trail("hv11-1")).toEqual(["ack:WORKING", "fill:FILLED"]); // no order event for it
  });

  test("reqExecutions covers today only: asked for yesterday, the adapter says so", async () => {
    r = await rig();
    await r.broker.submit(req("hv11-2", { amount: 10 }));
    await r.event("order", (e) => e.event === "ack");
    r.tws.fill("hv11-2", { price: 190 });
    await r.event("fill");
    const yesterday = r.clock.t;
    r.clock.t += 24 * 3600_000; // the next day, 10:00 New York
    await r.broker.submit(req("hv11-3", { amount: 5 }));
    await r.event("order", (e) => e.order.client_order_id === "hv11-3" && e.event === "ack");
    const today = r.tws.fill("hv11-3", { price: 191 });
    const got = await r.broker.executions(yesterday - 60_000);
    expect(got.map((f) => f.exec_id)).toEqual([today.execId]);
    const gap = await r.event("error", (e) => e.code === "executions_unavailable");
    expect(gap.message).toMatch(/executions before 20240305-05:00:00 UTC are not available/);
  });

  test("an order placed in TWS by hand fills: the fill reaches the session live, once", async () => {
    r = await rig({ broker: { executionsPollMs: 100 } });
    await r.broker.submit(req("hv11-4", { amount: 10 }));
    await r.event("order", (e) => e.event === "ack");
    const own = r.tws.fill("hv11-4", { price: 190 });
    const manual = r.tws.placeExternal({ symbol: "MSFT", amount: -7, lmtPrice: 410 });
    const theirs = r.tws.fill(manual.permId, { price: 410 }); // reported to client 0 only
    const f = await r.event("fill", (e) => e.fill.exec_id === theirs.execId);
    expect(f.fill).toMatchObject({
      client_order_id: `ib-perm-${manual.permId}`,
      symbol: "MSFT",
      amount: -7,
      price: 410,
      commission: 1,
    });
    expect(r.tws.requests("reqExecutions").length).toBeGreaterThanOrEqual(1);
    const before = r.tws.requests("reqExecutions").length;
    await r.tws.waitFor(() => r.tws.requests("reqExecutions").length > before + 1, "two checks");
    expect(fills().map((x) => x.exec_id).sort()).toEqual([own.execId, theirs.execId].sort());
  });
});
