/**
 * A live or paper session: the backtest's engine, algorithm, order manager, ledger and metrics,
 * with a different clock, market and broker, and the live concerns as hooks on the same loop
 * (session_hooks.ts). A paper session replays a bundle's daily bars (`--feed bundle:NAME`) on the
 * engine's own simulated venue, persisted; a live session trades a broker's minute bars on the
 * realtime clock. State is saved after every session; a restart re-runs the interrupted one.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { wakeableSleep } from "./wakeable_sleep.ts";
import {
  type DailyBarSource,
  openDaily,
  type OpenMinuteBars,
  openMinuteBars,
} from "../../bundles/mod.ts";
import type { TradingAlgorithm } from "../api/algorithm.ts";
import type { BarData } from "../api/bar_data.ts";
import type { Context } from "../api/context.ts";
import { runInScope } from "../api/scope.ts";
import type { Asset } from "../assets/asset.ts";
import { PaperStore } from "../brokers/paper/paper_store.ts";
import { buildRun } from "../engine/build.ts";
import { asyncClock, type Clock, pacedClock, simulationClock } from "../engine/clock.ts";
import { dailyDriver, liveDriver, minuteDriver } from "../engine/drivers.ts";
import { Engine, type RunParts } from "../engine/engine.ts";
import { type Logger, silentLogger } from "../log.ts";
import type { PerfTracker } from "../metrics/perf.ts";
import type { Recorder } from "../metrics/recorder.ts";
import type { Results } from "../metrics/results.ts";
import type { Broker } from "../model/broker.ts";
import { ClientOrderIds } from "../orders/ids.ts";
import { inFlightPolicy } from "../orders/inflight.ts";
import type { OrderManager } from "../orders/manager.ts";
import { RiskGate } from "../orders/risk.ts";
import { DailyPortal } from "../portal/daily_portal.ts";
import { LiveMarket } from "../portal/live_market.ts";
import { MinuteMarket } from "../portal/minute_market.ts";
import { bundleMinutes } from "../portal/live_minute_history.ts";
import { BarClock } from "./bar_clock.ts";
import { readBaseline, writeDrift } from "./drift.ts";
import { prepareFiles } from "./session_files.ts";
import { LiveSessionError } from "./session_error.ts";
import { injectFaults } from "./fault_injection.ts";
import { subscribeUniverse } from "./feed.ts";
import { Journal } from "./journal.ts";
import { killRequested, KillWatch, resumeRequested } from "./kill_switch.ts";
import { removeOldPidFile, SessionLock } from "./session_lock.ts";
import { sessionBenchmark, setUpBenchmark } from "./live_benchmark.ts";
import { type LiveOptions, liveOptions, type MinuteLiveOptions } from "./live_options.ts";
import { serveMetrics } from "./metrics_endpoint.ts";
import { PerfLog, perfLogPath } from "./perf_log.ts";
import { orderQuality, venueQuality } from "./quality.ts";
import { liveSessions, realtimeClock } from "./realtime_clock.ts";
import { replaySetup } from "./replay_setup.ts";
import { restoreSession } from "./restart.ts";
import { sessionHooks } from "./session_hooks.ts";
import { saveState, type SessionState } from "./session_state.ts";
import type { SessionTracing } from "./telemetry/mod.ts";
import { warmUpOrderPath } from "./warm_up.ts";

export type { LiveOptions, MinuteLiveOptions };

export { LiveSessionError };

/** Everything a running session holds (what its hooks and restart read). */
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
  /** The broker the order manager talks to (the simulated venue of a paper session, or a real one). */
  broker: Broker;
  /** Whether the broker is the engine's own simulated venue (a replayed paper session). */
  paper: boolean;
  manager: OrderManager;
  risk: RiskGate;
  journal: Journal;
  /** A live minute session's market (null in a replayed paper session). */
  market: LiveMarket | null;
  /** A replay of a bundle's minute bars: its market (null otherwise). */
  replayMinutes: MinuteMarket | null;
  /** Each session's benchmark return (filled at the sessions' ends). */
  benchmark: Float64Array;
  /** Session returns known in advance (a replay's, from the bundle or a file). */
  replayBenchmark: Float64Array | null;
  /** First session index to run. */
  resumeAt: number;
  stopRequested: boolean;
  killed: string | null;
  /** `harvester resume`'s reason, applied at the next bar (null: none asked). */
  resumeRequest: string | null;
  /** The kill file, looked for at bars (throttled; the signal is immediate). */
  killWatch: KillWatch;
  /** Completed perf rows, appended at each save (the state file holds only their count). */
  perfLog: PerfLog;
  /** Journal lines already in the file when this process started. */
  journalBase: number;
  /** When the current bar reached the session (latency figures). */
  barClock: BarClock;
  /** After a restart: positions are compared with the broker's at the first bar. */
  driftCheck: boolean;
  /** Waits `ms`, or less: a stop (SIGINT, SIGTERM) ends every wait at once. */
  sleep(ms: number): Promise<void>;
  /** Ends the waits in progress. */
  wake(): void;
}

function dayMs(v: string | number): number {
  return typeof v === "number" ? v : Date.parse(`${v.slice(0, 10)}T00:00:00Z`);
}

/** Sets up (restoring when a state file exists), runs, and returns the session's results. */
export async function runLive(opts: LiveOptions): Promise<Results> {
  const log = opts.log ?? silentLogger;
  const tracing: SessionTracing | null = opts.otlp_endpoint
    ? await (await import("./telemetry/mod.ts")).startTracing(opts.otlp_endpoint, log)
    : null;
  const minuteReplay = !opts.broker && opts.data_frequency === "minute";
  const where = { root: opts.root, environ: opts.environ };
  const source = await openDaily(opts.bundle, where);
  const minutes = opts.broker ? bundleMinutes(source) : undefined;
  let lock: SessionLock | null = null;
  let replayMinutes: MinuteMarket | null = null, market: LiveMarket | null = null;
  // A minute replay reads its bars as a minute backtest does (the minute cache, written first).
  let replayBars: OpenMinuteBars | null = null;
  try {
    if (minuteReplay) {
      replayBars = await openMinuteBars(source, opts.environ);
    }
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
    mkdirSync(dirname(opts.state_path), { recursive: true });
    mkdirSync(dirname(opts.journal_path), { recursive: true });
    // One process per state file, before anything of it is read or removed (--fresh included).
    lock = SessionLock.acquire(opts.state_path, clockNow);
    removeOldPidFile(opts.state_path);
    const paperPath = `${opts.state_path}.paper.json`;
    const { saved, earlier, tag } = prepareFiles(opts, paperPath, calendar, sessions, log);
    const journalBase = earlier.length;
    const journal = new Journal(opts.journal_path, clockNow);
    const risk = new RiskGate(opts.risk);
    // Ids are reserved in fsync'd blocks before use: after a crash, those between the last one
    // accounted for and the ceiling are looked up at the broker, whatever the journal lost.
    const reserve = (upTo: number) => journal.write("ids_reserved", { up_to: upTo }, true);
    const ids = saved
      ? new ClientOrderIds(saved.orders.ids.tag, saved.orders.ids.next, reserve)
      : new ClientOrderIds(tag, 1, reserve);
    const barClock = new BarClock();
    const parts = buildRun({
      portal,
      calendar,
      sessions,
      capital_base: opts.capital_base ?? 10_000_000,
      data_frequency: opts.broker || minuteReplay ? "minute" : "daily",
      arena: "live",
      params: opts.params,
      log,
      source,
      pipeline_max_chunk: opts.broker ? 0 : undefined,
      broker: opts.broker,
      venue_name: "paper",
      venue_store: opts.broker ? null : new PaperStore(paperPath),
      wrapBroker: (b) => barClock.measure(tracing ? tracing.wrap(b) : b, opts.bar_latencies),
      audit: journal,
      risk,
      ids,
      dry_run: opts.dry_run,
      journal_before_send: opts.journal_before_send,
      inflight: inFlightPolicy(opts.inflight_after, opts.working_quiet_after),
      quality: true,
      now: clockNow,
    });
    const { algo, context, manager, venue } = parts;
    if (venue) injectFaults(venue, opts.environ ?? {});
    market = opts.broker
      ? new LiveMarket(portal, { staleAfterMs: opts.live?.stale_after_ms, now: clockNow, minutes })
      : null;
    if (market) algo.market = market;
    replayMinutes = replayBars
      ? new MinuteMarket(portal, replayBars, portal.sessionIndex(sessions[sessions.length - 1]))
      : null;
    if (replayMinutes) algo.market = replayMinutes;
    const looked = new Set<Asset>();
    const lookup = algo.symbol.bind(algo);
    algo.symbol = (sym: string) => {
      const a = lookup(sym);
      looked.add(a);
      return a;
    };
    const s: Session = {
      opts,
      log,
      source,
      portal,
      sessions,
      algo,
      context,
      data: parts.data,
      perf: parts.perf,
      recorder: parts.recorder,
      broker: manager.d.broker,
      paper: venue !== null,
      manager,
      risk,
      journal,
      market,
      replayMinutes,
      benchmark: new Float64Array(sessions.length),
      replayBenchmark: null,
      resumeAt: 0,
      stopRequested: false,
      killed: null,
      resumeRequest: resumeRequested(opts.state_path),
      killWatch: new KillWatch(opts.state_path),
      journalBase,
      // A daily replay continues its perf table; a live minute run starts its own.
      perfLog: new PerfLog(
        perfLogPath(opts.state_path),
        saved && !opts.broker && !("columns" in saved.perf) ? saved.perf.rows : 0,
      ),
      barClock,
      driftCheck: false,
      ...wakeableSleep(),
    };
    return await runInScope(context, () => runSession(s, parts, saved, tracing, looked));
  } finally {
    lock?.release();
    await replayMinutes?.settle();
    replayBars?.close();
    await market?.settle();
    minutes?.close();
    source.close();
    await tracing?.shutdown();
  }
}

/** Initialize, restore or start, then the engine over the session's clock; the results. */
async function runSession(
  s: Session,
  parts: RunParts,
  saved: SessionState | null,
  tracing: SessionTracing | null,
  looked: Set<Asset>,
): Promise<Results> {
  const { opts, algo, manager, journal, risk } = s;
  await s.broker.connect();
  // initialize registers schedules, models and controls; on a restart the saved context then
  // replaces whatever it assigned, so the strategy continues from where it was.
  algo.atSession(s.sessions[0], s.portal.sessionIndex(s.sessions[0]) - 1);
  await opts.strategy.initialize(s.context);
  algo.markInitialized();
  const universe = opts.live?.universe?.map((u) => algo.symbol(u)) ?? [...looked];
  setUpBenchmark(s, universe); // before a restart restores earlier sessions' returns
  if (saved) await restoreSession(s, saved);
  else {
    journal.write("session_started", {
      sessions: s.sessions.length,
      first: isoDate(s.sessions[0] / DAY_MS),
      last: isoDate(s.sessions[s.sessions.length - 1] / DAY_MS),
      feed: opts.broker ? `${s.broker.name}:minute` : `bundle:${opts.bundle}`,
      fresh: Boolean(opts.fresh),
      setup: replaySetup(opts, s.market ? opts.live ?? null : null),
    }, true);
    // The state before the first session: a crash in it restarts as a crash in any later one
    // (its id family, the venue's orders found by their ids), never as a new session.
    saveState(s, -1, 0);
  }
  // The order path compiled before the first bar (on throw-away objects; see warm_up.ts).
  if (s.portal.assets.length) await warmUpOrderPath(s.portal.assets[0]);
  manager.prepareIds();
  const onStop = () => {
    s.stopRequested = true;
    s.wake(); // a sleep until the next bar ends now
  };
  const onKill = () => {
    s.killed = killRequested(opts.state_path) ?? "kill switch (signal)";
  };
  Deno.addSignalListener("SIGINT", onStop);
  Deno.addSignalListener("SIGTERM", onStop);
  Deno.addSignalListener("SIGUSR1", onKill);
  const onResume = () => {
    s.resumeRequest = resumeRequested(opts.state_path);
  };
  Deno.addSignalListener("SIGUSR2", onResume);
  const metrics = opts.metrics_port === undefined ? null : serveMetrics(opts.metrics_port, {
    manager,
    ledger: algo.ledger,
    tradingState: () => risk.state,
  });
  const engine = new Engine({
    parts,
    strategy: opts.strategy,
    driver: s.market
      ? liveDriver(s.portal, s.market)
      : s.replayMinutes
      ? minuteDriver(s.portal, s.replayMinutes)
      : dailyDriver(s.portal),
    benchmark: (i, e) =>
      s.replayBenchmark ? s.replayBenchmark[i] : sessionBenchmark(s, s.market!, e),
    hooks: tracing ? tracing.around(sessionHooks(s), s) : [sessionHooks(s)],
    stopRequested: () => s.stopRequested,
  });
  // The engine's benchmark array is the session's: earlier sessions' returns restored into it.
  engine.benchmark.set(s.benchmark);
  s.benchmark = engine.benchmark;
  let results: Results;
  try {
    if (s.market) await subscribeUniverse(s.broker, journal, s.market, universe);
    results = await engine.run(sessionClock(s, universe));
    tracing?.endOpen(); // the stop's cancels are no bar's nor session's
    if (s.stopRequested && opts.cancel_on_stop) {
      const n = await manager.cancelAll();
      manager.drain();
      journal.write("stop_cancel", { cancelled: n }, true);
    }
  } finally {
    await metrics?.shutdown();
    if (opts.broker) await s.broker.disconnect().catch(() => {});
    Deno.removeSignalListener("SIGINT", onStop);
    Deno.removeSignalListener("SIGTERM", onStop);
    Deno.removeSignalListener("SIGUSR1", onKill);
    Deno.removeSignalListener("SIGUSR2", onResume);
    journal.write(
      "session_stopped",
      { at_session: s.resumeAt, stop_requested: s.stopRequested },
      true,
    );
    journal.close();
    s.perfLog.close();
    parts.venue?.close();
  }
  await engine.analyze(results);
  const orders = [...manager.orders.values()];
  writeFileSync(
    `${opts.state_path}.quality.json`,
    JSON.stringify(
      { venues: [venueQuality(s.broker.name, orders)], orders: orders.map(orderQuality) },
      null,
      1,
    ),
  );
  if (opts.baseline) writeDrift(results, readBaseline(opts.baseline), dirname(opts.state_path));
  return results;
}

/** The session's clock: the realtime clock live, the replayed sessions (paced) otherwise. */
function sessionClock(s: Session, universe: Asset[]): Clock {
  const { opts, algo } = s;
  if (s.market) {
    const o = liveOptions(algo.calendar, (opts.now ?? Date.now)(), opts.live);
    const market = s.market;
    return asyncClock(realtimeClock({
      calendar: algo.calendar,
      end: o.end ?? algo.calendar.session_close(s.sessions[s.sessions.length - 1]),
      now: opts.now,
      sleep: opts.sleep ?? s.sleep,
      skewMs: () => s.broker.timeSkewMs(),
      btsMinutesBeforeOpen: o.bts_minutes_before_open,
      barsReady: (m) => market.hasBars(universe, m),
      barGraceMs: o.bar_grace_ms,
      stop: () => s.stopRequested,
    }));
  }
  const replay = simulationClock(algo.calendar, s.sessions, algo.data_frequency, s.resumeAt);
  if (opts.speed === "max") return replay;
  const sleep = opts.sleep ?? s.sleep;
  return pacedClock(replay, opts.speed, sleep);
}
