/**
 * Pipeline results: `PipelineFrame` is one day's output (a `Frame` of the columns indexed by the
 * assets that passed the screen, what `pipeline_output` returns); `PipelineResult` holds the
 * computed days of a `run_pipeline` (zipline's (date, asset)-indexed DataFrame).
 */
import type { Asset } from "../assets/asset.ts";
import { Frame } from "../frames/frame.ts";
import { isoDate } from "../../calendars/days.ts";
import type { TermData, TermKind } from "./term.ts";
import { type DisplayRow, pipelineTableHtml } from "./result_display.ts";
import { lazyImport } from "../lazy.ts";

/** One computed output column over a chunk: `dates × assets`, date-major. */
export interface ChunkColumn {
  name: string;
  kind: TermKind;
  data: TermData;
}

/** What the engine computes for a chunk of days. */
export interface ChunkResult {
  /** Output days (UTC-midnight ms). */
  dates: Float64Array;
  /** Asset columns (sids ascending). */
  assets: readonly Asset[];
  /** Which (day, asset) cells pass the screen, date-major. */
  screen: Uint8Array;
  columns: ChunkColumn[];
}

/**
 * One day of a pipeline's output: columns by name, one row per asset that passed the screen
 * (in sid order). Filter columns hold 1/0, classifier columns their labels (−1 = none).
 *
 * @example
 * ```ts
 * const out = await pipeline_output("my_pipeline");
 * for (const asset of out.where("longs")) await order_target_percent(asset, 1 / 3);
 * out.get("rsi").get(asset); // one value
 * ```
 */
export class PipelineFrame extends Frame<string, Asset> {
  constructor(
    columns: string[],
    data: Float64Array[],
    assets: Asset[],
    /** Kind of each column (factor, filter or classifier). */
    readonly kinds: Readonly<Record<string, TermKind>>,
  ) {
    super(columns, data, assets);
  }

  /** The assets (rows), in order. */
  get assets(): Asset[] {
    return this.index as Asset[];
  }

  /** One day's output as an HTML table (filters true/false, assets by symbol). */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const kinds = this.columns.map((c) => this.kinds[c]);
    const rows = this.assets.map((a, i) => ({
      date: "",
      symbol: a.symbol,
      values: this.data.map((col) => col[i]),
    }));
    const html = pipelineTableHtml(
      this.columns,
      kinds,
      rows,
      [],
      0,
      `${rows.length} assets`,
      false,
    );
    return { "text/plain": this.toString(), "text/html": html };
  }

  /**
   * The assets whose value in `column` is true (non-zero and not NaN) — zipline's
   * `frame.index[frame[column]]`.
   * @example out.where("longs") // [Equity(2 [COST]), …]
   */
  where(column: string): Asset[] {
    const values = this.get(column).values, out: Asset[] = [];
    const assets = this.assets;
    for (let i = 0; i < values.length; i++) {
      if (values[i] && values[i] === values[i]) out.push(assets[i]);
    }
    return out;
  }
}

/** Builds day `t`'s frame of a chunk. */
export function dayFrame(chunk: ChunkResult, t: number): PipelineFrame {
  const N = chunk.assets.length, b = t * N;
  const rows: number[] = [];
  for (let j = 0; j < N; j++) if (chunk.screen[b + j]) rows.push(j);
  const data = chunk.columns.map((c) => Float64Array.from(rows, (j) => c.data[b + j]));
  const kinds = Object.fromEntries(chunk.columns.map((c) => [c.name, c.kind]));
  return new PipelineFrame(
    chunk.columns.map((c) => c.name),
    data,
    rows.map((j) => chunk.assets[j]),
    kinds,
  );
}

/** The output of `run_pipeline`: every day's frame, in date order. */
export class PipelineResult {
  constructor(
    private readonly chunks: readonly ChunkResult[],
    readonly columns: readonly string[],
  ) {}

  /** The days computed (UTC-midnight ms). */
  get dates(): number[] {
    return this.chunks.flatMap((c) => Array.from(c.dates));
  }

  /** Number of (day, asset) rows that passed the screen. */
  get length(): number {
    let n = 0;
    for (const c of this.chunks) for (let k = 0; k < c.screen.length; k++) n += c.screen[k];
    return n;
  }

  /**
   * One day's frame (empty when nothing passed the screen, or the day was not computed).
   * @example result.day("2014-01-02").where("longs")
   */
  day(date: number | string | Date): PipelineFrame {
    const ms = typeof date === "number"
      ? date
      : date instanceof Date
      ? date.getTime()
      : Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);
    for (const c of this.chunks) {
      const t = c.dates.indexOf(Math.floor(ms / 86_400_000) * 86_400_000);
      if (t >= 0) return dayFrame(c, t);
    }
    const kinds = Object.fromEntries(this.chunks[0]?.columns.map((c) => [c.name, c.kind]) ?? []);
    return new PipelineFrame(
      [...this.columns],
      this.columns.map(() => new Float64Array(0)),
      [],
      kinds,
    );
  }

  /** Every row as `{ date, asset, ...columns }` (for inspection and tests). */
  *rows(): Generator<Record<string, unknown> & { date: string; asset: Asset }> {
    for (const c of this.chunks) {
      const N = c.assets.length;
      for (let t = 0; t < c.dates.length; t++) {
        for (let j = 0; j < N; j++) {
          if (!c.screen[t * N + j]) continue;
          const row: Record<string, unknown> & { date: string; asset: Asset } = {
            date: isoDate(c.dates[t] / 86_400_000),
            asset: c.assets[j],
          };
          for (const col of c.columns) {
            const v = col.data[t * N + j];
            row[col.name] = col.kind === "filter" ? v === 1 : v;
          }
          yield row;
        }
      }
    }
  }

  /**
   * One asset's rows (the days it passed the screen) as a Frame indexed by date (UTC ms);
   * filters as 1/0. `asset` is an Asset, a symbol or a sid.
   * @example result.asset("AAPL").get("rsi")
   */
  asset(asset: Asset | string | number): Frame<string, number> {
    const match = (a: Asset) =>
      typeof asset === "string"
        ? a.symbol === asset.toUpperCase()
        : typeof asset === "number"
        ? a.sid === asset
        : a.sid === asset.sid;
    const dates: number[] = [], cols = this.columns.map(() => [] as number[]);
    for (const c of this.chunks) {
      const N = c.assets.length, j = c.assets.findIndex(match);
      if (j < 0) continue;
      for (let t = 0; t < c.dates.length; t++) {
        if (!c.screen[t * N + j]) continue;
        dates.push(c.dates[t]);
        c.columns.forEach((col, k) => cols[k].push(col.data[t * N + j]));
      }
    }
    return new Frame(
      [...this.columns],
      cols.map((x) => Float64Array.from(x)),
      Float64Array.from(dates),
    );
  }

  /**
   * A column as a dates × assets matrix (NaN where an asset did not pass the screen), the
   * shape factor analysis starts from.
   * @example const { dates, assets, values } = result.matrix("momentum");
   */
  matrix(column: string): { dates: Float64Array; assets: Asset[]; values: Float64Array } {
    const k = this.columns.indexOf(column);
    if (k < 0) throw new RangeError(`no column "${column}" (columns: ${this.columns.join(", ")})`);
    const assets = new Map<number, Asset>();
    for (const c of this.chunks) for (const a of c.assets) assets.set(a.sid, a);
    const list = [...assets.values()].sort((a, b) => a.sid - b.sid);
    const slot = new Map(list.map((a, j) => [a.sid, j]));
    const dates = Float64Array.from(this.dates), A = list.length;
    const values = new Float64Array(dates.length * A).fill(NaN);
    let t0 = 0;
    for (const c of this.chunks) {
      const N = c.assets.length, data = c.columns[k].data;
      for (let t = 0; t < c.dates.length; t++) {
        for (let j = 0; j < N; j++) {
          if (c.screen[t * N + j]) {
            values[(t0 + t) * A + slot.get(c.assets[j].sid)!] = data[t * N + j];
          }
        }
      }
      t0 += c.dates.length;
    }
    return { dates, assets: list, values };
  }

  /**
   * The whole table as Apache Arrow: date (UTC day), sid, symbol and the pipeline's columns
   * (filters as booleans). Loads `apache-arrow` on first use.
   * @example const table = await result.toArrow();
   */
  async toArrow(): Promise<import("apache-arrow").Table> {
    const arrow = await lazyImport<typeof import("apache-arrow")>("apache-arrow");
    const rows = [...this.rows()].map(({ date, asset, ...rest }) => ({
      date: new Date(`${date}T00:00:00Z`),
      sid: asset.sid,
      symbol: asset.symbol,
      ...rest,
    }));
    return arrow.tableFromJSON(rows);
  }

  /** The (date, asset) table as HTML: its first and last ten rows. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const kinds = this.chunks[0]?.columns.map((c) => c.kind) ?? [];
    const n = this.length, head = Math.min(10, n), tail = Math.min(10, n - head);
    const first: DisplayRow[] = [], last: DisplayRow[] = [];
    let i = 0;
    for (const r of this.rows()) {
      if (i < head || i >= n - tail) {
        const row = {
          date: r.date,
          symbol: r.asset.symbol,
          values: this.columns.map((c) => {
            const v = r[c];
            return typeof v === "boolean" ? (v ? 1 : 0) : v as number;
          }),
        };
        (i < head ? first : last).push(row);
      }
      i++;
    }
    const days = this.dates.length;
    const shape = `${n} rows × ${this.columns.length} columns (${days} days)`;
    return {
      "text/plain": `PipelineResult: ${shape}`,
      "text/html": pipelineTableHtml(this.columns, kinds, first, last, n - head - tail, shape),
    };
  }

  /** CSV with columns date, sid, symbol and the pipeline's columns. */
  toCSV(): string {
    const lines = [["date", "sid", "symbol", ...this.columns].join(",")];
    for (const r of this.rows()) {
      const cells = this.columns.map((c) => {
        const v = r[c] as number | boolean;
        return typeof v === "number" && Number.isNaN(v) ? "" : String(v);
      });
      lines.push([r.date, r.asset.sid, r.asset.symbol, ...cells].join(","));
    }
    return lines.join("\n") + "\n";
  }
}
