/**
 * An optional Prometheus endpoint on 127.0.0.1 (`--metrics-port N`): orders by state, rejects,
 * acknowledgement and fill latency, reconnects, equity and drawdown, in the text exposition
 * format. Bound to loopback only: metrics are for a local scraper or an SSH tunnel.
 */
import type { OrderManager } from "../orders/manager.ts";
import type { Ledger } from "../finance/ledger.ts";

export interface MetricsSources {
  manager: OrderManager;
  ledger: Ledger;
  tradingState: () => string;
  reconnects: () => number;
}

/** The current metrics in Prometheus' text format. */
export function renderMetrics(src: MetricsSources, peak: { value: number }): string {
  const byState = new Map<string, number>();
  const ack: number[] = [], fill: number[] = [];
  for (const m of src.manager.orders.values()) {
    byState.set(m.state, (byState.get(m.state) ?? 0) + 1);
    const q = m.quality;
    if (!q) continue;
    if (Number.isFinite(q.wall_ack - q.wall_sent)) ack.push(q.wall_ack - q.wall_sent);
    if (Number.isFinite(q.wall_fill - q.wall_sent)) fill.push(q.wall_fill - q.wall_sent);
  }
  src.ledger.update();
  const equity = src.ledger.portfolio_value;
  peak.value = Math.max(peak.value, equity);
  const lines = [
    "# HELP harvester_orders Orders by state.",
    "# TYPE harvester_orders gauge",
    ...[...byState].map(([s, n]) => `harvester_orders{state="${s}"} ${n}`),
    "# TYPE harvester_rejects_total counter",
    `harvester_rejects_total ${byState.get("REJECTED") ?? 0}`,
    "# TYPE harvester_refused_transitions_total counter",
    `harvester_refused_transitions_total ${src.manager.refused}`,
    "# TYPE harvester_inflight_queries_total counter",
    `harvester_inflight_queries_total ${src.manager.inflight.queries}`,
    "# TYPE harvester_ack_latency_ms summary",
    `harvester_ack_latency_ms_sum ${ack.reduce((a, b) => a + b, 0)}`,
    `harvester_ack_latency_ms_count ${ack.length}`,
    "# TYPE harvester_fill_latency_ms summary",
    `harvester_fill_latency_ms_sum ${fill.reduce((a, b) => a + b, 0)}`,
    `harvester_fill_latency_ms_count ${fill.length}`,
    "# TYPE harvester_reconnects_total counter",
    `harvester_reconnects_total ${src.reconnects()}`,
    "# TYPE harvester_equity gauge",
    `harvester_equity ${equity}`,
    "# TYPE harvester_drawdown gauge",
    `harvester_drawdown ${peak.value > 0 ? equity / peak.value - 1 : 0}`,
    `harvester_trading_state{state="${src.tradingState()}"} 1`,
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
