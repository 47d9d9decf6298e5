/**
 * A live minute session on the paper venue fed in-process, for tests: a simulated clock (each
 * sleep moves it and pushes the minutes that completed, as test/live/broker_sessions.test.ts does
 * against the fake venues) hands each minute's bars to the venue, which matches resting orders on
 * them, and then to the feed. No network and no real waiting. Every bar is flat at `PRICE`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { get_calendar } from "../../calendars/mod.ts";
import { Asset } from "../../runtime/assets/asset.ts";
import type { Bar } from "../../runtime/model/broker.ts";
import { PaperBroker } from "../../runtime/brokers/paper/paper_broker.ts";
import type { Logger } from "../../runtime/log.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { runLive } from "../../runtime/live/session.ts";
import type { SessionState } from "../../runtime/live/session_state.ts";
import { tempRoot } from "../bundles/helpers.ts";

const cal = get_calendar("XNYS");
/** Every bar's price (AAPL traded near 590 in May 2014). */
export const PRICE = 590;

/** The venue's own assets by symbol (it keys its book by symbol; sids are its own). */
function venueAssets(): (symbol: string) => Asset {
  const assets = new Map<string, Asset>();
  return (s) => {
    if (!assets.has(s)) assets.set(s, new Asset(assets.size, s, s, "PAPER", 0, Infinity, NaN));
    return assets.get(s)!;
  };
}

/** The paper venue with a minute feed: `push` matches its resting orders, then feeds the bars. */
export class FeedPaperBroker extends PaperBroker {
  private feed: (bar: Bar) => void = () => {};
  constructor() {
    super({ cash: 1_000_000, assetOf: venueAssets() });
  }
  subscribeBars(_symbols: readonly string[], onBar: (bar: Bar) => void): Promise<void> {
    this.feed = onBar;
    return Promise.resolve();
  }
  push(minute: number, symbols: readonly string[]): void {
    const bars = symbols.map((symbol) => ({
      symbol,
      time: minute,
      open: PRICE,
      high: PRICE,
      low: PRICE,
      close: PRICE,
      volume: 1_000_000,
    }));
    if (!bars.length) return;
    this.onBars(minute, bars);
    for (const b of bars) this.feed(b);
  }
}

/** A simulated clock from `start`: each sleep moves it and pushes the minutes that completed. */
export function simClock(start: number, push: (minute: number) => void) {
  const c = { t: start };
  const minutes = [...cal.sessions_in_range(start - 86_400_000, start + 10 * 86_400_000)]
    .flatMap((d) => [...cal.session_minutes(d)]).filter((m) => m > start);
  let next = 0;
  return {
    now: () => c.t,
    sleep: (ms: number) => {
      c.t += ms;
      while (next < minutes.length && minutes[next] <= c.t) push(minutes[next++]);
      return Promise.resolve();
    },
  };
}

export interface MinuteRun {
  start: string;
  end: string;
  /** Symbols with a bar in a minute (default: AAPL every minute). */
  symbols?: (minute: number) => string[];
  universe?: string[];
  flatten_before_close?: number;
  bundle?: string;
}

/** A live minute session on the fed paper venue; its journal, saved state and warnings. */
export async function minuteSession(root: string, strategy: Strategy, r: MinuteRun) {
  const dir = tempRoot("hv-live-eod-");
  const broker = new FeedPaperBroker();
  const symbols = r.symbols ?? (() => ["AAPL"]);
  const clock = simClock(Date.parse(r.start), (m) => broker.push(m, symbols(m)));
  const warnings: string[] = [];
  const log: Logger = { info() {}, warn: (_e, f) => warnings.push(String(f?.message)) };
  const state = join(dir, "s.json");
  const results = await runLive({
    strategy,
    strategy_hash: "x",
    bundle: r.bundle ?? "zipline-examples",
    start: r.start,
    end: r.start,
    speed: "max",
    state_path: state,
    journal_path: join(dir, "j.jsonl"),
    capital_base: 1_000_000,
    root,
    broker,
    live: { end: Date.parse(r.end), universe: r.universe ?? ["AAPL"], bar_grace_ms: 1 },
    now: clock.now,
    sleep: clock.sleep,
    flatten_before_close: r.flatten_before_close,
    log,
  });
  const saved = JSON.parse(readFileSync(state, "utf8")).state as SessionState;
  return { results, journal: readJournal(join(dir, "j.jsonl")), saved, warnings, broker };
}
