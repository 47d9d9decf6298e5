/**
 * `run_algorithm`: a backtest from a strategy (module or functions) over a bundle, returning the
 * perf, positions, orders and transactions tables — for the CLI, notebooks and tests alike.
 */
import { DAY_MS, isoDate, parseIsoDate } from "../../calendars/days.ts";
import { get_calendar } from "../../calendars/registry.ts";
import {
  type DailyBarSource,
  ingest,
  type MinuteSpan,
  NoIngestionError,
  openDaily,
  type OpenMinuteBars,
  openMinuteBars,
  type Progress,
  silentProgress,
} from "../../bundles/mod.ts";
import { runInScope } from "../api/scope.ts";
import { HarvesterError, InvalidInputError } from "../errors.ts";
import { DailyPortal } from "../portal/daily_portal.ts";
import { HISTORY_BEFORE_DATA, type HistoryBeforeData } from "../portal/history_start.ts";
import { benchmarkReturns, benchmarkSource } from "./benchmark.ts";
import { type Logger, silentLogger } from "../log.ts";
import { Results } from "../metrics/results.ts";
import type { RecordedData } from "../metrics/recorder.ts";
import { buildRun } from "./build.ts";
import { simulationClock } from "./clock.ts";
import { dailyDriver, minuteDriver } from "./drivers.ts";
import { Engine } from "./engine.ts";
import { MinuteMarket } from "../portal/minute_market.ts";
import type { Strategy } from "./strategy.ts";
import type { LoaderMap } from "../pipeline/research.ts";

export interface RunOptions {
  /** The strategy: a module's exports or an object with its functions. */
  strategy: Strategy;
  start: string | number;
  end: string | number;
  /** @default 10_000_000 */
  capital_base?: number;
  /** @default "daily" */
  data_frequency?: "daily" | "minute";
  /** @default "zipline-examples" */
  bundle?: string;
  /** Use the newest ingestion at or before this time (UTC ms). */
  bundle_timestamp?: number;
  /** Defaults to the bundle's calendar. */
  trading_calendar?: string;
  /** Daily benchmark returns by session (UTC-midnight ms → return). */
  benchmark_returns?: Map<number, number>;
  benchmark_file?: string;
  benchmark_symbol?: string;
  /** The benchmark as the asset with this sid (zipline's `--benchmark-sid`). */
  benchmark_sid?: number;
  /** Run without a benchmark (benchmark columns 0, alpha/beta null). */
  no_benchmark?: boolean;
  /**
   * Fill orders on the bar they are placed (at its close) instead of zipline's next bar. Off by
   * default: zipline's rule is what its users' results assume.
   */
  same_bar_fills?: boolean;
  /**
   * A `data.history` window reaching before the bundle's first session: zipline's
   * `HistoryWindowStartsBeforeData` (`"raise"`), or NaN padding (`"nan"`).
   * @default "raise"
   */
  history_before_data?: HistoryBeforeData;
  /** `-D name=value` definitions, as `context.params`. */
  params?: Record<string, string>;
  root?: string;
  environ?: Record<string, string | undefined>;
  log?: Logger;
  progress?: Progress;
  /** Loaders for pipeline datasets that carry none (zipline's `custom_loader`). */
  pipeline_loaders?: LoaderMap;
  /**
   * Called when the run fails, before the error is thrown, with the results of the sessions
   * completed so far (the CLI writes them, so a failed run still leaves its outputs).
   */
  on_failure?: (failure: RunFailure) => void | Promise<void>;
  /**
   * Told the recorder's rows at each session's end: the CLI's `-o x.csv` writes the side tables
   * while the run goes on (`output_stream.ts`).
   */
  recorded?: { session(d: RecordedData): void };
}

/** What `on_failure` is told about a failed run. */
export interface RunFailure {
  error: unknown;
  /** The sessions completed before the failure (null when it failed before the first). */
  results: Results | null;
  /** The simulation time (UTC ms) at the failure. */
  time: number;
}

export class RunError extends HarvesterError {
  override name = "RunError";
}

function dayArg(name: string, v: string | number): number {
  if (typeof v === "number") return Math.floor(v / DAY_MS) * DAY_MS;
  const d = parseIsoDate(v.slice(0, 10));
  if (d === undefined) throw new InvalidInputError(name, v, "expected a date YYYY-MM-DD");
  return d * DAY_MS;
}

function historyPolicy(v: HistoryBeforeData | undefined): HistoryBeforeData {
  if (v === undefined) return "raise";
  if (!HISTORY_BEFORE_DATA.includes(v)) {
    throw new InvalidInputError("history_before_data", v, 'expected "raise" or "nan"');
  }
  return v;
}

/** Opens the bundle, ingesting the shipped zipline-examples data on first use. */
async function openBundle(opts: RunOptions, name: string): Promise<DailyBarSource> {
  const where = { root: opts.root, environ: opts.environ, timestamp: opts.bundle_timestamp };
  const open = () => openDaily(name, where);
  try {
    return await open();
  } catch (e) {
    if (
      !(e instanceof NoIngestionError) || name !== "zipline-examples" ||
      opts.bundle_timestamp !== undefined
    ) throw e;
    opts.log?.info("ingest", {
      message: "ingesting the shipped zipline-examples bundle (first run)",
    });
    await ingest(name, { root: opts.root, environ: opts.environ });
    return await open();
  }
}

/** Runs a backtest. */
export async function run_algorithm(opts: RunOptions): Promise<Results> {
  const log = opts.log ?? silentLogger;
  const reader = await openBundle(opts, opts.bundle ?? "zipline-examples");
  let minutes: MinuteMarket | null = null;
  let minuteBars: OpenMinuteBars | null = null;
  try {
    const calendar = opts.trading_calendar ? get_calendar(opts.trading_calendar) : reader.calendar;
    const start = dayArg("start", opts.start), end = dayArg("end", opts.end);
    if (end < start) {
      throw new RunError(`end ${isoDate(end / DAY_MS)} is before start ${isoDate(start / DAY_MS)}`);
    }
    const sessions = calendar.sessions_in_range(start, end).slice();
    if (sessions.length === 0) {
      throw new RunError(
        `no ${calendar.name} sessions between ${isoDate(start / DAY_MS)} and ${
          isoDate(end / DAY_MS)
        }`,
      );
    }
    const { first_session, last_session } = reader.metadata;
    if (sessions[0] < first_session || sessions[sessions.length - 1] > last_session) {
      throw new RunError(
        `bundle ${reader.version.bundle} covers ${isoDate(first_session / DAY_MS)} to ${
          isoDate(last_session / DAY_MS)
        }; ` +
          `the backtest asks for ${isoDate(sessions[0] / DAY_MS)} to ${
            isoDate(sessions[sessions.length - 1] / DAY_MS)
          }`,
      );
    }
    const frequency = opts.data_frequency ?? "daily";
    if (frequency === "minute") {
      minuteBars = await openMinuteBars(reader, opts.environ);
      checkMinuteBars(minuteBars.span, reader, sessions[0], sessions[sessions.length - 1]);
    }
    const tLoad = performance.now();
    const portal = await DailyPortal.load(reader, sessions[sessions.length - 1]);
    const loadMs = performance.now() - tLoad;
    portal.history_before_data = historyPolicy(opts.history_before_data);
    const parts = buildRun({
      portal,
      calendar,
      sessions,
      capital_base: opts.capital_base ?? 10_000_000,
      data_frequency: frequency,
      params: opts.params,
      log,
      source: reader,
      pipeline_loaders: opts.pipeline_loaders,
    });
    const { algo, context } = parts;
    let driver = dailyDriver(portal);
    if (frequency === "minute") {
      const market = minutes = new MinuteMarket(
        portal,
        minuteBars!,
        portal.sessionIndex(sessions[sessions.length - 1]),
      );
      algo.market = market;
      driver = minuteDriver(portal, market);
    }
    const progress = opts.progress ?? silentProgress, recorded = opts.recorded;
    // The recorder's lists are the same objects all run long: one view of them for every session.
    const data = recorded ? parts.recorder.data : undefined;
    return await runInScope(context, async () => {
      let engine: Engine | undefined;
      try {
        algo.atSession(sessions[0], portal.sessionIndex(sessions[0]) - 1);
        await opts.strategy.initialize(context);
        algo.markInitialized();
        const benchmark = benchmarkReturns(benchmarkSource(opts, algo, log), portal, sessions);
        engine = new Engine({
          parts,
          strategy: opts.strategy,
          driver,
          benchmark: (i) => benchmark[i],
          same_bar_fills: opts.same_bar_fills,
          onSession: recorded
            ? () => {
              progress.tick(1, 0);
              recorded.session(data!);
            }
            : () => progress.tick(1, 0),
        });
        progress.start("backtest", sessions.length);
        const run = await engine.run(simulationClock(calendar, sessions, frequency));
        progress.done(`${sessions.length} sessions`);
        const results = new Results(parts.perf, parts.recorder, engine.benchmark, {
          load_ms: loadMs,
          simulation_ms: run.timings.simulation_ms,
        });
        await engine.analyze(results);
        return results;
      } catch (error) {
        // The sessions completed before the failure are results too (a ten-year run that breaks
        // a control in its last month): the caller may write them before the error goes up.
        await opts.on_failure?.({
          error,
          results: engine ? engine.results() : null,
          time: algo.current_dt,
        });
        throw error;
      }
    });
  } finally {
    await minutes?.settle();
    minuteBars?.close();
    reader.close();
  }
}

/**
 * A minute run needs minute bars for its sessions: a bundle without them (or not for these dates)
 * would run without a single fill. An error naming the bundle instead.
 */
function checkMinuteBars(
  span: MinuteSpan,
  source: DailyBarSource,
  first: number,
  last: number,
): void {
  const name = source.version.bundle;
  if (span.count === 0) {
    throw new RunError(
      `bundle "${name}" has no minute bars, so a minute backtest would never fill an order; ` +
        `run with --data-frequency daily, or ingest minute bars into it (csvdir: a minute/ folder)`,
    );
  }
  const from = isoDate(first / DAY_MS), to = isoDate(last / DAY_MS);
  if (span.last < from || span.first > to) {
    throw new RunError(
      `bundle "${name}" has minute bars from ${span.first} to ${span.last}; the minute backtest ` +
        `asks for ${from} to ${to}: choose dates within them, or --data-frequency daily`,
    );
  }
}
