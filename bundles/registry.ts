/**
 * Bundle registration, ingestion, loading and cleaning — zipline's `register` / `ingest` /
 * `load` / `clean`, on Harvester's atomic versioned store.
 */
import { join } from "node:path";
import { exists, fileUrl, removeAll } from "../runtime/fs.ts";
import type { TradingCalendar } from "../calendars/calendar.ts";
import { DAY_MS } from "../calendars/days.ts";
import { get_calendar } from "../calendars/registry.ts";
import { IngestError, NoIngestionError, UnknownBundleError } from "./errors.ts";
import {
  bundleDir,
  type BundleVersion,
  harvesterRoot,
  listVersions,
  pickVersion,
} from "./paths.ts";
import { type Progress, silentProgress } from "./progress.ts";
import { BundleReader } from "./reader/bundle_reader.ts";
import { PendingVersion, removeStaleTemps } from "./store/commit.ts";
import { BundleWriter } from "./store/writer.ts";
import { priceDecimals } from "./store/precision.ts";
import { type DailyBarSource, DailyCache, writeDailyCache } from "./reader/daily_cache.ts";

/** Options a user passes to `harvester ingest` that an ingester may read. */
export interface IngestOptions {
  csvdir?: string;
  lenient?: boolean;
  symbols?: string[];
  /** Store prices with this many decimals, as zipline does with 3 (precision.ts). */
  price_decimals?: number;
  [key: string]: unknown;
}

/** What an ingest function is given (zipline's ingest arguments, as one object). */
export interface IngestArgs {
  bundle: string;
  environ: Record<string, string | undefined>;
  writer: BundleWriter;
  calendar: TradingCalendar;
  /** First/last session the bundle should cover (UTC-midnight ms), when registered with them. */
  start_session?: number;
  end_session?: number;
  minutes_per_day: number;
  /** A folder that survives failed ingests (downloads to resume). */
  cache_dir: string;
  /** Folder of the version being written. */
  output_dir: string;
  show_progress: boolean;
  progress: Progress;
  options: IngestOptions;
  /** The newest earlier version, for incremental ingesters. */
  previous?: BundleVersion;
}

export type IngestFunction = (args: IngestArgs) => Promise<void>;

export interface RegisterOptions {
  calendar_name?: string;
  start_session?: string | number;
  end_session?: string | number;
  minutes_per_day?: number;
  /**
   * Store prices with this many decimals (3: as zipline stores them, integers of price × 1000,
   * and whole volumes); an ingest's own `price_decimals` wins. @default full precision
   */
  price_decimals?: number;
}

interface Registration {
  name: string;
  ingest: IngestFunction;
  calendar_name: string;
  start_session?: number;
  end_session?: number;
  minutes_per_day: number;
  price_decimals?: number;
}

const registry = new Map<string, Registration>();

function sessionMs(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  return typeof v === "number" ? v : Date.parse(`${v.slice(0, 10)}T00:00:00Z`);
}

/**
 * Registers a bundle, as zipline's `register` (calendar_name defaults to NYSE, 390 minutes a day).
 * @example
 * register("my-csv", csvdir_equities({ csvdir: "/data/csv" }), { calendar_name: "XNYS" });
 */
export function register(name: string, ingest: IngestFunction, opts: RegisterOptions = {}): void {
  registry.set(name, {
    name,
    ingest,
    calendar_name: opts.calendar_name ?? "NYSE",
    start_session: sessionMs(opts.start_session),
    end_session: sessionMs(opts.end_session),
    minutes_per_day: opts.minutes_per_day ?? 390,
    price_decimals: priceDecimals(opts.price_decimals, `register("${name}"): price_decimals`),
  });
}

/** Removes a registration. */
export function unregister(name: string): void {
  registry.delete(name);
}

/** Registered bundle names, sorted. */
export function bundle_names(): string[] {
  return [...registry.keys()].sort();
}

function registration(name: string): Registration {
  const r = registry.get(name);
  if (!r) throw new UnknownBundleError(name, bundle_names());
  return r;
}

/** Loads `$HARVESTER_ROOT/extension.ts` (if present), where users register their bundles. */
export async function loadExtension(root: string): Promise<boolean> {
  const file = join(root, "extension.ts");
  if (!exists(file)) return false;
  await import(fileUrl(file).href);
  return true;
}

export interface IngestCallOptions {
  root?: string;
  environ?: Record<string, string | undefined>;
  show_progress?: boolean;
  progress?: Progress;
  calendar?: string;
  options?: IngestOptions;
  /** Override of the ingestion time (tests). */
  now?: number;
}

/**
 * Ingests a bundle into a new version, atomically: on any error, or an interruption (SIGINT,
 * SIGTERM), the temporary folder is removed and earlier versions are untouched.
 */
export async function ingest(name: string, call: IngestCallOptions = {}): Promise<BundleVersion> {
  const reg = registration(name);
  const environ = call.environ ?? Deno.env.toObject();
  const root = call.root ?? harvesterRoot(environ);
  const calendar = get_calendar(call.calendar ?? reg.calendar_name);
  const decimals = priceDecimals(call.options?.price_decimals, "price_decimals") ??
    reg.price_decimals;
  removeStaleTemps(root, name);
  const pending = new PendingVersion(root, name, call.now);
  const onSignal = () => {
    pending.abort();
    Deno.exit(130);
  };
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  let writer: BundleWriter | undefined;
  try {
    writer = await BundleWriter.create(pending.dbPath);
    const cacheDir = join(bundleDir(root, name), ".cache");
    const progress = call.progress ?? silentProgress;
    const versions = listVersions(root, name);
    await reg.ingest({
      bundle: name,
      environ,
      writer,
      calendar,
      start_session: reg.start_session,
      end_session: reg.end_session,
      minutes_per_day: reg.minutes_per_day,
      cache_dir: cacheDir,
      output_dir: pending.tmpPath,
      show_progress: call.show_progress ?? false,
      progress,
      options: call.options ?? {},
      previous: versions[versions.length - 1],
    });
    const sessions = Int32Array.from(calendar.all_sessions, (s) => s / DAY_MS);
    const { droppedDividends } = await writer.finish({
      bundle: name,
      calendar_name: calendar.name,
      minutes_per_day: reg.minutes_per_day,
      source: String(call.options?.csvdir ?? environ.CSVDIR ?? name),
      created: call.now ?? Date.now(),
      sessions,
      price_decimals: decimals,
    });
    if (droppedDividends > 0) {
      progress.note(
        `note: ${droppedDividends} dividend(s) have no close on the session before their ex-date; they adjust no prices`,
      );
    }
    writer = undefined;
    return pending.commit();
  } catch (e) {
    writer?.close();
    pending.abort();
    if (
      e instanceof Error && !(e instanceof IngestError) &&
      /IO Error|Conversion Error|Invalid Input/.test(e.message)
    ) {
      throw new IngestError(e.message.split("\n")[0], {}, { cause: e });
    }
    throw e;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
}

export interface LoadOptions {
  root?: string;
  environ?: Record<string, string | undefined>;
  /** Newest version at or before this instant (UTC ms). */
  timestamp?: number;
}

/** The version `load` would open. */
export function resolveVersion(name: string, opts: LoadOptions = {}): BundleVersion {
  const root = opts.root ?? harvesterRoot(opts.environ);
  const v = pickVersion(listVersions(root, name), opts.timestamp);
  if (!v) {
    throw new NoIngestionError(
      name,
      opts.timestamp === undefined ? undefined : new Date(opts.timestamp).toISOString(),
    );
  }
  return v;
}

/** Opens the newest version of a bundle at or before `timestamp`. */
export function load(name: string, opts: LoadOptions = {}): Promise<BundleReader> {
  return BundleReader.open(resolveVersion(name, opts));
}

/**
 * What a daily backtest reads: the version's binary cache when it has one (no DuckDB at all),
 * else the database.
 */
export async function openDaily(name: string, opts: LoadOptions = {}): Promise<DailyBarSource> {
  const v = resolveVersion(name, opts);
  // HARVESTER_DAILY_CACHE=off reads the database every time (comparisons, debugging).
  if ((opts.environ ?? Deno.env.toObject()).HARVESTER_DAILY_CACHE === "off") {
    return await BundleReader.open(v);
  }
  const cached = DailyCache.open(v);
  if (cached) return cached;
  // First daily read of this version: read the database, and leave the cache for the next run
  // (written here rather than at ingest, which stays as fast as the data allows).
  const reader = await BundleReader.open(v);
  let written = false;
  try {
    written = await writeDailyCache(reader, v.path);
  } catch {
    // A read-only or full disk only costs speed: the database still answers.
  }
  const cache = written ? DailyCache.open(v) : null;
  if (!cache) return reader;
  reader.close();
  return cache;
}

export interface CleanOptions {
  root?: string;
  environ?: Record<string, string | undefined>;
  /** Remove versions ingested strictly before / after these instants (UTC ms). */
  before?: number;
  after?: number;
  /** Keep only the newest N versions. */
  keep_last?: number;
}

/** Removes versions as zipline's `clean` does; returns the removed versions. */
export function clean(name: string, opts: CleanOptions): BundleVersion[] {
  const given = [opts.before, opts.after, opts.keep_last].filter((x) => x !== undefined).length;
  if (given === 0) throw new IngestError("clean needs one of --before, --after or --keep-last");
  if (opts.keep_last !== undefined && given > 1) {
    throw new IngestError("--keep-last cannot be combined with --before or --after");
  }
  if (opts.keep_last !== undefined && !(Number.isInteger(opts.keep_last) && opts.keep_last >= 0)) {
    throw new IngestError(`--keep-last must be a whole number ≥ 0 (got ${opts.keep_last})`);
  }
  const root = opts.root ?? harvesterRoot(opts.environ);
  const versions = listVersions(root, name);
  const doomed = opts.keep_last !== undefined
    ? versions.slice(0, Math.max(0, versions.length - opts.keep_last))
    : versions.filter((v) =>
      (opts.before !== undefined && v.time < opts.before) ||
      (opts.after !== undefined && v.time > opts.after)
    );
  for (const v of doomed) removeAll(v.path);
  return doomed;
}
