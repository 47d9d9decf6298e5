/**
 * Replay of a live minute session's journal (`feed: "<broker>:minute"`). The strategy runs again
 * in a throw-away session (its own temporary state and journal) whose broker is a paper venue fed
 * with the journal's `minute_bar` lines, each at the time it arrived, on a simulated clock that
 * jumps to whatever is due next: no real waiting. The run covers what the recorded one did — from
 * its first `session_open` to its end (or its stop), with the bundle, universe and options of its
 * `session_started` setup — so the realtime clock yields the same sessions and minutes.
 *
 * Orders are compared by session and minute: an order's line time to the nearest minute, which is
 * the label of the bar it followed (bar events run at their minute's end, a grace of seconds
 * later at most).
 *
 * Fills come from the paper venue with the default models, as on the in-process venue of the
 * tests. A strategy whose decisions depend on how a real venue filled it can differ for that
 * reason alone; the report shows the first such place. A journal of a restarted session
 * (`session_restored`) is refused: the minutes it was down were never recorded.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Asset } from "../assets/asset.ts";
import type { Bar } from "../model/broker.ts";
import { PaperBroker } from "../brokers/paper/paper_broker.ts";
import type { Strategy } from "../engine/strategy.ts";
import { type JournalEntry, readJournal } from "./journal.ts";
import type { MinuteLiveOptions } from "./live_options.ts";
import type { OrderKey, ReplayedOrders, ReplayOptions } from "./replay.ts";
import {
  JournalReplayError,
  type NumberedEntry,
  readSetup,
  type ReplaySetup,
} from "./replay_setup.ts";
import { runLive } from "./session.ts";

/** A recorded bar and when it reached the session (our clock, UTC ms). */
export interface ArrivedBar {
  at: number;
  bar: Bar;
}

/** What a minute journal recorded, checked: enough to run the session again. */
export interface MinuteRecording {
  setup: ReplaySetup & { live: MinuteLiveOptions };
  /** The universe the session subscribed. */
  symbols: string[];
  /** When the clock started: the first `session_open` (UTC ms). */
  start: number;
  /** The recorded end, or the stop when the run was stopped (UTC ms). */
  end: number;
  /** The feed's bars in the order they arrived. */
  bars: ArrivedBar[];
}

const MINUTE = 60_000;
const OHLCV = ["open", "high", "low", "close", "volume"] as const;

/** An ISO minute, `2014-05-01T19:56Z`. */
const isoMinute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16)}Z`;

/**
 * Orders of a minute journal, each with its session (the last `session_open`) and minute (its
 * line's time to the nearest minute).
 *
 * @example
 * ```ts
 * minuteOrdersOf(readJournal("s.journal.jsonl"))[0];
 * // { session: "2014-05-01", minute: "2014-05-01T19:56Z", symbol: "AAPL", amount: 10, … }
 * ```
 */
export function minuteOrdersOf(entries: readonly JournalEntry[]): OrderKey[] {
  let session = "";
  const out: OrderKey[] = [];
  for (const e of entries) {
    if (e.type === "session_open") session = String(e.session);
    if (e.type !== "order_submitted") continue;
    out.push({
      session,
      minute: isoMinute(Math.round(Date.parse(e.ts) / MINUTE) * MINUTE),
      symbol: String(e.symbol),
      amount: Number(e.amount),
      limit: (e.limit as number | null) ?? null,
      stop: (e.stop as number | null) ?? null,
    });
  }
  return out;
}

/**
 * Reads and checks what a minute journal recorded (`k`: the index of its `session_started`).
 * Anything missing or unusable is a `JournalReplayError` naming the file and the line.
 */
export function readMinuteRecording(
  path: string,
  lines: readonly NumberedEntry[],
  k: number,
): MinuteRecording {
  const fail = (line: number | null, reason: string) => new JournalReplayError(path, line, reason);
  const { entry: started, line: startedLine } = lines[k];
  const setup = readSetup(started, path, startedLine);
  if (!setup) {
    throw fail(
      startedLine,
      "session_started has no setup (bundle, end, options): the journal was written before " +
        "minute sessions recorded one, so it cannot be replayed; record the session again",
    );
  }
  if (!setup.live) throw fail(startedLine, "session_started: a minute feed but no setup.live");
  const time = (l: NumberedEntry) => {
    const t = Date.parse(l.entry.ts);
    if (Number.isNaN(t)) {
      throw fail(
        l.line,
        `${l.entry.type}: ts is not an ISO time (got ${JSON.stringify(l.entry.ts)})`,
      );
    }
    return t;
  };
  let symbols: string[] | null = null, start = NaN, end = setup.live.end!, stopped = false;
  const bars: ArrivedBar[] = [];
  for (const l of lines.slice(k + 1)) {
    const e = l.entry;
    if (e.type === "session_started" || e.type === "session_restored") {
      throw fail(
        l.line,
        `${e.type}: the journal holds more than one run of the session; a minute replay covers ` +
          `one uninterrupted run (replay a copy cut before this line)`,
      );
    }
    if (e.type === "subscribed" && symbols === null) {
      const s = e.symbols;
      if (!Array.isArray(s) || !s.every((x) => typeof x === "string")) {
        throw fail(l.line, `subscribed: symbols is not a list of symbols`);
      }
      symbols = s as string[];
    } else if (e.type === "session_open" && Number.isNaN(start)) start = time(l);
    else if (e.type === "minute_bar") bars.push({ at: time(l), bar: barOf(l, fail) });
    else if (e.type === "order_submitted") time(l); // its minute is its time
    else if (e.type === "session_stopped") {
      stopped = true;
      if (e.stop_requested === true) end = Math.min(end, time(l));
    }
  }
  if (symbols === null) {
    throw fail(null, `no subscribed line after line ${startedLine}: the universe is unknown`);
  }
  // A run that died without stopping ends with its last line.
  if (!stopped) end = Math.min(end, time(lines[lines.length - 1]));
  if (Number.isNaN(start)) start = time(lines[k]); // it never reached a session
  bars.sort((a, b) => a.at - b.at); // stable: lines of one time keep their order
  return { setup: { ...setup, live: setup.live }, symbols, start, end, bars };
}

/** The bar of a `minute_bar` line (a price of NaN was written as null and is read back so). */
function barOf(l: NumberedEntry, fail: (line: number, reason: string) => Error): Bar {
  const e = l.entry;
  if (typeof e.symbol !== "string" || !e.symbol) {
    throw fail(l.line, `minute_bar: symbol is not a symbol (got ${JSON.stringify(e.symbol)})`);
  }
  if (typeof e.time !== "number" || !Number.isFinite(e.time)) {
    throw fail(l.line, `minute_bar: time is not a time in UTC ms (got ${JSON.stringify(e.time)})`);
  }
  const bar = { symbol: e.symbol, time: e.time } as Bar;
  for (const f of OHLCV) {
    const v = e[f];
    if (v !== null && typeof v !== "number") {
      throw fail(l.line, `minute_bar: "${f}" is not a number (got ${JSON.stringify(v)})`);
    }
    bar[f] = v ?? NaN;
  }
  return bar;
}

/**
 * The paper venue of a replay: the recorded bars reach it as the simulated clock passes the time
 * each arrived; the bars of one minute that arrive together are matched against resting orders
 * (as the paper venue matches a bar) and then go to the feed. Its assets are its own, by symbol.
 */
class ReplayVenue extends PaperBroker {
  private feed: ((bar: Bar) => void) | null = null;
  private cursor = 0;

  constructor(
    private readonly arrivals: readonly ArrivedBar[],
    cash: number,
    private readonly clock: () => number,
  ) {
    const assets = new Map<string, Asset>();
    const assetOf = (s: string) => {
      if (!assets.has(s)) assets.set(s, new Asset(assets.size, s, s, "PAPER", 0, Infinity, NaN));
      return assets.get(s)!;
    };
    super({ cash, assetOf });
  }

  subscribeBars(_symbols: readonly string[], onBar: (bar: Bar) => void): Promise<void> {
    this.feed = onBar;
    this.advance(this.clock()); // what arrived while the session subscribed
    return Promise.resolve();
  }

  /** Delivers every bar that had arrived by `t`. */
  advance(t: number): void {
    const a = this.arrivals;
    while (this.feed && this.cursor < a.length && a[this.cursor].at <= t) {
      const label = a[this.cursor].bar.time, group: Bar[] = [];
      while (
        this.cursor < a.length && a[this.cursor].at <= t && a[this.cursor].bar.time === label
      ) {
        group.push(a[this.cursor++].bar);
      }
      this.onBars(label, group);
      for (const b of group) this.feed(b);
    }
  }
}

/**
 * Runs the strategy again over a minute journal's recording and returns the recorded orders and
 * the replayed ones (`k`: the index of the journal's `session_started`).
 *
 * @example
 * ```ts
 * const lines = readNumbered(path);
 * const k = lines.findIndex((l) => l.entry.type === "session_started");
 * const { recorded, replayed } = await replayMinuteOrders(path, lines, k, strategy, { root });
 * ```
 */
export async function replayMinuteOrders(
  path: string,
  lines: readonly NumberedEntry[],
  k: number,
  strategy: Strategy,
  opts: ReplayOptions,
): Promise<ReplayedOrders> {
  const rec = readMinuteRecording(path, lines, k);
  const { setup } = rec;
  let t = rec.start;
  const now = () => t;
  const venue = new ReplayVenue(rec.bars, setup.capital_base ?? 10_000_000, now);
  const sleep = (ms: number) => {
    t += Math.max(0, ms);
    venue.advance(t);
    return Promise.resolve();
  };
  const dir = mkdtempSync(join(tmpdir(), "hv-replay-minute-"));
  try {
    await runLive({
      strategy,
      strategy_hash: "replay",
      bundle: setup.bundle,
      start: rec.start,
      end: rec.end,
      speed: "max",
      state_path: join(dir, "state.json"),
      journal_path: join(dir, "journal.jsonl"),
      fresh: true,
      capital_base: setup.capital_base,
      params: setup.params,
      risk: setup.risk,
      flatten_before_close: setup.flatten_before_close,
      dry_run: setup.dry_run,
      benchmark_symbol: setup.benchmark_symbol,
      benchmark_file: setup.benchmark_file,
      no_benchmark: setup.no_benchmark,
      root: opts.root,
      environ: opts.environ,
      broker: venue,
      live: { ...setup.live, end: rec.end, universe: rec.symbols },
      now,
      sleep,
    });
    return {
      recorded: minuteOrdersOf(lines.map((l) => l.entry)),
      replayed: minuteOrdersOf(readJournal(join(dir, "journal.jsonl"))),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
