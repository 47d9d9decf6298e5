/**
 * Periodic queries of in-flight orders (runtime/orders/inflight.ts): orders waiting on the broker
 * longer than a threshold are asked about by client order id, and the answer is applied through
 * the transition table.
 *
 * The venue is the paper venue with faults (lossy_venue.ts): acknowledgements, cancel
 * confirmations and execution reports lost on the way back, orders lost on the way out; its book
 * stays right, so its answers are the truth. The session clock is a number the tests move; no
 * network. The live loops, the settings and the real Alpaca adapter: inflight_sessions.test.ts.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Equity } from "../../runtime/assets/asset.ts";
import type { BrokerOrder } from "../../runtime/model/broker.ts";
import { InvalidInputError } from "../../runtime/errors.ts";
import { Ledger } from "../../runtime/finance/ledger.ts";
import { ORDER_STATUS } from "../../runtime/finance/order.ts";
import { Journal, readJournal } from "../../runtime/live/journal.ts";
import { renderMetrics } from "../../runtime/live/metrics_endpoint.ts";
import { ClientOrderIds } from "../../runtime/orders/ids.ts";
import {
  type InFlightPolicy,
  inFlightPolicy,
  InFlightWatch,
  verdict,
} from "../../runtime/orders/inflight.ts";
import { OrderManager } from "../../runtime/orders/manager.ts";
import { RiskGate } from "../../runtime/orders/risk.ts";
import type { OrderState } from "../../runtime/orders/state.ts";
import { holdings } from "../brokers/alpaca/manager_helpers.ts";
import { PRICE } from "./fed_paper_session.ts";
import { LossyVenue } from "./lossy_venue.ts";

const T0 = Date.parse("2024-01-02T15:00:00Z");
const AAPL = new Equity(1, "AAPL", "AAPL", "NASDAQ", 0, Infinity, Infinity);

/** The order manager on a lossy paper venue, with a session clock the test moves. */
function desk(policy?: InFlightPolicy) {
  const dir = mkdtempSync(join(tmpdir(), "hv-inflight-"));
  const clock = { t: T0 };
  const venue = new LossyVenue();
  venue.push(T0, ["AAPL"]); // the venue's clock and last price
  const journalPath = join(dir, "j.jsonl");
  const journal = new Journal(journalPath, () => clock.t);
  const warnings: string[] = [];
  const ledger = new Ledger(1_000_000, 0);
  const manager = new OrderManager({
    broker: venue,
    audit: journal,
    risk: new RiskGate(),
    ids: new ClientOrderIds("0a0b0c0d"),
    ledger,
    assetOf: (s) => (s === "AAPL" ? AAPL : undefined),
    priceOf: () => PRICE,
    now: () => clock.t,
    warn: (event, fields) => warnings.push(`${event}: ${fields.message}`),
    inflight: policy,
  });
  const place = async (amount: number, limit: number | null = null) => {
    const id = (await manager.place(AAPL, amount, limit, null))!;
    manager.drain();
    return id;
  };
  const state = (id: string) => manager.orders.get(id)!.state;
  const lines = (type: string) => {
    journal.writeOut();
    return readJournal(journalPath).filter((e) => e.type === type);
  };
  return { clock, venue, manager, ledger, warnings, place, state, lines };
}

describe("in-flight queries", () => {
  test("an order whose acknowledgement was lost is asked after 30 s, not before, and WORKS", async () => {
    const d = desk();
    d.venue.dropAcks = true;
    const id = await d.place(10, 500); // a buy limit under the market: it rests at the venue
    expect(d.state(id)).toBe("SUBMITTED");
    d.clock.t += 30_000;
    expect(await d.manager.checkInFlight()).toBe(0); // 30 s is not longer than 30 s
    expect(d.venue.asked).toEqual([]);
    d.clock.t += 1;
    expect(await d.manager.checkInFlight()).toBe(1);
    expect(d.venue.asked).toEqual([id]);
    const m = d.manager.orders.get(id)!;
    expect(m.state).toBe("WORKING");
    expect(m.broker_order_id).toBe((await d.venue.order(id))!.broker_order_id);
    expect(m.open).toBe(true);
    expect(d.lines("inflight_query")).toMatchObject([
      { client_order_id: id, state: "SUBMITTED", age_ms: 30_001, result: "WORKING", event: "ack" },
    ]);
    expect(d.lines("order_transition").at(-1)).toMatchObject({
      client_order_id: id,
      from: "SUBMITTED",
      to: "WORKING",
      event: "ack",
      reason: "in-flight query: the broker reports WORKING after 30s",
    });
    expect(d.manager.inflight.queries).toBe(1);
    expect(d.venue.sent).toEqual([id]);
    expect(d.manager.refused).toBe(0);
  });

  test("events already queued are applied first: an acknowledgement that came is not asked about", async () => {
    const d = desk();
    const id = (await d.manager.place(AAPL, 10, 500, null))!; // its ack is queued, not applied
    d.clock.t += 31_000;
    expect(await d.manager.checkInFlight()).toBe(0);
    expect(d.state(id)).toBe("WORKING");
    expect(d.venue.asked).toEqual([]);
  });

  test("events that arrive while the broker is asked win over its older answer", async () => {
    const d = desk();
    d.venue.dropAcks = true;
    const id = await d.place(10); // a market order whose acknowledgement is lost
    const order = d.venue.order.bind(d.venue);
    d.venue.order = async (coid) => {
      const answer = await order(coid); // WORKING, as the venue sees it now
      d.venue.push(T0 + 60_000, ["AAPL"]); // then it fills, and the fill reports come in
      return answer;
    };
    d.clock.t += 31_000;
    expect(await d.manager.checkInFlight()).toBe(1);
    expect(d.state(id)).toBe("FILLED");
    expect(d.lines("inflight_query")).toMatchObject([
      { client_order_id: id, result: "WORKING", moved_meanwhile: true },
    ]);
    expect(d.lines("inflight_query")[0].event).toBeUndefined();
    expect(d.lines("order_transition").map((e) => `${e.from}→${e.to}`)).toEqual([
      "NEW→SUBMITTED",
      "SUBMITTED→FILLED",
    ]);
    expect(holdings(d.ledger)).toEqual({ AAPL: 10 });
  });

  test("an order the broker never received ends REJECTED and is never sent again", async () => {
    const d = desk();
    d.venue.loseNext = 1;
    const id = await d.place(10);
    d.clock.t += 45_000;
    expect(await d.manager.checkInFlight()).toBe(1);
    const m = d.manager.orders.get(id)!;
    expect(m.state).toBe("REJECTED");
    expect(m.status).toBe(ORDER_STATUS.REJECTED);
    expect(m.reason).toBe("unknown to the broker after 45s");
    expect(d.lines("inflight_query")).toMatchObject([
      { client_order_id: id, state: "SUBMITTED", age_ms: 45_000, result: "UNKNOWN" },
    ]);
    expect(d.lines("order_transition").at(-1)).toMatchObject({
      client_order_id: id,
      from: "SUBMITTED",
      to: "REJECTED",
      event: "rejected",
      reason: "unknown to the broker after 45s",
    });
    expect(d.warnings).toEqual([
      `inflight_lost: order ${id} never reached the broker (unknown to the broker after 45s): ` +
      "REJECTED, not sent again",
    ]);
    // Bars and checks go on: the order is neither sent again nor asked about again.
    for (let k = 1; k <= 3; k++) {
      d.venue.push(T0 + k * 60_000, ["AAPL"]);
      d.clock.t += 3_600_000;
      expect(await d.manager.checkInFlight()).toBe(0);
    }
    expect(d.venue.sent).toEqual([id]);
    expect(d.venue.asked).toEqual([id]);
    expect(d.manager.open()).toEqual([]);
    expect(holdings(d.ledger)).toEqual({});
  });

  test("a cancel whose confirmation was lost: asked 30 s after the request, CANCELED", async () => {
    const d = desk();
    const id = await d.place(10, 500);
    expect(d.state(id)).toBe("WORKING");
    d.venue.dropCancels = true;
    d.clock.t += 10_000;
    await d.manager.cancel(id);
    d.manager.drain();
    expect(d.state(id)).toBe("PENDING_CANCEL");
    d.clock.t += 25_000; // 35 s after the order, 25 s after the cancel request
    expect(await d.manager.checkInFlight()).toBe(0);
    d.clock.t += 5_001;
    expect(await d.manager.checkInFlight()).toBe(1);
    const m = d.manager.orders.get(id)!;
    expect(m.state).toBe("CANCELED");
    expect(m.status).toBe(ORDER_STATUS.CANCELLED);
    expect(d.lines("inflight_query")).toMatchObject([
      { client_order_id: id, state: "PENDING_CANCEL", age_ms: 30_001, result: "CANCELED" },
    ]);
    expect(d.lines("order_transition").at(-1)).toMatchObject({
      from: "PENDING_CANCEL",
      to: "CANCELED",
      event: "canceled",
    });
    expect(d.manager.open()).toEqual([]);
  });

  test("a quiet WORKING order the venue filled: the fill gap is warned, no fill is made up", async () => {
    const d = desk();
    const id = await d.place(10); // a market order, acknowledged
    expect(d.state(id)).toBe("WORKING");
    d.venue.dropFills = true;
    d.venue.push(T0 + 60_000, ["AAPL"]); // the venue fills it; the reports are lost
    d.clock.t += 300_000;
    expect(await d.manager.checkInFlight()).toBe(0); // quiet for 5 min, not longer
    d.clock.t += 1;
    expect(await d.manager.checkInFlight()).toBe(1);
    expect(d.state(id)).toBe("WORKING"); // no state outruns its fills
    expect(d.manager.orders.get(id)!.filled).toBe(0);
    expect(holdings(d.ledger)).toEqual({});
    expect(d.lines("inflight_query")).toMatchObject([
      { client_order_id: id, state: "WORKING", result: "FILLED", broker_filled: 10 },
    ]);
    expect(d.lines("inflight_query")[0].event).toBeUndefined();
    expect(d.lines("inflight_fill_gap")).toMatchObject([
      { client_order_id: id, booked: 0, broker_filled: 10, broker_state: "FILLED" },
    ]);
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings[0]).toMatch(
      /^inflight_fill_gap: order .* reports 10 filled \(FILLED\), 0 booked/,
    );
    // The executions then arrive (as a broker's re-sync delivers them): booked once, FILLED,
    // and the table never refused anything on the way.
    const answer = (await d.venue.order(id))!;
    for (const fill of await d.venue.executions(0)) d.manager.ingest({ type: "fill", fill });
    d.manager.ingest({ type: "order", event: "fill", order: answer, time: d.clock.t });
    d.manager.drain();
    expect(d.state(id)).toBe("FILLED");
    expect(holdings(d.ledger)).toEqual({ AAPL: 10 });
    expect(d.manager.refused).toBe(0);
  });

  test("no order is asked twice within its threshold; a check asks the longest-waiting first, capped", async () => {
    const d = desk({ max_per_check: 2 });
    const ids: string[] = [];
    for (let k = 0; k < 4; k++) {
      ids.push(await d.place(10, 500 - k)); // resting limits, acknowledged at T0 … T0 + 3 s
      d.clock.t += 1_000;
    }
    // A repeated acknowledgement of the first (a broker's re-sync) at T0 + 4 s is news: it is
    // now the order quiet for the shortest time, though the first placed.
    const m0 = d.manager.orders.get(ids[0])!;
    d.manager.ingest({
      type: "order",
      event: "ack",
      order: {
        client_order_id: ids[0],
        broker_order_id: m0.broker_order_id!,
        symbol: "AAPL",
        amount: 10,
        filled: 0,
        avg_fill_price: 0,
        state: "WORKING",
        limit_price: 500,
        stop_price: null,
        submitted_at: T0,
      },
      time: d.clock.t,
    });
    d.manager.drain();
    d.clock.t = T0 + 304_500; // all four quiet for longer than 5 min; two per check
    expect(await d.manager.checkInFlight()).toBe(2);
    expect(d.venue.asked).toEqual([ids[1], ids[2]]);
    d.clock.t += 1_000;
    expect(await d.manager.checkInFlight()).toBe(2); // the first two asked a second ago
    const round = [ids[1], ids[2], ids[3], ids[0]];
    expect(d.venue.asked).toEqual(round);
    for (let k = 0; k < 4; k++) {
      d.clock.t += 60_000; // a check at every minute bar: nothing is due again yet
      expect(await d.manager.checkInFlight()).toBe(0);
    }
    d.clock.t = T0 + 604_500; // 5 min after the first two queries
    expect(await d.manager.checkInFlight()).toBe(2);
    expect(await d.manager.checkInFlight()).toBe(0); // the others were asked 4 min 59 s ago
    d.clock.t += 1_000;
    expect(await d.manager.checkInFlight()).toBe(2);
    expect(d.venue.asked).toEqual([...round, ...round]);
    expect(d.lines("inflight_query").map((e) => e.client_order_id)).toEqual(d.venue.asked);
    expect(ids.map(d.state)).toEqual(["WORKING", "WORKING", "WORKING", "WORKING"]);
    const metrics = renderMetrics({
      manager: d.manager,
      ledger: d.ledger,
      tradingState: () => "ACTIVE",
    }, { value: 0 });
    expect(metrics).toContain("harvester_inflight_queries_total 8\n");
  });

  test("a broker that cannot answer: journaled and warned, asked again only after the threshold", async () => {
    const d = desk();
    d.venue.dropAcks = true;
    const id = await d.place(10, 500);
    const order = d.venue.order.bind(d.venue);
    d.venue.order = () => Promise.reject(new Error("connection reset"));
    d.clock.t += 31_000;
    expect(await d.manager.checkInFlight()).toBe(1);
    expect(d.state(id)).toBe("SUBMITTED");
    expect(d.lines("inflight_query")).toMatchObject([
      { client_order_id: id, state: "SUBMITTED", error: "connection reset" },
    ]);
    expect(d.warnings[0]).toMatch(/^inflight_query_failed: .*connection reset/);
    d.venue.order = order;
    d.clock.t += 29_999;
    expect(await d.manager.checkInFlight()).toBe(0);
    d.clock.t += 1;
    expect(await d.manager.checkInFlight()).toBe(1);
    expect(d.state(id)).toBe("WORKING");
  });
});

describe("what an answer means (verdict)", () => {
  const answer = (state: OrderState, filled = 0): BrokerOrder => ({
    client_order_id: "x",
    broker_order_id: "b",
    symbol: "AAPL",
    amount: 10,
    filled,
    avg_fill_price: filled ? 100 : 0,
    state,
    limit_price: null,
    stop_price: null,
    submitted_at: 0,
  });
  test.each(
    [
      ["SUBMITTED", null, "rejected"],
      ["SUBMITTED", answer("WORKING"), "ack"],
      ["SUBMITTED", answer("FILLED", 10), "ack"], // fills missing: only proof it arrived
      ["SUBMITTED", answer("REJECTED"), "rejected"],
      ["PENDING_CANCEL", null, null], // acknowledged once: the restart's reconciliation decides
      ["PENDING_CANCEL", answer("PENDING_CANCEL"), null],
      ["PENDING_CANCEL", answer("WORKING"), "cancel_reject"],
      ["PENDING_CANCEL", answer("EXPIRED"), "expired"],
      ["PENDING_CANCEL", answer("FILLED", 10), null], // the executions are on their way
      ["WORKING", answer("WORKING"), null],
      ["WORKING", answer("CANCELED"), "canceled"],
      ["PARTIALLY_FILLED", answer("WORKING"), null], // never backwards
    ] as const,
  )("%s, broker %j → %s", (state, b, event) => {
    expect(verdict(state, 0, b, 40_000).event).toBe(event);
  });

  test("booked fills close the gap: a filled answer then fills the order", () => {
    expect(verdict("WORKING", 10, answer("FILLED", 10), 1).event).toBe("fill");
    expect(verdict("PENDING_CANCEL", -4, answer("PARTIALLY_FILLED", -4), 1)).toMatchObject({
      event: "cancel_reject",
      gap: false,
    });
    expect(verdict("WORKING", 4, answer("FILLED", 10), 1).gap).toBe(true);
  });

  test("settings: seconds in, milliseconds inside; a threshold must be positive", () => {
    const w = new InFlightWatch(inFlightPolicy(10, 120));
    expect([w.afterMs, w.quietMs, w.maxPerCheck]).toEqual([10_000, 120_000, 20]);
    expect(new InFlightWatch().afterMs).toBe(30_000);
    expect(new InFlightWatch().quietMs).toBe(300_000);
    expect(() => new InFlightWatch({ after_ms: 0 })).toThrow(InvalidInputError);
    expect(() => new InFlightWatch({ quiet_ms: NaN })).toThrow(/working_quiet_after/);
  });
});
