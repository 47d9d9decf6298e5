import { describe, expect, test } from "vitest";
import { trading } from "@alpacahq/alpaca-trade-api";
import {
  baseClientOrderId,
  execId,
  fillFromActivity,
  nextReplacementId,
  orderBody,
  priceText,
  requestProblem,
  stateOf,
  toBar,
  toBrokerOrder,
  TRADE_UPDATE_EVENTS,
} from "../../../runtime/brokers/alpaca/mapping.ts";
import { ORDER_EVENTS, transition } from "../../../runtime/orders/state.ts";
import type { OrderRequest } from "../../../runtime/brokers/broker.ts";

// Alpaca's JSON as the REST API and trade_updates send it (docs.alpaca.markets, "Orders").
const order = (status: string, filled = "0", qty = "10") =>
  trading.OrderFromJSON({
    id: "61e69015-8549-4bfd-b9c3-01e75843f47d",
    client_order_id: "hv0a0b0c0d-7",
    created_at: "2024-01-02T15:00:00.123456Z",
    submitted_at: "2024-01-02T15:00:00.123456Z",
    symbol: "AAPL",
    qty,
    filled_qty: filled,
    filled_avg_price: filled === "0" ? null : "185.5",
    type: "limit",
    side: "sell",
    time_in_force: "day",
    limit_price: "185.5",
    stop_price: null,
    status,
    notional: null,
  });

describe("Alpaca order statuses", () => {
  test("every status maps onto an order state", () => {
    const cases: [string, string, string][] = [
      ["new", "0", "WORKING"],
      ["accepted", "0", "WORKING"],
      ["pending_new", "0", "WORKING"],
      ["accepted_for_bidding", "0", "WORKING"],
      ["held", "0", "WORKING"],
      ["stopped", "0", "WORKING"],
      ["suspended", "0", "WORKING"],
      ["pending_replace", "0", "WORKING"],
      ["replaced", "0", "WORKING"],
      ["done_for_day", "0", "WORKING"],
      ["done_for_day", "4", "PARTIALLY_FILLED"],
      ["new", "4", "PARTIALLY_FILLED"],
      ["partially_filled", "4", "PARTIALLY_FILLED"],
      ["filled", "10", "FILLED"],
      ["calculated", "10", "FILLED"],
      ["calculated", "4", "PARTIALLY_FILLED"],
      ["pending_cancel", "0", "PENDING_CANCEL"],
      ["canceled", "4", "CANCELED"],
      ["expired", "0", "EXPIRED"],
      ["rejected", "0", "REJECTED"],
    ];
    for (const [status, filled, state] of cases) {
      expect(stateOf(order(status, filled)), `${status} filled ${filled}`).toBe(state);
    }
  });

  test("an order becomes a BrokerOrder: signed amounts, prices, our id", () => {
    const o = order("partially_filled", "4");
    expect(toBrokerOrder(o, "hv0a0b0c0d-7")).toEqual({
      client_order_id: "hv0a0b0c0d-7",
      broker_order_id: "61e69015-8549-4bfd-b9c3-01e75843f47d",
      symbol: "AAPL",
      amount: -10,
      filled: -4,
      avg_fill_price: 185.5,
      state: "PARTIALLY_FILLED",
      limit_price: 185.5,
      stop_price: null,
      submitted_at: Date.parse("2024-01-02T15:00:00.123Z"),
    });
  });
});

describe("trade_updates events", () => {
  test("every documented event maps to a known order event (or none)", () => {
    const documented = [
      "new",
      "fill",
      "partial_fill",
      "canceled",
      "expired",
      "done_for_day",
      "replaced",
      "rejected",
      "pending_new",
      "stopped",
      "pending_cancel",
      "pending_replace",
      "calculated",
      "suspended",
      "order_replace_rejected",
      "order_cancel_rejected",
    ];
    for (const e of documented) {
      expect(Object.keys(TRADE_UPDATE_EVENTS), e).toContain(e);
      const mapped = TRADE_UPDATE_EVENTS[e];
      if (mapped !== null) expect(ORDER_EVENTS).toContain(mapped);
    }
    expect(TRADE_UPDATE_EVENTS.order_replace_rejected).toBeNull();
  });

  test("each event moves a working order where the state machine says", () => {
    const from = "WORKING" as const;
    expect(transition(from, TRADE_UPDATE_EVENTS.new!)).toBe("WORKING");
    expect(transition(from, TRADE_UPDATE_EVENTS.partial_fill!)).toBe("PARTIALLY_FILLED");
    expect(transition(from, TRADE_UPDATE_EVENTS.fill!)).toBe("FILLED");
    expect(transition(from, TRADE_UPDATE_EVENTS.canceled!)).toBe("CANCELED");
    expect(transition(from, TRADE_UPDATE_EVENTS.expired!)).toBe("EXPIRED");
    expect(transition(from, TRADE_UPDATE_EVENTS.rejected!)).toBe("REJECTED");
    expect(transition(from, TRADE_UPDATE_EVENTS.done_for_day!)).toBe("WORKING");
    expect(transition(from, TRADE_UPDATE_EVENTS.replaced!)).toBe("WORKING");
    expect(transition(from, TRADE_UPDATE_EVENTS.pending_cancel!)).toBe("PENDING_CANCEL");
    expect(transition("PENDING_CANCEL", TRADE_UPDATE_EVENTS.order_cancel_rejected!)).toBe(
      "WORKING",
    );
    expect(transition("SUBMITTED", TRADE_UPDATE_EVENTS.pending_new!)).toBe("WORKING");
  });
});

describe("ids, fills, bars", () => {
  test("replacements carry our id with a suffix", () => {
    expect(nextReplacementId("hv0a0b0c0d-7")).toBe("hv0a0b0c0d-7.r1");
    expect(nextReplacementId("hv0a0b0c0d-7.r1")).toBe("hv0a0b0c0d-7.r2");
    expect(baseClientOrderId("hv0a0b0c0d-7.r12")).toBe("hv0a0b0c0d-7");
    expect(baseClientOrderId("hv0a0b0c0d-7")).toBe("hv0a0b0c0d-7");
  });

  test("an activity becomes a fill whose exec id is order id + cumulative quantity", () => {
    // A FILL activity as docs.alpaca.markets shows it.
    const a = trading.TradingActivitiesFromJSON({
      id: "20210127144930176::ddc0a142-ebfd-4890-9021-641d33e58742",
      activity_type: "FILL",
      transaction_time: "2021-01-27T19:49:30.176Z",
      type: "partial_fill",
      price: "31.6",
      qty: "100",
      side: "sell",
      symbol: "QQQJ",
      leaves_qty: "131",
      order_id: "ee8058e5-41a0-48fd-8156-915ae0af6d17",
      cum_qty: "869",
    });
    expect(fillFromActivity(a, "hv1-1")).toEqual({
      client_order_id: "hv1-1",
      broker_order_id: "ee8058e5-41a0-48fd-8156-915ae0af6d17",
      exec_id: execId("ee8058e5-41a0-48fd-8156-915ae0af6d17", 869),
      symbol: "QQQJ",
      amount: -100,
      price: 31.6,
      commission: 0,
      time: Date.parse("2021-01-27T19:49:30.176Z"),
    });
  });

  test("a bar is labelled by the minute it ends (the calendars' minutes)", () => {
    const bar = toBar("AAPL", { t: "2024-01-02T14:30:00Z", o: 1, h: 2, l: 0.5, c: 1.5, v: 100 });
    expect(bar).toEqual({
      symbol: "AAPL",
      time: Date.parse("2024-01-02T14:31:00Z"),
      open: 1,
      high: 2,
      low: 0.5,
      close: 1.5,
      volume: 100,
    });
  });
});

describe("order requests", () => {
  const req = (o: Partial<OrderRequest>): OrderRequest => ({
    client_order_id: "hv1-1",
    symbol: "AAPL",
    amount: 10,
    limit_price: null,
    stop_price: null,
    time_in_force: "day",
    ...o,
  });

  test("market, limit, stop and stop_limit; day and gtc; our client order id", () => {
    expect(orderBody(req({}))).toMatchObject({ type: "market", side: "buy", qty: "10" });
    expect(orderBody(req({ amount: -5, limit_price: 10.1 }))).toMatchObject({
      type: "limit",
      side: "sell",
      qty: "5",
      limitPrice: "10.1",
    });
    expect(orderBody(req({ stop_price: 9, time_in_force: "gtc" }))).toMatchObject({
      type: "stop",
      stopPrice: "9",
      timeInForce: "gtc",
    });
    expect(orderBody(req({ stop_price: 9, limit_price: 8.5 }))).toMatchObject({
      type: "stop_limit",
      stopPrice: "9",
      limitPrice: "8.5",
      clientOrderId: "hv1-1",
    });
  });

  test("prices lose float noise; bad requests are caught before sending", () => {
    expect(priceText(0.1 + 0.2 + 100)).toBe("100.3");
    expect(priceText(0.12345)).toBe("0.1235");
    expect(requestProblem(req({ amount: 0 }))).toMatch(/amount 0/);
    expect(requestProblem(req({ limit_price: -1 }))).toMatch(/limit price/);
    expect(requestProblem(req({ symbol: "" }))).toMatch(/symbol/);
    expect(requestProblem(req({}))).toBeNull();
  });
});
