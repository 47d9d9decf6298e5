/**
 * An optional Prometheus endpoint on 127.0.0.1 (`--metrics-port N`) in the text exposition
 * format (https://prometheus.io/docs/instrumenting/exposition_formats/). Each metric has the type
 * its meaning asks for: totals that only grow are counters (counted by the order manager as
 * events happen, so pruning finished orders never lowers them), latencies are histograms with
 * buckets, the current orders by state, equity and drawdown are gauges. Bound to loopback only:
 * metrics are for a local scraper or an SSH tunnel.
 */
import type { OrderManager } from "../orders/manager.ts";
import type { Histogram } from "../orders/counters.ts";
import type { Ledger } from "../finance/ledger.ts";
import { ORDER_STATES } from "../model/order_state.ts";
import type { TradingState } from "../orders/risk.ts";

export interface MetricsSources {
  manager: OrderManager;
  ledger: Ledger;
  tradingState: () => string;
}

/** Every state listed, so a state with no orders reads 0 rather than vanishing. */
const TRADING_STATES: readonly TradingState[] = ["ACTIVE", "REDUCING", "HALTED"];

function metric(name: string, type: string, help: string, samples: string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples];
}

function histogram(name: string, help: string, h: Histogram): string[] {
  const cum = h.cumulative();
  return metric(name, "histogram", help, [
    ...h.bounds.map((b, i) => `${name}_bucket{le="${b}"} ${cum[i]}`),
    `${name}_bucket{le="+Inf"} ${cum[cum.length - 1]}`,
    `${name}_sum ${h.sum}`,
    `${name}_count ${h.count}`,
  ]);
}

/** The current metrics in Prometheus' text format. */
export function renderMetrics(src: MetricsSources, peak: { value: number }): string {
  const m = src.manager, c = m.counters;
  const byState = new Map<string, number>(ORDER_STATES.map((s) => [s, 0]));
  for (const o of m.orders.values()) byState.set(o.state, (byState.get(o.state) ?? 0) + 1);
  src.ledger.update();
  const equity = src.ledger.portfolio_value;
  peak.value = Math.max(peak.value, equity);
  const trading = src.tradingState();
  const lines = [
    ...metric(
      "harvester_orders",
      "gauge",
      "Orders of this session by state.",
      [...byState].map(([s, n]) => `harvester_orders{state="${s}"} ${n}`),
    ),
    ...metric("harvester_orders_submitted_total", "counter", "Orders sent to the broker.", [
      `harvester_orders_submitted_total ${c.submitted}`,
    ]),
    ...metric("harvester_rejects_total", "counter", "Orders that ended rejected.", [
      `harvester_rejects_total ${c.rejects}`,
    ]),
    ...metric("harvester_risk_denied_total", "counter", "Orders the risk gate refused.", [
      `harvester_risk_denied_total ${c.riskDenied}`,
    ]),
    ...metric(
      "harvester_refused_transitions_total",
      "counter",
      "Broker events the order state table refused.",
      [`harvester_refused_transitions_total ${c.refusedTransitions}`],
    ),
    ...metric(
      "harvester_inflight_queries_total",
      "counter",
      "Order status queries for orders with no answer in time.",
      [`harvester_inflight_queries_total ${m.inflight.queries}`],
    ),
    ...histogram(
      "harvester_ack_latency_seconds",
      "From sending an order to the venue's acknowledgement.",
      c.ackLatency,
    ),
    ...histogram(
      "harvester_first_fill_latency_seconds",
      "From sending an order to its first execution.",
      c.firstFillLatency,
    ),
    ...metric("harvester_disconnects_total", "counter", "Broker connection drops.", [
      `harvester_disconnects_total ${c.disconnects}`,
    ]),
    ...metric("harvester_reconnects_total", "counter", "Broker connections restored.", [
      `harvester_reconnects_total ${c.reconnects}`,
    ]),
    ...metric("harvester_equity", "gauge", "Portfolio value.", [`harvester_equity ${equity}`]),
    ...metric("harvester_drawdown", "gauge", "Equity against its peak, minus one.", [
      `harvester_drawdown ${peak.value > 0 ? equity / peak.value - 1 : 0}`,
    ]),
    ...metric(
      "harvester_trading_state",
      "gauge",
      "The risk gate's state: 1 for the current one.",
      TRADING_STATES.map((s) => `harvester_trading_state{state="${s}"} ${s === trading ? 1 : 0}`),
    ),
  ];
  return lines.join("\n") + "\n";
}

/** Serves `/metrics` on 127.0.0.1:port until the returned server is shut down. */
export function serveMetrics(port: number, src: MetricsSources): Deno.HttpServer {
  const peak = { value: 0 };
  return Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (req) => {
    if (new URL(req.url).pathname !== "/metrics") {
      return new Response("not found\n", { status: 404 });
    }
    return new Response(renderMetrics(src, peak), {
      headers: { "content-type": "text/plain; version=0.0.4" },
    });
  });
}
