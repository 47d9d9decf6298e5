/**
 * A live or paper session: the same strategy, algorithm, ledger and metrics as a backtest, with
 * orders going through the order manager to a broker, state persisted after every bar, and a
 * journal of everything. This first cut drives daily bars replayed from a bundle
 * (`--feed bundle:NAME`), which makes a paper session the backtest's twin.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { type DailyBarSource, openDaily } from "../../bundles/mod.ts";
import { BarData } from "../api/bar_data.ts";
import { Context } from "../api/context.ts";
import { setCurrentContext } from "../api/current.ts";
import type { Asset } from "../assets/asset.ts";
import type { Bar, Broker } from "../brokers/broker.ts";
import { PaperBroker } from "../brokers/paper/paper_broker.ts";
import { TradingAlgorithm } from "../engine/algorithm.ts";
import { type Logger, silentLogger } from "../engine/log.ts";
import { Recorder } from "../engine/recorder.ts";
import { Results } from "../engine/results.ts";
import type { Strategy } from "../engine/strategy.ts";
import { HarvesterError } from "../errors.ts";
import { PerfTracker } from "../metrics/perf.ts";
import { ClientOrderIds } from "../orders/ids.ts";
import { inFlightPolicy } from "../orders/inflight.ts";
import { OrderManager } from "../orders/manager.ts";
import { RiskGate, type RiskLimits } from "../orders/risk.ts";
import { DailyPortal } from "../portal/daily_portal.ts";
import { Journal, readJournal } from "./journal.ts";
import { killRequested, KillWatch, pidFile } from "./kill_switch.ts";
import { readState } from "./persistence.ts";
import type { SessionState } from "./session_state.ts";
import { injectFaults } from "./fault_injection.ts";
import { liveLoop } from "./loop.ts";
import { liveSessions } from "./realtime_clock.ts";
import {
  liveOptions,
  minuteLiveLoop,
  type MinuteLiveOptions,
  subscribeUniverse,
} from "./minute_loop.ts";
import { LiveMarket } from "../portal/live_market.ts";
import { bundleMinutes } from "../portal/live_minute_history.ts";
import { serveMetrics } from "./metrics_endpoint.ts";
import { orderQuality, venueQuality } from "./quality.ts";
import { readBaseline, writeDrift } from "./drift.ts";
import { PerfLog, perfLogPath } from "./perf_log.ts";
import { warmUpOrderPath } from "./warm_up.ts";
import { restoreSession } from "./restart.ts";
import { replaySetup } from "./replay_setup.ts";
import { type BenchmarkChoice, setUpBenchmark } from "./live_benchmark.ts";
import type { SessionTracing } from "./telemetry/mod.ts";

/**
 * When the current bar reached the session (performance.now), for latency figures, and how long
 * the venue's own code ran synchronously inside this bar's submits so far (an in-process paper
 * venue's matching and files are a broker's time, not the runtime's).
 */
export const barClock = {
  start: 0,
  venue: 0,
  /** Marks a bar's arrival. */
  begin(): void {
    this.start = performance.now();
    this.venue = 0;
  },
};

export class LiveSessionError extends HarvesterError {
  override name = "LiveSessionError";
}

export interface LiveOptions extends BenchmarkChoice {
  strategy: Strategy;
  /** sha256 of the strategy file: a state file is only restored for the same file. */
  strategy_hash: string;
  /** `bundle:NAME` feed replay. */
  bundle: string;
  start: string | number;
  end: string | number;
  /** Multiplier of real time between bars, or "max" (no waiting). */
  speed: number | "max";
  state_path: string;
  journal_path: string;
  /** Ignore (and replace) an existing state file. */
  fresh?: boolean;
  dry_run?: boolean;
  /**
   * Write the journal out before every order leaves the process, so each sent order's line
   * survives a crash right after sending (a write per order). Off: once per bar.
   */
  journal_before_send?: boolean;
  capital_base?: number;
  params?: Record<string, string>;
  risk?: RiskLimits;
  /** Sell everything when the kill switch is thrown. */
  flatten_on_kill?: boolean;
  /** On SIGINT/SIGTERM, cancel open orders (else they are kept at the broker). */
  cancel_on_stop?: boolean;
  /**
   * Minutes before each session's close at which open orders are cancelled and every position is
   * closed by market orders (`eod_flatten`); the risk gate stays REDUCING until the next session.
   * A daily replay flattens after each session's bar. Absent: off.
   */
  flatten_before_close?: number;
  /** Seconds an order may wait for its acknowledgement or cancel before it is queried. @default 30 */
  inflight_after?: number;
  /** Seconds a working order may go without an event before it is queried. @default 300 */
  working_quiet_after?: number;
  root?: string;
  environ?: Record<string, string | undefined>;
  log?: Logger;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** A backtest's perf CSV to compare with (writes live_drift.csv and live_performance.json). */
  baseline?: string;
  /** Serve Prometheus metrics on 127.0.0.1:port. */
  metrics_port?: number;
  /** OpenTelemetry: spans per bar and per broker call to this OTLP/HTTP collector (base URL). */
  otlp_endpoint?: string;
  /** Filled with, for every order, ms from its bar's arrival to its hand-off to the broker. */
  bar_latencies?: number[];
  /** Bars to use instead of the bundle's, by session date (`harvester replay`). */
  bar_overrides?: Map<string, Bar[]>;
  /**
   * A live minute session on this broker (not connected yet) instead of the bundle replay: the
   * realtime clock from now until `live.end`; the bundle gives the daily history through yesterday.
   */
  broker?: Broker;
  /** Options of a live minute session (with `broker`). */
  live?: MinuteLiveOptions;
}

/** Everything a running session holds. */
export interface Session {
  opts: LiveOptions;
  log: Logger;
  source: DailyBarSource;
  portal: DailyPortal;
  sessions: Float64Array;
  algo: TradingAlgorithm;
  context: Context;
  data: BarData;
  perf: PerfTracker;
  recorder: Recorder;
  broker: Broker;
  /** The simulated broker of a replayed paper session; null with a real broker. */
  paper: PaperBroker | null;
  manager: OrderManager;
  risk: RiskGate;
  journal: Journal;
  benchmark: Float64Array;
  /** First session index to run. */
  resumeAt: number;
  /** Sessions whose decisions already went out before a crash: not decided again. */
  skipDecisionAt: number;
  stopRequested: boolean;
  killed: string | null;
  /** The kill file, looked for at bars (throttled; the signal is immediate). */
  killWatch: KillWatch;
  /** Completed perf rows, appended at each save (the state file holds only their count). */
  perfLog: PerfLog;
  /** Journal lines already in the file when this process started. */
  journalBase: number;
}

function dayMs(v: string | number): number {
  return typeof v === "number" ? v : Date.parse(`${v.slice(0, 10)}T00:00:00Z`);
}

/** Sets up (restoring when a state file exists), runs, and returns the session's results. */
export async function runLive(opts: LiveOptions): Promise<Results> {
  const log = opts.log ?? silentLogger;
  const tracing: SessionTracing | null = opts.otlp_endpoint
    ? (await import("./telemetry/mod.ts")).startTracing(opts.otlp_endpoint, log)
    : null;
  const source = await openDaily(opts.bundle, { root: opts.root, environ: opts.environ });
  try {
    const calendar = source.calendar;
    const clockNow = opts.now ?? Date.now;
    const live = opts.broker ? liveOptions(calendar, clockNow(), opts.live) : null;
    const sessions = live
      ? Float64Array.from(liveSessions(calendar, clockNow(), live.end!))
      : calendar.sessions_in_range(dayMs(opts.start), dayMs(opts.end)).slice();
    if (!sessions.length) {
      throw new LiveSessionError(`no sessions between ${opts.start} and ${opts.end}`);
    }
    const portal = await DailyPortal.load(source, sessions[sessions.length - 1]);
    const algo = new TradingAlgorithm({
      portal,
      calendar,
      sessions,
      capital_base: opts.capital_base ?? 10_000_000,
      data_frequency: opts.broker ? "minute" : "daily",
      arena: "live",
      params: opts.params,
      log,
    });
    mkdirSync(dirname(opts.state_path), { recursive: true });
    mkdirSync(dirname(opts.journal_path), { recursive: true });
    if (opts.fresh) {
      const paperBook = `${opts.state_path}.paper.json`;
      for (const p of [opts.state_path, opts.journal_path, paperBook, `${paperBook}.ops`]) {
        rmSync(p, { force: true });
      }
    }
    const saved = readState<SessionState>(opts.state_path, opts.strategy_hash);
    const now =
      () => (Number.isNaN(algo.current_dt) ? (opts.now?.() ?? Date.now()) : algo.current_dt);
    const journalBase = readJournal(opts.journal_path).length;
    const journal = new Journal(opts.journal_path, opts.now ?? Date.now);
    const assetBySymbol = (s: string) => algo.bySymbol.get(s)?.[0];
    const paper = opts.broker ? null : new PaperBroker({
      assetOf: (s) => assetBySymbol(s)!,
      cash: opts.capital_base ?? 10_000_000,
      statePath: `${opts.state_path}.paper.json`,
    });
    if (paper) injectFaults(paper, opts.environ ?? {});
    const venue: Broker = opts.broker ?? paper!;
    const broker: Broker = tracing ? tracing.wrap(venue) : venue;
    const minutes = opts.broker ? bundleMinutes(source) : undefined;
    const market = opts.broker
      ? new LiveMarket(portal, { staleAfterMs: opts.live?.stale_after_ms, now: clockNow, minutes })
      : null;
    if (market) algo.market = market;
    const looked = new Set<Asset>();
    const lookup = algo.symbol.bind(algo);
    algo.symbol = (sym: string) => {
      const a = lookup(sym);
      looked.add(a);
      return a;
    };
    const latencies = opts.bar_latencies;
    if (latencies) {
      const submit = broker.submit.bind(broker);
      broker.submit = (r) => {
        const t0 = performance.now();
        latencies.push(t0 - barClock.start - barClock.venue);
        const sent = submit(r);
        barClock.venue += performance.now() - t0;
        return sent;
      };
    }
    const risk = new RiskGate(opts.risk);
    // Ids are reserved in fsync'd blocks before use: after a crash, those between the last one
    // accounted for and the ceiling are looked up at the broker, whatever the journal lost.
    const reserve = (upTo: number) => journal.write("ids_reserved", { up_to: upTo }, true);
    const ids = saved
      ? new ClientOrderIds(saved.orders.ids.tag, saved.orders.ids.next, reserve)
      : new ClientOrderIds(undefined, 1, reserve);
    const manager = new OrderManager({
      broker,
      journal,
      risk,
      ids,
      ledger: algo.ledger,
      assetOf: assetBySymbol,
      priceOf: (a: Asset) => algo.current(a, "price"),
      now,
      warn: (e, f) => log.warn(e, f),
      dryRun: opts.dry_run,
      journalBeforeSend: opts.journal_before_send,
      inflight: inFlightPolicy(opts.inflight_after, opts.working_quiet_after),
    });
    const session = () => algo.current_session, tradingState = () => risk.state;
    tracing?.watch({ journal, manager, market, session, tradingState });
    algo.router = {
      place: (a, n, l, s) => manager.place(a, n, l, s),
      cancel: (id) => manager.cancel(id),
      get: (id) => manager.get(id),
      openOrders: (a) => manager.open(a).map((m) => m.view),
    };
    const context = new Context(algo);
    const data = new BarData(algo);
    setCurrentContext(context);
    await broker.connect();
    const perf = new PerfTracker(sessions);
    const recorder = new Recorder(algo.ledger, sessions);
    const s: Session = {
      opts,
      log,
      source,
      portal,
      sessions,
      algo,
      context,
      data,
      perf,
      recorder,
      broker,
      paper,
      manager,
      risk,
      journal,
      benchmark: new Float64Array(sessions.length),
      resumeAt: 0,
      skipDecisionAt: -1,
      stopRequested: false,
      killed: null,
      killWatch: new KillWatch(opts.state_path),
      journalBase,
      // A daily replay continues its perf table; a live minute run starts its own.
      perfLog: new PerfLog(
        perfLogPath(opts.state_path),
        saved && !opts.broker && !("columns" in saved.perf) ? saved.perf.rows : 0,
      ),
    };
    // initialize registers schedules, models and controls; on a restart the saved context then
    // replaces whatever it assigned, so the strategy continues from where it was.
    algo.current_dt = sessions[0];
    algo.current_session = sessions[0];
    await opts.strategy.initialize(context);
    algo.initialized = true;
    algo.controls.initialized = true;
    paper?.setModels(algo.blotter.slippage, algo.blotter.commission);
    if (paper) paper.blotter.cancel_policy = algo.blotter.cancel_policy;
    const universe = opts.live?.universe?.map((u) => algo.symbol(u)) ?? [...looked];
    setUpBenchmark(s, universe); // before a restart restores earlier sessions' returns
    if (saved) await restoreSession(s, saved);
    else {
      journal.write("session_started", {
        sessions: sessions.length,
        first: isoDate(sessions[0] / DAY_MS),
        last: isoDate(sessions[sessions.length - 1] / DAY_MS),
        feed: opts.broker ? `${broker.name}:minute` : `bundle:${opts.bundle}`,
        fresh: Boolean(opts.fresh),
        setup: replaySetup(opts, live), // what `harvester replay` needs to run it again
      }, true);
    }
    // The order path compiled before the first bar (on throw-away objects; see warm_up.ts).
    if (portal.assets.length) await warmUpOrderPath(portal.assets[0]);
    manager.prepareIds();
    writeFileSync(pidFile(opts.state_path), String(Deno.pid));
    const onStop = () => {
      s.stopRequested = true;
    };
    const onKill = () => {
      s.killed = killRequested(opts.state_path) ?? "kill switch (signal)";
    };
    Deno.addSignalListener("SIGINT", onStop);
    Deno.addSignalListener("SIGTERM", onStop);
    Deno.addSignalListener("SIGUSR1", onKill);
    const metrics = opts.metrics_port === undefined ? null : serveMetrics(opts.metrics_port, {
      manager,
      ledger: algo.ledger,
      tradingState: () => risk.state,
      reconnects: () => 0,
    });
    try {
      if (market) {
        await subscribeUniverse(s, market, universe);
        await minuteLiveLoop(s, market, universe, live!);
      } else await liveLoop(s);
      tracing?.endBar(); // the stop's cancels are no bar's
      if (s.stopRequested && opts.cancel_on_stop) {
        const n = await manager.cancelAll();
        manager.drain();
        journal.write("stop_cancel", { cancelled: n }, true);
      }
    } finally {
      await metrics?.shutdown();
      minutes?.close();
      if (opts.broker) await broker.disconnect().catch(() => {});
      Deno.removeSignalListener("SIGINT", onStop);
      Deno.removeSignalListener("SIGTERM", onStop);
      Deno.removeSignalListener("SIGUSR1", onKill);
      journal.write(
        "session_stopped",
        { at_session: s.resumeAt, stop_requested: s.stopRequested },
        true,
      );
      journal.close();
      s.perfLog.close();
      if (existsSync(pidFile(opts.state_path))) rmSync(pidFile(opts.state_path), { force: true });
    }
    const results = new Results(perf, recorder, s.benchmark);
    const dir = dirname(opts.state_path);
    writeFileSync(
      `${opts.state_path}.quality.json`,
      JSON.stringify(
        {
          venues: [venueQuality(broker.name, [...manager.orders.values()])],
          orders: [...manager.orders.values()].map(orderQuality),
        },
        null,
        1,
      ),
    );
    if (opts.baseline) writeDrift(results, readBaseline(opts.baseline), dir);
    return results;
  } finally {
    setCurrentContext(null);
    source.close();
    await tracing?.shutdown();
  }
}
