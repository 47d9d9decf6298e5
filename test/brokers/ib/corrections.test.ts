/**
 * Execution corrections through the IB adapter against the fake TWS: TWS corrects an execution by
 * reporting its next revision (execId `….01` → `….02`, the IB API's convention for
 * `Execution.execId`), which replaces it. The adapter books a reversal of the revision it booked,
 * then the correction; older revisions arriving late are ignored; after a restart
 * `executions(since)` yields a chain that a ledger deduplicating by exec id nets to the latest.
 * The ledger and order manager end as if only the corrected execution had happened.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { Asset } from "../../../runtime/assets/asset.ts";
import type { Broker, BrokerEvent, BrokerFill } from "../../../runtime/brokers/broker.ts";
import { Ledger } from "../../../runtime/finance/ledger.ts";
import { Journal } from "../../../runtime/live/journal.ts";
import { ClientOrderIds } from "../../../runtime/orders/ids.ts";
import { OrderManager } from "../../../runtime/orders/manager.ts";
import { RiskGate } from "../../../runtime/orders/risk.ts";
import { attach, type Rig, rig } from "./helpers.ts";

let r: Rig;
const extra: Rig[] = [];
afterEach(async () => {
  for (const x of extra.splice(0)) await x.broker.disconnect();
  await r?.close();
});

const AAPL = new Asset(1, "AAPL", "Apple", "NASDAQ", 0, Infinity, Infinity);
const START = Date.UTC(2024, 2, 4);

function manager(broker: Broker, ledger = new Ledger(1_000_000, START), next = 1) {
  const dir = mkdtempSync(join(tmpdir(), "hv-ib-corr-"));
  const journal = new Journal(join(dir, "journal.jsonl"), () => r.clock.t);
  const m = new OrderManager({
    broker,
    audit: journal,
    risk: new RiskGate(),
    ids: new ClientOrderIds("cccc0001", next),
    ledger,
    assetOf: (s) => (s === "AAPL" ? AAPL : undefined),
    priceOf: () => 190,
    now: () => r.clock.t,
    warn: () => {},
  });
  return { m, ledger, journal };
}

/** The ledger of the corrected execution alone: position and cost basis. */
function alone(amount: number, price: number, commission: number) {
  const l = new Ledger(1_000_000, START);
  l.process_transaction({ asset: AAPL, amount, dt: r.clock.t, price, order_id: "x" });
  l.process_commission(AAPL, commission);
  const p = l.position(AAPL)!;
  return { amount: p.amount, cost_basis: p.cost_basis, cash: l.cash };
}

const fills = (events: BrokerEvent[]): BrokerFill[] =>
  events.flatMap((e) => (e.type === "fill" ? [e.fill] : []));
/**
 * Waits until the adapter has handled everything TWS sent so far: a request answered over the
 * same socket (TWS answers in order, the client reads in order) — a round trip, not a timer.
 */
const settle = (broker: { openOrders(): Promise<unknown> } = r.broker) => broker.openOrders();

describe("IB execution corrections", () => {
  test("a corrected price: the booked fill is reversed, then the correction booked", async () => {
    r = await rig();
    const { m, ledger, journal } = manager(r.broker);
    const coid = (await m.place(AAPL, 100, null, null))!;
    await r.event("order", (e) => e.event === "ack");
    const e1 = r.tws.fill(coid, { price: 190, commission: 1 });
    await r.event("fill");
    const e2 = r.tws.correct(e1.execId, { price: 190.5, commission: 1.2 });
    expect(e2.execId).toBe(e1.execId.replace(/\.01$/, ".02"));
    await r.event("fill", (e) => e.fill.exec_id === e2.execId);
    expect(fills(r.events).map((f) => [f.exec_id, f.amount, f.price, f.commission])).toEqual([
      [e1.execId, 100, 190, 1],
      [`${e1.execId}~reversed`, -100, 190, 0],
      [e2.execId, 100, 190.5, 1.2],
    ]);
    expect(fills(r.events).every((f) => f.client_order_id === coid)).toBe(true);
    expect(await r.broker.order(coid)).toMatchObject({ filled: 100, avg_fill_price: 190.5 });
    m.drain();
    const p = ledger.position(AAPL)!, ref = alone(100, 190.5, 1.2);
    expect(p.amount).toBe(ref.amount);
    expect(p.cost_basis).toBeCloseTo(ref.cost_basis, 9);
    // The superseded revision's commission stays paid (the reversal carries none).
    expect(ledger.cash).toBeCloseTo(ref.cash - 1, 6);
    const o = m.orders.get(coid)!;
    expect([o.filled, o.state]).toEqual([100, "FILLED"]);
    expect(o.avg_fill_price).toBeCloseTo(190.5, 9);
    journal.close();
  });

  test("a corrected share count: the order's filled amount follows the correction", async () => {
    r = await rig();
    const { m, ledger, journal } = manager(r.broker);
    const coid = (await m.place(AAPL, 100, null, null))!;
    await r.event("order", (e) => e.event === "ack");
    const e1 = r.tws.fill(coid, { price: 190, commission: 1 });
    await r.event("fill");
    const e2 = r.tws.correct(e1.execId, { qty: 60, commission: 1 });
    await r.event("fill", (e) => e.fill.exec_id === e2.execId);
    expect(fills(r.events).slice(1).map((f) => [f.exec_id, f.amount, f.price])).toEqual([
      [`${e1.execId}~reversed`, -100, 190],
      [e2.execId, 60, 190],
    ]);
    expect(await r.broker.order(coid)).toMatchObject({ filled: 60, avg_fill_price: 190 });
    m.drain();
    const p = ledger.position(AAPL)!, ref = alone(60, 190, 1);
    expect([p.amount, p.cost_basis]).toEqual([ref.amount, ref.cost_basis]);
    expect(m.orders.get(coid)!.filled).toBe(60);
    expect(m.refused).toBe(0);
    journal.close();
  });

  test("an older revision arriving after the newer one is ignored and reported", async () => {
    r = await rig();
    const { m, ledger, journal } = manager(r.broker);
    const coid = (await m.place(AAPL, 100, null, null))!;
    await r.event("order", (e) => e.event === "ack");
    const e1 = r.tws.fill(coid, { price: 190, commission: 1 });
    await r.event("fill");
    const e2 = r.tws.correct(e1.execId, { price: 189.8, commission: 1 });
    await r.event("fill", (e) => e.fill.exec_id === e2.execId);
    const n = r.events.length;
    r.tws.report(e1); // .01 again, after .02
    const stale = await r.event("error", (e) => e.code === "stale_execution", n);
    expect(stale.message).toContain(e1.execId);
    expect(stale.client_order_id).toBe(coid);
    await settle();
    expect(fills(r.events)).toHaveLength(3);
    m.drain();
    expect(ledger.position(AAPL)!.amount).toBe(100);
    expect(ledger.position(AAPL)!.cost_basis).toBeCloseTo(alone(100, 189.8, 1).cost_basis, 9);
    journal.close();
  });

  test("a correction whose original was never seen books as a normal fill", async () => {
    r = await rig();
    const { m, ledger, journal } = manager(r.broker);
    const coid = (await m.place(AAPL, 100, null, null))!;
    await r.event("order", (e) => e.event === "ack");
    const e1 = r.tws.fill(coid, { price: 190, report: false });
    const e2 = r.tws.correct(e1.execId, { price: 191, commission: 1 });
    await r.event("fill");
    r.tws.report(e1); // the original, late: older than what was booked
    await r.event("error", (e) => e.code === "stale_execution");
    await settle();
    expect(fills(r.events).map((f) => [f.exec_id, f.amount, f.price, f.commission])).toEqual([
      [e2.execId, 100, 191, 1],
    ]);
    m.drain();
    const p = ledger.position(AAPL)!, ref = alone(100, 191, 1);
    expect([p.amount, p.cost_basis, ledger.cash]).toEqual([ref.amount, ref.cost_basis, ref.cash]);
    expect(m.orders.get(coid)!.filled).toBe(100);
    journal.close();
  });

  test("a superseded revision's commission is ignored (waiting, or late after a timeout)", async () => {
    r = await rig();
    const coid = "hvcccc0001-1";
    await r.broker.submit({
      client_order_id: coid,
      symbol: "AAPL",
      amount: 100,
      limit_price: null,
      stop_price: null,
      time_in_force: "day",
    });
    await r.event("order", (e) => e.event === "ack");
    // Corrected while still waiting for its commission: the original never books.
    const a1 = r.tws.fill(coid, { qty: 50, price: 190, commission: "later" });
    const a2 = r.tws.correct(a1.execId, { price: 190.1, commission: 0.5 });
    await r.event("fill", (e) => e.fill.exec_id === a2.execId);
    r.tws.reportCommission(a1.execId, 0.7);
    // Booked without its commission (timeout), then corrected; its late commission is not news.
    const b1 = r.tws.fill(coid, { qty: 50, price: 190.2, commission: "later" });
    await r.event("fill", (e) => e.fill.exec_id === b1.execId);
    const b2 = r.tws.correct(b1.execId, { price: 190.3, commission: 0.5 });
    await r.event("fill", (e) => e.fill.exec_id === b2.execId);
    r.tws.reportCommission(b1.execId, 0.7);
    await settle();
    expect(fills(r.events).map((f) => [f.exec_id, f.amount, f.commission])).toEqual([
      [a2.execId, 50, 0.5],
      [b1.execId, 50, 0],
      [`${b1.execId}~reversed`, -50, 0],
      [b2.execId, 50, 0.5],
    ]);
    expect(r.events.some((e) => e.type === "error" && e.code === "late_commission")).toBe(false);
    expect(await r.broker.order(coid)).toMatchObject({
      filled: 100,
      avg_fill_price: (190.1 + 190.3) / 2,
    });
  });

  test("a correction made while the link was down is booked by the re-sync", async () => {
    r = await rig();
    const { m, ledger, journal } = manager(r.broker);
    const coid = (await m.place(AAPL, 100, null, null))!;
    await r.event("order", (e) => e.event === "ack");
    const e1 = r.tws.fill(coid, { price: 190, commission: 1 });
    await r.event("fill");
    r.tws.dropConnections();
    const e2 = r.tws.correct(e1.execId, { qty: 90, price: 190.2, commission: 1, report: false });
    await r.event("connection", (e) => e.status === "reconnected");
    expect(fills(r.events).slice(1).map((f) => [f.exec_id, f.amount, f.price])).toEqual([
      [`${e1.execId}~reversed`, -100, 190],
      [e2.execId, 90, 190.2],
    ]);
    m.drain();
    const p = ledger.position(AAPL)!, ref = alone(90, 190.2, 1);
    expect(p.amount).toBe(ref.amount);
    expect(p.cost_basis).toBeCloseTo(ref.cost_basis, 9);
    expect(m.orders.get(coid)!.filled).toBe(90);
    journal.close();
  });

  test("after a restart: the reversal of a revision booked before comes out of executions()", async () => {
    r = await rig();
    const one = manager(r.broker);
    const coid = (await one.m.place(AAPL, 100, null, null))!;
    await r.event("order", (e) => e.event === "ack");
    const e1 = r.tws.fill(coid, { price: 190, commission: 1 });
    await r.event("fill");
    one.m.drain();
    const saved = one.m.snapshot();
    await r.broker.disconnect(); // the process ends; TWS corrects the execution meanwhile
    one.journal.close();
    const e2 = r.tws.correct(e1.execId, { qty: 80, price: 190.4, commission: 1 });

    const again = await attach(r.tws, r.clock);
    extra.push(again);
    const two = manager(again.broker, one.ledger, saved.ids.next); // the ledger as saved
    two.m.restore(saved);
    const got = await again.broker.executions(r.clock.t - 60_000);
    expect(got.map((f) => [f.exec_id, f.amount, f.price, f.commission])).toEqual([
      [e1.execId, 100, 190, 1],
      [`${e1.execId}~reversed`, -100, 190, 0],
      [e2.execId, 80, 190.4, 1],
    ]);
    for (const fill of got) two.m.ingest({ type: "fill", fill });
    two.m.drain(); // e1 was booked before the restart: deduplicated
    const p = one.ledger.position(AAPL)!, ref = alone(80, 190.4, 1);
    expect(p.amount).toBe(ref.amount);
    expect(p.cost_basis).toBeCloseTo(ref.cost_basis, 9);
    expect(two.m.orders.get(coid)!.filled).toBe(80);

    // A fresh ledger that never booked e1 ends the same; nothing is emitted again afterwards.
    const fresh = manager(again.broker);
    for (const fill of got) fresh.m.ingest({ type: "fill", fill });
    fresh.m.drain();
    const q = fresh.ledger.position(AAPL)!;
    expect([q.amount, q.cost_basis]).toEqual([p.amount, p.cost_basis]);
    r.tws.report(e2);
    await settle(again.broker);
    expect(fills(again.events)).toEqual([]);
    two.journal.close();
    fresh.journal.close();
  });

  test("after a restart, an answer without the superseded revision books the latest", async () => {
    r = await rig();
    await r.broker.submit({
      client_order_id: "hvcccc0001-1",
      symbol: "AAPL",
      amount: -30,
      limit_price: null,
      stop_price: null,
      time_in_force: "day",
    });
    await r.event("order", (e) => e.event === "ack");
    const e1 = r.tws.fill("hvcccc0001-1", { price: 190 });
    await r.event("fill");
    await r.broker.disconnect();
    const e2 = r.tws.correct(e1.execId, { price: 189.9, drop: true, report: false });
    const again = await attach(r.tws, r.clock);
    extra.push(again);
    const got = await again.broker.executions(r.clock.t - 60_000);
    expect(got.map((f) => [f.exec_id, f.amount, f.price])).toEqual([[e2.execId, -30, 189.9]]);
  });
});
