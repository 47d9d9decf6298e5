/**
 * `harvester replay JOURNAL ALGO.ts`: re-runs a strategy on the market events a session's journal
 * recorded, in a throw-away session, and compares the orders it makes with the orders the journal
 * shows were made. The journal's `session_started` line says which kind it is:
 * - a daily paper session replayed from a bundle (`feed: "bundle:NAME"`): its daily `bar` lines
 *   over the bundle's earlier history, session by session (here);
 * - a live minute session (`feed: "<broker>:minute"`): its `minute_bar` lines fed to a paper venue
 *   on a simulated clock, minute by minute (replay_minute.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bar } from "../model/broker.ts";
import type { Strategy } from "../engine/strategy.ts";
import { type JournalEntry, readJournal } from "./journal.ts";
import { replayMinuteOrders } from "./replay_minute.ts";
import { JournalReplayError, type NumberedEntry, readNumbered, readSetup } from "./replay_setup.ts";
import { runLive } from "./session.ts";

/** One order as the replay compares it. */
export interface OrderKey {
  /** The session (date) whose bar the order followed. */
  session: string;
  /** A minute journal's: the minute whose bar the order followed (ISO, `2014-05-01T19:56Z`). */
  minute?: string;
  symbol: string;
  amount: number;
  limit: number | null;
  stop: number | null;
}

export interface ReplayReport {
  same: boolean;
  recorded: number;
  replayed: number;
  /** The first difference, when there is one. */
  difference?: { index: number; recorded: OrderKey | null; replayed: OrderKey | null };
}

export interface ReplayOptions {
  /** HARVESTER_ROOT, where the journal's bundle is. */
  root?: string;
  environ?: Record<string, string | undefined>;
}

/** The orders a journal recorded and the orders the replay made, in the order they were made. */
export interface ReplayedOrders {
  recorded: OrderKey[];
  replayed: OrderKey[];
}

/** Orders of a daily journal, each with the session whose bar it followed. */
export function ordersOf(entries: readonly JournalEntry[]): OrderKey[] {
  let session = "";
  const out: OrderKey[] = [];
  for (const e of entries) {
    if (e.type === "bar") session = String(e.session);
    if (e.type === "order_submitted") {
      out.push({
        session,
        symbol: String(e.symbol),
        amount: Number(e.amount),
        limit: (e.limit as number | null) ?? null,
        stop: (e.stop as number | null) ?? null,
      });
    }
  }
  return out;
}

/**
 * The report: the same orders in the same order, or the first place where they differ (an order
 * on one side only is compared with null).
 *
 * @example
 * ```ts
 * const r = compareOrders(recorded, replayed);
 * if (!r.same) console.log(r.difference!.index, r.difference!.recorded, r.difference!.replayed);
 * ```
 */
export function compareOrders(recorded: OrderKey[], replayed: OrderKey[]): ReplayReport {
  const n = Math.max(recorded.length, replayed.length);
  for (let i = 0; i < n; i++) {
    const a = recorded[i] ?? null, b = replayed[i] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      return {
        same: false,
        recorded: recorded.length,
        replayed: replayed.length,
        difference: { index: i, recorded: a, replayed: b },
      };
    }
  }
  return { same: true, recorded: recorded.length, replayed: replayed.length };
}

/**
 * Re-runs `strategy` on the journal's recorded market events and compares its orders with the
 * recorded ones. A journal that cannot be replayed is a `JournalReplayError` naming the file
 * and, when one is to blame, the line.
 *
 * @example
 * ```ts
 * const report = await replayJournal("s.json.journal.jsonl", await loadStrategyFile("algo.ts"));
 * console.log(report.same ? "same orders" : report.difference);
 * ```
 */
export async function replayJournal(
  journalPath: string,
  strategy: Strategy,
  opts: ReplayOptions = {},
): Promise<ReplayReport> {
  const lines = readNumbered(journalPath);
  const k = lines.findIndex((l) => l.entry.type === "session_started");
  const feed = k < 0 ? undefined : lines[k].entry.feed;
  let orders: ReplayedOrders;
  if (typeof feed === "string" && feed.startsWith("bundle:")) {
    orders = await replayDaily(journalPath, lines, k, strategy, opts);
  } else if (typeof feed === "string" && feed.endsWith(":minute")) {
    orders = await replayMinuteOrders(journalPath, lines, k, strategy, opts);
  } else {
    throw new JournalReplayError(
      journalPath,
      k < 0 ? null : lines[k].line,
      k < 0
        ? "no session_started line; is it a Harvester journal?"
        : `session_started: feed ${JSON.stringify(feed)} is neither bundle:NAME nor BROKER:minute`,
    );
  }
  return compareOrders(orders.recorded, orders.replayed);
}

/** A daily paper session again, on the journal's bars (the bundle's for earlier history). */
async function replayDaily(
  path: string,
  lines: NumberedEntry[],
  k: number,
  strategy: Strategy,
  opts: ReplayOptions,
): Promise<ReplayedOrders> {
  const started = lines[k].entry, entries = lines.map((l) => l.entry);
  // Journals written before setups were recorded replay with the defaults.
  const setup = readSetup(started, path, lines[k].line);
  if (setup?.data_frequency === "minute") {
    throw new JournalReplayError(
      path,
      lines[k].line,
      "a replay of a bundle's minute bars records no bars to replay (run it again instead)",
    );
  }
  const bars = new Map<string, Bar[]>();
  for (const e of entries) if (e.type === "bar") bars.set(String(e.session), e.bars as Bar[]);
  const dir = mkdtempSync(join(tmpdir(), "hv-replay-"));
  try {
    await runLive({
      strategy,
      strategy_hash: "replay",
      bundle: String(started.feed).slice("bundle:".length),
      start: String(started.first),
      // The last session the journal has a bar of: a restarted session may have gone further
      // than its first process's `--end`.
      end: [...bars.keys()].pop() ?? String(started.last),
      speed: "max",
      state_path: join(dir, "state.json"),
      journal_path: join(dir, "journal.jsonl"),
      capital_base: setup?.capital_base,
      params: setup?.params,
      risk: setup?.risk,
      flatten_before_close: setup?.flatten_before_close,
      dry_run: setup?.dry_run,
      benchmark_symbol: setup?.benchmark_symbol,
      benchmark_file: setup?.benchmark_file,
      no_benchmark: setup?.no_benchmark,
      root: opts.root,
      environ: opts.environ,
      bar_overrides: bars,
    });
    return {
      recorded: ordersOf(entries),
      replayed: ordersOf(readJournal(join(dir, "journal.jsonl"))),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
