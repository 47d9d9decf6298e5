/**
 * zipline's `quandl` bundle: the WIKI/PRICES table of Nasdaq Data Link (formerly Quandl), fetched
 * through the datatable export API (a metadata request gives a link to one zipped CSV), unzipped
 * to a temporary file, staged with DuckDB's CSV reader, checked, and written as raw daily bars,
 * splits (ratio = 1/split_ratio) and cash dividends on their ex-date. Sids follow the sorted
 * tickers, exchange "QUANDL", country "US", auto_close_date the day after the last bar.
 *
 * Environment: QUANDL_API_KEY (required), QUANDL_DOWNLOAD_ATTEMPTS (default 5), QUANDL_BASE_URL
 * (default https://data.nasdaq.com/api/v3), QUANDL_RETRY_BASE_MS (first backoff, default 500).
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync } from "node:fs";
import { rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { Unzip, UnzipInflate, UnzipPassThrough } from "fflate";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { IngestError } from "../errors.ts";
import type { IngestArgs, IngestFunction } from "../registry.ts";
import { duckdb, sqlString } from "../store/duckdb.ts";
import { checkWikiRows } from "./quandl_checks.ts";
import { config, download, exportLink } from "./quandl_fetch.ts";

const ZIP_NAME = "WIKI_PRICES.zip";
const MB = 1024 * 1024;
/** The columns read, with their types; any other column of the file is read as text. */
const COLUMNS: Record<string, string> = {
  ticker: "VARCHAR",
  date: "DATE",
  open: "DOUBLE",
  high: "DOUBLE",
  low: "DOUBLE",
  close: "DOUBLE",
  volume: "DOUBLE",
  "ex-dividend": "DOUBLE",
  split_ratio: "DOUBLE",
};

/** zipline's `quandl_bundle`, as an ingest function. */
export function quandl_bundle(): IngestFunction {
  return ingestQuandl;
}

async function ingestQuandl(args: IngestArgs): Promise<void> {
  const cfg = config(args.environ);
  mkdirSync(args.cache_dir, { recursive: true });
  const zip = join(args.cache_dir, ZIP_NAME);
  if (existsSync(zip)) {
    args.progress.note(`using the WIKI/PRICES export downloaded earlier (${zip})`);
  } else await download(await exportLink(cfg, args), zip, cfg, args);
  const csv = join(args.cache_dir, "WIKI_PRICES.csv.tmp");
  try {
    const { name, header } = unzipSingleFile(zip, csv, args);
    const conn = args.writer.conn;
    await stage(conn, csv, name, header, args);
    await checkWikiRows(conn, name, header);
    await writeTables(conn, args);
  } finally {
    rmSync(csv, { force: true });
  }
  // As zipline drops its download cache once an ingest succeeds; a failure above keeps it.
  rmSync(zip, { force: true });
}

/** Entries of a zip per its end-of-central-directory record; undefined when there is none. */
function zipEntries(fd: number): number | undefined {
  const size = fstatSync(fd).size;
  const n = Math.min(size, 22 + 0xffff);
  const buf = new Uint8Array(n);
  readSync(fd, buf, 0, n, size - n);
  const view = new DataView(buf.buffer);
  for (let i = n - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === 0x06054b50) return view.getUint16(i + 10, true);
  }
  return undefined;
}

function corruptZip(zip: string, why: string): IngestError {
  // A damaged download must not be reused from the cache.
  rmSync(zip, { force: true });
  return new IngestError(
    `the downloaded WIKI/PRICES export is not a readable zip (${why}); it was removed from the` +
      " cache, run the ingest again to download it anew",
    { file: zip },
  );
}

/**
 * Inflates the zip's single file into `out` chunk by chunk (the real CSV is ~2 GB), keeping its
 * header line. zipline, too, expects exactly one file.
 */
function unzipSingleFile(zip: string, out: string, args: IngestArgs) {
  const fd = openSync(zip, "r");
  const outFd = openSync(out, "w");
  let name = "", head = "", complete = false, failure: string | undefined;
  try {
    const entries = zipEntries(fd);
    if (entries === undefined) throw corruptZip(zip, "no end-of-archive record; truncated?");
    if (entries !== 1) throw corruptZip(zip, `${entries} files, expected one CSV`);
    const unzip = new Unzip((file) => {
      name = file.name;
      file.ondata = (err, data, final) => {
        if (err) return void (failure = err.message);
        if (!head.includes("\n") && head.length < 65536) head += new TextDecoder().decode(data);
        writeSync(outFd, data);
        complete ||= final;
      };
      file.start();
    });
    unzip.register(UnzipInflate);
    unzip.register(UnzipPassThrough);
    const size = fstatSync(fd).size;
    args.progress.start("unzipping WIKI/PRICES (MB)", Math.ceil(size / MB));
    for (let pos = 0; pos < size && !failure;) {
      const chunk = new Uint8Array(Math.min(4 * MB, size - pos)); // fflate may keep a reference
      pos += readSync(fd, chunk, 0, chunk.length, pos);
      unzip.push(chunk, pos >= size);
      args.progress.tick(Math.round(chunk.length / MB));
    }
    if (failure || !complete) throw corruptZip(zip, failure ?? "the file inside ends early");
    args.progress.done(name);
  } catch (e) {
    throw e instanceof IngestError ? e : corruptZip(zip, (e as Error).message);
  } finally {
    closeSync(fd);
    closeSync(outFd);
  }
  const line = head.split("\n")[0].replace(/\r$/, "");
  return { name, header: line.split(",").map((h) => h.trim().replace(/^"(.*)"$/, "$1")) };
}

/** Loads the CSV into the temp table `wiki`; unreadable values fail naming their row. */
async function stage(
  conn: DuckDBConnection,
  csv: string,
  file: string,
  header: string[],
  args: IngestArgs,
): Promise<void> {
  for (const col of Object.keys(COLUMNS)) {
    if (!header.includes(col)) {
      throw new IngestError(`missing column "${col}"; the header is ${header.join(",")}`, {
        file,
        line: 1,
        column: col,
      });
    }
  }
  const types = header.map((h) => `${sqlString(h)}: '${COLUMNS[h] ?? "VARCHAR"}'`).join(", ");
  args.progress.start("reading WIKI/PRICES rows", 1);
  await conn.run(`CREATE OR REPLACE TEMP TABLE wiki AS
    SELECT ticker, "date", open, high, low, close, volume, "ex-dividend" AS ex_dividend, split_ratio
    FROM read_csv(${sqlString(csv)}, header = true, auto_detect = false, store_rejects = true,
                  columns = {${types}})`);
  const rows = await count(conn, `SELECT count(*) FROM wiki`);
  args.progress.tick(1, rows);
  args.progress.done(`${rows.toLocaleString("en-US")} rows`);
}

/** The sessions bars may fall on: the calendar's, within the registered start/end. */
async function sessionsTable(conn: DuckDBConnection, args: IngestArgs): Promise<void> {
  const { DuckDBDateValue } = await duckdb();
  await conn.run(`CREATE OR REPLACE TEMP TABLE cal (date DATE)`);
  const a = await conn.createAppender("cal", "main", "temp");
  const lo = args.start_session ?? -Infinity, hi = args.end_session ?? Infinity;
  for (const s of args.calendar.all_sessions) {
    if (s < lo || s > hi) continue;
    a.appendDate(new DuckDBDateValue(s / DAY_MS));
    a.endRow();
  }
  a.closeSync();
}

async function count(conn: DuckDBConnection, sql: string): Promise<number> {
  return Number((await conn.runAndReadAll(sql)).getRowsJS()[0][0]);
}

/** Writes bars on sessions, assets from them, and every split and dividend of those assets. */
async function writeTables(conn: DuckDBConnection, args: IngestArgs): Promise<void> {
  await sessionsTable(conn, args);
  // Sids by sorted ticker over the whole file, as zipline's category codes.
  await conn.run(`CREATE OR REPLACE TEMP TABLE sids AS SELECT ticker,
    (row_number() OVER (ORDER BY ticker) - 1)::INTEGER AS sid FROM (SELECT DISTINCT ticker FROM wiki)`);
  await conn.run(`INSERT INTO daily_bars
    SELECT s.sid, w.date, w.open, w.high, w.low, w.close, coalesce(w.volume, 0)
    FROM wiki w JOIN sids s USING (ticker) WHERE w.date IN (SELECT date FROM cal)`);
  await conn.run(`INSERT INTO assets
    SELECT b.sid, s.ticker, NULL, 'QUANDL', 'US', min(b.date), max(b.date), NULL, max(b.date) + 1
    FROM daily_bars b JOIN sids s USING (sid) GROUP BY b.sid, s.ticker`);
  const listed = `s.sid IN (SELECT sid FROM assets)`;
  await conn.run(`INSERT INTO splits SELECT s.sid, w.date, 1.0 / w.split_ratio
    FROM wiki w JOIN sids s USING (ticker) WHERE w.split_ratio <> 1 AND ${listed}`);
  await conn.run(`INSERT INTO dividends (sid, ex_date, amount) SELECT s.sid, w.date, w.ex_dividend
    FROM wiki w JOIN sids s USING (ticker) WHERE w.ex_dividend <> 0 AND ${listed}`);
  await noteSkipped(conn, args);
}

/** Reports rows that are not bars of the bundle (WIKI has a few on holidays and weekends). */
async function noteSkipped(conn: DuckDBConnection, args: IngestArgs): Promise<void> {
  const range = `(SELECT min(date) AS lo, max(date) AS hi FROM cal) r`;
  const outside = await count(
    conn,
    `SELECT count(*) FROM wiki, ${range} WHERE r.lo IS NULL OR date < r.lo OR date > r.hi`,
  );
  const off = await count(
    conn,
    `SELECT count(*) FROM wiki, ${range}
     WHERE date BETWEEN r.lo AND r.hi AND date NOT IN (SELECT date FROM cal)`,
  );
  const unlisted = await count(
    conn,
    `SELECT count(*) FROM sids WHERE sid NOT IN (SELECT sid FROM assets)`,
  );
  const cal = args.calendar.name;
  if (off > 0) {
    args.progress.note(`quandl: skipped ${off} row(s) on dates that are not ${cal} sessions`);
  }
  if (outside > 0) {
    const s = args.calendar.all_sessions;
    const lo = isoDate((args.start_session ?? s[0]) / DAY_MS);
    const hi = isoDate((args.end_session ?? s[s.length - 1]) / DAY_MS);
    args.progress.note(
      `quandl: skipped ${outside} row(s) outside the bundle's sessions ${lo} to ${hi}`,
    );
  }
  if (unlisted > 0) {
    args.progress.note(`quandl: ${unlisted} ticker(s) have no bar on a session; left out`);
  }
}
