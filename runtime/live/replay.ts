/**
 * `harvester replay JOURNAL ALGO.ts`: re-runs a strategy on the market events a session's journal
 * recorded (its bars, over the bundle's earlier history) in a throw-away paper session, and
 * compares the orders it makes with the orders the journal shows were made.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bar } from "../brokers/broker.ts";
import type { Strategy } from "../engine/strategy.ts";
import { HarvesterError } from "../errors.ts";
import { type JournalEntry, readJournal } from "./journal.ts";
import { runLive } from "./session.ts";

export interface OrderKey {
  session: string;
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

/** Orders of a journal, each with the session whose bar it followed. */
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

export async function replayJournal(
  journalPath: string,
  strategy: Strategy,
  opts: { root?: string; environ?: Record<string, string | undefined> } = {},
): Promise<ReplayReport> {
  const entries = readJournal(journalPath);
  const started = entries.find((e) => e.type === "session_started");
  if (!started || typeof started.feed !== "string" || !started.feed.startsWith("bundle:")) {
    throw new HarvesterError(
      `${journalPath}: no session_started line with a bundle feed; is it a Harvester journal?`,
    );
  }
  const bars = new Map<string, Bar[]>();
  for (const e of entries) if (e.type === "bar") bars.set(String(e.session), e.bars as Bar[]);
  const dir = mkdtempSync(join(tmpdir(), "hv-replay-"));
  try {
    await runLive({
      strategy,
      strategy_hash: "replay",
      bundle: started.feed.slice("bundle:".length),
      start: String(started.first),
      end: String(started.last ?? [...bars.keys()].pop()),
      speed: "max",
      state_path: join(dir, "state.json"),
      journal_path: join(dir, "journal.jsonl"),
      capital_base: undefined,
      root: opts.root,
      environ: opts.environ,
      bar_overrides: bars,
    });
    const recorded = ordersOf(entries),
      replayed = ordersOf(readJournal(join(dir, "journal.jsonl")));
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
