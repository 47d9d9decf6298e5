/**
 * Execution quality, per order and rolled up per venue: acknowledgement and fill latency (wall
 * clock), slippage in basis points against the price when the strategy decided (positive = paid
 * more than decided when buying, received less when selling), partial fills and rejects.
 */
import { type ManagedOrder, unknownQuality } from "../orders/order.ts";

export interface OrderQuality {
  client_order_id: string;
  symbol: string;
  amount: number;
  filled: number;
  state: string;
  ack_latency_ms: number | null;
  fill_latency_ms: number | null;
  slippage_bps: number | null;
}

export interface VenueQuality {
  venue: string;
  orders: number;
  filled: number;
  partial_fills: number;
  rejects: number;
  ack_latency_ms: { mean: number | null; p50: number | null; p99: number | null };
  fill_latency_ms: { mean: number | null; p50: number | null; p99: number | null };
  slippage_bps: { mean: number | null; worst: number | null };
}

const orNull = (x: number) => (Number.isFinite(x) ? x : null);

function quantile(xs: number[], q: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export function orderQuality(m: ManagedOrder): OrderQuality {
  const dir = Math.sign(m.amount), q = m.quality ?? unknownQuality();
  const slip = m.filled !== 0 && q.decision_price > 0
    ? ((m.avg_fill_price - q.decision_price) / q.decision_price) * 1e4 * dir
    : NaN;
  return {
    client_order_id: m.id,
    symbol: m.symbol,
    amount: m.amount,
    filled: m.filled,
    state: m.state,
    ack_latency_ms: orNull(q.wall_ack - q.wall_sent),
    fill_latency_ms: orNull(q.wall_fill - q.wall_sent),
    slippage_bps: orNull(slip),
  };
}

export function venueQuality(venue: string, orders: readonly ManagedOrder[]): VenueQuality {
  const q = orders.filter((m) => !m.external).map(orderQuality);
  const nums = (k: "ack_latency_ms" | "fill_latency_ms" | "slippage_bps") =>
    q.map((o) => o[k]).filter((x): x is number => x !== null);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const ack = nums("ack_latency_ms"), fill = nums("fill_latency_ms"), slip = nums("slippage_bps");
  return {
    venue,
    orders: q.length,
    filled: q.filter((o) => o.state === "FILLED").length,
    partial_fills: q.filter((o) => o.filled !== 0 && o.filled !== o.amount).length,
    rejects: q.filter((o) => o.state === "REJECTED").length,
    ack_latency_ms: { mean: mean(ack), p50: quantile(ack, 0.5), p99: quantile(ack, 0.99) },
    fill_latency_ms: { mean: mean(fill), p50: quantile(fill, 0.5), p99: quantile(fill, 0.99) },
    slippage_bps: { mean: mean(slip), worst: slip.length ? Math.max(...slip) : null },
  };
}
