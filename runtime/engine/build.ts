/**
 * Builds the parts of one run — algorithm, order manager, venue or broker, `context`, `data`,
 * perf and recorder — the same way for a backtest, a paper session and a live session. What
 * differs is passed in: the broker (none: an in-memory simulated venue), the audit log (none: the
 * null log), the risk gate, the id family and the venue's store.
 */
import type { DailyBarSource } from "../../bundles/mod.ts";
import { type AlgorithmConfig, TradingAlgorithm } from "../api/algorithm.ts";
import { BarData } from "../api/bar_data.ts";
import { Context } from "../api/context.ts";
import { SimulatedBroker } from "../brokers/simulated/simulated_broker.ts";
import type { VenueStore } from "../brokers/simulated/venue_book.ts";
import type { Broker } from "../model/broker.ts";
import { PerfTracker } from "../metrics/perf.ts";
import { Recorder } from "../metrics/recorder.ts";
import { type AuditLog, NULL_AUDIT_LOG } from "../orders/audit.ts";
import { ClientOrderIds } from "../orders/ids.ts";
import type { InFlightPolicy } from "../orders/inflight.ts";
import { OrderManager } from "../orders/manager.ts";
import type { RiskGate } from "../orders/risk.ts";
import { bundleEngine } from "../pipeline/attached.ts";
import type { LoaderMap } from "../pipeline/research.ts";
import type { RunParts } from "./engine.ts";

export interface BuildOptions extends AlgorithmConfig {
  /** The bundle the run reads: pipelines compute over it. */
  source: DailyBarSource;
  pipeline_loaders?: LoaderMap;
  /** Pipeline chunks cover at most this many sessions after the first (live: 0, the day only). */
  pipeline_max_chunk?: number;
  /** A real broker; none: the simulated venue (`venue_name`, `venue_store`). */
  broker?: Broker;
  /** @default "simulated" */
  venue_name?: string;
  venue_store?: VenueStore | null;
  /** Wraps the broker the manager talks to (telemetry, latency figures). */
  wrapBroker?: (b: Broker) => Broker;
  audit?: AuditLog;
  risk?: RiskGate | null;
  ids?: ClientOrderIds;
  dry_run?: boolean;
  journal_before_send?: boolean;
  inflight?: InFlightPolicy;
  /** Keep decision prices and latencies per order (live execution quality). */
  quality?: boolean;
  /** The session clock for order times before the first bar (live: wall time). */
  now?: () => number;
}

export function buildRun(o: BuildOptions): RunParts {
  const algo = new TradingAlgorithm({
    portal: o.portal,
    calendar: o.calendar,
    sessions: o.sessions,
    capital_base: o.capital_base,
    data_frequency: o.data_frequency,
    arena: o.arena,
    params: o.params,
    log: o.log,
  });
  const assetOf = (s: string) => algo.bySymbol.get(s)?.[0];
  const venue = o.broker ? null : new SimulatedBroker({
    market: algo,
    assetOf,
    models: algo.models,
    cash: o.capital_base,
    name: o.venue_name,
    store: o.venue_store,
    // An in-memory venue (a backtest's) is never restarted nor asked for its executions.
    reportsOnce: !o.venue_store,
  });
  const raw: Broker = o.broker ?? venue!;
  const broker = o.wrapBroker ? o.wrapBroker(raw) : raw;
  const fallback = o.now;
  const manager = new OrderManager({
    broker,
    audit: o.audit ?? NULL_AUDIT_LOG,
    risk: o.risk ?? null,
    ids: o.ids ?? new ClientOrderIds(),
    ledger: algo.ledger,
    assetOf,
    priceOf: (a) => algo.current(a, "price"),
    now: fallback
      ? () => (Number.isNaN(algo.current_dt) ? fallback() : algo.current_dt)
      : () => algo.current_dt,
    warn: (e, f) => algo.log.warn(e, f),
    dryRun: o.dry_run,
    journalBeforeSend: o.journal_before_send,
    inflight: o.inflight,
    quality: o.quality,
    inProcessVenue: venue !== null,
  });
  algo.attachOrders(manager);
  algo.pipelines.useEngine(bundleEngine(o.source, o.portal.assets, o.pipeline_loaders));
  if (o.pipeline_max_chunk !== undefined) algo.pipelines.maxChunk = o.pipeline_max_chunk;
  return {
    algo,
    context: new Context(algo),
    data: new BarData(algo),
    manager,
    venue,
    perf: new PerfTracker(o.sessions),
    recorder: new Recorder(algo.ledger, o.sessions),
  };
}
