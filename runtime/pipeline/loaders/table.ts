/**
 * Loaders for user datasets kept as dated rows — one row per (date, asset) with a value per
 * column, e.g. fundamentals — from a CSV file (`CSVLoader`) or a DuckDB table or query
 * (`DuckDBLoader`). A row dated d is first known to the pipeline on the session after d (as a
 * daily bar is; `known: "same_session"` makes it known on d itself) and, by default, its value
 * holds until the asset's next row.
 *
 * Assets are named by a `sid` column or, failing that, a `symbol` column (matched to the asset
 * holding that symbol on the row's date).
 *
 * @example
 * ```ts
 * // fundamentals.csv: date,symbol,pe_ratio,sector
 * const Fundamentals = DataSet.define("Fundamentals", {
 *   pe_ratio: Column("float64"),
 *   sector: Column("int64"),
 * }, { loader: new CSVLoader("data/fundamentals.csv") });
 * ```
 */
import { DAY_MS } from "../../../calendars/days.ts";
import { openDb } from "../../../bundles/store/duckdb.ts";
import type { Asset } from "../../assets/asset.ts";
import { PipelineError } from "../errors.ts";
import type { LoadRequest, PipelineLoader } from "../loader.ts";
import { allocate } from "../term.ts";
import { AdjustedArray } from "../window.ts";

/** Options shared by the table loaders. */
export interface TableLoaderOptions {
  /** @default "date" */
  date_column?: string;
  /** @default "sid" (else `symbol_column` is used) */
  sid_column?: string;
  /** @default "symbol" */
  symbol_column?: string;
  /** When a row becomes known to the pipeline; @default "next_session" */
  known?: "next_session" | "same_session";
  /** Carry each value forward until the asset's next row; @default true */
  ffill?: boolean;
  /** Table column for a dataset column, when the names differ. */
  columns?: Record<string, string>;
}

/** Rows as read: one date (UTC-midnight ms) and asset key per row, values by table column. */
export interface RawTable {
  dates: Float64Array;
  sids: Float64Array | null;
  symbols: string[] | null;
  columns: Map<string, Float64Array>;
}

const dayOf = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

/** Parses a date cell ("2014-01-02", an ISO timestamp, or epoch ms) to its UTC day. */
export function parseDay(v: unknown): number {
  if (v instanceof Date) return dayOf(v.getTime());
  if (typeof v === "number") return dayOf(v);
  if (typeof v === "bigint") return dayOf(Number(v));
  const s = String(v).trim();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : Date.parse(s);
  return Number.isNaN(ms) ? NaN : dayOf(ms);
}

/** Base of the table loaders: reads once, then answers any dates and assets. */
export abstract class TableLoader implements PipelineLoader {
  #table?: Promise<RawTable>;
  protected readonly opts: Required<Omit<TableLoaderOptions, "columns">> & {
    columns: Record<string, string>;
  };

  constructor(opts: TableLoaderOptions = {}) {
    this.opts = {
      date_column: opts.date_column ?? "date",
      sid_column: opts.sid_column ?? "sid",
      symbol_column: opts.symbol_column ?? "symbol",
      known: opts.known ?? "next_session",
      ffill: opts.ffill ?? true,
      columns: opts.columns ?? {},
    };
  }

  /** Reads every row (called once). */
  protected abstract read(): Promise<RawTable>;

  async load(req: LoadRequest): Promise<AdjustedArray[]> {
    const table = await (this.#table ??= this.read());
    const { dates, sids } = req, R = dates.length, N = sids.length;
    const rowsBySlot = this.rowsBySlot(table, req.assets, sids);
    const strict = this.opts.known === "next_session";
    return req.columns.map((col) => {
      const name = this.opts.columns[col.name] ?? col.name;
      const values = table.columns.get(name);
      if (!values) {
        throw new PipelineError(`${this.constructor.name}: no column "${name}" for ${col}`);
      }
      const out = allocate(col.kind, R * N, col.missing_value);
      for (let j = 0; j < N; j++) {
        const rows = rowsBySlot[j];
        let p = 0, value = NaN;
        for (let t = 0; t < R; t++) {
          let fresh = false;
          while (
            p < rows.length &&
            (strict ? table.dates[rows[p]] < dates[t] : table.dates[rows[p]] <= dates[t])
          ) {
            value = values[rows[p++]];
            fresh = true;
          }
          if ((fresh || this.opts.ffill) && value === value) out[t * N + j] = value;
        }
      }
      return new AdjustedArray(out, R, N, null);
    });
  }

  /** Row numbers of each asset column, in date order. */
  private rowsBySlot(table: RawTable, assets: readonly Asset[], sids: Int32Array): number[][] {
    const slot = new Map<number, number>();
    sids.forEach((s, j) => slot.set(s, j));
    const bySymbol = new Map<string, Asset[]>();
    for (const a of assets) bySymbol.set(a.symbol, [...(bySymbol.get(a.symbol) ?? []), a]);
    const out: number[][] = Array.from({ length: sids.length }, () => []);
    for (let r = 0; r < table.dates.length; r++) {
      const d = table.dates[r];
      if (d !== d) continue;
      let sid = table.sids ? table.sids[r] : NaN;
      if (sid !== sid && table.symbols) {
        const list = bySymbol.get(table.symbols[r].toUpperCase()) ?? [];
        const alive = list.find((a) => a.start_date <= d && d <= a.end_date) ??
          list[list.length - 1];
        sid = alive ? alive.sid : NaN;
      }
      const j = slot.get(sid);
      if (j !== undefined) out[j].push(r);
    }
    for (const rows of out) rows.sort((a, b) => table.dates[a] - table.dates[b] || a - b);
    return out;
  }

  /** Builds a RawTable from header names and row cells. */
  protected fromRows(header: string[], rows: unknown[][]): RawTable {
    const { date_column, sid_column, symbol_column } = this.opts;
    const di = header.indexOf(date_column);
    if (di < 0) throw new PipelineError(`${this.constructor.name}: no "${date_column}" column`);
    const si = header.indexOf(sid_column), yi = header.indexOf(symbol_column);
    if (si < 0 && yi < 0) {
      throw new PipelineError(
        `${this.constructor.name}: need a "${sid_column}" or "${symbol_column}" column naming assets`,
      );
    }
    const n = rows.length, dates = new Float64Array(n);
    const sids = si >= 0 ? new Float64Array(n) : null;
    const symbols = si < 0 ? new Array<string>(n) : null;
    const columns = new Map<string, Float64Array>();
    header.forEach((h, k) => {
      if (k !== di && k !== si && k !== yi) columns.set(h, new Float64Array(n));
    });
    for (let r = 0; r < n; r++) {
      const row = rows[r];
      dates[r] = parseDay(row[di]);
      if (sids) sids[r] = toNumber(row[si]);
      if (symbols) symbols[r] = String(row[yi] ?? "");
      header.forEach((h, k) => {
        const c = columns.get(h);
        if (c) c[r] = toNumber(row[k]);
      });
    }
    return { dates, sids, symbols, columns };
  }
}

function toNumber(v: unknown): number {
  if (v === null || v === undefined || v === "") return NaN;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true") return 1;
    if (s === "false") return 0;
    return s === "" || s === "nan" ? NaN : Number(s);
  }
  return Number(v);
}

/** Splits one CSV line (double quotes may wrap a field; "" inside is a quote). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') cur += line[++i];
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** A dataset loaded from a CSV file with a header row (see the module documentation). */
export class CSVLoader extends TableLoader {
  constructor(readonly path: string, opts: TableLoaderOptions = {}) {
    super(opts);
  }

  protected read(): Promise<RawTable> {
    const lines = Deno.readTextFileSync(this.path).split(/\r?\n/).filter((l) => l.trim() !== "");
    if (!lines.length) throw new PipelineError(`${this.path}: empty CSV file`);
    const header = splitCsvLine(lines[0]).map((h) => h.trim());
    return Promise.resolve(this.fromRows(header, lines.slice(1).map(splitCsvLine)));
  }
}

/** Where a DuckDBLoader reads from: a table, or any query. */
export interface DuckDBSource {
  /** The database file. */
  database: string;
  table?: string;
  query?: string;
}

/** A dataset loaded from a DuckDB table or query (see the module documentation). */
export class DuckDBLoader extends TableLoader {
  constructor(readonly source: DuckDBSource, opts: TableLoaderOptions = {}) {
    super(opts);
    if (!source.table === !source.query) {
      throw new PipelineError("DuckDBLoader: give exactly one of table or query");
    }
  }

  protected async read(): Promise<RawTable> {
    const db = await openDb(this.source.database, { readOnly: true });
    try {
      const sql = this.source.query ??
        `SELECT * FROM "${this.source.table!.replaceAll('"', '""')}"`;
      const result = await db.conn.runAndReadAll(sql);
      return this.fromRows(result.columnNames(), result.getRowsJS() as unknown[][]);
    } finally {
      db.close();
    }
  }
}
