/**
 * A live session's benchmark, chosen as a backtest chooses it (engine/benchmark.ts:
 * `no_benchmark`, `benchmark_file`, `benchmark_symbol`, then the strategy's `set_benchmark`; none
 * is one notice, never a failure):
 * - a replayed daily session (`--feed bundle:NAME`) takes every session's return from the bundle
 *   or the file exactly as the backtest does, so its perf rows are the backtest's;
 * - a live minute session computes each session's return at its end: the benchmark asset's close
 *   of the day (the feed's last bar of it) over the previous close (the bundle's daily bars,
 *   adjusted as of today as a history window is), or the file's return for the day. Nothing to
 *   compute it from is 0 and a warning (`benchmark_missing`), never a failed session.
 *
 * Earlier sessions' returns of a restarted session come from its perf log (restart.ts).
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { Asset } from "../assets/asset.ts";
import {
  type BenchmarkChoice,
  benchmarkReturns,
  benchmarkSource,
  readBenchmarkFile,
} from "../engine/benchmark.ts";
import type { LiveMarket } from "../portal/live_market.ts";
import type { Session } from "./session.ts";

export type { BenchmarkChoice };

/**
 * Sets up the session's benchmark once `initialize` ran (it may call `set_benchmark`), before a
 * restart restores earlier rows. A replayed daily session gets every session's return now; a
 * live minute session has its file checked (unreadable or malformed fails at the start, as in a
 * backtest) and its benchmark asset added to `universe`, whose bars give the day's close.
 *
 * @example
 * ```ts
 * const universe = [...looked];
 * setUpBenchmark(s, universe); // then subscribe `universe`
 * ```
 */
export function setUpBenchmark(s: Session, universe: Asset[]): void {
  const source = benchmarkSource(s.opts, s.algo, s.log);
  if (!s.opts.broker) {
    s.replayBenchmark = benchmarkReturns(source, s.portal, s.sessions);
    return;
  }
  if (source?.kind === "file") readBenchmarkFile(source.path);
  if (source?.kind === "asset" && !universe.some((a) => a.sid === source.asset.sid)) {
    universe.push(source.asset);
  }
}

/** A live minute session's end, as the realtime clock reports it (the fields used here). */
export interface BenchmarkSessionEnd {
  session: number;
}

/**
 * A live minute session's benchmark return at its end (0 without a benchmark). A file is read
 * again, so one updated during the day counts; an asset's return is the feed's last close of the
 * day over the bundle's previous close adjusted as of today. Without a usable price or a return
 * for the day: 0, a `benchmark_missing` warning and journal line.
 *
 * @example
 * ```ts
 * s.benchmark[i] = sessionBenchmark(s, market, e); // at the clock's session_end
 * ```
 */
export function sessionBenchmark(s: Session, market: LiveMarket, e: BenchmarkSessionEnd): number {
  const source = benchmarkSource(s.opts, s.algo); // quiet: the notice was given at the start
  if (source === null) return 0;
  const day = isoDate(e.session / DAY_MS);
  const missing = (reason: string): number => {
    s.journal.write("benchmark_missing", { session: day, reason }, true);
    s.log.warn("benchmark_missing", {
      message: `no benchmark return for ${day}: ${reason}; 0 is used`,
    });
    return 0;
  };
  if (source.kind !== "asset") {
    let r: number | undefined;
    try {
      const returns = source.kind === "file" ? readBenchmarkFile(source.path) : source.returns;
      r = returns.get(e.session);
    } catch (err) {
      return missing((err as Error).message);
    }
    return r === undefined
      ? missing(`${source.kind === "file" ? source.path : "returns"} has none`)
      : r;
  }
  const { asset } = source;
  // A bar of today from the feed: the last one's close (before it, the live market's price is
  // the previous close, which would make a return of 0 look like a real one).
  const fed = market.lastTraded(asset) > s.algo.calendar.session_open(e.session);
  const close = fed ? market.spot(asset, "price") : NaN;
  if (!Number.isFinite(close)) return missing(`no price of ${asset.symbol} from the feed today`);
  const t = s.portal.sessionIndex(e.session);
  const before = t > 0 ? s.portal.window(asset, "price", 1, t - 1, t)[0] : NaN;
  if (!(before > 0)) {
    return missing(`no previous close of ${asset.symbol} in bundle ${s.opts.bundle}`);
  }
  return close / before - 1;
}
