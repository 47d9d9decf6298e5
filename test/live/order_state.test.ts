import { describe, expect, test } from "vitest";
import {
  ORDER_EVENTS,
  ORDER_STATES,
  TERMINAL,
  transition,
  TRANSITIONS,
} from "../../runtime/orders/state.ts";
import { reduces, RiskGate } from "../../runtime/orders/risk.ts";
import { reconcile } from "../../runtime/orders/reconcile.ts";
import type { BrokerOrder } from "../../runtime/model/broker.ts";

describe("order state machine", () => {
  test("the happy paths", () => {
    expect(transition("NEW", "submit")).toBe("SUBMITTED");
    expect(transition("SUBMITTED", "ack")).toBe("WORKING");
    expect(transition("WORKING", "partial_fill")).toBe("PARTIALLY_FILLED");
    expect(transition("PARTIALLY_FILLED", "fill")).toBe("FILLED");
    expect(transition("WORKING", "cancel_request")).toBe("PENDING_CANCEL");
    expect(transition("PENDING_CANCEL", "canceled")).toBe("CANCELED");
  });
  test("late fills are booked; terminal states accept nothing else", () => {
    expect(transition("PENDING_CANCEL", "fill")).toBe("FILLED");
    expect(transition("CANCELED", "fill")).toBe("FILLED");
    // A fill reported after the venue's expiry is a real execution (nautilus' late rows).
    expect(transition("EXPIRED", "fill")).toBe("FILLED");
    expect(transition("EXPIRED", "partial_fill")).toBe("EXPIRED");
    for (const s of TERMINAL) {
      for (const e of ORDER_EVENTS) {
        const to = transition(s, e);
        const late = (s === "CANCELED" || s === "EXPIRED") &&
          (e === "fill" || e === "partial_fill");
        if (late) continue;
        expect(to, `${s} + ${e}`).toBeNull();
      }
    }
    // The venue rejects an order while our cancel is on its way: over either way.
    expect(transition("PENDING_CANCEL", "rejected")).toBe("REJECTED");
    expect(transition("FILLED", "canceled")).toBeNull();
    expect(transition("NEW", "fill")).toBeNull();
  });
  test("every state and target in the table is a known state", () => {
    for (const [from, row] of Object.entries(TRANSITIONS)) {
      expect(ORDER_STATES).toContain(from);
      for (const to of Object.values(row!)) expect(ORDER_STATES).toContain(to);
    }
  });
});

describe("risk gate", () => {
  const base = { symbol: "X", price: 10, limit_price: null, position: 0, now: 0 };
  test("halted refuses everything; reducing allows only reductions", () => {
    const g = new RiskGate();
    g.setState("HALTED", "test");
    expect(g.check({ ...base, amount: 1 })).toMatchObject({ ok: false, reason: "HALTED" });
    g.setState("REDUCING", "test");
    expect(g.check({ ...base, amount: 5, position: 10 })).toMatchObject({
      ok: false,
      reason: "REDUCING",
    });
    expect(g.check({ ...base, amount: -5, position: 10 }).ok).toBe(true);
    expect(g.check({ ...base, amount: -15, position: 10 }).ok).toBe(false); // would cross to short
    expect(reduces(-10, 10)).toBe(true);
  });
  test("reducing-only counts open orders: two sells cannot cross a long to short", () => {
    const g = new RiskGate();
    g.setState("REDUCING", "test");
    expect(g.check({ ...base, amount: -50, position: 100, pending: -100 })).toMatchObject({
      ok: false,
      reason: "REDUCING",
      detail: expect.stringContaining("0 after open orders"),
    });
    expect(g.check({ ...base, amount: -40, position: 100, pending: -60 }).ok).toBe(true);
    expect(g.check({ ...base, amount: -41, position: 100, pending: -60 }).ok).toBe(false);
  });
  test("notional, price band, throttle", () => {
    const g = new RiskGate({
      max_notional_per_order: 1000,
      price_band: 0.05,
      max_orders_per_minute: 2,
    });
    expect(g.check({ ...base, amount: 101 })).toMatchObject({ ok: false, reason: "MAX_NOTIONAL" });
    expect(g.check({ ...base, amount: 10, limit_price: 11 })).toMatchObject({
      ok: false,
      reason: "PRICE_BAND",
    });
    expect(g.check({ ...base, amount: 1, now: 0 }).ok).toBe(true);
    expect(g.check({ ...base, amount: 1, now: 1000 }).ok).toBe(true);
    expect(g.check({ ...base, amount: 1, now: 2000 })).toMatchObject({
      ok: false,
      reason: "THROTTLE",
    });
    expect(g.check({ ...base, amount: 1, now: 61_000 }).ok).toBe(true);
  });
});

describe("reconciliation", () => {
  const bo = (id: string, state: BrokerOrder["state"] = "WORKING"): BrokerOrder => ({
    client_order_id: id,
    broker_order_id: `b-${id}`,
    symbol: "X",
    amount: 10,
    filled: 0,
    avg_fill_price: 0,
    state,
    limit_price: null,
    stop_price: null,
    submitted_at: 0,
  });
  test("re-attach, resolve, lose, adopt, and drift", () => {
    const r = reconcile({
      local: [
        { client_order_id: "hvaa-1", state: "WORKING", symbol: "X" },
        { client_order_id: "hvaa-2", state: "SUBMITTED", symbol: "X" },
        { client_order_id: "hvaa-3", state: "SUBMITTED", symbol: "X" },
        { client_order_id: "hvaa-4", state: "FILLED", symbol: "X" },
      ],
      brokerOpen: [bo("hvaa-1"), bo("manual-9")],
      lookups: new Map([["hvaa-2", bo("hvaa-2", "FILLED")], ["hvaa-3", null]]),
      localPositions: new Map([["X", 10], ["Y", 5]]),
      brokerPositions: [{ symbol: "X", amount: 10, avg_cost: 1 }, {
        symbol: "Z",
        amount: 3,
        avg_cost: 1,
      }],
      ours: (id) => id.startsWith("hvaa-"),
    });
    expect(r.reattach.map((o) => o.client_order_id)).toEqual(["hvaa-1"]);
    expect(r.resolved.map((o) => o.client_order_id)).toEqual(["hvaa-2"]);
    expect(r.unknown.map((o) => o.client_order_id)).toEqual(["hvaa-3"]);
    expect(r.adopt.map((o) => o.client_order_id)).toEqual(["manual-9"]);
    expect(r.drift).toEqual([{ symbol: "Z", local: 0, broker: 3 }, {
      symbol: "Y",
      local: 5,
      broker: 0,
    }]);
  });
});
