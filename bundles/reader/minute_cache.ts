/**
 * A version's minute bars as a plain binary file beside its database (`minute_cache.bin`, with
 * a JSON header), written by the first minute backtest of the version when the bars are few
 * enough. A minute backtest then reads each chunk of sessions as a few hundred contiguous reads
 * of the file into arrays it reuses, instead of a DuckDB query: a query of 21 sessions of ten
 * assets took ~55 ms of DuckDB's threads and ~10 ms of the JavaScript thread (the binding's
 * copies, then placing rows), and the first bar waited ~50 ms for the first one. The DuckDB file
 * stays the store of record; the cache holds exactly what `BundleReader.loadMinuteRange` gives
 * (it is written from it), laid out field by field, then asset by asset, over every trading
 * minute of the sessions the bars span.
 *
 * @module
 */
import { join } from "node:path";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { lowerBound } from "../../calendars/precomputed.ts";
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { exists } from "../../runtime/fs.ts";
import type { BundleMetadata } from "../store/schema.ts";
import { BAR_FIELDS, type BarField, BundleReader, type MinuteBars } from "./bundle_reader.ts";
import type { BundleVersion } from "../paths.ts";
import { minuteGrid, minuteRange, newFloats } from "./minute_rows.ts";
import { placeRow, readAt, withFile, writeAt } from "./file_at.ts";

const CACHE_VERSION = 2;
const HEADER = "minute_cache.json";
const DATA = "minute_cache.bin";
/** Largest assets × minutes cached (5 fields × 8 bytes each: 500 MB, 128 assets' year). */
export const MAX_MINUTE_CACHED_CELLS = 12_500_000;
/** Cells (assets × minutes) read from the database at a time while writing the cache. */
const WRITE_CELLS = 200_000;

/** What a minute backtest reads its bars from: the cache or the database. */
export interface MinuteBarReader {
  readonly metadata: BundleMetadata;
  /** As `BundleReader.loadMinuteRange`: the same arrays, from either. */
  loadMinuteRange(
    sids: readonly number[],
    first: number,
    last: number,
    fields?: readonly BarField[],
    arrays?: (length: number) => Float64Array,
  ): Promise<MinuteBars>;
}

/** How many minute bars a version has, and the UTC dates of its first and last (ISO). */
export interface MinuteSpan {
  count: number;
  first: string;
  last: string;
}

/** What a cache is opened for: a version, read on its calendar (a daily cache or the database). */
export interface CacheSource {
  readonly version: BundleVersion;
  readonly calendar: TradingCalendar;
  readonly metadata: BundleMetadata;
}

/** A minute backtest's bars: the cache or the database, with their span; `close` when done. */
export type OpenMinuteBars = MinuteBarReader & { readonly span: MinuteSpan; close(): void };

interface Header {
  cache_version: number;
  /** The version's minute bars (what a minute backtest checks its dates against). */
  span: MinuteSpan;
  calendar_name: string;
  /** The first and last session cached (UTC midnight ms) and how many there are. */
  first_session: number;
  last_session: number;
  sessions: number;
  /** Trading minutes over those sessions. */
  minutes: number;
  /** The assets, in the file's order. */
  sids: number[];
}

/**
 * The minute bars of a backtest on `daily`'s version: its cache, written first when it has none
 * (a disk that refuses it only costs speed), else the database — `daily` itself when it is the
 * database, or the version's opened for this (closed by `close`). With a cache and a daily cache,
 * a minute backtest never loads DuckDB. `HARVESTER_MINUTE_CACHE=off` always reads the database.
 */
export async function openMinuteBars(
  daily: CacheSource,
  environ: Record<string, string | undefined> = Deno.env.toObject(),
  maxCells = MAX_MINUTE_CACHED_CELLS,
): Promise<OpenMinuteBars> {
  const use = environ.HARVESTER_MINUTE_CACHE !== "off";
  const cached = use ? MinuteCache.open(daily) : null;
  if (cached) return cached;
  const db = daily instanceof BundleReader ? daily : await BundleReader.open(daily.version);
  const own = db !== daily;
  try {
    if (use && await writeMinuteCache(db, db.version.path, maxCells).catch(() => false)) {
      const written = MinuteCache.open(daily);
      if (written) {
        if (own) db.close();
        return written;
      }
    }
    const span = await minuteSpan(db);
    return {
      metadata: db.metadata,
      span,
      loadMinuteRange: db.loadMinuteRange.bind(db),
      close() {
        if (own) db.close();
      },
    };
  } catch (e) {
    if (own) db.close();
    throw e;
  }
}

/** The version's minute bars: how many, and the first's and last's instants (UTC ms, NaN if none). */
async function barRange(reader: BundleReader): Promise<{ count: number; lo: number; hi: number }> {
  const [row] = await reader.sql(
    "SELECT count(*)::DOUBLE AS n, epoch_ms(min(dt))::DOUBLE AS lo, epoch_ms(max(dt))::DOUBLE AS hi FROM minute_bars",
  );
  const num = (v: unknown) => (v === null || v === undefined ? NaN : Number(v));
  return { count: num(row.n), lo: num(row.lo), hi: num(row.hi) };
}

const dateOf = (ms: number) => (ms === ms ? isoDate(Math.floor(ms / DAY_MS)) : "");

/** The version's minute span, from the database. */
export async function minuteSpan(reader: BundleReader): Promise<MinuteSpan> {
  const { count, lo, hi } = await barRange(reader);
  return { count, first: dateOf(lo), last: dateOf(hi) };
}

/** The sessions bars from `lo` to `hi` span (a day either side of their UTC dates). */
function barSessions(reader: BundleReader, lo: number, hi: number): Float64Array | null {
  if (!(lo === lo)) return null;
  // A session may open the UTC day before its date (XASX, XNZE) or close the day after.
  const { first_session, last_session } = reader.metadata;
  const from = Math.max(first_session, (Math.floor(lo / DAY_MS) - 1) * DAY_MS);
  const to = Math.min(last_session, (Math.floor(hi / DAY_MS) + 1) * DAY_MS);
  return from <= to ? reader.calendar.sessions_in_range(from, to) : null;
}

/**
 * Writes the cache of `reader`'s version into `dir` (its folder): false when it has no minute
 * bars or more than `maxCells`. The data file and then the header go in by a temporary name and
 * a rename, the header last: `MinuteCache.open` wants both, so no reader sees half a cache.
 */
export async function writeMinuteCache(
  reader: BundleReader,
  dir: string,
  maxCells = MAX_MINUTE_CACHED_CELLS,
): Promise<boolean> {
  const range = await barRange(reader);
  const sessions = barSessions(reader, range.lo, range.hi);
  if (!sessions || sessions.length === 0) return false;
  const { starts } = minuteGrid(reader.calendar, sessions);
  const total = starts[sessions.length], sids = reader.assets.map((a) => a.sid), k = sids.length;
  if (k === 0 || total === 0 || k * total > maxCells) return false;
  const tmp = `.${Deno.pid}.tmp`, data = join(dir, DATA);
  const file = Deno.openSync(data + tmp, { write: true, create: true, truncate: true });
  try {
    const perDay = Math.max(1, total / sessions.length);
    const step = Math.max(1, Math.floor(WRITE_CELLS / (k * perDay)));
    for (let i = 0; i < sessions.length; i += step) {
      const j = Math.min(sessions.length, i + step) - 1;
      const bars = await reader.loadMinuteRange(sids, sessions[i], sessions[j]);
      const n = bars.minutes.length;
      BAR_FIELDS.forEach((f, fk) => {
        const values = bars.fields[f]!;
        for (let a = 0; a < k; a++) {
          writeAt(file, values.subarray(a * n, a * n + n), ((fk * k + a) * total + starts[i]) * 8);
        }
      });
    }
    file.close();
  } catch (e) {
    file.close();
    Deno.removeSync(data + tmp);
    throw e;
  }
  Deno.renameSync(data + tmp, data);
  const header: Header = {
    cache_version: CACHE_VERSION,
    span: { count: range.count, first: dateOf(range.lo), last: dateOf(range.hi) },
    calendar_name: reader.calendar.name,
    first_session: sessions[0],
    last_session: sessions[sessions.length - 1],
    sessions: sessions.length,
    minutes: total,
    sids,
  };
  Deno.writeTextFileSync(join(dir, HEADER + tmp), JSON.stringify(header));
  Deno.renameSync(join(dir, HEADER + tmp), join(dir, HEADER));
  return true;
}

/** Minute bars from a version's cache file, open from `open` to `close`. */
export class MinuteCache implements OpenMinuteBars {
  readonly metadata: BundleMetadata;
  readonly span: MinuteSpan;
  private readonly calendar: TradingCalendar;
  private readonly sessions: Float64Array;
  private readonly starts: Int32Array;
  private readonly minutes: number;
  private readonly slotOf: Map<number, number>;
  private readonly assets: number;
  private file: Deno.FsFile | null;

  private constructor(
    reader: CacheSource,
    header: Header,
    grid: { sessions: Float64Array; starts: Int32Array },
    file: Deno.FsFile,
    private path: string,
  ) {
    this.metadata = reader.metadata;
    this.span = header.span;
    this.calendar = reader.calendar;
    this.sessions = grid.sessions;
    this.starts = grid.starts;
    this.minutes = header.minutes;
    this.assets = header.sids.length;
    this.slotOf = new Map(header.sids.map((s, i) => [s, i]));
    this.file = file;
  }

  /**
   * The cache of `reader`'s version, or null when it has none, an older format, or one that no
   * longer matches the calendar's minutes (a calendar corrected since): then it is written again.
   */
  static open(reader: CacheSource): MinuteCache | null {
    const dir = reader.version.path, h = join(dir, HEADER), d = join(dir, DATA);
    if (!exists(h) || !exists(d)) return null;
    const header = JSON.parse(Deno.readTextFileSync(h)) as Header;
    if (header.cache_version !== CACHE_VERSION) return null;
    if (header.calendar_name !== reader.calendar.name) return null;
    const sessions = reader.calendar.sessions_in_range(header.first_session, header.last_session);
    if (sessions.length !== header.sessions) return null;
    const { starts } = minuteGrid(reader.calendar, sessions);
    const bytes = BAR_FIELDS.length * header.sids.length * header.minutes * 8;
    if (starts[sessions.length] !== header.minutes || Deno.statSync(d).size !== bytes) return null;
    const file = Deno.openSync(d, { read: true });
    return new MinuteCache(reader, header, { sessions, starts }, file, d);
  }

  loadMinuteRange(
    sids: readonly number[],
    first: number,
    last: number,
    fields: readonly BarField[] = BAR_FIELDS,
    arrays: (length: number) => Float64Array = newFloats,
  ): Promise<MinuteBars> {
    const { sessions, minutes, starts } = minuteRange(this.calendar, first, last);
    const n = minutes.length, out: Partial<Record<BarField, Float64Array>> = {};
    // The sessions both hold: from cached session `c0` (the range's `r0`), `len` minutes.
    const cached = this.sessions, m = cached.length;
    const lo = Math.max(sessions[0] ?? Infinity, cached[0]);
    const hi = Math.min(sessions[sessions.length - 1] ?? -Infinity, cached[m - 1]);
    const c0 = lowerBound(cached, lo), c1 = lo <= hi ? lowerBound(cached, hi) + 1 : c0;
    const r0 = lo <= hi ? starts[lowerBound(sessions, lo)] : 0, from = this.starts[c0] ?? 0;
    const len = lo <= hi ? this.starts[c1] - from : 0;
    for (const f of fields) {
      const k = BAR_FIELDS.indexOf(f), missing = f === "volume" ? 0 : NaN;
      let made: Float64Array | null = null;
      // Read when the caller first reads the field: a run trading on closes never reads open,
      // high and low (three fifths of a chunk's reads and memory).
      const get = () => {
        if (made) return made;
        const values = made = arrays(sids.length * n);
        sids.forEach((sid, i) => {
          const row = values.subarray(i * n, i * n + n), slot = this.slotOf.get(sid);
          if (slot === undefined) return void row.fill(missing);
          const position = ((k * this.assets + slot) * this.minutes + from) * 8;
          placeRow(row, r0, len, missing, (into) => this.read(into, position));
        });
        return values;
      };
      Object.defineProperty(out, f, { get, enumerable: true, configurable: true });
    }
    return Promise.resolve({ sessions, minutes, sessionStarts: starts, fields: out });
  }

  private read(into: Float64Array, position: number): void {
    withFile(this.file, this.path, (file) => {
      readAt(file, into, position, `${this.path}: minute cache`);
    });
  }

  close(): void {
    this.file?.close();
    this.file = null;
  }
}
