/**
 * zipline's csvdir bundle: `daily/` and/or `minute/` folders of `SYMBOL.csv[.gz]` files with
 * `date,open,high,low,close,volume[,dividend][,split]`. DuckDB's CSV reader loads the files in
 * batches straight into a staging table; checks there name the file, line and column of any bad
 * row; then bars, splits (ratio = 1/split) and dividends (on their ex-date, no pay date: never
 * paid as cash, as in zipline) are written.
 *
 * An optional `metadata.csv` (or `assets.csv`) beside the folders pins each symbol's sid and may
 * give `asset_name, exchange, country_code, start_date, end_date, first_traded, auto_close_date`.
 */
import { existsSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { DAY_MS } from "../../calendars/days.ts";
import { IngestError } from "../errors.ts";
import type { IngestArgs } from "../registry.ts";
import { duckdb, sqlString } from "../store/duckdb.ts";
import { checkDuplicates, checkRejects, checkRows, type PathOf, rowError } from "./csv_checks.ts";
import { type CsvFile, listCsvFiles, readHeader } from "./csv_files.ts";
import { type AssetMeta, readAssetMetadata } from "./csv_metadata.ts";
import { firstFound } from "./first_found.ts";

import type { CsvdirOptions, TimeFrame } from "./csvdir_bundle.ts";

const REQUIRED = ["date", "open", "high", "low", "close", "volume"] as const;
const OPTIONAL = ["dividend", "split"] as const;
const BATCH = 64;

function resolveDir(args: IngestArgs, opts: CsvdirOptions): string {
  const dir = opts.csvdir ?? args.options.csvdir ?? args.environ.CSVDIR;
  if (!dir) throw new IngestError("no csvdir folder: pass --csvdir DIR or set CSVDIR");
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new IngestError(`csvdir folder ${dir} does not exist`);
  }
  return dir;
}

function checkHeader(file: CsvFile, header: string[]): void {
  if (header.length === 0) {
    throw new IngestError(
      `empty file; expected a header ${REQUIRED.join(",")}[,dividend][,split]`,
      { file: file.path, line: 1 },
    );
  }
  for (const col of REQUIRED) {
    if (header.includes(col)) continue;
    const near = header.find((h) =>
      h.toLowerCase() === col || h.toLowerCase().startsWith(col.slice(0, 3))
    );
    throw new IngestError(
      `missing column "${col}"${
        near ? ` (found "${near}"; column names are lower case)` : ""
      }; header is ${header.join(",")}`,
      { file: file.path, line: 1, column: col },
    );
  }
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) {
      throw new IngestError(`column "${h}" appears twice in the header`, {
        file: file.path,
        line: 1,
        column: h,
      });
    }
    seen.add(h);
  }
}

/** DuckDB `columns={…}` for a header: known columns typed, anything else read as text. */
function columnTypes(header: string[], tframe: TimeFrame): string {
  const type = (h: string) =>
    h === "date"
      ? (tframe === "daily" ? "DATE" : "TIMESTAMP")
      : (REQUIRED as readonly string[]).includes(h) ||
          (OPTIONAL as readonly string[]).includes(h)
      ? "DOUBLE"
      : "VARCHAR";
  return `{${header.map((h) => `${sqlString(h)}: '${type(h)}'`).join(", ")}}`;
}

const rawTable = (tframe: TimeFrame) => `${tframe}_raw`;

/**
 * Loads the files into `<tframe>_raw` (sid, date, bars, dividend, split): batches of files with
 * the same header go through one `read_csv`, and DuckDB's `file_index` gives each row its sid.
 * The table is persistent so it can become the bar table itself, with no copy.
 */
async function stage(
  conn: DuckDBConnection,
  args: IngestArgs,
  files: CsvFile[],
  sids: Map<string, number>,
  tframe: TimeFrame,
): Promise<void> {
  const table = rawTable(tframe);
  await conn.run(
    `CREATE TABLE ${table} (sid INTEGER, date ${tframe === "daily" ? "DATE" : "TIMESTAMP"},
    open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, dividend DOUBLE, split DOUBLE)`,
  );
  // Files with the same header are read together; DuckDB cannot keep rejects across differing ones.
  const groups = new Map<string, { header: string[]; files: CsvFile[] }>();
  for (const f of files) {
    const header = readHeader(f.path);
    checkHeader(f, header);
    const key = header.join(",");
    const g = groups.get(key) ?? { header, files: [] };
    g.files.push(f);
    groups.set(key, g);
  }
  args.progress.start(`reading ${tframe} files`, files.length);
  let total = 0;
  for (const { header, files: group } of groups.values()) {
    const opt = (c: string) => (header.includes(c) ? `"${c}"` : "NULL");
    for (let i = 0; i < group.length; i += BATCH) {
      const batch = group.slice(i, i + BATCH);
      const list = `[${batch.map((f) => sqlString(f.path)).join(", ")}]`;
      const sidList = `[${batch.map((f) => sids.get(f.symbol)).join(", ")}]`;
      let inserted = 0;
      try {
        const r = await conn.run(`INSERT INTO ${table}
          SELECT ${sidList}[file_index::BIGINT + 1], "date", open, high, low, close, volume,
                 ${opt("dividend")}, ${opt("split")}
          FROM read_csv(${list}, header = true, auto_detect = false, store_rejects = true,
                        columns = ${columnTypes(header, tframe)})`);
        inserted = Number(r.rowsChanged);
      } catch (e) {
        const msg = (e as Error).message;
        const file = batch.find((f) => msg.includes(f.path))?.path;
        throw new IngestError(msg.split("\n")[0], { file }, { cause: e });
      }
      await checkRejects(conn);
      total += inserted;
      args.progress.tick(batch.length, inserted);
    }
  }
  args.progress.done(`${files.length} files, ${total.toLocaleString("en-US")} rows`);
}

async function calendarTable(conn: DuckDBConnection, args: IngestArgs): Promise<void> {
  const { DuckDBDateValue, DuckDBTimestampValue } = await duckdb();
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE cal
      (date DATE, open TIMESTAMP, close TIMESTAMP, break_start TIMESTAMP, break_end TIMESTAMP)`,
  );
  const a = await conn.createAppender("cal", "main", "temp");
  const cal = args.calendar;
  const at = (ms: number) => new DuckDBTimestampValue(BigInt(ms) * 1000n);
  for (let i = 0; i < cal.all_sessions.length; i++) {
    a.appendDate(new DuckDBDateValue(cal.all_sessions[i] / DAY_MS));
    a.appendTimestamp(at(cal.opens[i]));
    a.appendTimestamp(at(cal.closes[i]));
    // A lunch break (NULL for a session without one).
    const bs = cal.break_starts[i], be = cal.break_ends[i];
    if (bs === bs) {
      a.appendTimestamp(at(bs));
      a.appendTimestamp(at(be));
    } else {
      a.appendNull();
      a.appendNull();
    }
    a.endRow();
  }
  a.closeSync();
}

async function checkSessions(
  conn: DuckDBConnection,
  args: IngestArgs,
  tframe: TimeFrame,
  pathOf: PathOf,
): Promise<void> {
  const name = args.calendar.name;
  if (tframe === "daily") {
    const bad = await firstFound(
      conn,
      `SELECT r.sid, r.date FROM daily_raw r ANTI JOIN cal c ON c.date = r.date`,
      "sid, date",
    );
    if (bad) {
      throw rowError(
        pathOf(Number(bad.sid)),
        bad.date,
        "date",
        `not a session of calendar ${name}`,
        Number(bad.n) - 1,
      );
    }
    return;
  }
  // A minute bar is labelled by its end, so it belongs to the session with open < dt ≤ close,
  // and not to its lunch break (break_start < dt ≤ break_end).
  const bad = await firstFound(
    conn,
    `SELECT r.sid, r.date FROM minute_raw r
    ASOF LEFT JOIN cal c ON c.close >= r.date WHERE c.open IS NULL OR c.open >= r.date
      OR (r.date > c.break_start AND r.date <= c.break_end)`,
    "sid, date",
  );
  if (bad) {
    const when = bad.date instanceof Date ? bad.date.toISOString() : String(bad.date);
    throw rowError(
      pathOf(Number(bad.sid)),
      bad.date,
      "date",
      `${when} is not a trading minute of calendar ${name}`,
      Number(bad.n) - 1,
    );
  }
}

async function checkNonEmpty(
  conn: DuckDBConnection,
  files: CsvFile[],
  sids: Map<string, number>,
  table: string,
): Promise<void> {
  const rows = (await conn.runAndReadAll(`SELECT DISTINCT sid FROM ${table}`)).getRows();
  const present = new Set(rows.map(([sid]) => Number(sid)));
  const empty = files.find((f) => !present.has(sids.get(f.symbol)!));
  if (empty) throw new IngestError(`no rows (symbol ${empty.symbol})`, { file: empty.path });
}

function assignSids(
  symbols: string[],
  meta: Map<string, AssetMeta> | undefined,
  metaPath?: string,
): Map<string, number> {
  if (!meta) return new Map(symbols.map((s, i) => [s, i]));
  const out = new Map<string, number>();
  for (const s of symbols) {
    const m = meta.get(s);
    if (!m) {
      throw new IngestError(
        `symbol ${s} has a data file but no row in ${basename(metaPath ?? "metadata.csv")}`,
        { file: metaPath },
      );
    }
    out.set(s, m.sid);
  }
  return out;
}

/** Splits and dividends from the files' `split` and `dividend` columns. */
async function writeActions(conn: DuckDBConnection, tframe: TimeFrame): Promise<void> {
  const table = rawTable(tframe);
  const day = tframe === "daily" ? "date" : "CAST(date AS DATE)";
  await conn.run(`INSERT INTO splits SELECT DISTINCT sid, ${day}, 1.0 / split FROM ${table}
    WHERE split IS NOT NULL AND split <> 1`);
  await conn.run(`INSERT INTO dividends (sid, ex_date, amount) SELECT DISTINCT sid, ${day}, dividend
    FROM ${table} WHERE dividend IS NOT NULL AND dividend <> 0`);
}

/** Turns the staging table into the bar table in place (dropping columns copies nothing). */
async function promote(conn: DuckDBConnection, tframe: TimeFrame): Promise<void> {
  const table = rawTable(tframe), target = tframe === "daily" ? "daily_bars" : "minute_bars";
  await conn.run(`UPDATE ${table} SET volume = 0 WHERE volume IS NULL`);
  await conn.run(`ALTER TABLE ${table} DROP COLUMN dividend`);
  await conn.run(`ALTER TABLE ${table} DROP COLUMN split`);
  if (tframe === "minute") await conn.run(`ALTER TABLE ${table} RENAME COLUMN date TO dt`);
  await conn.run(`DROP TABLE ${target}`);
  await conn.run(`ALTER TABLE ${table} RENAME TO ${target}`);
}

/** Ingests a csvdir folder (`csvdir_bundle.ts`'s `csvdir_equities` loads this when it runs). */
export async function ingestCsvdir(args: IngestArgs, opts: CsvdirOptions): Promise<void> {
  const dir = resolveDir(args, opts);
  const tframes = opts.tframes ??
    (["daily", "minute"] as const).filter((t) => existsSync(join(dir, t)));
  if (tframes.length === 0) {
    throw new IngestError(`${dir} has neither a daily/ nor a minute/ folder`);
  }
  const conn = args.writer.conn;
  const { meta, path: metaPath } = await readAssetMetadata(conn, dir);
  await calendarTable(conn, args);
  const bySymbol = new Map<string, number>();
  const lenient = Boolean(args.options.lenient);
  let dropped = 0;
  for (const tframe of tframes) {
    const files = listCsvFiles(join(dir, tframe));
    if (files.length === 0) throw new IngestError(`no SYMBOL.csv files in ${join(dir, tframe)}`);
    const sids = assignSids(files.map((f) => f.symbol), meta, metaPath);
    for (const [s, sid] of sids) bySymbol.set(s, sid);
    const paths = new Map(files.map((f) => [sids.get(f.symbol)!, f.path]));
    const pathOf: PathOf = (sid) => paths.get(sid) ?? `sid ${sid}`;
    await stage(conn, args, files, sids, tframe);
    const table = rawTable(tframe);
    dropped += await checkRows(conn, table, pathOf, lenient);
    await checkNonEmpty(conn, files, sids, table);
    await checkDuplicates(conn, table, pathOf, tframe === "daily");
    await checkSessions(conn, args, tframe, pathOf);
    // Corporate actions come from the daily files when there are any, else from the minute files.
    if (tframe === "daily" || !tframes.includes("daily")) await writeActions(conn, tframe);
    await promote(conn, tframe);
  }
  if (!tframes.includes("daily")) {
    // zipline rolls daily bars up from minutes when a bundle has only minute data.
    await conn.run(`INSERT INTO daily_bars
      SELECT m.sid, c.date, arg_min(m.open, m.dt), max(m.high), min(m.low), arg_max(m.close, m.dt), sum(m.volume)
      FROM minute_bars m ASOF JOIN cal c ON c.close >= m.dt GROUP BY m.sid, c.date`);
  }
  if (dropped > 0) args.progress.note(`--lenient: dropped ${dropped} bad row(s)`);
  await writeAssets(conn, args, meta, bySymbol, opts.exchange ?? "CSVDIR");
}

async function writeAssets(
  conn: DuckDBConnection,
  args: IngestArgs,
  meta: Map<string, AssetMeta> | undefined,
  bySymbol: Map<string, number>,
  exchange: string,
): Promise<void> {
  const span = new Map<number, { first: number; last: number }>();
  const rows = (await conn.runAndReadAll(`SELECT sid, min(d) AS first, max(d) AS last FROM (
      SELECT sid, date AS d FROM daily_bars UNION ALL SELECT sid, CAST(dt AS DATE) FROM minute_bars) GROUP BY sid`))
    .getRowObjectsJS();
  for (const r of rows) {
    span.set(Number(r.sid), {
      first: (r.first as Date).getTime(),
      last: (r.last as Date).getTime(),
    });
  }
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  await args.writer.writeAssets([...bySymbol].map(([symbol, sid]) => {
    const s = span.get(sid)!;
    const m = meta?.get(symbol);
    return {
      sid,
      symbol,
      asset_name: m?.asset_name ?? symbol,
      exchange: m?.exchange ?? exchange,
      country_code: m?.country_code ?? "US",
      start_date: m?.start_date ?? iso(s.first),
      end_date: m?.end_date ?? iso(s.last),
      first_traded: m?.first_traded ?? null,
      // zipline's csvdir: the day after the last row.
      auto_close_date: m?.auto_close_date ?? iso(s.last + DAY_MS),
    };
  }));
}
