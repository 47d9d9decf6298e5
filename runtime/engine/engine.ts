/**
 * The engine: one loop for every mode. A clock (clock.ts) yields events; for each the engine does
 * zipline's work in zipline's order — a session's start (ledger, dividends, splits), before
 * trading start, each bar (the market moves, the venue matches resting orders, broker events
 * reach the ledger, the strategy decides, scheduled functions run), the session's end (auto-close,
 * cancel policy, account controls, prices, the perf row) and the end of the run (`analyze`).
 *
 * A backtest, a paper session and a live session differ only in their clock, their market driver,
 * their broker and their hooks: the live concerns (journal, kill switch, feed health, state saves,
 * telemetry) attach at the hook points below and never copy this loop.
 */
import type { BarData } from "../api/bar_data.ts";
import type { Context } from "../api/context.ts";
import type { TradingAlgorithm } from "../api/algorithm.ts";
import type { SimulatedBroker } from "../brokers/simulated/simulated_broker.ts";
import type { PerfTracker } from "../metrics/perf.ts";
import type { Recorder } from "../metrics/recorder.ts";
import { Results } from "../metrics/results.ts";
import type { OrderManager } from "../orders/manager.ts";
import type { Clock, ClockEvent } from "./clock.ts";
import type { MarketDriver } from "./drivers.ts";
import { closeSession } from "./session_close.ts";
import type { Strategy } from "./strategy.ts";

export type SessionStart = Extract<ClockEvent, { kind: "session_start" }>;
export type BarEvent = Extract<ClockEvent, { kind: "bar" }>;
export type SessionEnd = Extract<ClockEvent, { kind: "session_end" }>;

/**
 * What a mode adds to the loop, each at one point of it. Every hook may be async; all are
 * optional. `i` is the session's index in the run.
 */
export interface EngineHooks {
  /** A session began: ledger opened, dividends and splits applied. */
  sessionStart?(e: SessionStart, i: number): void | Promise<void>;
  /** A bar's market data is visible and the venue matched it; broker events not yet applied. */
  barOpen?(e: BarEvent): void | Promise<void>;
  /** Broker events applied; the strategy decides next (kill switch, feed health, flatten). */
  beforeDecisions?(e: BarEvent): void | Promise<void>;
  /** The bar's decisions were made (orders out: in-flight checks, journal, ids). */
  afterDecisions?(e: BarEvent): void | Promise<void>;
  /** The session's cancels and auto-close are done; its perf row is next (loss limit). */
  sessionClosing?(e: SessionEnd, i: number): void | Promise<void>;
  /** The session's perf row is written (state save). */
  sessionEnd?(e: SessionEnd, i: number): void | Promise<void>;
}

/** Everything one run is made of (engine/build.ts makes them). */
export interface RunParts {
  algo: TradingAlgorithm;
  context: Context;
  data: BarData;
  manager: OrderManager;
  /** The in-process venue (backtests and paper sessions); null with a real broker. */
  venue: SimulatedBroker | null;
  perf: PerfTracker;
  recorder: Recorder;
}

export interface EngineOptions {
  parts: RunParts;
  strategy: Strategy;
  driver: MarketDriver;
  /** The benchmark's return of session `i` at its end (0 without a benchmark). */
  benchmark(i: number, e: SessionEnd): number;
  hooks?: readonly EngineHooks[];
  /** Checked before every event: true stops the run there. */
  stopRequested?(): boolean;
  /** Fill orders on the bar that placed them too (an explicit option; zipline: next bar). */
  same_bar_fills?: boolean;
  /** Called after each session's perf row (progress bars). */
  onSession?(i: number, total: number): void;
}

type Phase = keyof EngineHooks;

export class Engine {
  /** Each session's benchmark return, as used in its perf row. */
  readonly benchmark: Float64Array;
  /** Wall-clock ms of the loop (first event to last). */
  simulationMs = NaN;
  private readonly phases: { [P in Phase]: NonNullable<EngineHooks[P]>[] };
  private i = -1;
  private t = -1;

  constructor(private readonly o: EngineOptions) {
    this.benchmark = new Float64Array(o.parts.algo.sessions.length);
    const pick = <P extends Phase>(p: P) =>
      (o.hooks ?? []).map((h) => h[p]?.bind(h)).filter((f) => f !== undefined) as NonNullable<
        EngineHooks[P]
      >[];
    this.phases = {
      sessionStart: pick("sessionStart"),
      barOpen: pick("barOpen"),
      beforeDecisions: pick("beforeDecisions"),
      afterDecisions: pick("afterDecisions"),
      sessionClosing: pick("sessionClosing"),
      sessionEnd: pick("sessionEnd"),
    };
  }

  /** The run's index of the session in progress (-1 before the first). */
  get sessionIndex(): number {
    return this.i;
  }

  /** Runs the clock's events to its end (or a stop) and returns the results. */
  async run(clock: Clock): Promise<Results> {
    const t0 = performance.now();
    const stop = this.o.stopRequested;
    const { context, data } = this.o.parts, handle = this.o.strategy.handle_data;
    for (;;) {
      if (stop?.()) break;
      const next = clock.next();
      const e = next instanceof Promise ? await next : next;
      if (e === null) break;
      if (e.kind === "bar") {
        // A bar: opened, decided, closed. The strategy is awaited here, in the loop itself, and
        // the steps around it are plain calls unless a hook or a scheduled function needs
        // awaiting: an async step per bar was an object and a promise more for every minute.
        const opened = this.openBar(e);
        if (opened) await opened;
        if (handle) await handle(context, data);
        const closed = this.closeBar(e);
        if (closed) await closed;
      } else if (e.kind === "session_start") await this.sessionStart(e);
      else if (e.kind === "before_trading_start") await this.beforeTradingStart(e.time);
      else await this.sessionEnd(e);
    }
    this.simulationMs = performance.now() - t0;
    return this.results();
  }

  /** The results so far (every completed session). */
  results(): Results {
    const { perf, recorder } = this.o.parts;
    return new Results(perf, recorder, this.benchmark, {
      load_ms: NaN,
      simulation_ms: this.simulationMs,
    });
  }

  /** zipline's `analyze(context, results)`: at the end of every kind of run. */
  async analyze(results: Results): Promise<void> {
    const analyze = this.o.strategy.analyze;
    if (analyze) await analyze(this.o.parts.context, results);
  }

  private async sessionStart(e: SessionStart): Promise<void> {
    const { algo, manager, venue, perf } = this.o.parts;
    const portal = algo.portal, session = e.session;
    this.i = runIndex(algo.sessions, session, this.i);
    const t = this.t = portal.sessionIndex(session);
    await this.o.driver.startSession(algo, t, session);
    const ledger = algo.ledger;
    ledger.start_of_session();
    const divs = portal.dividends.get(t);
    if (divs && ledger.positions.size > 0) {
      ledger.earn_dividends(
        divs.map((d) => ({ asset: d.asset, amount: d.value, pay_date: d.pay_date ?? NaN })),
      );
    }
    ledger.pay_dividends(portal.sessions[t]);
    perf.start_of_session(ledger, algo.calendar.session_first_minute(session));
    const splits = portal.splits.get(t);
    if (splits) {
      const relevant = splits.filter(([a]) =>
        ledger.positions.has(a.sid) || manager.open(a).length > 0
      );
      if (relevant.length) {
        venue?.processSplits(relevant, session);
        manager.drain();
        ledger.process_splits(relevant);
      }
    }
    for (const h of this.phases.sessionStart) await h(e, this.i);
  }

  private async beforeTradingStart(time: number): Promise<void> {
    const { algo, context, data } = this.o.parts;
    if (algo.pipelines.size) await algo.pipelines.computeEager(algo.current_session);
    const bts = this.o.strategy.before_trading_start;
    if (!bts) return;
    algo.at(time);
    algo.inBeforeTradingStart(true);
    try {
      await bts(context, data);
    } finally {
      algo.inBeforeTradingStart(false);
    }
  }

  /**
   * A bar becomes current: the market shows it, the venue matches it, and its reports reach the
   * manager before the strategy decides. A Promise only when a hook is to be awaited.
   */
  private openBar(e: BarEvent): Promise<void> | undefined {
    const { algo, manager, venue } = this.o.parts;
    this.o.driver.bar(algo, this.t, e.time);
    venue?.onBar(e.time);
    if (this.phases.barOpen.length || this.phases.beforeDecisions.length) {
      return this.openBarHooked(e);
    }
    manager.drain();
    manager.reportDeferred();
  }

  private async openBarHooked(e: BarEvent): Promise<void> {
    const { manager } = this.o.parts;
    for (const h of this.phases.barOpen) await h(e);
    manager.drain();
    manager.reportDeferred();
    for (const h of this.phases.beforeDecisions) await h(e);
  }

  /**
   * After `handle_data`: the bar's scheduled functions, same-bar fills, then the hooks. A Promise
   * only when any of them is there.
   */
  private closeBar(e: BarEvent): Promise<void> | undefined {
    if (
      this.o.parts.algo.scheduled.length || this.o.same_bar_fills ||
      this.phases.afterDecisions.length
    ) return this.closeBarAsync(e);
  }

  private async closeBarAsync(e: BarEvent): Promise<void> {
    const { algo, manager, venue } = this.o.parts;
    if (algo.scheduled.length) await this.scheduledAt(e);
    if (this.o.same_bar_fills && venue) {
      venue.onBar(e.time, true);
      manager.drain();
    }
    for (const h of this.phases.afterDecisions) await h(e);
  }

  /** The scheduled functions due at this bar, in registration order. */
  private async scheduledAt(e: BarEvent): Promise<void> {
    const { algo, context, data } = this.o.parts;
    const daily = algo.data_frequency === "daily";
    for (const f of algo.scheduled) {
      const k = f.calendar.session_index(e.session);
      if (k < 0) continue;
      if (daily ? f.rule.sessionMatches(k) : f.rule.minuteMatches(k, e.time)) {
        await (f.func as (c: Context, d: BarData) => unknown)(context, data);
      }
    }
  }

  private async sessionEnd(e: SessionEnd): Promise<void> {
    const { algo, manager, perf, recorder, venue } = this.o.parts;
    algo.at(e.time);
    manager.drain();
    await closeSession(this.o.parts, e, this.stopping());
    manager.drain();
    algo.validate_account_controls();
    algo.ledger.sync_last_sale_prices(e.time, (a) => algo.current(a, "price"));
    for (const h of this.phases.sessionClosing) await h(e, this.i);
    recorder.endOfSession(this.i, e.time);
    const b = this.benchmark[this.i] = this.o.benchmark(this.i, e);
    perf.end_of_session(algo.ledger, e.time, b, recorder.countsToday(), algo.recorded);
    manager.endOfSession();
    venue?.endOfSession();
    this.o.driver.endSession?.(algo, this.t);
    for (const h of this.phases.sessionEnd) await h(e, this.i);
    this.o.onSession?.(this.i, algo.sessions.length);
  }

  private stopping(): boolean {
    return this.o.stopRequested?.() ?? false;
  }
}

/** Index of `session` in the run's sessions (searching forward from the last one). */
function runIndex(sessions: Float64Array, session: number, from: number): number {
  for (let k = Math.max(0, from); k < sessions.length; k++) if (sessions[k] === session) return k;
  const k = sessions.indexOf(session);
  if (k < 0) throw new RangeError(`session ${new Date(session).toISOString()} is not in the run`);
  return k;
}
