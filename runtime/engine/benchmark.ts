/**
 * Benchmark returns for the simulation's sessions: from a `date,return` CSV, from an asset's
 * adjusted closes, or none (zeros, with one notice). The choice (`benchmarkSource`) and the
 * returns (`benchmarkReturns`) are shared by backtests and live sessions (live/live_benchmark.ts).
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { Asset } from "../assets/asset.ts";
import { HarvesterError } from "../errors.ts";
import type { DailyPortal } from "../portal/daily_portal.ts";
import type { Logger } from "../log.ts";
import { roundHistory } from "../portal/rounding.ts";

export class BenchmarkError extends HarvesterError {
  override name = "BenchmarkError";
}

/** Returns by session from a `date,return` CSV (dates as `YYYY-MM-DD…`, any time part ignored). */
export function readBenchmarkFile(path: string): Map<number, number> {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    throw new BenchmarkError(`cannot read benchmark file ${path}`);
  }
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(",").map((h) => h.trim().toLowerCase());
  const di = header.indexOf("date"), ri = header.indexOf("return");
  if (di < 0 || ri < 0) {
    throw new BenchmarkError(`${path}:1: expected a header with "date" and "return" columns`);
  }
  const out = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const cells = lines[i].split(",");
    const day = Date.parse(`${cells[di].trim().slice(0, 10)}T00:00:00Z`);
    const r = Number(cells[ri]);
    if (!Number.isFinite(day)) {
      throw new BenchmarkError(`${path}:${i + 1}: column "date": "${cells[di]}" is not a date`);
    }
    if (!Number.isFinite(r)) {
      throw new BenchmarkError(`${path}:${i + 1}: column "return": "${cells[ri]}" is not a number`);
    }
    out.set(day, r);
  }
  return out;
}

/** Aligns returns to sessions; a session with none is an error naming it. */
export function alignBenchmark(
  returns: Map<number, number>,
  sessions: Float64Array,
  source: string,
): Float64Array {
  return Float64Array.from(sessions, (s) => {
    const r = returns.get(s);
    if (r === undefined) {
      throw new BenchmarkError(
        `benchmark ${source} has no return for ${
          isoDate(s / DAY_MS)
        }; use --no-benchmark to run without one`,
      );
    }
    return r;
  });
}

/** zipline's `BenchmarkAssetNotAvailableTooEarly`: the asset starts after the run's first day. */
export class BenchmarkAssetNotAvailableTooEarly extends BenchmarkError {
  override name = "BenchmarkAssetNotAvailableTooEarly";
  constructor(readonly asset: Asset, readonly first_session: number) {
    super(
      `benchmark ${asset} does not exist on ${day(first_session)}: it started trading on ${
        day(asset.start_date)
      }; start the run on or after that day, or choose another benchmark`,
    );
  }
}

/** zipline's `BenchmarkAssetNotAvailableTooLate`: the asset ends before the run's last day. */
export class BenchmarkAssetNotAvailableTooLate extends BenchmarkError {
  override name = "BenchmarkAssetNotAvailableTooLate";
  constructor(readonly asset: Asset, readonly last_session: number) {
    super(
      `benchmark ${asset} does not exist on ${day(last_session)}: it stopped trading on ${
        day(asset.end_date)
      }; end the run by that day, or choose another benchmark`,
    );
  }
}

const day = (ms: number): string => isoDate(Math.floor(ms / DAY_MS));

/**
 * Daily returns of an asset over `sessions`, as zipline computes them
 * (`sources/benchmark_source.py` `_initialize_precalculated_series`): one `price` window over
 * the whole run — from the session before the first through the last — adjusted for splits and
 * dividends as of the LAST session and rounded to 3 decimals (the history window's
 * `round(3)`, `lib/_windowtemplate.pxi`), then pandas' `pct_change` (`x / previous − 1`). An
 * asset whose first day is the run's first day has no previous close: that day's return is its
 * open-to-close `(close − open) / open`, unadjusted. The asset must trade from the first session
 * through the last (zipline's `_validate_benchmark`); a missing price is a 0 return.
 *
 * @example
 * ```ts
 * const returns = assetBenchmark(portal, await symbol("MSFT"), sessions);
 * ```
 */
export function assetBenchmark(
  portal: DailyPortal,
  asset: Asset,
  sessions: Float64Array,
): Float64Array {
  const n = sessions.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const first = sessions[0], lastSession = sessions[n - 1];
  if (asset.start_date > first) throw new BenchmarkAssetNotAvailableTooEarly(asset, first);
  if (asset.end_date < lastSession) throw new BenchmarkAssetNotAvailableTooLate(asset, lastSession);
  const last = portal.sessionIndex(lastSession);
  // A window ending at the last session reveals every bar: rewind what the strategy may not see.
  const saved = portal.current;
  portal.advanceTo(last);
  try {
    const opening = asset.start_date === first;
    const prices = portal.window(asset, "price", opening ? n : n + 1, last, last);
    const lead = opening ? 0 : 1;
    for (let i = opening ? 1 : 0; i < n; i++) {
      const r = roundHistory(prices[i + lead]) / roundHistory(prices[i + lead - 1]) - 1;
      out[i] = Number.isFinite(r) ? r : 0;
    }
    if (opening) {
      const t = portal.sessionIndex(first);
      const open = portal.spot(asset, "open", t), close = portal.spot(asset, "close", t);
      const r = (close - open) / open;
      out[0] = Number.isFinite(r) ? r : 0;
    }
  } finally {
    portal.rewindTo(saved);
  }
  return out;
}

/** How a run chooses its benchmark (the backtest's and a live session's options). */
export interface BenchmarkChoice {
  /** Daily returns from an asset of the bundle. */
  benchmark_symbol?: string;
  /** Daily returns from the asset of the bundle with this sid (zipline's `--benchmark-sid`). */
  benchmark_sid?: number;
  /** Daily returns from a `date,return` CSV. */
  benchmark_file?: string;
  /** Run without a benchmark (benchmark columns 0, alpha/beta null), and without the notice. */
  no_benchmark?: boolean;
}

/** Where a run's benchmark returns come from; null: none (zeros). */
export type BenchmarkSource =
  | { kind: "returns"; returns: Map<number, number> }
  | { kind: "file"; path: string }
  | { kind: "asset"; asset: Asset };

/** What the choice is made with: the algorithm's symbol lookup and its `set_benchmark` asset. */
export interface BenchmarkAlgo {
  symbol(symbol: string): Asset;
  sid(sid: number): Asset;
  benchmark_asset: Asset | null;
}

/**
 * The benchmark a run uses, by precedence: `no_benchmark`, given returns, `benchmark_file`,
 * `benchmark_symbol`, then the strategy's `set_benchmark`. None at all is never a failure: one
 * `no_benchmark` notice to `log` (pass no logger to choose again quietly).
 *
 * @example
 * ```ts
 * const source = benchmarkSource({ benchmark_symbol: "SPY" }, algo, log); // { kind: "asset", … }
 * ```
 */
export function benchmarkSource(
  opts: BenchmarkChoice & { benchmark_returns?: Map<number, number> },
  algo: BenchmarkAlgo,
  log?: Logger,
): BenchmarkSource | null {
  if (opts.no_benchmark) return null;
  if (opts.benchmark_returns) return { kind: "returns", returns: opts.benchmark_returns };
  if (opts.benchmark_file) return { kind: "file", path: opts.benchmark_file };
  const asset = opts.benchmark_symbol
    ? algo.symbol(opts.benchmark_symbol)
    : opts.benchmark_sid !== undefined
    ? algo.sid(opts.benchmark_sid)
    : algo.benchmark_asset;
  if (asset) return { kind: "asset", asset };
  log?.warn("no_benchmark", {
    message:
      "no benchmark given (--benchmark-symbol, --benchmark-file or set_benchmark): benchmark columns are 0 and alpha/beta empty",
  });
  return null;
}

/**
 * The benchmark's return for each of `sessions` (zeros without one), as a backtest computes
 * them: a file or given returns must cover every session; an asset's from the portal's data.
 *
 * @example
 * ```ts
 * const benchmark = benchmarkReturns(benchmarkSource(opts, algo, log), portal, sessions);
 * ```
 */
export function benchmarkReturns(
  source: BenchmarkSource | null,
  portal: DailyPortal,
  sessions: Float64Array,
): Float64Array {
  if (source === null) return new Float64Array(sessions.length);
  if (source.kind === "returns") return alignBenchmark(source.returns, sessions, "returns");
  if (source.kind === "file") {
    return alignBenchmark(readBenchmarkFile(source.path), sessions, source.path);
  }
  return assetBenchmark(portal, source.asset, sessions);
}
