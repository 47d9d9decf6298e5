/**
 * Restarts through the IB adapter: a new process re-attaches its open orders by orderRef, finds
 * the day's executions and finished orders, adopts orders placed outside Harvester as external;
 * and the order manager (with its journal on disk) trading through IB: fills with commissions,
 * partial fills, a rejection, and a restart whose reconciliation re-attaches and adopts.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { Asset } from "../../../runtime/assets/asset.ts";
import { Ledger } from "../../../runtime/finance/ledger.ts";
import { Journal } from "../../../runtime/live/journal.ts";
import { ClientOrderIds } from "../../../runtime/orders/ids.ts";
import { OrderManager } from "../../../runtime/orders/manager.ts";
import { reconcile } from "../../../runtime/orders/reconcile.ts";
import { RiskGate } from "../../../runtime/orders/risk.ts";
import type { Broker } from "../../../runtime/brokers/broker.ts";
import { attach, req, type Rig, rig } from "./helpers.ts";

let r: Rig;
const extra: Rig[] = [];
afterEach(async () => {
  for (const x of extra.splice(0)) await x.broker.disconnect();
  await r?.close();
});

const ASSETS = new Map([
  ["AAPL", new Asset(1, "AAPL", "Apple", "NASDAQ", 0, Infinity, Infinity)],
  ["MSFT", new Asset(2, "MSFT", "Microsoft", "NASDAQ", 0, Infinity, Infinity)],
]);

function manager(broker: Broker, dir: string, tag = "aaaa0001", next = 1) {
  const journal = new Journal(join(dir, "journal.jsonl"), () => r.clock.t);
  const ledger = new Ledger(1_000_000, Date.UTC(2024, 2, 4));
  const m = new OrderManager({
    broker,
    audit: journal,
    risk: new RiskGate(),
    ids: new ClientOrderIds(tag, next),
    ledger,
    assetOf: (s) => ASSETS.get(s),
    priceOf: () => 190,
    now: () => r.clock.t,
    warn: () => {},
  });
  return { m, journal, ledger };
}

describe("IB restarts", () => {
  test("a new process re-attaches open orders by orderRef, finds fills and finished orders", async () => {
    r = await rig();
    await r.broker.submit(req("hvaaaa0001-1", { limit_price: 150 }));
    await r.broker.submit(req("hvaaaa0001-2", { amount: 10 }));
    await r.event("order", (e) => e.order.client_order_id === "hvaaaa0001-2" && e.event === "ack");
    const e1 = r.tws.fill("hvaaaa0001-1", { qty: 40, price: 150 });
    const e2 = r.tws.fill("hvaaaa0001-2", { price: 191 });
    await r.event("order", (e) => e.order.client_order_id === "hvaaaa0001-2" && e.event === "fill");
    await r.broker.disconnect(); // the process ends

    const again = await attach(r.tws, r.clock);
    extra.push(again);
    const fills = await again.broker.executions(r.clock.t - 3_600_000);
    expect(fills.map((f) => [f.client_order_id, f.exec_id, f.amount, f.commission])).toEqual([
      ["hvaaaa0001-1", e1.execId, 40, 1],
      ["hvaaaa0001-2", e2.execId, 10, 1],
    ]);
    const open = await again.broker.openOrders();
    expect(open).toEqual([{
      client_order_id: "hvaaaa0001-1",
      broker_order_id: String(r.tws.book.find("hvaaaa0001-1")!.orderId),
      symbol: "AAPL",
      amount: 100,
      filled: 40,
      avg_fill_price: 150,
      state: "PARTIALLY_FILLED",
      limit_price: 150,
      stop_price: null,
      submitted_at: r.clock.t,
    }]);
    expect(await again.broker.order("hvaaaa0001-2")).toMatchObject({ state: "FILLED", filled: 10 });
    expect(await again.broker.order("hvaaaa0001-9")).toBeNull();
    // The re-attached order keeps working: its fills and its cancel go through the new process.
    r.tws.fill("hvaaaa0001-1", { qty: 60, price: 150 });
    await again.event("order", (e) => e.event === "fill");
    expect(again.trail("hvaaaa0001-1")).toEqual(["fill:FILLED"]);
    expect(again.events.filter((e) => e.type === "fill")).toHaveLength(1);
  });

  test("orders placed outside Harvester are listed (and adopted as external)", async () => {
    r = await rig();
    const manual = r.tws.placeExternal({ symbol: "MSFT", amount: -5, lmtPrice: 420 });
    r.tws.placeExternal({ symbol: "AAPL", amount: 3, lmtPrice: 100, orderRef: "other-bot-7" });
    const open = await r.broker.openOrders();
    expect(open.map((o) => [o.client_order_id, o.symbol, o.amount, o.limit_price, o.state]))
      .toEqual([
        [`ib-perm-${manual.permId}`, "MSFT", -5, 420, "WORKING"],
        ["other-bot-7", "AAPL", 3, 100, "WORKING"],
      ]);
    const plan = reconcile({
      local: [],
      brokerOpen: open,
      lookups: new Map(),
      localPositions: new Map(),
      brokerPositions: await r.broker.positions(),
      ours: (id) => id.startsWith("hvaaaa0001-"),
    });
    expect(plan.adopt.map((o) => o.client_order_id)).toEqual([
      `ib-perm-${manual.permId}`,
      "other-bot-7",
    ]);
    await r.broker.cancel(`ib-perm-${manual.permId}`);
    const e = await r.event("order", (x) => x.event === "cancel_reject");
    expect(e.reason).toMatch(/another client/);
  });

  test("the order manager trades through IB; a restart resolves, books and adopts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hv-ib-"));
    r = await rig();
    const one = manager(r.broker, dir);
    const aapl = ASSETS.get("AAPL")!;
    const a = await one.m.place(aapl, 100, null, null);
    const b = await one.m.place(aapl, 50, 185, null);
    r.tws.onPlace = (o) =>
      o.stock.symbol === "MSFT" ? { reject: "NO TRADING PERMISSIONS" } : "rest";
    const c = await one.m.place(ASSETS.get("MSFT")!, 5, null, null);
    await r.event("order", (e) => e.order.client_order_id === c && e.event === "rejected");
    await r.event("order", (e) => e.order.client_order_id === b && e.event === "ack");
    r.tws.fill(a!, { price: 190 });
    const late = r.tws.fill(b!, { qty: 20, price: 185, commission: "later" });
    await r.event("fill", (e) => e.fill.client_order_id === a);
    r.tws.reportCommission(late.execId, 1.5);
    await r.event("order", (e) => e.order.client_order_id === b && e.event === "partial_fill");
    one.m.drain();
    expect([a, b, c].map((id) => one.m.orders.get(id!)!.state)).toEqual([
      "FILLED",
      "PARTIALLY_FILLED",
      "REJECTED",
    ]);
    expect(one.m.refused).toBe(0);
    expect(one.ledger.position(aapl)?.amount).toBe(120);
    expect(one.ledger.cash).toBeCloseTo(1_000_000 - 100 * 190 - 1 - 20 * 185 - 1.5, 6);
    const saved = one.m.snapshot();
    await r.broker.disconnect();
    one.journal.close();
    const lines = readFileSync(join(dir, "journal.jsonl"), "utf8").trim().split("\n")
      .map((l) => JSON.parse(l).type);
    expect(lines.filter((t) => t === "fill")).toHaveLength(2);
    expect(lines).toContain("order_submitted");

    // While we are away: the rest of b fills, and someone enters an order in TWS.
    r.tws.fill(b!, { qty: 30, price: 184 });
    r.tws.placeExternal({ symbol: "AAPL", amount: -1, lmtPrice: 250 });
    const again = await attach(r.tws, r.clock);
    extra.push(again);
    const two = manager(again.broker, dir, "aaaa0001", saved.ids.next);
    two.m.restore(saved);
    for (const fill of await again.broker.executions(r.clock.t - 60_000)) {
      two.m.ingest({ type: "fill", fill });
    }
    two.m.drain();
    const brokerOpen = await again.broker.openOrders();
    const lookups = new Map();
    for (const id of [a!, b!, c!]) {
      if (!brokerOpen.some((o) => o.client_order_id === id)) {
        lookups.set(id, await again.broker.order(id));
      }
    }
    const plan = reconcile({
      local: [...two.m.orders.values()].map((m) => ({
        client_order_id: m.client_order_id,
        state: m.state,
        symbol: m.symbol,
      })),
      brokerOpen,
      lookups,
      localPositions: new Map([["AAPL", 150]]),
      brokerPositions: await again.broker.positions(),
      ours: (id) => two.m.ids.owns(id),
    });
    expect(plan.resolved.map((o) => [o.client_order_id, o.state])).toEqual([[b, "FILLED"]]);
    expect(plan.adopt).toHaveLength(1);
    expect(plan.drift).toEqual([]);
    for (const o of plan.resolved) two.m.adopt(o, false);
    for (const o of plan.adopt) two.m.adopt(o, true);
    expect(two.m.orders.get(b!)!.filled).toBe(50);
    expect(two.ledger.position(aapl)?.amount).toBe(30); // the fresh ledger saw the missed fill
    two.journal.close();
  });
});
