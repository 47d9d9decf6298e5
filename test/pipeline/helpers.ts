/**
 * A small in-memory world for pipeline unit tests: assets, a test DataSet whose loader serves
 * hand-written rows (row D is what the pipeline sees on day D — no shift, no adjustments), and
 * `compute` returning each output column as rows of per-asset values.
 */
import { get_calendar } from "../../calendars/registry.ts";
import { Asset } from "../../runtime/assets/asset.ts";
import {
  Column,
  DataSet,
  type Filter,
  type LoadRequest,
  Pipeline,
  type PipelineLoader,
  SimplePipelineEngine,
  type Term,
} from "../../runtime/pipeline/mod.ts";
import { AdjustedArray } from "../../runtime/pipeline/window.ts";

export const XNYS = get_calendar("XNYS");

/** UTC-midnight ms of a date. */
export const ms = (d: string): number => Date.parse(`${d}T00:00:00Z`);

/** The XNYS sessions from `start`, `n` of them, as dates. */
export function sessions(start: string, n: number): string[] {
  const all = XNYS.all_sessions, i = XNYS.session_index(ms(start));
  return Array.from(all.subarray(i, i + n), (s) => new Date(s).toISOString().slice(0, 10));
}

/** `n` assets, sids 0…n−1, alive from 2000 through 2030 unless overridden. */
export function makeAssets(n: number, lifetimes: Record<number, [string, string]> = {}): Asset[] {
  return Array.from({ length: n }, (_, sid) => {
    const [s, e] = lifetimes[sid] ?? ["2000-01-03", "2030-12-31"];
    return new Asset(sid, `A${sid}`, `Asset ${sid}`, "TEST", ms(s), ms(e), ms(e) + 86_400_000);
  });
}

/** Rows by date: `{ "2014-01-02": [v0, v1, …] }` per column. */
export type Rows = Record<string, Record<string, number[]>>;

/** Serves `rows` for the requested dates (NaN / 0 / −1 where none). */
export class RowsLoader implements PipelineLoader {
  constructor(private readonly rows: Rows) {}
  load(req: LoadRequest): Promise<AdjustedArray[]> {
    const N = req.sids.length, R = req.dates.length;
    return Promise.resolve(req.columns.map((c) => {
      const out = c.kind === "factor"
        ? new Float64Array(R * N).fill(NaN)
        : c.kind === "filter"
        ? new Uint8Array(R * N)
        : new Int32Array(R * N).fill(-1);
      for (let t = 0; t < R; t++) {
        const day = new Date(req.dates[t]).toISOString().slice(0, 10);
        const row = this.rows[c.name]?.[day];
        if (!row) continue;
        for (let j = 0; j < N; j++) out[t * N + j] = row[req.sids[j]] ?? out[t * N + j];
      }
      return new AdjustedArray(out, R, N, null);
    }));
  }
}

/** A dataset `T` with float columns a, b, c, a bool column `flag` and an int column `label`. */
export function testDataSet(rows: Rows) {
  return DataSet.define("T", {
    a: Column("float64"),
    b: Column("float64"),
    c: Column("float64"),
    flag: Column("bool"),
    label: Column("int64"),
  }, { loader: new RowsLoader(rows) });
}

/** Builds rows for consecutive sessions from `start`: one array per session per column. */
export function rowsFrom(start: string, columns: Record<string, number[][]>): Rows {
  const out: Rows = {};
  for (const [name, values] of Object.entries(columns)) {
    const days = sessions(start, values.length);
    out[name] = Object.fromEntries(days.map((d, i) => [d, values[i]]));
  }
  return out;
}

/**
 * Computes `columns` for sessions `start…end` over `assets`, returning per column the rows
 * (one per session) of per-asset values (filters as 0/1, classifiers as labels).
 */
export async function compute(
  columns: Record<string, Term>,
  start: string,
  end: string,
  assets: Asset[] = makeAssets(3),
  opts: { pricing?: Rows; screen?: Filter } = {},
): Promise<Record<string, number[][]>> {
  const pricing = opts.pricing ? new RowsLoader(opts.pricing) : undefined;
  const engine = new SimplePipelineEngine({ calendar: XNYS, assets, pricing });
  const pipe = new Pipeline({ columns, screen: opts.screen });
  const chunk = await engine.computeChunk(
    pipe,
    engine.sessionIndex(ms(start)),
    engine.sessionIndex(ms(end)),
  );
  const N = chunk.assets.length;
  return Object.fromEntries(chunk.columns.map((c) => [
    c.name,
    Array.from(chunk.dates, (_, t) => Array.from(c.data.subarray(t * N, (t + 1) * N))),
  ]));
}

/** Rounds for comparisons (NaN kept). */
export function round(rows: number[][], digits = 10): number[][] {
  const k = 10 ** digits;
  return rows.map((r) => r.map((v) => (Number.isFinite(v) ? Math.round(v * k) / k : v)));
}
