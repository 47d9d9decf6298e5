/**
 * From a sweep's settings to its cells: the strategy's source hashed, the bundle version pinned
 * (the newest, or the one `bundle_timestamp` picks; the shipped example bundle is ingested on
 * first use, as a backtest does), the benchmark file read, and one cell per combination.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { get_calendar } from "../../calendars/registry.ts";
import {
  ingest,
  loadExtension,
  NoIngestionError,
  openDaily,
  resolveVersion,
} from "../../bundles/mod.ts";
import type { BundleVersion } from "../../bundles/paths.ts";
import { InvalidInputError } from "../errors.ts";
import { type BenchmarkFlag, type CellFlags, type CellSpec, sha256 } from "./cell.ts";
import { combinations, type GridAxis, type Params } from "./grid.ts";
import { SweepSettingsError } from "./errors.ts";

/** The backtest flags of a sweep, as `harvester backtest` names them. */
export interface BacktestSettings {
  /** @default "zipline-examples" */
  bundle?: string;
  /** Pin the newest ingestion at or before this instant (UTC ms). */
  bundle_timestamp?: number;
  /** @default 10_000_000 */
  capital_base?: number;
  /** @default "daily" */
  data_frequency?: "daily" | "minute";
  trading_calendar?: string;
  benchmark_symbol?: string;
  benchmark_file?: string;
  no_benchmark?: boolean;
  same_bar_fills?: boolean;
  /** `-D` values every cell gets (the grid's own names win). */
  params?: Params;
}

/** What a sweep is asked to do. */
export interface SweepSettings extends BacktestSettings {
  /** Path of the strategy file. */
  strategy: string;
  start: string;
  end: string;
  grid: GridAxis[];
  root: string;
  environ: Record<string, string | undefined>;
  /** The strategy is given as functions (a notebook's): there is no file to read or hash. */
  inline?: boolean;
}

/** A sweep ready to run: the pinned flags, the sessions of its window, and its cells. */
export interface SweepPlan {
  flags: CellFlags;
  strategy: { path: string; hash: string; source: string };
  /** Sessions of the whole window (UTC-midnight ms), for walk-forward splits. */
  sessions: number[];
  cells: CellSpec[];
}

function benchmarkFlag(s: BacktestSettings): BenchmarkFlag {
  const given = [s.benchmark_symbol, s.benchmark_file, s.no_benchmark || undefined]
    .filter((x) => x !== undefined);
  if (given.length > 1) {
    throw new SweepSettingsError("choose one of benchmark_symbol, benchmark_file, no_benchmark");
  }
  if (s.no_benchmark) return { kind: "none" };
  if (s.benchmark_symbol !== undefined) return { kind: "symbol", symbol: s.benchmark_symbol };
  if (s.benchmark_file !== undefined) {
    let csv: string;
    try {
      csv = readFileSync(s.benchmark_file, "utf8");
    } catch {
      throw new InvalidInputError("--benchmark-file", s.benchmark_file, "cannot read the file");
    }
    return { kind: "file", name: basename(s.benchmark_file), csv };
  }
  return { kind: "default" };
}

/** The version the sweep pins, ingesting the shipped example bundle on first use. */
async function pinVersion(s: SweepSettings, bundle: string): Promise<BundleVersion> {
  const where = { root: s.root, environ: s.environ, timestamp: s.bundle_timestamp };
  try {
    return resolveVersion(bundle, where);
  } catch (e) {
    if (
      !(e instanceof NoIngestionError) || bundle !== "zipline-examples" ||
      s.bundle_timestamp !== undefined
    ) throw e;
    return await ingest(bundle, { root: s.root, environ: s.environ });
  }
}

const day = (ms: number) => isoDate(Math.floor(ms / DAY_MS));

/**
 * Resolves a sweep's settings into cells (the first grid axis varying slowest).
 *
 * @example
 * ```ts
 * const plan = await planSweep({ strategy: "algo.ts", start: "2010-01-01", end: "2012-12-31",
 *   grid: parseGrid(["short=5,10"]), root, environ: Deno.env.toObject() });
 * plan.cells.length; // 2
 * ```
 */
export async function planSweep(s: SweepSettings): Promise<SweepPlan> {
  await loadExtension(s.root);
  const path = resolve(s.strategy);
  let bytes: Uint8Array = new TextEncoder().encode(`inline strategy ${s.strategy}`);
  if (!s.inline) {
    try {
      bytes = readFileSync(path);
    } catch {
      throw new InvalidInputError("strategy", s.strategy, "cannot read the strategy file");
    }
  }
  const bundle = s.bundle ?? "zipline-examples";
  const version = await pinVersion(s, bundle);
  // Opening it once here writes the version's daily cache before the cells read it at once.
  const reader = await openDaily(bundle, {
    root: s.root,
    environ: s.environ,
    timestamp: version.time,
  });
  let sessions: number[];
  try {
    const calendar = s.trading_calendar ? get_calendar(s.trading_calendar) : reader.calendar;
    const start = Date.parse(`${s.start.slice(0, 10)}T00:00:00Z`);
    const end = Date.parse(`${s.end.slice(0, 10)}T00:00:00Z`);
    if (Number.isNaN(start)) throw new InvalidInputError("--start", s.start, "expected YYYY-MM-DD");
    if (Number.isNaN(end)) throw new InvalidInputError("--end", s.end, "expected YYYY-MM-DD");
    sessions = Array.from(calendar.sessions_in_range(start, end));
  } finally {
    reader.close();
  }
  const capital = s.capital_base ?? 10_000_000;
  if (!(capital > 0)) throw new InvalidInputError("capital_base", capital, "must be positive");
  const flags: CellFlags = {
    bundle,
    bundle_version: version.name,
    capital_base: capital,
    data_frequency: s.data_frequency ?? "daily",
    trading_calendar: s.trading_calendar,
    benchmark: benchmarkFlag(s),
    same_bar_fills: Boolean(s.same_bar_fills),
  };
  const strategy = { path, hash: sha256(bytes), source: new TextDecoder().decode(bytes) };
  const cells = combinations(s.grid).map((p): CellSpec => ({
    strategy: { path, hash: strategy.hash },
    params: { ...s.params, ...p },
    start: day(Date.parse(`${s.start.slice(0, 10)}T00:00:00Z`)),
    end: day(Date.parse(`${s.end.slice(0, 10)}T00:00:00Z`)),
    flags,
  }));
  return { flags, strategy, sessions, cells };
}
