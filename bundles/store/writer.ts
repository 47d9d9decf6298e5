/**
 * `BundleWriter`: what an ingest function writes through. Typed methods for assets, bars and
 * corporate actions; `conn` for ingesters that load in bulk with SQL (csvdir reads its CSVs with
 * DuckDB's own reader straight into the tables).
 */
import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import { DAY_MS, isoDate, parseIsoDate } from "../../calendars/days.ts";
import { IngestError } from "../errors.ts";
import { type Db, duckdb, openDb, sqlString } from "./duckdb.ts";
import { SCHEMA_SQL, SCHEMA_VERSION } from "./schema.ts";
import { quantizeSql } from "./precision.ts";

/** A date as day number, UTC-midnight-ms is not accepted here: `YYYY-MM-DD` or a day number. */
export type DateInput = string | number | null | undefined;

/** One asset's metadata. Dates `YYYY-MM-DD` (or day numbers). */
export interface AssetInput {
  sid: number;
  symbol: string;
  asset_name?: string | null;
  exchange?: string | null;
  country_code?: string | null;
  start_date?: DateInput;
  end_date?: DateInput;
  first_traded?: DateInput;
  auto_close_date?: DateInput;
}

/** Bars of one asset, column-wise. `date` in day numbers (daily) or `dt` in UTC ms (minute). */
export interface BarColumns {
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
}

export interface SplitInput {
  sid: number;
  effective_date: DateInput;
  /** Multiplier for prices before the date (a 2-for-1 split is 0.5). */
  ratio: number;
}

export interface DividendInput {
  sid: number;
  ex_date: DateInput;
  amount: number;
  record_date?: DateInput;
  declared_date?: DateInput;
  pay_date?: DateInput;
}

export interface StockDividendInput {
  sid: number;
  payment_sid: number;
  ratio: number;
  ex_date: DateInput;
  record_date?: DateInput;
  declared_date?: DateInput;
  pay_date?: DateInput;
}

function dayOf(v: DateInput, field: string): number | null {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "number") return v;
  const d = parseIsoDate(v.slice(0, 10));
  if (d === undefined) {
    throw new IngestError(`"${v}" is not a date (YYYY-MM-DD)`, { column: field });
  }
  return d;
}

/** Writes one bundle version's database. */
export class BundleWriter {
  private constructor(private readonly db: Db) {}

  /** Creates the database file with the schema. */
  static async create(path: string): Promise<BundleWriter> {
    // A bounded memory limit makes DuckDB spill large loads to disk instead of holding them, and
    // not preserving insertion order lets it stream them; readers never rely on row order.
    const db = await openDb(path, {
      memoryLimit: Deno.env.get("HARVESTER_DUCKDB_MEMORY_LIMIT") ?? "512MB",
    });
    await db.conn.run("SET preserve_insertion_order = false");
    await db.conn.run(SCHEMA_SQL);
    return new BundleWriter(db);
  }

  /** The connection, for bulk SQL loads. */
  get conn(): DuckDBConnection {
    return this.db.conn;
  }

  private async append(
    table: string,
    rows: number,
    fill: (a: DuckDBAppender, i: number) => void,
  ): Promise<void> {
    if (rows === 0) return;
    const a = await this.db.conn.createAppender(table);
    for (let i = 0; i < rows; i++) {
      fill(a, i);
      a.endRow();
    }
    a.closeSync();
  }

  private async dateAppender(): Promise<(a: DuckDBAppender, day: number | null) => void> {
    const { DuckDBDateValue } = await duckdb();
    return (a, day) => (day === null ? a.appendNull() : a.appendDate(new DuckDBDateValue(day)));
  }

  async writeAssets(rows: readonly AssetInput[]): Promise<void> {
    const date = await this.dateAppender();
    const str = (
      a: DuckDBAppender,
      s: string | null | undefined,
    ) => (s == null ? a.appendNull() : a.appendVarchar(s));
    await this.append("assets", rows.length, (a, i) => {
      const r = rows[i];
      a.appendInteger(r.sid);
      a.appendVarchar(r.symbol);
      str(a, r.asset_name);
      str(a, r.exchange);
      str(a, r.country_code);
      date(a, dayOf(r.start_date, "start_date"));
      date(a, dayOf(r.end_date, "end_date"));
      date(a, dayOf(r.first_traded, "first_traded"));
      date(a, dayOf(r.auto_close_date, "auto_close_date"));
    });
  }

  /** Appends daily bars of one asset; `days` are day numbers (UTC). */
  async writeDailyBars(sid: number, days: ArrayLike<number>, bars: BarColumns): Promise<void> {
    const date = await this.dateAppender();
    await this.append("daily_bars", days.length, (a, i) => {
      a.appendInteger(sid);
      date(a, days[i]);
      a.appendDouble(bars.open[i]);
      a.appendDouble(bars.high[i]);
      a.appendDouble(bars.low[i]);
      a.appendDouble(bars.close[i]);
      a.appendDouble(bars.volume[i]);
    });
  }

  /** Appends minute bars of one asset; `minutes` are UTC epoch ms. */
  async writeMinuteBars(sid: number, minutes: ArrayLike<number>, bars: BarColumns): Promise<void> {
    const { DuckDBTimestampValue } = await duckdb();
    await this.append("minute_bars", minutes.length, (a, i) => {
      a.appendInteger(sid);
      a.appendTimestamp(new DuckDBTimestampValue(BigInt(minutes[i]) * 1000n));
      a.appendDouble(bars.open[i]);
      a.appendDouble(bars.high[i]);
      a.appendDouble(bars.low[i]);
      a.appendDouble(bars.close[i]);
      a.appendDouble(bars.volume[i]);
    });
  }

  async writeSplits(
    rows: readonly SplitInput[],
    table: "splits" | "mergers" = "splits",
  ): Promise<void> {
    const date = await this.dateAppender();
    await this.append(table, rows.length, (a, i) => {
      a.appendInteger(rows[i].sid);
      date(a, dayOf(rows[i].effective_date, "effective_date"));
      a.appendDouble(rows[i].ratio);
    });
  }

  writeMergers(rows: readonly SplitInput[]): Promise<void> {
    return this.writeSplits(rows, "mergers");
  }

  async writeDividends(rows: readonly DividendInput[]): Promise<void> {
    const date = await this.dateAppender();
    await this.append("dividends", rows.length, (a, i) => {
      const r = rows[i];
      a.appendInteger(r.sid);
      date(a, dayOf(r.ex_date, "ex_date"));
      a.appendDouble(r.amount);
      date(a, dayOf(r.record_date, "record_date"));
      date(a, dayOf(r.declared_date, "declared_date"));
      date(a, dayOf(r.pay_date, "pay_date"));
      a.appendNull(); // ratio: computed in finish()
    });
  }

  async writeStockDividends(rows: readonly StockDividendInput[]): Promise<void> {
    const date = await this.dateAppender();
    await this.append("stock_dividends", rows.length, (a, i) => {
      const r = rows[i];
      a.appendInteger(r.sid);
      a.appendInteger(r.payment_sid);
      a.appendDouble(r.ratio);
      date(a, dayOf(r.ex_date, "ex_date"));
      date(a, dayOf(r.record_date, "record_date"));
      date(a, dayOf(r.declared_date, "declared_date"));
      date(a, dayOf(r.pay_date, "pay_date"));
    });
  }

  /** Runs SQL and returns rows as JS values (small results only). */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    const r = await this.db.conn.runAndReadAll(sql);
    return r.getRowObjectsJS() as Record<string, unknown>[];
  }

  /**
   * Completes the version: computes dividend ratios (1 − amount / close of the session before
   * the ex-date, zipline's rule; a dividend with no such close, or a ratio ≤ 0, keeps a NULL
   * ratio and adjusts nothing), writes the metadata and closes the file. Bar rows are kept in the
   * order written: readers place each row by (sid, time), so no sort is paid for. `sessions` are
   * the calendar's sessions as day numbers. With `price_decimals`, prices are first stored as
   * zipline stores them (precision.ts), so dividend ratios come from those closes, as zipline's.
   */
  async finish(meta: {
    bundle: string;
    calendar_name: string;
    minutes_per_day: number;
    source: string;
    created: number;
    sessions: Int32Array;
    price_decimals?: number;
  }): Promise<{ droppedDividends: number }> {
    const c = this.db.conn;
    if (meta.price_decimals !== undefined) {
      await c.run(quantizeSql("daily_bars", meta.price_decimals));
      await c.run(quantizeSql("minute_bars", meta.price_decimals));
    }
    await c.run(`CREATE TEMP TABLE cal_sessions (date DATE)`);
    const { DuckDBDateValue } = await duckdb();
    const app = await c.createAppender("cal_sessions", "main", "temp");
    for (const d of meta.sessions) {
      app.appendDate(new DuckDBDateValue(d));
      app.endRow();
    }
    app.closeSync();
    // The close on the last session before each ex-date (zipline's searchsorted rule). No bar on
    // that session gives no ratio rather than a stale one.
    await c.run(`
      UPDATE dividends AS d SET ratio = CASE WHEN p.close > 0 AND 1 - d.amount / p.close > 0
                                             THEN 1 - d.amount / p.close END
      FROM (
        SELECT dv.sid, dv.ex_date, b.close
        FROM dividends dv
        LEFT JOIN daily_bars b ON b.sid = dv.sid
          AND b.date = (SELECT max(s.date) FROM cal_sessions s WHERE s.date < dv.ex_date)
      ) p
      WHERE d.sid = p.sid AND d.ex_date = p.ex_date`);
    const dropped = await this.query(
      `SELECT count(*)::INTEGER AS n FROM dividends WHERE ratio IS NULL`,
    );
    const span = await this.query(`
      SELECT min(date) AS first, max(date) AS last FROM (
        SELECT date FROM daily_bars UNION ALL SELECT CAST(dt AS DATE) FROM minute_bars)`);
    const first = span[0].first as Date | null, last = span[0].last as Date | null;
    const entries: [string, string][] = [
      ["bundle", meta.bundle],
      ["calendar_name", meta.calendar_name],
      ["first_session", first ? isoDate(Math.floor(first.getTime() / DAY_MS)) : ""],
      ["last_session", last ? isoDate(Math.floor(last.getTime() / DAY_MS)) : ""],
      ["minutes_per_day", String(meta.minutes_per_day)],
      ["source", meta.source],
      ["created", new Date(meta.created).toISOString()],
      ["schema_version", String(SCHEMA_VERSION)],
      ["price_decimals", meta.price_decimals === undefined ? "" : String(meta.price_decimals)],
    ];
    await c.run(
      `INSERT INTO metadata VALUES ${
        entries.map(([k, v]) => `(${sqlString(k)}, ${sqlString(v)})`).join(", ")
      }`,
    );
    await c.run("CHECKPOINT");
    this.db.close();
    return { droppedDividends: Number(dropped[0].n) };
  }

  /** Closes without finishing (on failure). */
  close(): void {
    try {
      this.db.close();
    } catch {
      // already closed
    }
  }
}
