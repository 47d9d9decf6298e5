import { describe, expect, test } from "vitest";
import { trading } from "@alpacahq/alpaca-trade-api";
import type { BrokerEvent } from "../../../runtime/brokers/broker.ts";
import { OrderTracker } from "../../../runtime/brokers/alpaca/order_tracker.ts";

const ID = "904837e3-3b76-47ec-b432-046db621571b";
const raw = (status: string, filled: number, avg: number | null = null) => ({
  id: ID,
  client_order_id: "hv1-1",
  symbol: "AAPL",
  qty: "10",
  filled_qty: String(filled),
  filled_avg_price: avg === null ? null : String(avg),
  side: "buy",
  type: "market",
  time_in_force: "day",
  status,
  notional: null,
  updated_at: "2024-01-02T15:00:00Z",
});
const update = (event: string, filled: number, extra: Record<string, unknown> = {}) => ({
  event,
  order: raw(filled === 10 ? "filled" : filled ? "partially_filled" : "new", filled, 100),
  timestamp: "2024-01-02T15:00:01Z",
  ...extra,
});

function tracker() {
  const events: BrokerEvent[] = [];
  const t = new OrderTracker((e) => events.push(e), () => 0);
  t.submitted({
    client_order_id: "hv1-1",
    symbol: "AAPL",
    amount: 10,
    limit_price: null,
    stop_price: null,
    time_in_force: "day",
  });
  const trail = () =>
    events.map((e) => e.type === "order" ? e.event : e.type === "fill" ? `+${e.fill.amount}` : "");
  return { t, events, trail };
}

describe("order tracker", () => {
  test("a REST snapshot ahead of the stream's fills does not outrun them", () => {
    const { t, trail } = tracker();
    t.sync(trading.OrderFromJSON(raw("filled", 10, 100))); // the POST answered late
    t.onTradeUpdate(update("partial_fill", 4, { price: "100", qty: "4" }));
    t.onTradeUpdate(update("fill", 10, { price: "100", qty: "6" }));
    expect(trail()).toEqual(["ack", "+4", "partial_fill", "+6", "fill"]);
  });

  test("a re-sync books missed fills once; a late replay of them is dropped", () => {
    const { t, trail } = tracker();
    t.onTradeUpdate(update("new", 0));
    t.sync(trading.OrderFromJSON(raw("filled", 10, 100)), true);
    t.onTradeUpdate(update("fill", 10, { price: "100", qty: "10" }));
    t.onTradeUpdate(update("calculated", 10));
    expect(trail()).toEqual(["ack", "+10", "fill"]);
  });

  test("our cancel echoed back and stale snapshots change nothing", () => {
    const { t, trail } = tracker();
    t.onTradeUpdate(update("new", 0));
    t.cancelRequested("hv1-1");
    t.onTradeUpdate({ ...update("pending_cancel", 0), order: raw("pending_cancel", 0) });
    t.sync(trading.OrderFromJSON(raw("new", 0))); // an older view: not a way back
    t.onTradeUpdate({ ...update("canceled", 0), order: raw("canceled", 0) });
    t.onTradeUpdate(update("new", 0)); // a late acknowledgement
    expect(trail()).toEqual(["ack", "canceled"]);
  });

  test("fills without a price or quantity are derived from the order's totals", () => {
    const { t, events } = tracker();
    t.onTradeUpdate(update("partial_fill", 4, { qty: "4", price: "99" }));
    t.onTradeUpdate({ event: "fill", order: raw("filled", 10, 100.6), timestamp: null });
    const fills = events.flatMap((e) => e.type === "fill" ? [e.fill] : []);
    expect(fills.map((f) => [f.exec_id, f.amount, +f.price.toFixed(6)])).toEqual([
      [`${ID}:4`, 4, 99],
      [`${ID}:10`, 6, 101.666667],
    ]);
  });
});
